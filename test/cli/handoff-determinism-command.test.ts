// The same repository state gives the same artifacts and hashes, through the whole CLI
// in-process (test/support/in-process.ts): warm and cold caches, damaged caches, a moved
// checkout, the user's git configuration, a prefix that depends only on the base commit,
// and file times and the clock kept out of the hashes. Two clones under different paths,
// time zones and locales (the process's own): test/e2e/determinism.test.ts.
import { readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, deltaFile, prefixFile } from '../../src/schema/artifact.js';
import { FIXED_NOW, fixtureTime, parseWith, Scratch, statuses, type GitRepo } from '../e2e/helpers.js';
import { body, importsHub } from '../support/handoff-trees.js';
import {
  handoffJsonInProcess as handoffJson,
  runInProcess as runCli,
  runJsonInProcess as runJson,
} from '../support/in-process.js';

/** A hub imported by three files, changed on branch feat beside a new importer. */
function hubChangedOnFeature(scratch: Scratch): GitRepo {
  const repo = scratch.repo({
    'src/hub.ts': 'export const hub = 1;\n',
    'src/a.ts': importsHub('a'),
    'src/b.ts': importsHub('b'),
    'src/c.ts': importsHub('c'),
  });
  repo.git('checkout', '-q', '-b', 'feat');
  repo.write({ 'src/hub.ts': 'export const hub = 2;\n', 'src/d.ts': importsHub('d') });
  return repo;
}

describe('determinism: repeated runs and caches', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('a cold run (caches removed) and a warm run give the same JSON', async () => {
    const repo = hubChangedOnFeature(scratch);
    const env = { HANDOFF_NOW: fixtureTime(3600) };
    const cold = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    const warm = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(warm.stdout).toBe(cold.stdout);
    rmSync(join(repo.dir, '.codemap', 'cache'), { recursive: true, force: true });
    expect((await runCli(['--json', '--no-save'], { cwd: repo.dir, env })).stdout).toBe(cold.stdout);
  });

  it('corrupt or truncated cache files are misses, never errors or wrong answers', async () => {
    const repo = hubChangedOnFeature(scratch);
    const env = { HANDOFF_NOW: fixtureTime(3600) };
    const reference = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
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
      const res = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
      expect(res.code, `${what}: ${res.stderr}`).toBe(0);
      expect(res.stdout, what).toBe(reference.stdout);
      rmSync(cacheDir, { recursive: true, force: true });
      expect((await runCli(['--json', '--no-save'], { cwd: repo.dir, env })).code).toBe(0);
    }
  });

  it('a cache from another checkout location does not leak into the result', async () => {
    const repo = scratch.repo({ 'src/x.ts': 'export const x = 1;\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/x.ts': 'export const x = 2;\n' });
    const env = { HANDOFF_NOW: fixtureTime(3600) };
    const first = await runJson(deltaFile, ['--delta', '--no-save'], { cwd: repo.dir, env });
    const moved = join(scratch.dir(), 'moved');
    renameSync(repo.dir, moved);
    const after = await runJson(deltaFile, ['--delta', '--no-save'], { cwd: moved, env });
    expect(after).toEqual(first);
  });
});

describe("determinism: the user's git configuration", () => {
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

  it.each(Object.keys(USER_CONFIG))('%s do(es) not change the artifact', async (name) => {
    const repo = renameRepo();
    const env = { HANDOFF_NOW: fixtureTime(3600) };
    const plain = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(plain.code).toBe(0);
    for (const [key, value] of USER_CONFIG[name] ?? []) repo.git('config', key, value);
    const configured = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(configured.stderr).toBe('');
    expect(configured.code).toBe(0);
    expect(statuses(parseWith(artifact, configured.stdout))).toEqual(statuses(parseWith(artifact, plain.stdout)));
    expect(configured.stdout).toBe(plain.stdout);
  });
});

