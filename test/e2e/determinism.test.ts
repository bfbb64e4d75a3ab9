// End to end: the same repository state gives byte-identical artifacts and hashes,
// whatever the checkout's absolute path, time zone, locale or file creation order; and
// the prefix depends only on the base commit, never on the working tree.
import { readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, deltaFile, prefixFile } from '../../src/schema/artifact.js';
import {
  FIXED_NOW,
  FIXTURE_EPOCH,
  fixtureTime,
  handoffJson,
  parseWith,
  readSaved,
  runCli,
  runJson,
  Scratch,
  statuses,
  type GitRepo,
  type SavedHandoff,
} from './helpers.js';

// Every line but the import names the file, so git never pairs two of them as a rename.
const importsHub = (name: string): string =>
  `import { hub } from './hub.js';\nexport const ${name} = hub;\nexport const ${name}Label = '${name}';\nexport const ${name}Twice = ${name} * 2;\n`;
const body = (name: string): string =>
  Array.from({ length: 6 }, (_, i) => `export const ${name}${i} = '${name}-${i}';\n`).join('');

/** Two environments as different as a machine can make them. */
const ENV_A = { HANDOFF_NOW: fixtureTime(3600), TZ: 'UTC', LC_ALL: 'C', LANG: 'C' };
const ENV_B = { HANDOFF_NOW: fixtureTime(3600), TZ: 'Pacific/Chatham', LC_ALL: 'tr_TR.UTF-8', LANG: 'tr_TR.UTF-8' };

function expectIdentical(a: SavedHandoff, b: SavedHandoff): void {
  expect(b.bytes.latest).toBe(a.bytes.latest);
  expect(b.bytes.prefix).toBe(a.bytes.prefix);
  expect(b.bytes.delta).toBe(a.bytes.delta);
  expect(b.bytes.metrics).toBe(a.bytes.metrics);
  expect([b.latest.prefix_hash, b.latest.delta_hash, b.latest.combined_hash]).toEqual([
    a.latest.prefix_hash,
    a.latest.delta_hash,
    a.latest.combined_hash,
  ]);
}

function expectNoMachinePaths(saved: SavedHandoff, ...dirs: string[]): void {
  for (const text of Object.values(saved.bytes)) {
    for (const dir of [...dirs, tmpdir()]) expect(text).not.toContain(dir);
  }
}

