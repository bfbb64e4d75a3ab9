// End to end: a handoff file the Go tool codemap wrote, as real processes meet it — the
// session-stop hook reading its payload from stdin adds its session to the Go tool's agent
// history, and `--latest --detail` of a path the file does not list exits 3. The base-ref
// fallback, "HEAD" as the base, reading and keeping the Go file, its per-project file and
// `--latest --detail`: in-process in test/cli/handoff-go-compat-command.test.ts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goShapedRepo, putGoFile } from '../support/handoff-trees.js';
import { expectFailure, FIXED_NOW, readSaved, runCli, Scratch, type GitRepo } from './helpers.js';

const env = { HANDOFF_NOW: FIXED_NOW };

describe('Go compatibility: a handoff file the Go tool wrote', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;

  beforeAll(() => {
    repo = goShapedRepo(scratch);
  });
  afterAll(() => scratch.cleanup());

  it('--latest --detail of a path it does not list exits 3 naming the closest listed one', () => {
    putGoFile(repo);
    const typo = runCli(['--latest', '--detail', 'internal/store/stor.go'], { cwd: repo.dir, env });
    expectFailure(typo, 3, /store\/store\.go/);
  });

  it("the session-stop hook on a Go file adds its session to the Go tool's agent history", () => {
    putGoFile(repo);
    const input = JSON.stringify({ session_id: 'go-compat', cwd: repo.dir, hook_event_name: 'Stop' });
    // After the Go sessions (history is kept in time order).
    const later = { HANDOFF_NOW: '2026-03-01T00:00:00Z', HANDOFF_DEVELOPER: 'me' };
    const res = runCli(['hook', 'session-stop', '--agent', 'codex'], { cwd: repo.dir, env: later, input });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toBe('');
    const history = readSaved(repo.dir).latest.agent_history ?? [];
    expect(history.map((h) => [h.agent_id, h.session_id])).toEqual([
      ['claude-code', undefined],
      ['codex', undefined],
      ['codex', 'go-compat'],
    ]);
    expect(readdirSync(join(repo.dir, '.codemap')).filter((f) => f.includes('corrupt'))).toEqual([]);
  });
});
