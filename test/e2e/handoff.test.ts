// End to end, the spawned layer: a real exit status from each code family (0, 1, 2, 3),
// --debug's stack trace on a real process's stderr, and concurrent runs and stale locks.
// Markdown and the files written, one JSON document, statuses, flags, artifacts, metrics
// and corrupt files: in-process in test/cli/handoff-command.test.ts; every usage and
// not-found error: test/cli/handoff-errors-command.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact } from '../../src/schema/artifact.js';
import {
  expectFailure,
  hasSaved,
  listCodemap,
  parseWith,
  readSaved,
  runCli,
  runCliAsync,
  Scratch,
  statuses,
  type GitRepo,
} from './helpers.js';

describe('handoff: concurrent runs', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('two processes saving at once both succeed and leave every file parseable', async () => {
    const repo = scratch.repo({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/a.ts': 'export const a = 2;\n', 'src/c.ts': 'export const c = 1;\n' });
    const runs = await Promise.all([
      runCliAsync(['--json'], { cwd: repo.dir }),
      runCliAsync(['--json'], { cwd: repo.dir }),
      runCliAsync([], { cwd: repo.dir }),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    // Only the markdown run notes what it wrote, on stderr.
    expect(runs.map((r) => r.stderr.replace(/^Wrote \.codemap\/.*\n$/, 'Wrote'))).toEqual(['', '', 'Wrote']);
    const [one, two] = runs.map((r) => r.stdout);
    expect(parseWith(artifact, one ?? '').combined_hash).toBe(parseWith(artifact, two ?? '').combined_hash);
    const saved = readSaved(repo.dir);
    expect(saved.metrics).toHaveLength(3);
    expect(statuses(saved.latest)).toEqual({ 'src/a.ts': 'modified', 'src/c.ts': 'untracked' });
    const leftovers = listCodemap(repo.dir).filter((f) => f.endsWith('.tmp') || f.includes('lock'));
    expect(leftovers).toEqual([]);
  });

  it('takes over a lock left by a process that is gone', () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.write({ 'b.txt': 'b\n' });
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    const lock = join(repo.dir, '.codemap', 'handoff.lock');
    writeFileSync(lock, JSON.stringify({ pid: dead, host: hostname(), token: 'dead' }));
    const res = runCli([], { cwd: repo.dir });
    expect(res.code, res.stderr).toBe(0);
    expect(readSaved(repo.dir).metrics).toHaveLength(1);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over an old lock it cannot read', () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    const lock = join(repo.dir, '.codemap', 'handoff.lock');
    writeFileSync(lock, 'garbage');
    const hourAgo = Date.now() / 1000 - 3600;
    utimesSync(lock, hourAgo, hourAgo);
    const res = runCli([], { cwd: repo.dir });
    expect(res.code, res.stderr).toBe(0);
    expect(hasSaved(repo.dir)).toBe(true);
  });
});

describe('handoff: exit codes', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  beforeAll(() => {
    repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
  });
  afterAll(() => scratch.cleanup());

  it('0: a normal run, --help and --version', () => {
    expect(runCli(['--no-save'], { cwd: repo.dir }).code).toBe(0);
    const help = runCli(['--help'], { cwd: repo.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--detail');
    const version = runCli(['--version'], { cwd: repo.dir });
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/\d+\.\d+\.\d+/);
  });

  it('2: an unknown flag', () => {
    expectFailure(runCli(['--no-save', '--frobnicate'], { cwd: repo.dir }), 2, /frobnicate/);
  });

  it('2: --debug adds a stack trace to an error', () => {
    const res = runCli(['--ref', 'no-such-ref', '--debug'], { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')[0]).toMatch(/^handoff: .*no-such-ref/);
    expect(res.stderr).toMatch(/^\s+at /m);
  });

  it('3: --detail of a file not in the delta', () => {
    expectFailure(runCli(['--no-save', '--detail', 'a.txt'], { cwd: repo.dir }), 3, /b\.txt/);
  });

  it('1: a git failure (no merge-base with an unrelated history)', () => {
    const other = scratch.repo({ 'x.txt': 'x\n' });
    repo.git('fetch', '-q', other.dir, 'main:unrelated');
    expectFailure(runCli(['--no-save', '--ref', 'unrelated'], { cwd: repo.dir }), 1, /merge-base/);
    expect(hasSaved(repo.dir)).toBe(false);
  });
});
