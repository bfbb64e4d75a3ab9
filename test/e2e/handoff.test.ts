// End to end, the spawned layer: the built CLI's streams (markdown and the files written,
// one JSON document, --debug's stack), concurrent runs and stale locks, and every exit code.
// Statuses, flags, artifacts, metrics and corrupt files are checked in-process in
// test/cli/handoff-command.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importsHub, statusesRepo } from '../../fixtures/statuses-repo.js';
import { artifact, type Artifact } from '../../src/schema/artifact.js';
import {
  expectFailure,
  FIXED_NOW,
  handoffJson,
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

describe('handoff: change statuses and exclusions', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let result: Artifact;

  beforeAll(() => {
    repo = statusesRepo((tree) => scratch.repo(tree));
    result = handoffJson(['--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
  });
  afterAll(() => scratch.cleanup());

  it('prints markdown and the files written, and keeps .codemap out of git status via info/exclude', () => {
    const statusBefore = repo.git('status', '--porcelain', '--untracked-files=all');
    const res = runCli([], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
    expect(res.code).toBe(0);
    const files = ['latest.json', 'prefix.json', 'delta.json', 'metrics.log', 'detail.json'].map(
      (f) => `.codemap/handoff.${f}`,
    );
    expect(res.stderr).toBe(`Wrote ${files.join(', ')}\n`);
    expect(res.stdout).toContain('# Handoff: feat → main');
    expect(res.stdout).toMatch(/`renamed` src\/renamed\.ts ← src\/to-rename\.ts/);
    expect(res.stdout).toContain('`untracked` notes.txt');
    expect(res.stdout).not.toContain('\x1b[');
    const saved = readSaved(repo.dir);
    expect(statuses(saved.latest)).toEqual(statuses(result));
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe(statusBefore);
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).not.toContain('.codemap/handoff');
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toBe('ignored.txt\n');
    const exclude = readFileSync(join(repo.dir, '.git', 'info', 'exclude'), 'utf8');
    expect(exclude).toContain('.codemap');
    // A second run does not add the block again.
    expect(runCli(['--no-save'], { cwd: repo.dir }).code).toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'info', 'exclude'), 'utf8')).toBe(exclude);
  });
});

describe('handoff: output flags', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  const env = { HANDOFF_NOW: FIXED_NOW };

  beforeAll(() => {
    repo = scratch.repo({
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
      'README.md': '# r\n',
    });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/hub.ts': 'export const hub = 2;\n' });
    repo.commit('hub');
    repo.write({
      'src/a.ts': `import { hub } from './hub.js';\nimport { util } from './util.js';\nexport const a = hub + util;\n`,
      'src/util.ts': 'export const util = 1;\n',
    });
  });
  afterAll(() => scratch.cleanup());

  it('--json writes exactly one document on stdout and nothing on stderr', () => {
    const res = runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout.endsWith('}\n')).toBe(true);
    expect(res.stdout).not.toContain('Wrote');
    const doc = parseWith(artifact, res.stdout);
    expect(doc.generated_at).toBe(FIXED_NOW);
  });

  it('--latest exits 3 before anything was saved', () => {
    expectFailure(runCli(['--latest'], { cwd: repo.dir }), 3, /saved handoff/);
    expectFailure(runCli(['--latest', '--json'], { cwd: repo.dir }), 3);
  });

  it('--debug adds a stack trace to an error', () => {
    const res = runCli(['--ref', 'no-such-ref', '--debug'], { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')[0]).toMatch(/^handoff: .*no-such-ref/);
    expect(res.stderr).toMatch(/^\s+at /m);
  });
});

describe('handoff schema', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('exits 2 for an unknown schema name', () => {
    expectFailure(runCli(['schema', 'nope'], { cwd: scratch.dir() }), 2, /nope/);
  });
});

describe('handoff: corrupt and unreadable files', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('an invalid .codemap/config.json exits 2 naming the file', () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    writeFileSync(join(repo.dir, '.codemap', 'config.json'), '{"ignore": "not-a-list"}\n');
    expectFailure(runCli([], { cwd: repo.dir }), 2, /config\.json/);
  });
});

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
  let notRepo: string;
  beforeAll(() => {
    repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
    notRepo = scratch.dir();
    writeFileSync(join(notRepo, 'file.txt'), 'x\n');
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

  it.each([
    ['an unknown flag', ['--frobnicate'], /frobnicate/],
    ['an invalid --since', ['--since', 'soon'], /soon/],
    ['a negative-looking --since', ['--since', '-5m'], undefined],
    ['--prefix with --delta', ['--prefix', '--delta'], undefined],
    ['a --ref that names nothing', ['--ref', 'no-such-branch'], /no-such-branch/],
    ['a --base that names nothing', ['--base', 'no-such-branch'], /no-such-branch/],
    ['--detail outside the repository', ['--detail', '../../x.ts'], undefined],
    ['an unknown schema', ['schema', 'bogus'], /bogus/],
  ])('2: %s', (_what, args, mention) => {
    expectFailure(runCli(['--no-save', ...(args as string[])], { cwd: repo.dir }), 2, mention as RegExp | undefined);
  });

  it('2: not a git repository', () => {
    expectFailure(runCli([], { cwd: notRepo }), 2, /not a git repository/i);
    expectFailure(runCli(['--json'], { cwd: notRepo }), 2);
    expectFailure(runCli(['-C', notRepo], { cwd: repo.dir }), 2);
    expect(existsSync(join(notRepo, '.codemap'))).toBe(false);
  });

  it('2: a [path] or -C directory that does not exist', () => {
    expectFailure(runCli(['--no-save', 'no/such/dir'], { cwd: repo.dir }), 2, /no\/such\/dir/);
    expectFailure(runCli(['--no-save', '-C', join(repo.dir, 'missing-dir')], { cwd: repo.dir }), 2, /missing-dir/);
  });

  it('2: a [path] that is a file, not a directory', () => {
    expectFailure(runCli(['--no-save', 'a.txt'], { cwd: repo.dir }), 2, /a\.txt/);
  });

  it('3: --detail of a file not in the delta, --latest with nothing saved', () => {
    expectFailure(runCli(['--no-save', '--detail', 'a.txt'], { cwd: repo.dir }), 3, /b\.txt/);
    expectFailure(runCli(['--latest'], { cwd: repo.dir }), 3);
    expectFailure(runCli(['--latest', '--detail', 'b.txt'], { cwd: repo.dir }), 3);
  });

  it('1: a git failure (no merge-base with an unrelated history)', () => {
    const other = scratch.repo({ 'x.txt': 'x\n' });
    repo.git('fetch', '-q', other.dir, 'main:unrelated');
    expectFailure(runCli(['--no-save', '--ref', 'unrelated'], { cwd: repo.dir }), 1, /merge-base/);
    expect(hasSaved(repo.dir)).toBe(false);
  });
});
