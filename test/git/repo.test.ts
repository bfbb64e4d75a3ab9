// The git gateway against real repositories with hostile names: non-UTF-8 bytes, a
// newline, a tab, spaces and unicode in file names and in the repository's own path.
// Parsers read git's bytes; "git is not installed" is said only when git is missing.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitRepo, makeTempDir } from '../../fixtures/git-repo.js';
import { gitRaw } from '../../src/git/git.js';
import {
  branchCommits,
  configValues,
  diffCommits,
  gitPath,
  listTree,
  openRepository,
  parseStatus,
  statusBytes,
} from '../../src/git/repo.js';

const name = (...parts: (string | number)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from([p]))));

describe('git gateway: hostile names', { tags: ['slow'] }, () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('parses status, diff, ls-tree and log paths from bytes, non-UTF-8 names escaped', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    dirs.push(repo.dir);
    const root = Buffer.from(`${repo.dir}/`);
    const at = (b: Buffer): Buffer => Buffer.concat([root, b]);
    writeFileSync(at(name('f', 0xff, '.txt')), 'f\n');
    writeFileSync(at(name('\nlead', 0xfe)), 'n\n');
    writeFileSync(at(name('sp ace\ttab')), 's\n');
    const base = repo.commit('odd names');
    repo.git('checkout', '-q', '-b', 'feat');
    writeFileSync(at(name('b', 0xfd, ' c.txt')), 'b\n');
    writeFileSync(at(name('x\\xff')), 'literal\n');
    const head = repo.commit('more');
    writeFileSync(at(name('f', 0xff, '.txt')), 'edited\n');
    writeFileSync(at(name('u', 0xfc)), 'u\n');

    const status = parseStatus(await statusBytes(repo.dir));
    expect(status).toEqual([
      { layer: 'modified', path: 'f\\xff.txt', kind: 'modified' },
      { layer: 'untracked', path: 'u\\xfc', kind: 'added' },
    ]);
    expect((await diffCommits(repo.dir, base, head)).map((c) => c.path).sort()).toEqual(['b\\xfd c.txt', 'x\\\\xff']);
    const tree = (await listTree(repo.dir, base)).map((e) => e.path).sort();
    expect(tree).toEqual(['\nlead\\xfe', 'a.txt', 'f\\xff.txt', 'sp ace\ttab']);
    const log = await branchCommits(repo.dir, `${base}~1..${head}`);
    expect(log.map((c) => c.paths.sort())).toEqual([
      ['b\\xfd c.txt', 'x\\\\xff'],
      ['\nlead\\xfe', 'f\\xff.txt', 'sp ace\ttab'],
    ]);
  });

  it('opens a repository whose path holds a newline, a tab, a space and unicode', async () => {
    const parent = makeTempDir();
    dirs.push(parent);
    const dir = join(parent, 'x\ny z\tñ 日本', 'repo\n');
    mkdirSync(dir, { recursive: true });
    for (const tree of [undefined, { 'a.txt': 'a\n' }]) {
      rmSync(dir, { recursive: true, force: true });
      gitRepo(tree, { dir });
      const info = await openRepository(dir);
      expect(info.root).toBe(dir);
      expect(info.gitDir).toBe(join(dir, '.git'));
      expect(info.commonDir).toBe(join(dir, '.git'));
      expect(info.branch).toBe('main');
      expect(info.head === undefined).toBe(tree === undefined);
      expect(await gitPath(dir, 'hooks')).toBe(join(dir, '.git', 'hooks'));
    }
  });

  it('says "not installed" only when git cannot be found, and names a missing directory', async () => {
    const missing = join(makeTempDir(), 'gone\nhere');
    await expect(gitRaw(['status'], { cwd: missing })).rejects.toThrow(/does not exist/);
    await expect(gitRaw(['status'], { cwd: missing })).rejects.not.toThrow(/not installed/);
    await expect(gitRaw(['--version'], { cwd: process.cwd(), env: { PATH: '/nonexistent' } })).rejects.toThrow(
      /git is not installed/,
    );
  });
});

describe('git gateway: config', { tags: ['slow'] }, () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reads several keys in one call: the last value of each, unset keys absent, names matched whole', async () => {
    const repo = gitRepo({ 'src/a.ts': 'a\n' });
    dirs.push(repo.dir);
    repo.git('config', 'remote.origin.url', 'https://example.com/x y.git');
    repo.git('config', 'user.email', 'first@example.com');
    repo.git('config', '--add', 'user.email', 'ñ second@example.com');
    // Keys the pattern must not take for the ones asked: a regex character and a longer name.
    repo.git('config', 'remote.a+b.url', 'plus');
    repo.git('config', 'user.emailx', 'longer');
    repo.git('config', 'remote.aab.url', 'not-plus');
    repo.git('config', 'custom.multi', 'line one\nline two');
    const keys = ['remote.origin.url', 'user.email', 'remote.a+b.url', 'custom.multi', 'core.unsetthing'];
    const values = await configValues(join(repo.dir, 'src'), keys);
    expect(Object.fromEntries(values)).toEqual({
      'remote.origin.url': 'https://example.com/x y.git',
      'user.email': 'ñ second@example.com',
      'remote.a+b.url': 'plus',
      'custom.multi': 'line one\nline two',
    });
    const fromRoot = await configValues(repo.dir, ['user.email', 'core.unsetthing']);
    expect(Object.fromEntries(fromRoot)).toEqual({ 'user.email': 'ñ second@example.com' });
  });
});
