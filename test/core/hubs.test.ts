// Hubs and risk as the next session reads them (issue 8 items 7 and 9): source hubs
// before test support (svelte, vitest), Go per package (cli/cli), and the cache check
// agreeing with how hubs are built.
import { describe, expect, it } from 'vitest';
import { selectChanged, summarizeRisk } from '../../src/core/delta.js';
import { goPackageIndexes, graphFromLists, GraphView } from '../../src/core/graph.js';
import { isTestPath } from '../../src/core/hubs.js';
import { createResolver } from '../../src/core/imports/resolve.js';
import { buildPrefix, prefixMatchesGraph } from '../../src/core/prefix.js';
import { compareCodeUnit } from '../../src/core/paths.js';

function prefixOf(sources: Record<string, string[]>, configs: Record<string, string> = {}, maxHubs = 10) {
  const files = [...Object.keys(sources), ...Object.keys(configs)].sort(compareCodeUnit);
  const specifiers = new Map(Object.entries(sources));
  return buildPrefix({ tree: 't', files, specifiers, resolver: createResolver({ files, configs }), maxHubs });
}

describe('hubs: source before test support (svelte)', () => {
  const sources: Record<string, string[]> = {
    'packages/svelte/src/internal/client/index.js': [],
    'packages/svelte/src/utils.js': [],
    'packages/svelte/tests/helpers.js': [],
    'packages/svelte/tests/suite.ts': [],
  };
  for (let i = 0; i < 8; i++) sources[`packages/svelte/tests/runtime/t${i}.test.ts`] = ['../helpers.js', '../suite.js'];
  for (let i = 0; i < 4; i++) sources[`packages/svelte/src/m${i}.js`] = ['./internal/client/index.js', './utils.js'];
  sources['packages/svelte/src/m0.js']!.length = 1;

  it('ranks every source hub above a more-imported test helper, and marks the helper', () => {
    const { prefix } = prefixOf(sources);
    expect(prefix.hubs).toEqual([
      { path: 'packages/svelte/src/internal/client/index.js', importers: 4 },
      { path: 'packages/svelte/src/utils.js', importers: 3 },
      { path: 'packages/svelte/tests/helpers.js', importers: 8, test: true },
      { path: 'packages/svelte/tests/suite.ts', importers: 8, test: true },
    ]);
  });

  it('leaves test hubs out first when the list is capped', () => {
    const { prefix, graph } = prefixOf(sources, {}, 2);
    const paths = prefix.hubs.map((h) => h.path);
    expect(paths).toEqual(['packages/svelte/src/internal/client/index.js', 'packages/svelte/src/utils.js']);
    expect(prefix.hubs_omitted).toBe(2);
    expect(prefixMatchesGraph(prefix, 't', graph)).toBe(true);
  });

  it('the cache check rejects a prefix that ranks a test hub among the source ones', () => {
    const { prefix, graph } = prefixOf(sources);
    expect(prefixMatchesGraph(prefix, 't', graph)).toBe(true);
    const untagged = { ...prefix, hubs: prefix.hubs.map(({ test: _t, ...h }) => h) };
    expect(prefixMatchesGraph(untagged, 't', graph)).toBe(false);
    const swapped = { ...prefix, hubs: [prefix.hubs[1]!, prefix.hubs[0]!, ...prefix.hubs.slice(2)] };
    expect(prefixMatchesGraph(swapped, 't', graph)).toBe(false);
  });

  it('knows test paths by folder and file name', () => {
    const tests = ['tests/helpers.js', 'src/__tests__/x.ts', 'a/b.test.ts', 'a/b.spec.js', 'testing/conftest.py'];
    for (const p of [...tests, 'pkg/test_x.py', 'x/testdata']) {
      expect(isTestPath(p), p).toBe(true);
    }
    for (const p of ['src/index.ts', 'src/testimony.ts', 'pkg/cmdutil', 'src/_pytest/python.py', 'contest.py']) {
      expect(isTestPath(p), p).toBe(false);
    }
  });
});

