// `handoff setup` and `handoff doctor` through the built CLI: what only real processes show.
// The hook commands setup installs, run through /bin/sh as the clients run them; the git
// post-commit hook chaining the team's own one and refreshing the handoff in a background
// process; the exit status and one-line stderr of a refused setup (2) and a failed doctor (1).
// The behaviour (plans, files written, idempotence, --remove, doctor's checks, text and JSON)
// moved in-process: test/cli/setup-command.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifact as artifactSchema } from '../../src/schema/artifact.js';
import {
  expectSetupOk as ok,
  lines,
  ORIGINAL_POST_COMMIT,
  ourHooks,
  readJson,
  SETUP_NOW as NOW,
  setupWorld,
  type Json,
} from '../support/setup-world.js';
import { cliEnv, execGit, runCli, Scratch, type CliResult, type GitRepo } from './helpers.js';

describe('handoff setup and doctor through the built CLI', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  interface World {
    repo: GitRepo;
    home: string;
    run: (...args: string[]) => CliResult;
  }

  function world(options: { claudeSettings?: boolean; postCommit?: string } = {}): World {
    const { repo, home, env } = setupWorld(scratch, options);
    return { repo, home, run: (...args) => runCli(args, { cwd: repo.dir, env }) };
  }

  it('installs commands that work: the SessionStart command prints the JSON form, the Stop command JSON or nothing', () => {
    const { repo, home, run } = world({ claudeSettings: true });
    ok(run('setup', '--agent', 'claude'), 'setup');
    repo.write({ 'src/feature.ts': 'export const f = 1;\n' });
    const ours = ourHooks(readJson(join(repo.dir, '.claude', 'settings.json')));
    const sh = (command: string, payload: Json): CliResult => {
      const res = spawnSync('/bin/sh', ['-c', command], {
        cwd: repo.dir,
        env: cliEnv({ HOME: home, HANDOFF_NOW: NOW }),
        input: JSON.stringify(payload),
        encoding: 'utf8',
      });
      return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
    };
    const started = sh(ours.SessionStart![0]!.command, {
      session_id: 'cc-1',
      cwd: repo.dir,
      hook_event_name: 'SessionStart',
      source: 'startup',
    });
    expect(started.code).toBe(0);
    expect(started.stderr).toBe('');
    const doc = JSON.parse(started.stdout) as Json;
    expect(doc.hookSpecificOutput.hookEventName).toBe('SessionStart');
    expect(doc.hookSpecificOutput.additionalContext).toContain('src/feature.ts');
    for (const event of ['Stop', 'SessionEnd']) {
      const stopped = sh(ours[event]![0]!.command, { session_id: 'cc-1', cwd: repo.dir, hook_event_name: event });
      expect(stopped.code, event).toBe(0);
      expect(stopped.stderr, event).toBe('');
      for (const line of lines(stopped.stdout)) JSON.parse(line);
      expect(lines(stopped.stdout).length).toBeLessThanOrEqual(1);
    }
    const history = artifactSchema.parse(readJson(join(repo.dir, '.codemap', 'handoff.latest.json'))).agent_history!;
    expect(history.map((h) => [h.agent_id, h.session_id])).toEqual([['claude-code', 'cc-1']]);
  });

  it('refuses settings that are not valid JSON with exit 2 and one line, and leaves them alone', () => {
    const { repo, run } = world();
    ok(run('setup', '--agent', 'claude'), 'setup');
    const path = join(repo.dir, '.claude', 'settings.json');
    writeFileSync(path, '{ "hooks": { oops');
    const res = run('setup', '--agent', 'claude');
    expect(res.code).toBe(2);
    expect(lines(res.stderr)).toHaveLength(1);
    expect(res.stderr).toMatch(/^handoff: .*settings\.json/);
    expect(readFileSync(path, 'utf8')).toBe('{ "hooks": { oops');
  });

  it('chains an existing post-commit hook, which still runs, and refreshes the handoff in the background', async () => {
    const marker = join(scratch.dir(), 'marker.log');
    const original = ORIGINAL_POST_COMMIT(marker);
    const { repo, run } = world({ postCommit: original });
    const hooks = join(repo.dir, '.git', 'hooks');
    ok(run('setup', '--agent', 'git'), 'setup --agent git');
    expect(readFileSync(join(hooks, 'post-commit.pre-handoff'), 'utf8')).toBe(original);
    expect(readFileSync(join(hooks, 'post-commit'), 'utf8')).not.toBe(original);

    repo.write({ 'src/next.ts': 'export const next = 2;\n' });
    const commit = repo.commit('next');
    expect(execGit(repo.dir, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(readFileSync(marker, 'utf8')).toBe('post-commit ran\n');

    // The background refresh saves a handoff for the new commit.
    const latest = join(repo.dir, '.codemap', 'handoff.latest.json');
    const deadline = Date.now() + 10_000;
    let head: string | undefined;
    while (Date.now() < deadline) {
      try {
        head = artifactSchema.parse(readJson(latest)).head;
        if (
          head === commit &&
          existsSync(join(repo.dir, '.codemap', 'handoff.metrics.log')) &&
          !existsSync(join(repo.dir, '.codemap', 'handoff.lock'))
        )
          break;
      } catch {
        /* not written yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(head).toBe(commit);
    // Let the background process finish its last writes before the directory is removed.
    await new Promise((r) => setTimeout(r, 300));
  });

  it('doctor outside a git repository: a failed repository check, exit 1', () => {
    const dir = scratch.dir();
    const res = runCli(['doctor', '--json'], { cwd: dir, env: { HOME: dir } });
    expect(res.code).toBe(1);
    const doc = JSON.parse(res.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(doc.ok).toBe(false);
    expect(doc.checks[0]).toMatchObject({ name: 'repository', status: 'fail' });
  });
});
