// Ranking of capped lists and the guidance that counts changes (issue 8, items 8 and 9),
// on change sets shaped like the vitest and svelte runs: branch noise must not push the
// work in progress, or a local break, out of the capped lists.
import { describe, expect, it } from 'vitest';
import type { MergedChange } from '../../src/core/changes.js';
import type { RiskFile } from '../../src/schema/artifact.js';
import { buildDelta, type DeltaInput } from '../../src/core/delta.js';
import { isDocsOrCi, orderRisk, rankChanged } from '../../src/core/rank.js';
import { deriveGuidance } from '../../src/core/guidance.js';

const pad = (i: number): string => String(i).padStart(2, '0');
const SRC = 'packages/vitest/src';
const REMOVED = 'packages/svelte/src/compiler/utils/removed.js';
const situation = { branch: 'feat', detached: false, shallow: false, onBaseBranch: false };

function delta(changes: MergedChange[], extra: Partial<DeltaInput> = {}): ReturnType<typeof buildDelta> {
  return buildDelta({
    baseCommit: 'abc',
    baseRef: 'main',
    changes,
    facts: new Map(),
    importers: new Map(),
    events: [],
    caps: { changed: 40, risk: 10, events: 15, hubs: 10 },
    situation,
    ...extra,
  });
}

/**
 * vitest: 57 files committed on the branch (CI workflows, docs, sources; paths chosen so
 * `.github/` and `docs/` sort first) and six local changes: an untracked new source file,
 * a modified and a staged file, an unstaged delete and a staged rename — 63 in all.
 */
function vitestShape(): { changes: MergedChange[]; lastCommitted: Map<string, number> } {
  const changes: MergedChange[] = [];
  const lastCommitted = new Map<string, number>();
  const branch = (path: string, time: number): void => {
    changes.push({ path, status: 'branch', local: false });
    lastCommitted.set(path, time);
  };
  for (let i = 0; i < 5; i++) branch(`.github/workflows/ci-${i}.yml`, 1_000 + i);
  for (let i = 0; i < 8; i++) branch(`docs/guide/page-${i}.md`, 2_000 + i);
  for (let i = 0; i < 44; i++) branch(`packages/vitest/src/mod-${pad(i)}.ts`, 100 + i);
  changes.push(
    { path: `${SRC}/zz-new-feature.ts`, status: 'untracked', local: true },
    { path: `${SRC}/yy-edited.ts`, status: 'modified', local: true },
    { path: `${SRC}/yy-staged.ts`, status: 'staged', local: true },
    { path: `${SRC}/yy-removed.ts`, status: 'deleted', local: true },
    { path: `${SRC}/yy-moved.ts`, status: 'renamed', from: `${SRC}/old-moved.ts`, local: true },
    // A deletion and a rename committed on the branch are not uncommitted work.
    { path: `${SRC}/zz-dropped-on-branch.ts`, status: 'deleted', local: false },
  );
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { changes, lastCommitted };
}

