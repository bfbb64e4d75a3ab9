// The parsers of `git merge-tree --write-tree --name-only -z --messages` output, alone and
// with --stdin, on output git 2.39 printed for a clean merge, a clean auto-merge and a merge
// with a content and a rename/delete conflict (the real repositories are in test/api/conflicts.test.ts).
import { describe, expect, it } from 'vitest';
import { parseMergeTree, parseMergeTrees } from '../../src/git/merge-tree.js';

const TREE = '91dc3c6ae1a305fec4b5b26e6f364764f41a82a7';
const z = (...fields: string[]): Buffer => Buffer.from(fields.map((f) => `${f}\0`).join(''));
const CONFLICTED = [
  TREE,
  'db.ts',
  'new.ts',
  '',
  '1',
  'db.ts',
  'Auto-merging',
  'Auto-merging db.ts\n',
  '1',
  'db.ts',
  'CONFLICT (contents)',
  'CONFLICT (content): Merge conflict in db.ts\n',
  '2',
  'new.ts',
  'old.ts',
  'CONFLICT (rename/delete)',
  'CONFLICT (rename/delete): old.ts renamed to new.ts in pay, but deleted in main.\n',
];
const EXPECTED = {
  clean: false,
  conflicts: [
    { path: 'db.ts', types: ['CONFLICT (contents)'] },
    { path: 'new.ts', types: ['CONFLICT (rename/delete)'] },
  ],
  bothChanged: ['db.ts', 'new.ts', 'old.ts'],
};

describe('merge-tree output', () => {
  it('one merge: conflicted paths with their types, and every path git had to merge', () => {
    expect(parseMergeTree(z(...CONFLICTED), false)).toEqual(EXPECTED);
    const autoMerged = z(TREE, '', '1', 'f', 'Auto-merging', 'Auto-merging f\n');
    expect(parseMergeTree(autoMerged, true)).toEqual({ clean: true, conflicts: [], bothChanged: ['f'] });
  });

  it('--stdin: a clean merge, a conflicted one, an auto-merged one, each closed by an empty field', () => {
    const out = z('1', TREE, '', '', '0', ...CONFLICTED, '', '1', TREE, '', '1', 'f', 'Auto-merging', 'm\n', '');
    expect(parseMergeTrees(out)).toEqual([
      { clean: true, conflicts: [], bothChanged: [] },
      EXPECTED,
      { clean: true, conflicts: [], bothChanged: ['f'] },
    ]);
  });
});