describe('determinism: two clones at different paths', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let cloneA: GitRepo;
  let cloneB: GitRepo;

  beforeAll(() => {
    const source = scratch.repo({
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
      'src/old-name.ts': body('oldName'),
      'src/gone.ts': body('gone'),
      'src/keep.ts': body('keep'),
      'src/stage-me.ts': body('stageMe'),
      'src/rename-me.ts': body('renameMe'),
      'docs/guide.md': '# guide\n',
      'pkg/mod.py': 'import os\n',
    });
    source.git('checkout', '-q', '-b', 'feat');
    source.write({ 'src/hub.ts': 'export const hub = 2;\n', 'src/new.ts': importsHub('n') });
    source.git('mv', 'src/old-name.ts', 'src/new-name.ts');
    source.remove('src/gone.ts');
    source.commit('feature');
    source.write({ 'docs/guide.md': '# guide, edited\n' });
    source.commit('docs');
    source.git('checkout', '-q', 'main');

    cloneA = scratch.clone(source, { dir: join(scratch.dir('a-'), 'clone') });
    cloneB = scratch.clone(source, {
      dir: join(scratch.dir('a-much-longer-prefix-'), 'deeply', 'nested', 'other name'),
    });
    for (const clone of [cloneA, cloneB]) clone.git('checkout', '-q', 'feat');
  });
  afterAll(() => scratch.cleanup());

  it('committed state: byte-identical artifacts and hashes', () => {
    const ra = runCli([], { cwd: cloneA.dir, env: ENV_A });
    const rb = runCli([], { cwd: cloneB.dir, env: ENV_B });
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const a = readSaved(cloneA.dir);
    const b = readSaved(cloneB.dir);
    expectIdentical(a, b);
    expectNoMachinePaths(a, cloneA.dir, cloneB.dir);
    expect(a.latest.base_ref).toBe('origin/main');
    expect(statuses(a.latest)).toEqual({
      'docs/guide.md': 'branch',
      'src/gone.ts': 'deleted',
      'src/hub.ts': 'branch',
      'src/new-name.ts': 'renamed',
      'src/new.ts': 'branch',
    });
    // Markdown is the same too (the paths written are relative).
    expect(rb.stdout).toBe(ra.stdout);
  });

  it('identical edits with identical mtimes: byte-identical again, created in any order', () => {
    const mtime = FIXTURE_EPOCH + 3000;
    const untracked = ['notes/z.txt', 'notes/a.txt', 'notes/m.md', 'Zeta.txt', 'alpha.txt'];
    const edit = (clone: GitRepo, order: 'forward' | 'reverse'): void => {
      clone.write({ 'src/keep.ts': body('keepEdited') });
      clone.write({ 'src/stage-me.ts': body('stageMeEdited') });
      clone.git('add', 'src/stage-me.ts');
      clone.git('mv', 'src/rename-me.ts', 'src/renamed.ts');
      clone.git('rm', '-q', 'src/c.ts');
      const files = order === 'forward' ? untracked : [...untracked].reverse();
      for (const f of files) clone.write({ [f]: `content of ${f}\n` });
      for (const f of ['src/keep.ts', 'src/stage-me.ts', 'src/renamed.ts', ...untracked])
        utimesSync(join(clone.dir, f), mtime, mtime);
    };
    edit(cloneA, 'forward');
    edit(cloneB, 'reverse');
    const before = readSaved(cloneA.dir).latest;

    expect(runCli([], { cwd: cloneA.dir, env: ENV_A }).code).toBe(0);
    expect(runCli([], { cwd: cloneB.dir, env: ENV_B }).code).toBe(0);
    const a = readSaved(cloneA.dir);
    const b = readSaved(cloneB.dir);
    expectIdentical(a, b);
    expectNoMachinePaths(a, cloneA.dir, cloneB.dir);
    expect(a.latest.prefix_hash).toBe(before.prefix_hash);
    expect(a.latest.delta_hash).not.toBe(before.delta_hash);
    expect(statuses(a.latest)).toMatchObject({
      'src/keep.ts': 'modified',
      'src/stage-me.ts': 'staged',
      'src/renamed.ts': 'renamed',
      'src/c.ts': 'deleted',
      'notes/a.txt': 'untracked',
      'Zeta.txt': 'untracked',
    });
    const edits = a.latest.delta.recent_events.filter((e) => e.op === 'edit');
    expect(edits.length).toBeGreaterThan(0);
    for (const e of edits) expect(e.time).toBe(new Date(mtime * 1000).toISOString().replace('.000Z', 'Z'));

    // Reruns change nothing, in either clone.
    expect(runCli([], { cwd: cloneA.dir, env: { ...ENV_A, HANDOFF_NOW: fixtureTime(4000) } }).code).toBe(0);
    expect(runCli([], { cwd: cloneB.dir, env: { ...ENV_B, HANDOFF_NOW: fixtureTime(4000) } }).code).toBe(0);
    expectIdentical(readSaved(cloneA.dir), readSaved(cloneB.dir));
    expect(readSaved(cloneA.dir).bytes.prefix).toBe(a.bytes.prefix);
    expect(readSaved(cloneA.dir).bytes.delta).toBe(a.bytes.delta);
  });
});