describe('capped changed list, shaped like vitest (63 changed files, cap 40)', () => {
  const { changes, lastCommitted } = vitestShape();
  const d = delta(changes, { lastCommitted });
  const kept = d.changed.map((c) => c.path);

  it('keeps every local change, the new untracked file included', () => {
    expect(changes).toHaveLength(63);
    expect(d.changed).toHaveLength(40);
    for (const c of changes.filter((x) => x.local)) expect(kept, c.path).toContain(c.path);
  });

  it('lists local work first, then branch commits newest first, docs and CI files last', () => {
    expect(kept.slice(0, 5)).toEqual([
      `${SRC}/yy-edited.ts`,
      `${SRC}/yy-moved.ts`,
      `${SRC}/yy-removed.ts`,
      `${SRC}/yy-staged.ts`,
      `${SRC}/zz-new-feature.ts`,
    ]);
    // Newest branch sources next; the branch delete has no commit time here, so it counts as oldest.
    expect(kept.slice(5, 8)).toEqual([`${SRC}/mod-43.ts`, `${SRC}/mod-42.ts`, `${SRC}/mod-41.ts`]);
    expect(kept.some((p) => p.startsWith('.github/') || p.startsWith('docs/'))).toBe(false);
  });

  it('says which statuses the cap left out', () => {
    expect(d.changed_omitted).toBe(23);
    expect(d.changed_omitted_by_status).toEqual({ branch: 22, deleted: 1 });
  });

  it('counts every uncommitted change, local deletes and renames included (git status shows 5)', () => {
    const what = '5 uncommitted changes (1 staged, 1 modified, 1 untracked, 1 deleted, 1 renamed)';
    expect(d.next_steps).toContain(`Commit or stash the ${what} before switching branches.`);
  });

  it('asks whether to split by the size of the change, not by the display cap', () => {
    const split = (n: number, cap: number): boolean => {
      const caps = { changed: cap, risk: 10, events: 15, hubs: 10 };
      const questions = delta(changes.slice(0, n), { lastCommitted, caps }).open_questions;
      return questions.some((q) => q.includes('should it be split'));
    };
    expect(split(63, 40)).toBe(true);
    expect(split(59, 60)).toBe(true);
    expect(split(50, 500)).toBe(true);
    expect(split(49, 10)).toBe(false);
  });

  it('leaves changed_omitted_by_status out when nothing was left out', () => {
    const small = delta(changes.slice(0, 10), { lastCommitted });
    expect(small.changed_omitted).toBe(0);
    expect('changed_omitted_by_status' in small).toBe(false);
  });
});

describe('risk order, shaped like svelte (a local delete among many hub risks)', () => {
  const changes: MergedChange[] = [];
  const importers = new Map<string, string[]>();
  const importersOf = (n: number, tag: string): string[] =>
    Array.from({ length: n }, (_, i) => `tests/${tag}-${i}.test.ts`);
  for (let i = 0; i < 14; i++) {
    const path = `packages/svelte/src/internal/hub-${pad(i)}.js`;
    changes.push({ path, status: 'branch', local: false });
    importers.set(path, importersOf(20 + i * 5, `h${i}`));
  }
  // Deleted on the branch, still imported: broken too, but already committed.
  changes.push({ path: 'packages/svelte/src/old-branch.js', status: 'deleted', local: false });
  importers.set('packages/svelte/src/old-branch.js', importersOf(6, 'ob'));
  changes.push({ path: REMOVED, status: 'deleted', local: true });
  importers.set(REMOVED, importersOf(4, 'r'));
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const d = delta(changes, { importers, caps: { changed: 10, risk: 10, events: 15, hubs: 10 } });

  it('puts the local break first in the capped risk list, then the branch break, then hubs by importers', () => {
    expect(d.risk_files).toHaveLength(10);
    expect(d.risk_omitted).toBe(6);
    expect(d.risk_files[0]).toMatchObject({ path: REMOVED, importers: 4 });
    expect(d.risk_files[1]).toMatchObject({ path: 'packages/svelte/src/old-branch.js', importers: 6 });
    expect(d.risk_files[2]).toMatchObject({ path: 'packages/svelte/src/internal/hub-13.js', importers: 85 });
  });

  it('names the local break in the first next step', () => {
    expect(d.next_steps[0]).toBe(`Fix the 4 files that still import deleted ${REMOVED}.`);
  });

  it('keeps the local break in the capped changed list', () => {
    expect(d.changed[0]?.path).toBe(REMOVED);
  });
});

describe('isDocsOrCi', () => {
  it('knows documentation and CI configuration by path', () => {
    const docsOrCi = ['README.md', 'CHANGES.RST', 'docs/x.ts', 'packages/a/docs/guide.ts', 'a/b/notes.rst', 'x.mdx'];
    docsOrCi.push('.github/workflows/ci.yml', '.gitlab-ci.yml', '.circleci/config.yml', 'Jenkinsfile', 'appveyor.yml');
    for (const p of docsOrCi) expect(isDocsOrCi(p), p).toBe(true);
    const other = ['src/md.ts', 'src/docs.ts', 'docs', 'lib/.github/x.yml', 'packages/a/Jenkinsfile', '.md', 'src/.md'];
    for (const p of other) expect(isDocsOrCi(p), p).toBe(false);
  });
});

