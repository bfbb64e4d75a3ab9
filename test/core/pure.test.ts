import { describe, expect, it } from 'vitest';
import { listCapsFor, truncateToBytes } from '../../src/core/budget.js';
import { canonicalJson } from '../../src/core/canonical-json.js';
import { mergeChanges, type LayerChange } from '../../src/core/changes.js';
import { buildDelta, selectChanged, selectEvents, summarizeRisk } from '../../src/core/delta.js';
import { parseDuration } from '../../src/core/duration.js';
import { createPathFilter, looksBinary } from '../../src/core/exclude.js';
import { graphFromLists, GraphView, importerCounts } from '../../src/core/graph.js';
import { computeMetrics } from '../../src/core/metrics.js';
import { compareCodeUnit, normalizeRepoPath } from '../../src/core/paths.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: null }], c: 'é' } })).toBe(
      '{"a":{"c":"é","d":[2,{"x":null,"z":1}]},"b":1}',
    );
  });
  it('does not depend on insertion order', () => {
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('paths', () => {
  it('sorts by code unit, not locale', () => {
    const sorted = ['b', 'B', 'a', 'é', 'Z'].sort(compareCodeUnit);
    expect(sorted).toEqual(['B', 'Z', 'a', 'b', 'é']);
  });
  it('normalises user paths and rejects escapes', () => {
    expect(normalizeRepoPath('./src//a.ts')).toBe('src/a.ts');
    expect(normalizeRepoPath('src\\core\\a.ts')).toBe('src/core/a.ts');
    expect(normalizeRepoPath('../x')).toBeUndefined();
    expect(normalizeRepoPath('/etc/passwd')).toBeUndefined();
    expect(normalizeRepoPath('a/../../x')).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it('accepts Go-style durations', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('6h')).toBe(6 * 3_600_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration('2d')).toBe(48 * 3_600_000);
  });
  it('rejects nonsense and zero', () => {
    for (const bad of ['', '6', 'h', '-1h', '0s', '6 hours', '1h-']) expect(parseDuration(bad)).toBeUndefined();
  });
});

describe('budgets', () => {
  it('shrinks list caps on larger repositories', () => {
    expect(listCapsFor(100)).toMatchObject({ changed: 60, risk: 15, events: 25 });
    expect(listCapsFor(5_000)).toMatchObject({ changed: 40, risk: 10, events: 15 });
    expect(listCapsFor(100_000)).toMatchObject({ changed: 25, risk: 8, events: 10 });
  });
  it('cuts at a line boundary with a visible notice, within the budget', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i} ${'é'.repeat(20)}`).join('\n');
    const { text: out, truncated } = truncateToBytes(text, 2_000);
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(2_000);
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/truncated: \d+ more lines/);
    for (const line of lines.slice(0, -1)) expect(text.split('\n')).toContain(line);
  });
  it('leaves text within budget untouched', () => {
    expect(truncateToBytes('a\nb\n', 100)).toEqual({ text: 'a\nb\n', truncated: false });
  });
});

describe('exclusions', () => {
  const filter = createPathFilter({ ignore: ['generated/**', '*.snap'], manifests: ['package.json'] });
  it('drops tool, dependency and build folders, binaries, logs and ignore globs', () => {
    for (const p of [
      'node_modules/x/index.js',
      'a/node_modules/b.js',
      'dist/app.js',
      '.codemap/cache/x.json',
      'img/logo.png',
      'server.log',
      'generated/api.ts',
      'ui/__snapshots__/a.snap',
      'vendor/lib.go',
    ]) {
      expect(filter(p), p).toBe(false);
    }
    for (const p of ['src/app.ts', 'README.md', 'distribution/notes.md', 'Makefile', 'logs.ts'])
      expect(filter(p), p).toBe(true);
  });
  it('reads ignore globs as .gitignore lines, not as picomatch extglobs or negated globs', () => {
    // Parentheses are literal in .gitignore; picomatch read `file(1).ts` as an extglob matching file1.ts.
    const parens = createPathFilter({ ignore: ['file(1).ts'] });
    expect(parens('file1.ts')).toBe(true);
    expect(parens('src/file(1).ts')).toBe(false);
    // `!` re-includes what an earlier line ignored; it does not ignore everything else.
    const negated = createPathFilter({ ignore: ['gen/*', '!gen/keep.ts'] });
    expect(negated('gen/keep.ts')).toBe(true);
    expect(negated('gen/drop.ts')).toBe(false);
    expect(negated('src/app.ts')).toBe(true);
    // Nothing below an ignored directory comes back.
    expect(createPathFilter({ ignore: ['gen/', '!gen/keep.ts'] })('gen/keep.ts')).toBe(false);
  });
  it('detects a NUL byte in the first 8 KiB only', () => {
    expect(looksBinary(Buffer.from('abc\0def'))).toBe(true);
    expect(looksBinary(Buffer.from('plain text'))).toBe(false);
    const late = Buffer.alloc(9000, 65);
    late[8500] = 0;
    expect(looksBinary(late)).toBe(false);
  });
});

describe('mergeChanges', () => {
  const exists = (present: string[]) => (p: string) => present.includes(p);
  const c = (
    layer: LayerChange['layer'],
    path: string,
    kind: LayerChange['kind'] = 'modified',
    from?: string,
  ): LayerChange => (from ? { layer, path, kind, from } : { layer, path, kind });

  it('lets the most local layer win: untracked > staged > modified > branch', () => {
    const merged = mergeChanges(
      [
        c('branch', 'a'),
        c('modified', 'a'),
        c('branch', 'b'),
        c('staged', 'b'),
        c('modified', 'b'),
        c('branch', 'c'),
        c('untracked', 'd', 'added'),
      ],
      exists(['a', 'b', 'c', 'd']),
    );
    expect(merged).toEqual([
      { path: 'a', status: 'modified', local: true },
      { path: 'b', status: 'staged', local: true },
      { path: 'c', status: 'branch', local: false },
      { path: 'd', status: 'untracked', local: true },
    ]);
  });
  it('reports a path gone from the working tree as deleted, whatever layer removed it', () => {
    const merged = mergeChanges(
      [c('branch', 'x', 'deleted'), c('modified', 'y', 'deleted'), c('staged', 'z', 'deleted')],
      exists([]),
    );
    expect(merged.map((m) => m.status)).toEqual(['deleted', 'deleted', 'deleted']);
    // A deletion committed on the branch is not work in progress; one `git status` reports is.
    expect(merged.map((m) => m.local)).toEqual([false, true, true]);
  });
  it('keeps the rename source only as `from`', () => {
    const merged = mergeChanges([c('branch', 'new.ts', 'renamed', 'old.ts')], exists(['new.ts']));
    expect(merged).toEqual([{ path: 'new.ts', status: 'renamed', from: 'old.ts', local: false }]);
  });
  it('shows a branch rename edited again locally as modified, still with `from`', () => {
    const merged = mergeChanges(
      [c('branch', 'new.ts', 'renamed', 'old.ts'), c('modified', 'new.ts')],
      exists(['new.ts']),
    );
    expect(merged).toEqual([{ path: 'new.ts', status: 'modified', from: 'old.ts', local: true }]);
  });
  it('keeps a staged rename as renamed when it is also edited (staged outranks modified)', () => {
    const merged = mergeChanges(
      [c('staged', 'new.ts', 'renamed', 'old.ts'), c('modified', 'new.ts')],
      exists(['new.ts']),
    );
    expect(merged).toEqual([{ path: 'new.ts', status: 'renamed', from: 'old.ts', local: true }]);
  });
});

describe('graph', () => {
  const base = graphFromLists(['a.ts', 'b.ts', 'c.ts', 'd.ts'], [[], [0], [0], [0, 1]]);
  it('counts importers', () => {
    expect([...importerCounts(base)]).toEqual([3, 1, 0, 0]);
  });
  it('overlays working-tree edges of changed files', () => {
    const view = new GraphView(
      base,
      new Map([
        ['c.ts', ['b.ts']],
        ['d.ts', null],
        ['e.ts', ['a.ts', 'b.ts']],
      ]),
    );
    const importers = view.importersOf(['a.ts', 'b.ts', 'e.ts']);
    expect(importers.get('a.ts')).toEqual(['b.ts', 'e.ts']);
    expect(importers.get('b.ts')).toEqual(['c.ts', 'e.ts']);
    expect(importers.get('e.ts')).toEqual([]);
    expect(view.importsOf('c.ts')).toEqual(['b.ts']);
    expect(view.importsOf('b.ts')).toEqual(['a.ts']);
    expect(view.exists('d.ts')).toBe(false);
  });
});

describe('delta selection', () => {
  const changes = Array.from({ length: 30 }, (_, i) => ({
    path: `f${String(i).padStart(2, '0')}.ts`,
    status: 'modified' as const,
  }));
  const importers = new Map<string, string[]>([
    ['f29.ts', ['a', 'b', 'c', 'd']],
    ['f15.ts', ['a', 'b']],
    ['f03.ts', ['a']],
  ]);
  it('ranks risk by importer count and marks hubs', () => {
    expect(summarizeRisk(changes, importers)).toEqual([
      { path: 'f29.ts', importers: 4, is_hub: true, reason: 'hub file imported by 4 files' },
      { path: 'f15.ts', importers: 2, is_hub: false, reason: 'imported by 2 files' },
    ]);
  });
  it('keeps risk files first when capping changed files', () => {
    const picked = selectChanged(changes, summarizeRisk(changes, importers), 5).map((c) => c.path);
    expect(picked).toEqual(['f29.ts', 'f15.ts', 'f00.ts', 'f01.ts', 'f02.ts']);
  });
  it('keeps the most recent events', () => {
    const events = [3, 1, 2].map((n) => ({ time: `2024-01-0${n}T00:00:00Z`, op: 'commit', path: `p${n}` }));
    expect(selectEvents(events, 2)).toEqual({ kept: [events[2], events[0]], omitted: 1 });
  });
  it('says how many entries were left out', () => {
    const delta = buildDelta({
      baseCommit: 'abc',
      baseRef: 'main',
      changes,
      facts: new Map(),
      importers,
      events: [],
      caps: { changed: 10, risk: 1, events: 5, hubs: 5 },
      situation: { branch: 'feature', detached: false, shallow: false, onBaseBranch: false },
    });
    expect(delta.changed).toHaveLength(10);
    expect(delta.changed_total).toBe(30);
    expect(delta.changed_omitted).toBe(20);
    expect(delta.risk_files).toHaveLength(1);
    expect(delta.risk_omitted).toBe(1);
    expect(delta.changed_omitted_by_status).toEqual({ modified: 20 });
    expect(delta.next_steps[0]).toBe('Review the 4 dependents of f29.ts before merge.');
    // 30 changed files is below the split threshold, however few the list shows.
    expect(delta.open_questions.some((q) => q.includes('should it be split'))).toBe(false);
  });
  it('asks about the base ref when nothing changed', () => {
    const delta = buildDelta({
      baseCommit: 'abc',
      baseRef: 'origin/main',
      changes: [],
      facts: new Map(),
      importers: new Map(),
      events: [],
      caps: { changed: 10, risk: 1, events: 5, hubs: 5 },
      situation: { branch: 'feature', detached: false, shallow: false, onBaseBranch: false },
    });
    expect(delta.open_questions).toContain('No changed files vs origin/main: is the base ref right?');
  });
});

describe('computeMetrics', () => {
  const cur = { prefix_hash: 'p', delta_hash: 'd' };
  it('reports no reuse without a previous artifact', () => {
    expect(computeMetrics(undefined, cur, { prefix: 100, delta: 300 })).toEqual({
      prefix_bytes: 100,
      delta_bytes: 300,
      total_bytes: 400,
      unchanged_bytes: 0,
      reuse_ratio: 0,
      prefix_reused: false,
      delta_reused: false,
    });
  });
  it('reports full reuse of an unchanged artifact', () => {
    const m = computeMetrics({ ...cur, combined_hash: 'c' }, cur, { prefix: 100, delta: 300 });
    expect(m).toMatchObject({ reuse_ratio: 1, prefix_reused: true, delta_reused: true, previous_combined_hash: 'c' });
  });
  it('reports prefix-only reuse after a delta change', () => {
    const m = computeMetrics({ prefix_hash: 'p', delta_hash: 'old', combined_hash: 'c' }, cur, {
      prefix: 100,
      delta: 300,
    });
    expect(m).toMatchObject({ unchanged_bytes: 100, reuse_ratio: 0.25, prefix_reused: true, delta_reused: false });
  });
});
