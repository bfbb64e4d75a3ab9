// `handoff conflicts`: my work (committed and not) against every other active context's
// branch and the `--with` refs, through git merge-tree in a scratch object directory, so
// the worktree, the index and the refs stay as they were. The saved result (the stop
// hook's refresh, the reads for the briefing, `state` and the artifact): conflicts-saved.ts.
import { claimsOverlapping, viewClaim, type ClaimState } from '../core/claims.js';
import { compareCodeUnit } from '../core/paths.js';
import { activeAndVisible } from '../core/context-rules.js';
import {
  branchRefFor,
  conflictTargets,
  intersect,
  isDefinite,
  targetPeople,
  type ConflictTarget,
} from '../core/conflicts.js';
import { NotFoundError } from '../errors.js';
import {
  branchTips,
  changedPaths,
  mergeTrees,
  openScratch,
  requireMergeTree,
  resolveCommits,
  scratchMergeBase,
  treePaths,
  worktreeCommit,
  type MergeOutcome,
  type Scratch,
  type WorkCommit,
} from '../git/merge-tree.js';
import { openRepository, type RepoInfo } from '../git/repo.js';
import { CONFLICTS_VERSION, type ConflictEntry, type ConflictReport } from '../schema/conflicts.js';
import type { Visibility } from '../schema/context.js';
import { activeClaims, viewerOf } from './claim.js';
import { openStore, recordRead, resolveDeveloper, usage, type ContextRequest, type StoreContext } from './context.js';

export interface ConflictsRequest extends ContextRequest {
  /** `--with <ref>`: refs compared besides the other contexts' branches. */
  with?: readonly string[];
}

/** The listings of my changes against each merge-base run side by side, a few at a time. */
const PARALLEL_QUERIES = 4;

const zip = <A, B>(a: readonly A[], b: readonly B[]): [A, B][] => a.map((x, k) => [x, b[k]!]);

export interface Comparison {
  repo: RepoInfo;
  ctx: StoreContext;
  me: string;
  targets: ConflictTarget[];
  /** Commit of each target that has one here, and the ref it was read from. */
  tips: Map<ConflictTarget, { commit: string; resolved?: string }>;
  /** Others' active claims, to meet my changed paths. */
  claims: ClaimState[];
  now: Date;
  session?: string;
}

/** The visible active contexts and the targets they make, with each target's commit. */
export async function planComparison(
  req: ContextRequest,
  withRefs: readonly string[],
  known?: RepoInfo,
): Promise<Comparison> {
  const repo = known ?? (await openRepository(req.cwd));
  const ctx = await openStore(repo.root, repo);
  const me = (await resolveDeveloper(req, ctx, false)) ?? '';
  const registry = ctx.store.readDevelopers();
  const lookup = (d: string): Visibility => registry.developers[d]?.visibility ?? 'public';
  const shown = activeAndVisible(me, lookup, req.now);
  const active = [...ctx.store.snapshot().contexts.values()].filter(shown);
  const myBranch = repo.branch ?? 'HEAD';
  const targets = conflictTargets(active, { developer: me, repo: ctx.repoId, branch: myBranch }, withRefs);
  const refs = await branchTips(repo.root);
  const tips: Comparison['tips'] = new Map();
  const given = targets.filter((t) => t.source === 'with');
  const commits = await resolveCommits(
    repo.root,
    given.map((t) => t.ref),
  );
  given.forEach((target, k) => {
    const commit = commits[k];
    if (!commit) throw new NotFoundError(`no commit named "${target.ref}"`, 'give a branch, tag or commit for --with');
    tips.set(target, { commit });
  });
  for (const target of targets) {
    const resolved = target.source === 'context' ? branchRefFor(target.ref, refs, myBranch) : undefined;
    if (resolved) tips.set(target, { commit: refs.get(resolved)!, resolved });
  }
  const claims = activeClaims(ctx.store.snapshot().acc, req.now).filter((c) => c.author !== me);
  return { repo, ctx, me, targets, tips, claims, now: req.now, ...(req.session ? { session: req.session } : {}) };
}