describe('determinism: the prefix depends only on the base commit', () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let prefixHash: string;
  let prefixBytes: string;
  const env = (s: number): { HANDOFF_NOW: string } => ({ HANDOFF_NOW: fixtureTime(s) });

  beforeAll(async () => {
    repo = scratch.repo({
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
      'lib/tool.py': 'import os\n',
    });
    repo.git('checkout', '-q', '-b', 'feat');
    const first = await handoffJson([], { cwd: repo.dir, env: env(3600) });
    prefixHash = first.prefix_hash;
    prefixBytes = JSON.stringify(first.prefix);
  });
  afterAll(() => scratch.cleanup());

  it('working-tree edits, staging, deletions and new files leave the prefix as it was', async () => {
    repo.write({
      'src/hub.ts': 'export const hub = 3;\n',
      'src/d.ts': importsHub('d'),
      'src/e.ts': importsHub('e'),
      'lib/more.py': 'import sys\n',
      'src/a.ts': 'export const a = 0;\n',
    });
    repo.git('add', 'src/d.ts');
    repo.remove('src/b.ts');
    const a = await handoffJson([], { cwd: repo.dir, env: env(4000) });
    expect(a.prefix_hash).toBe(prefixHash);
    expect(JSON.stringify(a.prefix)).toBe(prefixBytes);
    expect(a.prefix.hubs).toEqual([{ path: 'src/hub.ts', importers: 3 }]);
    expect(a.metrics.prefix_reused).toBe(true);
    const p = await runJson(prefixFile, ['--prefix', '--no-save'], { cwd: repo.dir, env: env(4000) });
    expect(p.prefix_hash).toBe(prefixHash);
  });

  it('commits on the branch leave the prefix as it was', async () => {
    repo.commit('feature commit');
    writeFileSync(join(repo.dir, 'src', 'f.ts'), importsHub('f'));
    const a = await handoffJson([], { cwd: repo.dir, env: env(5000) });
    expect(a.prefix_hash).toBe(prefixHash);
    expect(a.metrics.prefix_reused).toBe(true);
    expect(statuses(a)).toMatchObject({ 'src/hub.ts': 'branch', 'src/b.ts': 'deleted', 'src/f.ts': 'untracked' });
  });

  it('the prefix changes when the base moves', async () => {
    repo.remove('src/f.ts');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'src/g.ts': importsHub('g') });
    repo.commit('main moves');
    repo.git('checkout', '-q', 'feat');
    repo.git('merge', '-q', '--no-edit', 'main');
    const a = await handoffJson(['--no-save'], { cwd: repo.dir, env: env(6000) });
    expect(a.prefix_hash).not.toBe(prefixHash);
    expect(a.prefix.hubs).toEqual([{ path: 'src/hub.ts', importers: 4 }]);
    expect(a.metrics.prefix_reused).toBe(false);
  });
});

describe('determinism: file times and the clock stay out of the hashes', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('the same edits made at different times in two clones give the same hashes', async () => {
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
    const a = await runJson(artifact, ['--json', '--no-save', '--since', '30d'], { cwd: first.dir, env });
    const b = await runJson(artifact, ['--json', '--no-save', '--since', '30d'], { cwd: second.dir, env });
    expect(a.recent_events).not.toEqual(b.recent_events);
    expect([a.prefix_hash, a.delta_hash, a.combined_hash]).toEqual([b.prefix_hash, b.delta_hash, b.combined_hash]);
  });

  it('touching a file without changing it, or moving the clock, does not change the delta hash', async () => {
    const repo = scratch.repo({ 'src/a.ts': 'export const a = 1;\n' });
    writeFileSync(join(repo.dir, 'src/a.ts'), 'export const a = 2;\n');
    const before = await runJson(artifact, ['--json', '--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
    const past = Date.parse(FIXED_NOW) / 1000 - 7200;
    utimesSync(join(repo.dir, 'src/a.ts'), past, past);
    const later = new Date(Date.parse(FIXED_NOW) + 86_400_000).toISOString();
    const after = await runJson(artifact, ['--json', '--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: later } });
    expect(after.delta_hash).toBe(before.delta_hash);
  });
});
