// The prefix's hubs: files imported by 3 or more files, ranked source before test support
// (a test helper imported by hundreds of tests says little about the code), and in Go one
// entry per package folder, since a package is what Go imports. Only files with enough
// importers have their paths decoded, so a warm run's cache check stays cheap.
import type { HubSummary } from '../schema/artifact.js';
import { goPackageDir, HUB_MIN_IMPORTERS, type ImportGraph } from './graph.js';
import { compareCodeUnit } from './paths.js';

// Folders that hold tests, fixtures or test helpers in the ecosystems we read, and test
// file names (`x.test.ts`, `x_spec.rb`, `test_x.py`, `conftest.py`, `x_test.go`). One
// regular expression per path: it runs for every hub candidate on a warm run.
const TEST_PATH = new RegExp(
  '(?:^|/)(?:tests?|__tests__|__mocks__|__fixtures__|specs?|e2e|fixtures|testdata|testing)(?:/|$)' +
    '|[._](?:test|spec)\\.[^./]+$|(?:^|/)(?:test_[^/]*\\.pyi?|conftest\\.py)$|_test\\.go$',
);

/** Whether `path` (a file, or a folder for a Go package) is test code or test support, by its name. */
export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

/** Every hub of `graph`, in buildPrefix's order: source first, then more importers, then path. */
export function rankHubs(graph: ImportGraph, counts: Uint32Array): HubSummary[] {
  const hubs: HubSummary[] = [];
  const packages = new Map<string, HubSummary>();
  counts.forEach((n, i) => {
    if (n < HUB_MIN_IMPORTERS) return;
    const path = graph.files.get(i);
    const dir = goPackageDir(path);
    if (dir === undefined) {
      hubs.push(isTestPath(path) ? { path, importers: n, test: true } : { path, importers: n });
      return;
    }
    // Every file of a package has the package's importers; the most-imported one stands for it.
    const p = packages.get(dir);
    if (p === undefined) {
      const name = dir === '' ? '.' : dir;
      const hub: HubSummary = { path: name, importers: n, files: 1 };
      if (isTestPath(name)) hub.test = true;
      packages.set(dir, hub);
    } else {
      p.files = (p.files ?? 0) + 1;
      p.importers = Math.max(p.importers, n);
    }
  });
  hubs.push(...packages.values());
  return hubs.sort(hubOrder);
}

export function hubOrder(a: HubSummary, b: HubSummary): number {
  const tests = Number(a.test === true) - Number(b.test === true);
  return tests || b.importers - a.importers || compareCodeUnit(a.path, b.path);
}
