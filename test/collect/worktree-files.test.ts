// Working-tree file facts on a live tree: a file that vanishes (or turns into a
// directory) between lstat and read is missing, never a crash. The FileReader seam forces
// the interleaving; every call still reaches the real file system.
import * as fs from 'node:fs';
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../fixtures/git-repo.js';
import { contentHash, WorktreeFiles, type FileReader } from '../../src/collect/worktree-files.js';
import { loadHasher } from '../../src/core/hash.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');

describe('WorktreeFiles: files that change while they are read', () => {
  const dir = makeTempDir('handoff-wtf-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file deleted between lstat and read is missing', async () => {
    const hasher = await loadHasher();
    writeFileSync(join(dir, 'gone.ts'), 'export const a = 1;\n');
    const reader: FileReader = {
      ...fs,
      readFileSync: ((p: fs.PathOrFileDescriptor) => (
        unlinkSync(p as string),
        fs.readFileSync(p)
      )) as typeof fs.readFileSync,
    };
    const files = new WorktreeFiles(dir, hasher, {}, NOW, reader);
    expect(files.facts('gone.ts')).toBeUndefined();
    expect(files.fresh).toEqual({});
  });

  it('a file replaced by a directory between lstat and read is missing', async () => {
    const hasher = await loadHasher();
    writeFileSync(join(dir, 'turns-dir.txt'), 'x\n');
    const reader: FileReader = {
      ...fs,
      readFileSync: ((p: fs.PathOrFileDescriptor) => {
        unlinkSync(p as string);
        mkdirSync(p as string);
        return fs.readFileSync(p);
      }) as typeof fs.readFileSync,
    };
    expect(new WorktreeFiles(dir, hasher, {}, NOW, reader).facts('turns-dir.txt')).toBeUndefined();
  });

  it('a file deleted and re-created during the read is read again', async () => {
    const hasher = await loadHasher();
    writeFileSync(join(dir, 'back.txt'), 'old\n');
    let raced = false;
    const reader: FileReader = {
      ...fs,
      readFileSync: ((p: fs.PathOrFileDescriptor) => {
        if (!raced) {
          raced = true;
          unlinkSync(p as string);
          const out = (() => {
            try {
              return fs.readFileSync(p);
            } finally {
              writeFileSync(p as string, 'new\n');
            }
          })();
          return out;
        }
        return fs.readFileSync(p);
      }) as typeof fs.readFileSync,
    };
    const facts = new WorktreeFiles(dir, hasher, {}, NOW, reader).facts('back.txt');
    expect(facts?.hash).toBe(hasher.bytes(Buffer.from('new\n')));
  });

  it('a symlink removed between lstat and readlink is missing', async () => {
    const hasher = await loadHasher();
    symlinkSync('target', join(dir, 'link'));
    const reader: FileReader = {
      ...fs,
      readlinkSync: ((p: fs.PathLike, o: never) => (
        unlinkSync(p as string),
        fs.readlinkSync(p, o)
      )) as typeof fs.readlinkSync,
    };
    expect(new WorktreeFiles(dir, hasher, {}, NOW, reader).facts('link')).toBeUndefined();
    expect(contentHash(join(dir, 'link'), hasher)).toBeUndefined();
  });
});

describe('WorktreeFiles: the stat-keyed cache', () => {
  const dir = makeTempDir('handoff-wtf-cache-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores named facts and reuses them without reading the file while its stat is unchanged', async () => {
    const hasher = await loadHasher();
    writeFileSync(join(dir, 'a.ts'), `import b from './b';\n`);
    const first = new WorktreeFiles(dir, hasher, {}, NOW);
    const facts = first.facts('a.ts');
    const entry = first.fresh['a.ts'];
    expect(entry).toMatchObject({ size: facts?.size, hash: facts?.hash, binary: false, specifiers: ['./b'] });
    const noReads: FileReader = {
      ...fs,
      readFileSync: (() => expect.fail('read a cached file')) as typeof fs.readFileSync,
    };
    const again = new WorktreeFiles(dir, hasher, first.fresh, NOW, noReads);
    expect(again.facts('a.ts')).toEqual(facts);
    expect(again.fresh['a.ts']).toBe(entry);
  });
});