describe('Go: hubs and risk per package (cli/cli)', () => {
  const goMod = { 'go.mod': 'module github.com/cli/cli/v2\n' };
  const sources: Record<string, string[]> = {};
  for (let i = 0; i < 14; i++) sources[`pkg/cmdutil/f${String(i).padStart(2, '0')}.go`] = [];
  sources['pkg/cmdutil/f00_test.go'] = ['github.com/cli/cli/v2/pkg/cmdutil'];
  sources['main.go'] = [];
  for (let i = 0; i < 5; i++) {
    sources[`pkg/cmd/c${i}/c.go`] = ['github.com/cli/cli/v2/pkg/cmdutil', 'github.com/cli/cli/v2'];
  }

  it('lists a package once, with its file count, not its files ten times', () => {
    const { prefix, graph } = prefixOf(sources, goMod);
    expect(prefix.hubs).toEqual([
      { path: 'pkg/cmdutil', importers: 6, files: 14 },
      { path: '.', importers: 5, files: 1 },
    ]);
    expect(prefixMatchesGraph(prefix, 't', graph)).toBe(true);
    const perFile = { ...prefix, hubs: [{ path: 'pkg/cmdutil/f00.go', importers: 6 }, prefix.hubs[1]!] };
    expect(prefixMatchesGraph(perFile, 't', graph)).toBe(false);
  });

  it('a file added to a package has the package importers; risk names the package once', () => {
    const { graph } = prefixOf(sources, goMod);
    const view = new GraphView(
      graph,
      new Map([
        ['pkg/cmdutil/new.go', []],
        ['pkg/cmdutil/f01.go', []],
        ['pkg/cmdutil/f02.go', null],
      ]),
    );
    const changes = [
      { path: 'pkg/cmdutil/f01.go', status: 'modified' as const },
      { path: 'pkg/cmdutil/f02.go', status: 'deleted' as const },
      { path: 'pkg/cmdutil/new.go', status: 'untracked' as const },
      { path: 'z.md', status: 'modified' as const },
    ];
    const importers = view.importersOf(changes.map((c) => c.path));
    expect(importers.get('pkg/cmdutil/new.go')).toHaveLength(6);
    expect(view.goPackageFiles('pkg/cmdutil')).toHaveLength(14);
    const risk = summarizeRisk(changes, importers, { goPackages: new Map([['pkg/cmdutil', 14]]) });
    expect(risk).toEqual([
      { path: 'pkg/cmdutil', importers: 6, is_hub: true, reason: 'hub package imported by 6 files', files: 3 },
    ]);
    expect(selectChanged([...changes].reverse(), risk, 3).map((c) => c.path)).toEqual([
      'pkg/cmdutil/f01.go',
      'pkg/cmdutil/new.go',
      'pkg/cmdutil/f02.go',
    ]);
  });

  it('a package deleted whole is still imported', () => {
    const changes = [
      { path: 'gone/x.go', status: 'deleted' as const },
      { path: 'gone/y.go', status: 'deleted' as const },
    ];
    const importers = new Map([
      ['gone/x.go', ['a.go', 'b.go', 'c.go']],
      ['gone/y.go', ['a.go', 'b.go', 'c.go']],
    ]);
    expect(summarizeRisk(changes, importers, { goPackages: new Map([['gone', 0]]) })).toEqual([
      { path: 'gone', importers: 3, is_hub: true, reason: 'package deleted but still imported by 3 files', files: 2 },
    ]);
  });
});

describe('goPackageIndexes', () => {
  it("finds a folder's own Go files, skipping its subfolders and test files, at the root too", () => {
    const files = ['a.go', 'a/b.go', 'a/b/c.go', 'a/b0.go', 'a/c_test.go', 'a/d.go', 'a0/x.go', 'b.txt', 'z.go'];
    files.sort(compareCodeUnit);
    const table = graphFromLists(
      files,
      files.map(() => []),
    ).files;
    const names = (dir: string): string[] => goPackageIndexes(table, dir).map((i) => table.get(i));
    expect(names('a')).toEqual(['a/b.go', 'a/b0.go', 'a/d.go']);
    expect(names('')).toEqual(['a.go', 'z.go']);
    expect(names('a/b')).toEqual(['a/b/c.go']);
    expect(names('nope')).toEqual([]);
  });
});
