// The saved `handoff conflicts` result: the stop hook's refresh (skipped when nothing it
// depends on moved), and the reads of it for the session-start briefing, `handoff state` and
// the artifact's open questions, as the reader may see it now. Never merges within a read.
import { conflictQuestions, isDefinite } from '../core/conflicts.js';
import type { Hasher } from '../core/hash.js';
import { compareCodeUnit } from '../core/paths.js';
import { requireMergeTree } from '../git/merge-tree.js';
import { openRepository, type RepoInfo } from '../git/repo.js';
import { CONFLICTS_VERSION, type ConflictEntry, type ConflictReport } from '../schema/conflicts.js';
import type { Context } from '../schema/context.js';
import { dependencyStamp, readSavedConflicts, writeSavedConflicts } from '../store/conflicts-file.js';
import { ensureExcluded } from '../store/exclude.js';
import { infoExcludePath, worktreeLayout } from '../store/layout.js';
import { compareAll, planComparison, type Comparison } from './conflicts.js';
import { openStore, resolveDeveloper, type ContextRequest } from './context.js';

/** What a saved result depends on: the worktree (the stop's fingerprint), each target's commit and contexts. */
function comparisonKey(plan: Comparison, worktreeKey: string, hasher: Hasher): string {
  const parts = plan.targets.map((t) => {
    const tip = plan.tips.get(t);
    const contexts = t.contexts.map((c: Context) => c.id).join(',');
    return `${t.ref}\0${tip?.resolved ?? ''}\0${tip?.commit ?? ''}\0${contexts}`;
  });
  return hasher.text([String(CONFLICTS_VERSION), plan.me, worktreeKey, ...parts].join('\n'));
}

/**
 * The stop hook's refresh: recomputes and saves the result unless the worktree, the other
 * branches' tips and the contexts are as when it was last saved. Returns whether it merged.
 * On an idle stop (nothing changed, checked with stat calls only) it runs no git at all.
 * An old git, or a store it cannot read, leaves the saved result as it was.
 */
export async function refreshSavedConflicts(
  repo: RepoInfo,
  env: NodeJS.ProcessEnv,
  now: Date,
  worktreeKey: string,
  hasher: Hasher,
): Promise<boolean> {
  const layout = worktreeLayout(repo.root);
  const saved = readSavedConflicts(layout);
  const quickOf = (refs: readonly string[]): string =>
    hasher.text(`${env.HANDOFF_DEVELOPER ?? ''}\n${worktreeKey}\n${dependencyStamp(repo.commonDir, refs)}`);
  // A branch not found here is watched where it would appear.
  const refsOf = (others: readonly ConflictEntry[]): string[] =>
    others.flatMap((o) => (o.resolved ? [o.resolved] : [`refs/heads/${o.ref}`, `refs/remotes/origin/${o.ref}`]));
  const stillValid = saved?.valid_until === undefined || now.toISOString() < saved.valid_until;
  if (saved?.quick && stillValid && saved.quick === quickOf(refsOf(saved.report.others))) return false;
  await requireMergeTree(repo.root);
  const plan = await planComparison({ cwd: repo.root, env, now }, [], repo);
  const key = comparisonKey(plan, worktreeKey, hasher);
  const expiries = plan.targets.flatMap((t) => t.contexts.map((c) => c.expires_at)).sort(compareCodeUnit);
  const validity = expiries[0] ? { valid_until: expiries[0] } : {};
  const report = saved?.key === key ? saved.report : await compareAll(plan, now);
  ensureExcluded(infoExcludePath(repo.commonDir));
  writeSavedConflicts(layout, { key, quick: quickOf(refsOf(report.others)), ...validity, report });
  return saved?.key !== key;
}

/**
 * The saved result as `reader` may see it now: entries of developers who have since gone
 * private are dropped (a branch reveals their work as much as a handle). Undefined when
 * none was saved, or it was saved for another branch of this worktree.
 */
export async function readConflicts(req: ContextRequest): Promise<ConflictReport | undefined> {
  const repo = await openRepository(req.cwd);
  return savedConflictsFor(repo, req.env, req.now, req.as);
}

export async function savedConflictsFor(
  repo: RepoInfo,
  env: NodeJS.ProcessEnv,
  now: Date,
  as?: string,
): Promise<ConflictReport | undefined> {
  const saved = readSavedConflicts(worktreeLayout(repo.root))?.report;
  if (!saved || saved.branch !== (repo.branch ?? 'HEAD')) return undefined;
  // Nothing to filter: the store is not even opened (the common case, read by every handoff).
  if (saved.others.length === 0) return saved;
  const ctx = await openStore(repo.root, repo);
  const me = (await resolveDeveloper({ cwd: repo.root, env, now, ...(as ? { as } : {}) }, ctx, false)) ?? '';
  const registry = ctx.store.readDevelopers();
  const hidden = (d: string): boolean => d !== me && registry.developers[d]?.visibility === 'private';
  const others = saved.others.flatMap((e): ConflictEntry[] => {
    if (!e.developers.some(hidden)) return [e];
    const contexts = e.contexts.filter((c) => !hidden(c.developer));
    if (e.source === 'context' && contexts.length === 0) return [];
    return [{ ...e, contexts, developers: e.developers.filter((d) => !hidden(d)) }];
  });
  return { ...saved, others, definite: isDefinite(others) };
}

/** The artifact's open questions from the saved result: outside the hashed layers. Never throws. */
export async function conflictOpenQuestions(repo: RepoInfo, env: NodeJS.ProcessEnv, now: Date): Promise<string[]> {
  try {
    const report = await savedConflictsFor(repo, env, now);
    return report ? conflictQuestions(report) : [];
  } catch {
    return [];
  }
}