describe('determinism: repeated runs and caches', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('a cold run (caches removed) and a warm run give the same JSON', () => {
    const repo = scratch.repo({
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
    });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/hub.ts': 'export const hub = 2;\n', 'src/d.ts': importsHub('d') });
    const env = { HANDOFF_NOW: fixtureTime(3600) };
    const cold = runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    const warm = runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(warm.stdout).toBe(cold.stdout);
    rmSync(join(repo.dir, '.codemap', 'cache'), { recursive: true, force: true });
    expect(runCli(['--json', '--no-save'], { cwd: repo.dir, env }).stdout).toBe(cold.stdout);
  });

  it('corrupt or truncated cache files are misses, never errors or wrong answers', () => {
    const repo = scratch.repo({
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
    });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/hub.ts': 'export const hub = 2;\n', 'src/d.ts': importsHub('d') });
    const env = { HANDOFF_NOW: fixtureTime(3600) };
    const reference = runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(reference.code).toBe(0);
    const cacheDir = join(repo.dir, '.codemap', 'cache');
    const files = readdirSync(cacheDir).map((f) => join(cacheDir, f));
    expect(files.length).toBeGreaterThan(0);
    const damage: [string, (b: Buffer) => Buffer][] = [
      ['garbage', () => Buffer.from('garbage\n')],
      ['truncated', (b) => b.subarray(0, Math.floor(b.length / 2))],
      ['flipped bytes', (b) => Buffer.from(b.map((x, i) => (i % 3 === 0 ? x ^ 0x5a : x)))],
      ['wrong shape', () => Buffer.from('{"schema_version": 1, "entries": 7}\n')],
    ];
    for (const [what, corrupt] of damage) {
      const originals = files.map((f) => readFileSync(f));
      files.forEach((f, i) => writeFileSync(f, corrupt(originals[i] ?? Buffer.alloc(0))));
      const res = runCli(['--json', '--no-save'], { cwd: repo.dir, env });
      expect(res.code, `${what}: ${res.stderr}`).toBe(0);
      expect(res.stdout, what).toBe(reference.stdout);
      rmSync(cacheDir, { recursive: true, force: true });
      expect(runCli(['--json', '--no-save'], { cwd: repo.dir, env }).code).toBe(0);
    }
  });

  it('a cache from another checkout location does not leak into the result', () => {
    const repo = scratch.repo({ 'src/x.ts': 'export const x = 1;\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/x.ts': 'export const x = 2;\n' });
    const env = { HANDOFF_NOW: fixtureTime(3600) };
    const first = runJson(deltaFile, ['--delta', '--no-save'], { cwd: repo.dir, env });
    const moved = join(scratch.dir(), 'moved');
    renameSync(repo.dir, moved);
    const after = runJson(deltaFile, ['--delta', '--no-save'], { cwd: moved, env });
    expect(after).toEqual(first);
  });
});

describe("determinism: the user's git configuration", { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  // Settings people really have in ~/.gitconfig; none of them changes the repository state.
  const USER_CONFIG: Record<string, [string, string][]> = {
    'display and path settings': [
      ['color.ui', 'always'],
      ['color.status', 'always'],
      ['color.diff', 'always'],
      ['core.quotePath', 'true'],
      ['status.showUntrackedFiles', 'no'],
      ['status.relativePaths', 'true'],
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['diff.relative', 'true'],
      ['diff.external', 'false'],
      ['log.showSignature', 'true'],
      ['log.decorate', 'full'],
    ],
    'diff.renames=false': [['diff.renames', 'false']],
    'status.renames=false': [['status.renames', 'false']],
  };

  function renameRepo(): GitRepo {
    const repo = scratch.repo({
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
      'src/committed-rename.ts': body('committedRename'),
      'src/staged-rename.ts': body('stagedRename'),
      'sub/dir/file.txt': 'x\n',
    });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.git('mv', 'src/committed-rename.ts', 'src/committed-renamed.ts');
    repo.write({ 'src/hub.ts': 'export const hub = 2;\n' });
    repo.commit('rename');
    repo.git('mv', 'src/staged-rename.ts', 'src/staged-renamed.ts');
    repo.write({ 'naïve file.txt': 'u\n', 'sub/dir/file.txt': 'y\n' });
    return repo;
  }

  it.each(Object.keys(USER_CONFIG))('%s do(es) not change the artifact', (name) => {
    const repo = renameRepo();
    const env = { HANDOFF_NOW: fixtureTime(3600) };
    const plain = runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(plain.code).toBe(0);
    for (const [key, value] of USER_CONFIG[name] ?? []) repo.git('config', key, value);
    const configured = runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(configured.stderr).toBe('');
    expect(configured.code).toBe(0);
    expect(statuses(parseWith(artifact, configured.stdout))).toEqual(statuses(parseWith(artifact, plain.stdout)));
    expect(configured.stdout).toBe(plain.stdout);
  });
});

