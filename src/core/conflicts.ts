// Conflict rules, pure: which refs my work is compared with (the other active contexts of
// this repository, grouped by branch, plus `--with` refs), which ref names a context's
// branch here, what a comparison found, and how a definite conflict reads as an open question.
import type { Context } from '../schema/context.js';
import type { ConflictEntry, ConflictReport } from '../schema/conflicts.js';
import { compareCodeUnit } from './paths.js';

export interface ConflictTarget {
  ref: string;
  source: ConflictEntry['source'];
  contexts: Context[];
}

/**
 * The other active contexts of `repo`, one target per branch (in code-unit order), then the
 * `--with` refs not already among them. My own context on my own branch is not "other";
 * a context published from a detached HEAD names no branch to compare with.
 */
export function conflictTargets(
  active: readonly Context[],
  me: { developer: string; repo: string; branch: string },
  withRefs: readonly string[],
): ConflictTarget[] {
  const byBranch = new Map<string, Context[]>();
  for (const c of active) {
    if (c.repo !== me.repo || c.branch === 'HEAD') continue;
    if (c.developer === me.developer && c.branch === me.branch) continue;
    byBranch.set(c.branch, [...(byBranch.get(c.branch) ?? []), c]);
  }
  const targets: ConflictTarget[] = [...byBranch.keys()]
    .sort(compareCodeUnit)
    .map((ref) => ({ ref, source: 'context', contexts: byBranch.get(ref)! }));
  const seen = new Set<string>();
  for (const ref of withRefs) {
    if (seen.has(ref) || byBranch.has(ref)) continue;
    seen.add(ref);
    targets.push({ ref, source: 'with', contexts: [] });
  }
  return targets;
}

/**
 * The ref that holds a context's branch here: the local branch (unless it is my own
 * branch: then only a remote-tracking copy is someone else's work), else origin's
 * remote-tracking ref, else another remote's (first in code-unit order).
 */
export function branchRefFor(branch: string, tips: ReadonlyMap<string, string>, myBranch: string): string | undefined {
  const local = `refs/heads/${branch}`;
  if (branch !== myBranch && tips.has(local)) return local;
  if (tips.has(`refs/remotes/origin/${branch}`)) return `refs/remotes/origin/${branch}`;
  const suffix = `/${branch}`;
  return [...tips.keys()]
    .filter(
      (r) =>
        r.startsWith('refs/remotes/') && r.endsWith(suffix) && r.split('/').length === branch.split('/').length + 3,
    )
    .sort(compareCodeUnit)[0];
}

/** What both sides share, in code-unit order. */
export function intersect(mine: readonly string[], theirs: Iterable<string>): string[] {
  const set = new Set(mine);
  return [...new Set(theirs)].filter((p) => set.has(p)).sort(compareCodeUnit);
}

/** The identity part of an entry: who works on the target, visible contexts only. */
export function targetPeople(target: ConflictTarget): Pick<ConflictEntry, 'developers' | 'contexts'> {
  const developers = [...new Set(target.contexts.map((c) => c.developer))].sort(compareCodeUnit);
  const contexts = target.contexts.map((c) => ({ id: c.id, developer: c.developer, title: c.title }));
  return { developers, contexts };
}

export const isDefinite = (entries: readonly ConflictEntry[]): boolean => entries.some((e) => e.status === 'conflict');

const SHOWN_PATHS = 3;

/** "bob's feature/payments", "feature/payments" for a `--with` ref. */
export function ownerOf(entry: ConflictEntry): string {
  const [first, ...rest] = entry.developers;
  if (!first) return entry.ref;
  return `${rest.length === 0 ? first : `${first} and ${rest.length} other${rest.length > 1 ? 's' : ''}`}'s ${entry.ref}`;
}

/** Up to three paths, then how many more. */
export function pathList(paths: readonly string[]): string {
  const shown = paths.slice(0, SHOWN_PATHS).join(', ');
  return paths.length > SHOWN_PATHS ? `${shown} and ${paths.length - SHOWN_PATHS} more` : shown;
}

/** The open questions a saved result adds to the artifact: one per definite conflict. */
export function conflictQuestions(report: ConflictReport): string[] {
  return report.others
    .filter((e) => e.status === 'conflict')
    .map((e) => `conflicts with ${ownerOf(e)} in ${pathList(e.conflicts.map((c) => c.path))}`);
}
