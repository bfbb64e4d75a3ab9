// Issue 7 for `handoff setup` through the built CLI: the exit status and the one-line,
// stack-trace-free stderr of a real process when setup refuses what it must not change
// (exit 2: a hooks value of the wrong shape, item 11; exit 1: a committed .codemap symlink).
// The rest (doctor never starting what a repository names, contexts visible to the viewer,
// a user's file kept byte for byte, read-only files, --nudge, linked worktrees,
// CODEX_HOME / CLAUDE_CONFIG_DIR) moved in-process: test/cli/setup-command.test.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tree } from '../../fixtures/git-repo.js';
import { expectFailure, runCli, Scratch, type CliResult } from './helpers.js';

describe('setup refusing a hostile repository, as a real process', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  const world = (tree: Tree = {}): { dir: string; run: (...args: string[]) => CliResult } => {
    const repo = scratch.repo({ 'README.md': '# r\n', ...tree });
    const home = scratch.dir('handoff-home-');
    return { dir: repo.dir, run: (...args) => runCli(args, { cwd: repo.dir, env: { HOME: home } }) };
  };

  it('refuses a hooks value of the wrong shape with exit 2, for setup and remove, file untouched (item 11)', () => {
    const text = '{ "hooks": { "Stop": "echo hi" }, "model": "opus" }\n';
    const { dir, run } = world({ '.claude/settings.json': text });
    for (const args of [[], ['--remove']]) {
      expectFailure(run('setup', '--agent', 'claude', ...args), 2, /hooks\.Stop is not an array/);
      expect(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')).toBe(text);
    }
  });

  it("a committed .codemap symlink cannot send setup's backup outside the repository: exit 1", () => {
    const outside = scratch.dir('outside-');
    const text = '{\n  "model": "opus"\n}\n';
    const { dir, run } = world({ '.claude/settings.json': text, '.codemap': { symlink: outside } });
    expectFailure(run('setup', '--agent', 'claude,git'), 1, /\.codemap in .* is a symlink/);
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')).toBe(text);
    expect(existsSync(join(dir, '.git', 'hooks', 'post-commit'))).toBe(false);
  });
});