/** Runs `fn` over `items`, at most `limit` at once, keeping their order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** One target against my work: merge-tree, the files both sides changed, overlaps with files_touched. */
async function compareOne(
  plan: Comparison,
  scratch: Scratch,
  work: WorkCommit,
  mineSince: (base: string) => Promise<string[]>,
  target: ConflictTarget,
  merged: MergeOutcome | undefined,
): Promise<ConflictEntry> {
  const tip = plan.tips.get(target);
  const touched = target.contexts.flatMap((c) => c.files_touched);
  const entry: ConflictEntry = {
    ref: target.ref,
    source: target.source,
    ...(tip?.resolved ? { resolved: tip.resolved } : {}),
    ...(tip ? { commit: tip.commit } : {}),
    ...targetPeople(target),
    status: 'missing',
    conflicts: [],
    both_changed: [],
    touched_overlap: [],
    claimed_overlap: [],
  };
  const root = plan.repo.root;
  if (!work.commit) {
    // No commits of mine: nothing to merge, but every file I have is new work.
    const mine = await treePaths(root, scratch, work.tree);
    return { ...entry, status: tip ? 'unrelated' : 'missing', touched_overlap: intersect(mine, touched) };
  }
  if (!tip) return { ...entry, touched_overlap: intersect(await mineSince(plan.repo.head ?? work.commit), touched) };
  const outcome = merged;
  if (!outcome) return { ...entry, status: 'unrelated' };
  const found: ConflictEntry = {
    ...entry,
    status: outcome.clean ? 'clean' : 'conflict',
    conflicts: outcome.conflicts,
    both_changed: [...outcome.bothChanged].sort(compareCodeUnit),
  };
  const claims = plan.claims.filter((c) => target.contexts.some((x) => x.developer === c.author));
  if (touched.length === 0 && claims.length === 0) return found;
  // Only for contexts that list files or hold claims: my changes since the merge-base, to meet them.
  const base = await scratchMergeBase(root, scratch, work.commit, tip.commit);
  if (!base) return found;
  const mine = await mineSince(base);
  const claimed = claimedOverlap(plan, claims, mine);
  return { ...found, merge_base: base, touched_overlap: intersect(mine, touched), claimed_overlap: claimed };
}

/** My changed paths each claim of theirs covers, as the caller may see the claim. */
function claimedOverlap(
  plan: Comparison,
  claims: ClaimState[],
  mine: readonly string[],
): ConflictEntry['claimed_overlap'] {
  if (claims.length === 0) return [];
  const viewer = viewerOf(plan.ctx, plan.me, plan.session);
  const views = claims.map((c) => viewClaim(c, viewer, plan.now));
  return claimsOverlapping(views, mine).flatMap(({ path, claims: hits }) =>
    hits.map((c) => ({
      path,
      pattern: c.pattern,
      holder: c.holder,
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
      expires_at: c.expires_at,
    })),
  );
}

/** My side, built in a scratch object directory: started before the plan when the caller knows it will compare. */
interface MySide {
  scratch: Scratch;
  work: Promise<WorkCommit>;
}

async function startMySide(repo: RepoInfo): Promise<MySide> {
  const scratch = await openScratch(repo);
  const work = worktreeCommit(repo, scratch);
  // Awaited by compareAll or by the caller's cleanup; never an unhandled rejection meanwhile.
  work.catch(() => undefined);
  return { scratch, work };
}

/** Removes the scratch directory once no git process writes into it any more. */
async function disposeMySide(side: MySide): Promise<void> {
  await side.work.catch(() => undefined);
  side.scratch.dispose();
}

/** Every target compared; `side` (my worktree as a commit) is built here unless the caller started it. */
export async function compareAll(plan: Comparison, now: Date, started?: MySide): Promise<ConflictReport> {
  const { repo } = plan;
  const report = {
    schema_version: CONFLICTS_VERSION,
    repo: plan.ctx.repoId,
    branch: repo.branch ?? 'HEAD',
    ...(repo.head ? { head: repo.head } : {}),
    uncommitted: false,
    checked_at: now.toISOString(),
    definite: false,
    others: [],
  } satisfies ConflictReport;
  // Nothing to compare with: the worktree is not read (unless the caller already did).
  if (plan.targets.length === 0) return report;
  const side = started ?? (await startMySide(repo));
  const { scratch } = side;
  try {
    const work = await side.work;
    const cache = new Map<string, Promise<string[]>>();
    const mineSince = (base: string): Promise<string[]> => {
      let found = cache.get(base);
      if (!found) cache.set(base, (found = changedPaths(repo.root, scratch, base, work.commit!)));
      return found;
    };
    // One merge per branch, all in one merge-tree process.
    const merging = work.commit ? plan.targets.filter((t) => plan.tips.has(t)) : [];
    const pairs = merging.map((t) => ({ ours: work.commit!, theirs: plan.tips.get(t)!.commit }));
    const outcomes = new Map(zip(merging, await mergeTrees(repo.root, scratch, pairs)));
    const compare = (t: ConflictTarget): Promise<ConflictEntry> =>
      compareOne(plan, scratch, work, mineSince, t, outcomes.get(t));
    const others = await mapLimit(plan.targets, PARALLEL_QUERIES, compare);
    return { ...report, uncommitted: work.uncommitted, definite: isDefinite(others), others };
  } finally {
    if (!started) await disposeMySide(side);
  }
}

/** `handoff conflicts [--with <ref>]...`: the report; the caller decides what a definite conflict exits with. */
export async function findConflicts(req: ConflictsRequest): Promise<ConflictReport> {
  const repo = await openRepository(req.cwd);
  await requireMergeTree(repo.root);
  // The worktree scan (the costly part on a large repository) runs while the plan is made.
  const side = await startMySide(repo);
  try {
    const plan = await planComparison(req, req.with ?? [], repo);
    const report = await compareAll(plan, req.now, side);
    // The usage event, best effort: a store we cannot lock (read-only, busy) does not fail the command.
    const event = usage('conflicts', plan.me || undefined, plan.ctx, req.now, { branch: report.branch });
    await recordRead(plan.ctx, req.now, { events: [event] });
    return report;
  } finally {
    await disposeMySide(side);
  }
}
