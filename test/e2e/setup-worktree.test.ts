// `handoff setup --agent codex` in a linked worktree, through the built CLI. Codex reads the
// primary checkout's .codex/hooks.json there only when the worktree has a .codex/ folder of
// its own (test/agents/codex-worktree.test.ts shows it with the real app-server): setup
// creates that folder, `--remove` takes away only the one it made, and doctor warns when
// it is missing. Each test failed before the fix.
import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execGit, runCli, Scratch, type CliResult } from './helpers.js';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

describe('setup --agent codex in a linked worktree (item 16 follow-up)', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  const world = () => {
    const repo = scratch.repo({ 'README.md': '# r\n' });
    const home = scratch.dir('handoff-home-');
    const worktree = join(scratch.dir(), 'linked wt');
    execGit(repo.dir, 'worktree', 'add', '-q', '-b', 'side', worktree);
    const env = { HOME: home, CODEX_HOME: join(home, '.codex') };
    const run = (cwd: string, ...args: string[]): CliResult => runCli(args, { cwd, env });
    const check = (cwd: string, name: string): Check | undefined =>
      (JSON.parse(run(cwd, 'doctor', '--json').stdout) as { checks: Check[] }).checks.find((c) => c.name === name);
    return { main: repo.dir, worktree, run, check };
  };

  it('creates the worktree .codex/ (invisible to git status), doctor warns without it, --remove takes it away', () => {
    const { main, worktree, run, check } = world();
    // Installed from the primary checkout: the worktree has no .codex/, so Codex runs nothing there.
    expect(run(main, 'setup', '--agent', 'codex').code).toBe(0);
    expect(check(main, 'codex worktree')).toBeUndefined();
    const missing = check(worktree, 'codex worktree');
    expect(missing).toMatchObject({ status: 'warn', fix: expect.stringContaining('handoff setup --agent codex') });
    expect(missing!.detail).toContain(join(main, '.codex', 'hooks.json'));

    const res = run(worktree, 'setup', '--agent', 'codex');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/mkdir .codex: let Codex in this linked worktree read/);
    expect(lstatSync(join(worktree, '.codex')).isDirectory()).toBe(true);
    expect(execGit(worktree, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(check(worktree, 'codex worktree')).toMatchObject({ status: 'ok' });

    const removed = run(worktree, 'setup', '--agent', 'codex', '--remove');
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(join(worktree, '.codex'))).toBe(false);
    expect(existsSync(join(main, '.codex'))).toBe(false);
  });

  it('leaves a .codex/ the user made, empty or not, and one setup made that gained a file', () => {
    const { worktree, run } = world();
    mkdirSync(join(worktree, '.codex'));
    expect(run(worktree, 'setup', '--agent', 'codex').stdout).not.toContain('mkdir');
    expect(run(worktree, 'setup', '--agent', 'codex', '--remove').code).toBe(0);
    expect(lstatSync(join(worktree, '.codex')).isDirectory()).toBe(true);

    const other = world();
    expect(other.run(other.worktree, 'setup', '--agent', 'codex').code).toBe(0);
    writeFileSync(join(other.worktree, '.codex', 'config.toml'), 'x = 1\n');
    expect(other.run(other.worktree, 'setup', '--agent', 'codex', '--remove').code).toBe(0);
    expect(existsSync(join(other.worktree, '.codex', 'config.toml'))).toBe(true);
  });
});
