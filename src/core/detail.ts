// One changed file's detail, pure: its stub, importers and imports in the working-tree graph,
// its recent events, and whether files still import the old path of a rename. Also the
// nearest changed paths to a name that is not one (the hint of a --detail that misses).
import type { EventSummary, FileDetail } from '../schema/artifact.js';
import type { MergedChange } from './changes.js';
import { toStub, type DeltaInput } from './delta.js';
import { HUB_MIN_IMPORTERS } from './graph.js';
import { baseName, compareCodeUnit } from './paths.js';

export interface DetailFacts {
  /** Importers of each changed path in the working-tree graph. */
  importers: ReadonlyMap<string, string[]>;
  /** Files still importing the old path of a renamed file, by new path. */
  oldPathImporters: ReadonlyMap<string, string[]>;
  /** Size and hash of each changed file that exists. */
  files: DeltaInput['facts'];
  events: readonly EventSummary[];
  /** What `path` imports in the working-tree graph. */
  importsOf: (path: string) => string[];
}

/** One changed file's detail; its importers were found with every other changed file's, in one pass. */
export function buildDetail(change: MergedChange, facts: DetailFacts): FileDetail {
  const importers = facts.importers.get(change.path) ?? [];
  const stub = toStub(change, facts.files);
  const detail: FileDetail = {
    path: stub.path,
    status: stub.status,
    size: stub.size,
    hash: stub.hash,
    importers,
    imports: facts.importsOf(change.path),
    recent_events: facts.events.filter((e) => e.path === change.path).sort((a, b) => compareCodeUnit(a.time, b.time)),
    is_hub: importers.length >= HUB_MIN_IMPORTERS,
  };
  if (stub.from !== undefined) detail.from = stub.from;
  const stale = facts.oldPathImporters.get(change.path);
  if (stale !== undefined) detail.still_importing_old_path = stale;
  return detail;
}

/** Up to three changed paths nearest to `wanted`: same file name first, then edit distance. */
export function closestPaths(wanted: string, paths: readonly string[]): string[] {
  const name = baseName(wanted);
  const scored = paths.map((p) => ({ p, score: (baseName(p) === name ? 0 : 1000) + editDistance(wanted, p) }));
  scored.sort((a, b) => a.score - b.score || compareCodeUnit(a.p, b.p));
  return scored.slice(0, 3).map((s) => s.p);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
