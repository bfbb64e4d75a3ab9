// Folds what git reports at each layer (branch commits, index, working tree, untracked)
// into one status per path. The most local layer wins, in the Go tool's order:
// untracked > staged > modified > branch. A path gone from the working tree is
// `deleted`; a rename keeps `from` and shows as `renamed` unless edited again later.
// `local` keeps whether `git status` reports the path: a deletion or rename may be either.
import type { ChangeStatus } from '../schema/artifact.js';
import { compareCodeUnit } from './paths.js';

export type Layer = 'branch' | 'staged' | 'modified' | 'untracked';

export interface LayerChange {
  layer: Layer;
  path: string;
  kind: 'added' | 'modified' | 'deleted' | 'renamed' | 'typechange';
  from?: string;
}

export interface MergedChange {
  path: string;
  status: ChangeStatus;
  from?: string;
  /**
   * Reported by `git status` (index, working tree or untracked), not only committed on
   * the branch. Set by mergeChanges; when absent it follows from the status (isLocal).
   */
  local?: boolean;
}

/** Work in progress: not committed yet. Statuses `deleted` and `renamed` need the flag. */
export function isLocal(change: MergedChange): boolean {
  return change.local ?? (change.status === 'staged' || change.status === 'modified' || change.status === 'untracked');
}

const RANK: Record<Layer, number> = { branch: 1, modified: 2, staged: 3, untracked: 4 };

export function mergeChanges(
  changes: readonly LayerChange[],
  existsInWorktree: (path: string) => boolean,
): MergedChange[] {
  const byPath = new Map<string, { top: LayerChange; from?: string }>();
  const renamedAway = new Set<string>();
  const local = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'renamed' && change.from !== undefined) renamedAway.add(change.from);
    if (change.layer !== 'branch') local.add(change.path);
    const seen = byPath.get(change.path);
    const from = change.from ?? seen?.from;
    if (!seen || RANK[change.layer] > RANK[seen.top.layer]) byPath.set(change.path, { top: change, from });
    else if (from !== undefined) seen.from = from;
  }
  const merged: MergedChange[] = [];
  for (const [path, { top, from }] of byPath) {
    // The source of a rename is described by the rename's target, not as a deletion.
    if (renamedAway.has(path) && !existsInWorktree(path)) continue;
    let status: ChangeStatus;
    if (!existsInWorktree(path)) status = 'deleted';
    else if (top.kind === 'renamed') status = 'renamed';
    else status = top.layer;
    const entry: MergedChange = from !== undefined && status !== 'deleted' ? { path, status, from } : { path, status };
    entry.local = local.has(path);
    merged.push(entry);
  }
  return merged.sort((a, b) => compareCodeUnit(a.path, b.path));
}
