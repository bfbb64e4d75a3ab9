// `handoff` errors through the whole CLI in-process (test/support/in-process.ts): each usage
// error (2) and not-found (3) gives its code and one `handoff: ` line naming what was wrong,
// and a failed run writes nothing. A real exit status from each family, the git failure (1)
// and --debug's stack trace: test/e2e/handoff.test.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, Scratch, type GitRepo } from '../e2e/helpers.js';
import { runInProcess as runCli } from '../support/in-process.js';

describe('handoff: exit codes', () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let notRepo: string;
  beforeAll(() => {
    repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
    notRepo = scratch.dir();
    writeFileSync(join(notRepo, 'file.txt'), 'x\n');
  });
  afterAll(() => scratch.cleanup());

  it.each([
    ['an unknown flag', ['--frobnicate'], /frobnicate/],
    ['an invalid --since', ['--since', 'soon'], /soon/],
    ['a negative-looking --since', ['--since', '-5m'], undefined],
    ['--prefix with --delta', ['--prefix', '--delta'], undefined],
    ['a --ref that names nothing', ['--ref', 'no-such-branch'], /no-such-branch/],
    ['a --base that names nothing', ['--base', 'no-such-branch'], /no-such-branch/],
    ['--detail outside the repository', ['--detail', '../../x.ts'], undefined],
    ['an unknown schema', ['schema', 'bogus'], /bogus/],
  ])('2: %s', async (_what, args, mention) => {
    const res = await runCli(['--no-save', ...(args as string[])], { cwd: repo.dir });
    expectFailure(res, 2, mention as RegExp | undefined);
  });

  it('2: an unknown schema name outside a repository', async () => {
    expectFailure(await runCli(['schema', 'nope'], { cwd: scratch.dir() }), 2, /nope/);
  });

  it('2: not a git repository', async () => {
    expectFailure(await runCli([], { cwd: notRepo }), 2, /not a git repository/i);
    expectFailure(await runCli(['--json'], { cwd: notRepo }), 2);
    expectFailure(await runCli(['-C', notRepo], { cwd: repo.dir }), 2);
    expect(existsSync(join(notRepo, '.codemap'))).toBe(false);
  });

  it('2: a [path] or -C directory that does not exist', async () => {
    expectFailure(await runCli(['--no-save', 'no/such/dir'], { cwd: repo.dir }), 2, /no\/such\/dir/);
    const missing = join(repo.dir, 'missing-dir');
    expectFailure(await runCli(['--no-save', '-C', missing], { cwd: repo.dir }), 2, /missing-dir/);
  });

  it('2: a [path] that is a file, not a directory', async () => {
    expectFailure(await runCli(['--no-save', 'a.txt'], { cwd: repo.dir }), 2, /a\.txt/);
  });

  it('2: an invalid .codemap/config.json, naming the file', async () => {
    const bad = scratch.repo({ 'a.txt': 'a\n' });
    mkdirSync(join(bad.dir, '.codemap'), { recursive: true });
    writeFileSync(join(bad.dir, '.codemap', 'config.json'), '{"ignore": "not-a-list"}\n');
    expectFailure(await runCli([], { cwd: bad.dir }), 2, /config\.json/);
  });

  it('3: --detail of a file not in the delta, --latest with nothing saved', async () => {
    expectFailure(await runCli(['--no-save', '--detail', 'a.txt'], { cwd: repo.dir }), 3, /b\.txt/);
    expectFailure(await runCli(['--latest'], { cwd: repo.dir }), 3);
    expectFailure(await runCli(['--latest', '--detail', 'b.txt'], { cwd: repo.dir }), 3);
  });
});