describe('determinism: the prefix depends only on the base commit', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let prefixHash: string;
  let prefixBytes: string;
  const env = (s: number): { HANDOFF_NOW: string } => ({ HANDOFF_NOW: fixtureTime(s) });

  beforeAll(() => {
    repo = scratch.repo({
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
      'lib/tool.py': 'import os\n',
    });
    repo.git('checkout', '-q', '-b', 'feat');
    const first = handoffJson([], { cwd: repo.dir, env: env(3600) });
    prefixHash = first.prefix_hash;
    prefixBytes = JSON.stringify(first.prefix);
  });
  afterAll(() => scratch.cleanup());

  it('working-tree edits, staging, deletions and new files leave the prefix as it was', () => {
    repo.write({
      'src/hub.ts': 'export const hub = 3;\n',
      'src/d.ts': importsHub('d'),
      'src/e.ts': importsHub('e'),
      'lib/more.py': 'import sys\n',
      'src/a.ts': 'export const a = 0;\n',
    });
    repo.git('add', 'src/d.ts');
    repo.remove('src/b.ts');
    const a = handoffJson([], { cwd: repo.dir, env: env(4000) });
    expect(a.prefix_hash).toBe(prefixHash);
    expect(JSON.stringify(a.prefix)).toBe(prefixBytes);
    expect(a.prefix.hubs).toEqual([{ path: 'src/hub.ts', importers: 3 }]);
    expect(a.metrics.prefix_reused).toBe(true);
    const p = runJson(prefixFile, ['--prefix', '--no-save'], { cwd: repo.dir, env: env(4000) });
    expect(p.prefix_hash).toBe(prefixHash);
  });

  it('commits on the branch leave the prefix as it was', () => {
    repo.commit('feature commit');
    writeFileSync(join(repo.dir, 'src', 'f.ts'), importsHub('f'));
    const a = handoffJson([], { cwd: repo.dir, env: env(5000) });
    expect(a.prefix_hash).toBe(prefixHash);
    expect(a.metrics.prefix_reused).toBe(true);
    expect(statuses(a)).toMatchObject({ 'src/hub.ts': 'branch', 'src/b.ts': 'deleted', 'src/f.ts': 'untracked' });
  });

  it('the prefix changes when the base moves', () => {
    repo.remove('src/f.ts');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'src/g.ts': importsHub('g') });
    repo.commit('main moves');
    repo.git('checkout', '-q', 'feat');
    repo.git('merge', '-q', '--no-edit', 'main');
    const a = handoffJson(['--no-save'], { cwd: repo.dir, env: env(6000) });
    expect(a.prefix_hash).not.toBe(prefixHash);
    expect(a.prefix.hubs).toEqual([{ path: 'src/hub.ts', importers: 4 }]);
    expect(a.metrics.prefix_reused).toBe(false);
  });
});

describe('determinism: file times and the clock stay out of the hashes', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('the same edits made at different times in two clones give the same hashes', () => {
    const origin = scratch.repo({ 'src/a.ts': 'export const a = 1;\n', 'README.md': '# r\n' });
    const first = scratch.clone(origin);
    const second = scratch.clone(origin);
    for (const [clone, when] of [
      [first, 1_700_000_000],
      [second, 1_700_050_000],
    ] as const) {
      writeFileSync(join(clone.dir, 'src/a.ts'), 'export const a = 2;\n');
      utimesSync(join(clone.dir, 'src/a.ts'), when, when);
    }
    const env = { HANDOFF_NOW: '2023-11-15T00:00:00Z' };
    const a = runJson(artifact, ['--json', '--no-save', '--since', '30d'], { cwd: first.dir, env });
    const b = runJson(artifact, ['--json', '--no-save', '--since', '30d'], { cwd: second.dir, env });
    expect(a.recent_events).not.toEqual(b.recent_events);
    expect([a.prefix_hash, a.delta_hash, a.combined_hash]).toEqual([b.prefix_hash, b.delta_hash, b.combined_hash]);
  });

  it('touching a file without changing it, or moving the clock, does not change the delta hash', () => {
    const repo = scratch.repo({ 'src/a.ts': 'export const a = 1;\n' });
    writeFileSync(join(repo.dir, 'src/a.ts'), 'export const a = 2;\n');
    const before = runJson(artifact, ['--json', '--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
    const past = Date.parse(FIXED_NOW) / 1000 - 7200;
    utimesSync(join(repo.dir, 'src/a.ts'), past, past);
    const later = new Date(Date.parse(FIXED_NOW) + 86_400_000).toISOString();
    const after = runJson(artifact, ['--json', '--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: later } });
    expect(after.delta_hash).toBe(before.delta_hash);
  });
});
