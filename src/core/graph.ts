// The import graph: the base tree's edges (cached with the prefix) overlaid with the
// working-tree edges of changed files. Edges are kept in compressed sparse rows (two
// typed arrays), so a 100k-file graph loads without allocating an array per file, and
// queries are answered in one pass over the edges. In Go the unit of import is the
// package: every non-test file of a package has the importers of the package.
import { compareCodeUnit, dirOf } from './paths.js';

/**
 * Sorted repository paths by index. The cached graph decodes a path only when asked,
 * so a warm run over 100k files creates a handful of strings, not 100k.
 */
export interface PathTable {
  readonly length: number;
  get(i: number): string;
  toArray(): string[];
}

export function pathTable(paths: readonly string[]): PathTable {
  return { length: paths.length, get: (i) => paths[i]!, toArray: () => [...paths] };
}

export interface ImportGraph {
  /** Repository files, sorted by code unit. */
  files: PathTable;
  /** Edges of files[i] are targets[offsets[i] .. offsets[i + 1]). Length files.length + 1. */
  offsets: Uint32Array;
  /** Indexes into `files`. */
  targets: Uint32Array;
}

export const HUB_MIN_IMPORTERS = 3;
export const RISK_MIN_IMPORTERS = 2;

export function graphFromLists(paths: readonly string[], lists: readonly (readonly number[])[]): ImportGraph {
  const files = pathTable(paths);
  const offsets = new Uint32Array(files.length + 1);
  let total = 0;
  lists.forEach((l, i) => {
    offsets[i] = total;
    total += l.length;
  });
  offsets[files.length] = total;
  const targets = new Uint32Array(total);
  lists.forEach((l, i) => targets.set(l, offsets[i]!));
  return { files, offsets, targets };
}

export function importerCounts(graph: ImportGraph): Uint32Array {
  const counts = new Uint32Array(graph.files.length);
  for (const t of graph.targets) counts[t]! += 1;
  return counts;
}

/** The package folder of a Go file that is part of its package's API (not a `_test.go`), else undefined. */
export function goPackageDir(path: string): string | undefined {
  return path.endsWith('.go') && !path.endsWith('_test.go') ? dirOf(path) : undefined;
}

/** Whether risk entry `r` stands for changed `path`: the file itself, or a file of the Go package it names. */
export function riskCovers(r: { path: string; files?: number }, path: string): boolean {
  if (r.files === undefined) return r.path === path;
  const dir = goPackageDir(path);
  return dir !== undefined && (dir === '' ? '.' : dir) === r.path;
}

/** First index whose path is >= `key` in sorted `files`. */
function lowerBound(files: PathTable, key: string): number {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareCodeUnit(files.get(mid), key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Indexes of the Go package files of folder `dir` in sorted `files`. A folder's paths are
 * one contiguous range, and so is each subfolder's, which is skipped by binary search
 * (`sub/` ends before `sub0`, `0` following `/`): the cost is the folder's own entries.
 */
export function goPackageIndexes(files: PathTable, dir: string): number[] {
  const out: number[] = [];
  const prefix = dir === '' ? '' : `${dir}/`;
  let i = prefix === '' ? 0 : lowerBound(files, prefix);
  while (i < files.length) {
    const path = files.get(i);
    if (!path.startsWith(prefix)) break;
    const slash = path.indexOf('/', prefix.length);
    if (slash >= 0) {
      i = lowerBound(files, `${path.slice(0, slash)}0`);
      continue;
    }
    if (goPackageDir(path) !== undefined) out.push(i);
    i++;
  }
  return out;
}

/** Index of `path` in sorted `files`, or -1. */
export function indexOfFile(files: PathTable, path: string): number {
  let lo = 0;
  let hi = files.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareCodeUnit(files.get(mid), path);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The graph as it stands in the working tree: `overrides` maps a changed file to the
 * files it now imports, or to null when it no longer exists.
 */
export class GraphView {
  /** 1 for base files whose out-edges are replaced by an override. */
  private readonly overridden: Uint8Array;

  constructor(
    private readonly base: ImportGraph,
    private readonly overrides: ReadonlyMap<string, readonly string[] | null>,
  ) {
    this.overridden = new Uint8Array(base.files.length);
    for (const path of overrides.keys()) {
      const i = indexOfFile(base.files, path);
      if (i >= 0) this.overridden[i] = 1;
    }
  }

  exists(path: string): boolean {
    const o = this.overrides.get(path);
    return o !== undefined ? o !== null : indexOfFile(this.base.files, path) >= 0;
  }

  importsOf(path: string): string[] {
    const o = this.overrides.get(path);
    if (o !== undefined) return o === null ? [] : [...o].sort(compareCodeUnit);
    const i = indexOfFile(this.base.files, path);
    if (i < 0) return [];
    const out: string[] = [];
    for (let e = this.base.offsets[i]!; e < this.base.offsets[i + 1]!; e++)
      out.push(this.base.files.get(this.base.targets[e]!));
    return out.sort(compareCodeUnit);
  }

  /** The Go package files of folder `dir` in the working tree, sorted. */
  goPackageFiles(dir: string): string[] {
    const out = new Set<string>();
    for (const i of goPackageIndexes(this.base.files, dir)) {
      const path = this.base.files.get(i);
      if (this.overrides.get(path) !== null) out.add(path);
    }
    for (const [path, o] of this.overrides) if (o !== null && goPackageDir(path) === dir) out.add(path);
    return [...out].sort(compareCodeUnit);
  }

  /**
   * Importers of each of `targets`, in one pass over all edges. A Go package file is
   * imported by every importer of its package, so an added or renamed file of a package
   * has the package's importers, not only those of the changed files.
   */
  importersOf(targets: Iterable<string>): Map<string, string[]> {
    const { files, offsets, targets: edges } = this.base;
    const groupKey = (t: string): string => {
      const dir = goPackageDir(t);
      return dir === undefined ? `f:${t}` : `g:${dir}`;
    };
    const groups = new Map<string, Set<string>>();
    const wanted = new Map<string, Set<string>>();
    const slot = new Int32Array(files.length).fill(-1);
    const lists: Set<string>[] = [];
    let inBase = false;
    for (const t of targets) {
      const key = groupKey(t);
      let group = groups.get(key);
      if (group === undefined) {
        group = new Set();
        groups.set(key, group);
        const dir = goPackageDir(t);
        const members = dir === undefined ? [indexOfFile(files, t)] : goPackageIndexes(files, dir);
        for (const i of members) {
          if (i < 0) continue;
          slot[i] = lists.length;
          inBase = true;
        }
        lists.push(group);
      }
      wanted.set(t, group);
    }
    // Files the base never had have no base importers: no pass over the edges for them.
    if (inBase) {
      for (let from = 0; from < files.length; from++) {
        if (this.overridden[from] === 1) continue;
        for (let e = offsets[from]!; e < offsets[from + 1]!; e++) {
          const s = slot[edges[e]!]!;
          if (s >= 0) lists[s]!.add(files.get(from));
        }
      }
    }
    for (const [fromPath, targetsOf] of this.overrides) {
      if (targetsOf === null) continue;
      for (const t of targetsOf) groups.get(groupKey(t))?.add(fromPath);
    }
    const out = new Map<string, string[]>();
    for (const [t, group] of wanted) out.set(t, [...group].filter((p) => p !== t).sort(compareCodeUnit));
    return out;
  }
}
