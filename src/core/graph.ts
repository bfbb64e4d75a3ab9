// The import graph: the base tree's edges (cached with the prefix) overlaid with the
// working-tree edges of changed files. Queries are answered in one pass over the edges,
// so a handoff never materialises a second copy of a 100k-file graph.
import { compareCodeUnit } from './paths.js';

export interface ImportGraph {
  /** Sorted repository files. */
  files: readonly string[];
  /** imports[i]: indexes into `files` imported by files[i]. */
  imports: readonly (readonly number[])[];
}

export const HUB_MIN_IMPORTERS = 3;
export const RISK_MIN_IMPORTERS = 2;

export function importerCounts(graph: ImportGraph): Uint32Array {
  const counts = new Uint32Array(graph.files.length);
  for (const targets of graph.imports) for (const t of targets) counts[t]! += 1;
  return counts;
}

/**
 * The graph as it stands in the working tree: `overrides` maps a changed file to the
 * files it now imports, or to null when it no longer exists.
 */
export class GraphView {
  private readonly index = new Map<string, number>();

  constructor(
    private readonly base: ImportGraph,
    private readonly overrides: ReadonlyMap<string, readonly string[] | null>,
  ) {
    base.files.forEach((f, i) => this.index.set(f, i));
  }

  exists(path: string): boolean {
    const o = this.overrides.get(path);
    return o !== undefined ? o !== null : this.index.has(path);
  }

  importsOf(path: string): string[] {
    const o = this.overrides.get(path);
    if (o !== undefined) return o === null ? [] : [...o];
    const i = this.index.get(path);
    return i === undefined ? [] : (this.base.imports[i] ?? []).map((t) => this.base.files[t]!).sort(compareCodeUnit);
  }

  /** Importers of each of `targets`, in one pass over all edges. */
  importersOf(targets: Iterable<string>): Map<string, string[]> {
    const wanted = new Map<string, string[]>();
    for (const t of targets) wanted.set(t, []);
    const wantedIndex = new Map<number, string[]>();
    for (const [t, list] of wanted) {
      const i = this.index.get(t);
      if (i !== undefined) wantedIndex.set(i, list);
    }
    if (wantedIndex.size > 0) {
      this.base.imports.forEach((targetsOf, from) => {
        const fromPath = this.base.files[from]!;
        if (this.overrides.has(fromPath)) return;
        for (const t of targetsOf) wantedIndex.get(t)?.push(fromPath);
      });
    }
    for (const [fromPath, targetsOf] of this.overrides) {
      if (targetsOf === null) continue;
      for (const t of targetsOf) wanted.get(t)?.push(fromPath);
    }
    for (const list of wanted.values()) list.sort(compareCodeUnit);
    return wanted;
  }
}