describe('risk entries that name something other than a changed path', () => {
  const risk = (path: string, importers: number): RiskFile => ({
    path,
    importers,
    is_hub: importers >= 3,
    reason: 'r',
  });
  const changes: MergedChange[] = [
    { path: 'pkg/cmdutil/a.go', status: 'branch', local: false },
    { path: 'pkg/cmdutil/b.go', status: 'branch', local: false },
    { path: 'src/utils/env2.ts', status: 'renamed', from: 'src/utils/env.ts', local: true },
    { path: 'src/z.ts', status: 'modified', local: true },
    { path: 'main.go', status: 'branch', local: false },
  ];

  it('puts a local rename still imported under its old path first, by old path or with its stale importers', () => {
    const byOldPath = orderRisk([risk('pkg/cmdutil', 351), risk('src/utils/env.ts', 10)], changes);
    expect(byOldPath.map((r) => r.path)).toEqual(['src/utils/env.ts', 'pkg/cmdutil']);
    const entries = [risk('pkg/cmdutil', 351), risk('src/utils/env2.ts', 10)];
    expect(orderRisk(entries, changes).map((r) => r.path)).toEqual(['pkg/cmdutil', 'src/utils/env2.ts']);
    const stale = new Map([['src/utils/env2.ts', ['src/a.ts', 'src/b.ts']]]);
    expect(orderRisk(entries, changes, stale).map((r) => r.path)).toEqual(['src/utils/env2.ts', 'pkg/cmdutil']);
  });

  it('ranks the changed files of a Go package entry (a folder, `.` for the root) with the entry', () => {
    const ranked = rankChanged(changes, [
      { ...risk('pkg/cmdutil', 351), files: 2 },
      { ...risk('.', 20), files: 1 },
    ]).map((c) => c.path);
    expect(ranked).toEqual(['pkg/cmdutil/a.go', 'pkg/cmdutil/b.go', 'main.go', 'src/utils/env2.ts', 'src/z.ts']);
  });
});

describe('broken imports lead the next steps, worded by how they broke', () => {
  const entry = (path: string, importers: number, reason: string, files?: number): RiskFile => ({
    path,
    importers,
    is_hub: importers >= 3,
    reason,
    ...(files !== undefined ? { files } : {}),
  });
  const situation = { detached: false, shallow: false, onBaseBranch: false, branch: 'feature/x' };

  it('a rename still imported under its old path asks to fix those files, naming both paths', () => {
    const changes: MergedChange[] = [
      { path: 'src/utils/env2.ts', status: 'renamed', from: 'src/utils/env.ts', local: true },
    ];
    const risk = [
      entry('src/utils/env2.ts', 10, 'renamed from src/utils/env.ts but still imported under the old path by 10 files'),
    ];
    const stale = new Map([['src/utils/env2.ts', Array.from({ length: 10 }, (_, i) => `src/f${i}.ts`)]]);
    const { nextSteps } = deriveGuidance({
      ...situation,
      baseRef: 'main',
      changed: changes,
      risk,
      oldPathImporters: stale,
    });
    expect(nextSteps[0]).toBe('Fix the 10 files that still import src/utils/env.ts, renamed to src/utils/env2.ts.');
  });

  it('a Go package whose files are all gone comes first and asks to fix its importers', () => {
    const changes: MergedChange[] = [
      { path: 'internal/text/text.go', status: 'deleted', local: true },
      { path: 'pkg/cmdutil/args.go', status: 'branch', local: false },
    ];
    const packages = new Map([
      ['internal/text', 0],
      ['pkg/cmdutil', 14],
    ]);
    const risk = orderRisk(
      [
        entry('pkg/cmdutil', 351, 'hub package imported by 351 files', 1),
        entry('internal/text', 53, 'package deleted but still imported by 53 files', 1),
      ],
      changes,
      new Map(),
      packages,
    );
    expect(risk.map((r) => r.path)).toEqual(['internal/text', 'pkg/cmdutil']);
    const { nextSteps } = deriveGuidance({
      ...situation,
      baseRef: 'main',
      changed: changes,
      risk,
      goPackages: packages,
    });
    expect(nextSteps.slice(0, 2)).toEqual([
      'Fix the 53 files that still import package internal/text, which no longer has any files.',
      'Review the 351 dependents of pkg/cmdutil before merge.',
    ]);
  });
});
