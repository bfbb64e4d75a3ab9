// The conflicts report for people: a block per branch with who works on it, conflicts first
// with git's types, then the files both changed and the overlaps; the one-line form the
// briefing and `state` use; and every ref, handle and path escaped.
import { describe, expect, it } from 'vitest';
import { conflictQuestions } from '../../src/core/conflicts.js';
import { conflictLines, renderConflicts } from '../../src/render/conflicts.js';
import type { ConflictEntry, ConflictReport } from '../../src/schema/conflicts.js';

const entry = (over: Partial<ConflictEntry>): ConflictEntry => ({
  ref: 'feature/payments',
  source: 'context',
  developers: ['bob@example.com'],
  contexts: [{ id: '01KT', developer: 'bob@example.com', title: 'Payments' }],
  status: 'conflict',
  conflicts: [{ path: 'src/db.ts', types: ['CONFLICT (contents)'] }],
  both_changed: ['src/db.ts', 'src/schema.sql'],
  touched_overlap: ['src/db.ts'],
  claimed_overlap: [],
  ...over,
});

const report = (others: ConflictEntry[]): ConflictReport => ({
  schema_version: 1,
  repo: 'r',
  branch: 'main',
  uncommitted: true,
  checked_at: '2024-03-01T12:00:00.000Z',
  definite: others.some((o) => o.status === 'conflict'),
  others,
});

describe('render conflicts', () => {
  it('one block per branch: who, the conflicts with their types, both changed, their files_touched', () => {
    const text = renderConflicts(
      report([
        entry({}),
        entry({
          ref: 'side',
          source: 'with',
          developers: [],
          contexts: [],
          status: 'clean',
          conflicts: [],
          touched_overlap: [],
        }),
      ]),
    );
    expect(text).toBe(
      [
        'Definite conflicts of main with uncommitted work with 1 of 2 branch(es).',
        '',
        '## feature/payments (bob@example.com): CONFLICT',
        '  context 01KT by bob@example.com: Payments',
        '  conflict: src/db.ts — CONFLICT (contents)',
        '  both changed: src/db.ts, src/schema.sql',
        '  in their files_touched: src/db.ts',
        '',
        '## side: merges cleanly',
        '  both changed: src/db.ts, src/schema.sql',
        '',
      ].join('\n'),
    );
    expect(renderConflicts(report([]))).toBe('No other active branches to compare main with uncommitted work with.\n');
  });

  it('the one-line form names the owner and at most three paths', () => {
    const many = entry({ conflicts: ['a', 'b', 'c', 'd', 'e'].map((p) => ({ path: p, types: [] })) });
    expect(conflictQuestions(report([entry({}), many, entry({ status: 'clean' })]))).toEqual([
      "conflicts with bob@example.com's feature/payments in src/db.ts",
      "conflicts with bob@example.com's feature/payments in a, b, c and 2 more",
    ]);
  });

  it('escapes what a ref, a handle or a path could use to drive a terminal', () => {
    const hostile = entry({
      ref: 'x\u001b[2Jy',
      developers: ['b\nob'],
      conflicts: [{ path: 'p\u202e.ts', types: [] }],
    });
    const text = renderConflicts(report([hostile])) + conflictLines(report([hostile])).join('\n');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
    expect(text).not.toContain('b\nob');
  });
});
