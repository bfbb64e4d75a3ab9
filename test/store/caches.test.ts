// The working-tree file cache names its fields. A cache written before that (positional
// 7-tuples) is a miss, never a crash: read directly, and under a real handoff run, which
// then rewrites it in the named form.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitRepo, type GitRepo } from '../../fixtures/git-repo.js';
import { computeHandoff } from '../../src/api/handoff.js';
import { PARSER_VERSION } from '../../src/core/imports/parse.js';
import { CACHE_VERSION, fileHashCache } from '../../src/schema/cache.js';
import { CacheStore } from '../../src/store/caches.js';

const NOW = new Date('2030-01-01T00:00:00Z');

/** worktree.json as the release with positional entries wrote it. */
function tupleCache(entries: Record<string, unknown[]>): string {
  return JSON.stringify({
    cache_version: CACHE_VERSION,
    parser_version: PARSER_VERSION,
    entries,
    resolution_key: '',
    resolved: {},
  });
}

describe('worktree file cache', { tags: ['slow'] }, () => {
  let repo: GitRepo;
  let cacheDir: string;

  beforeAll(() => {
    repo = gitRepo({ 'src/a.ts': `import { b } from './b';\n`, 'src/b.ts': 'export const b = 1;\n' });
    repo.write({ 'src/a.ts': `import { b } from './b';\nexport const a = b;\n` });
    cacheDir = join(repo.dir, '.codemap', 'cache');
  });
  afterAll(() => repo.cleanup());

  it('reads a cache of positional tuples as a miss', () => {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, 'worktree.json'), tupleCache({ 'src/a.ts': [1, 2, 3, 4, 'ffff', 0, ['./b']] }));
    const miss = { entries: {}, resolution_key: '', resolved: {} };
    expect(new CacheStore(cacheDir).readWorktree(PARSER_VERSION)).toEqual(miss);
  });

  it('round-trips named entries', () => {
    const store = new CacheStore(cacheDir);
    const entry = { size: 9, mtime_ms: 1.5, ctime_ms: 2.5, ino: 7, hash: 'abcd', binary: false, specifiers: ['./b'] };
    const cache = { entries: { 'src/a.ts': entry }, resolution_key: 'k', resolved: {} };
    store.writeWorktree(PARSER_VERSION, cache);
    expect(store.readWorktree(PARSER_VERSION)).toEqual(cache);
  });

  it('a handoff run over a tuple cache matches a cold run and rewrites the cache with named fields', async () => {
    const run = () => computeHandoff({ cwd: repo.dir, now: NOW, env: {}, warn: () => {} });
    const cold = (await run()).artifact;
    const { size, mtimeMs, ctimeMs, ino } = statSync(join(repo.dir, 'src/a.ts'));
    // Stat fields that match the file: read positionally, this would be a hit with a wrong hash.
    const matching = [size, mtimeMs, ctimeMs, ino, 'bad', 1, []];
    writeFileSync(join(cacheDir, 'worktree.json'), tupleCache({ 'src/a.ts': matching }));
    const warm = (await run()).artifact;
    expect(warm).toEqual(cold);
    expect(existsSync(join(cacheDir, 'worktree.json'))).toBe(true);
    const rewritten = fileHashCache.parse(JSON.parse(readFileSync(join(cacheDir, 'worktree.json'), 'utf8')));
    expect(rewritten.entries['src/a.ts']).toMatchObject({ size, mtime_ms: mtimeMs, ino, binary: false });
  });
});
