// Zod schemas of `handoff conflicts`: the report (what --json prints and `handoff schema
// conflicts` describes) and the saved result the stop hook writes to
// `.codemap/handoff.conflicts.json` for the session-start briefing, `state` and the artifact.
import * as z from 'zod';

export const CONFLICTS_VERSION = 1;

/** Where a compared ref came from: another active context's branch, or `--with`. */
export const conflictSource = z.enum(['context', 'with']);

/**
 * - `conflict`: merge-tree found at least one conflicted path (a definite conflict);
 * - `clean`: merges cleanly (files both sides changed may still be listed);
 * - `missing`: the context's branch exists neither locally nor as a remote-tracking ref;
 * - `unrelated`: no merge-base (unrelated histories, a shallow clone, or no commits of mine).
 */
export const conflictStatus = z.enum(['conflict', 'clean', 'missing', 'unrelated']);

export const conflictEntry = z.object({
  /** The branch or ref as named (a context's branch, or the `--with` argument). */
  ref: z.string(),
  source: conflictSource,
  /** The full ref compared (refs/heads/x, refs/remotes/origin/x), when found. */
  resolved: z.string().optional(),
  commit: z.string().optional(),
  /** The merge-base, where my changes were listed against the contexts' files_touched. */
  merge_base: z.string().optional(),
  /** Developers whose active contexts are on this branch (visible ones only). */
  developers: z.array(z.string()),
  contexts: z.array(z.object({ id: z.string(), developer: z.string(), title: z.string() })),
  status: conflictStatus,
  /** Paths `git merge-tree` reports conflicted, with git's conflict types. */
  conflicts: z.array(z.object({ path: z.string(), types: z.array(z.string()) })),
  /** Paths both sides changed since the merge-base that git had to merge: conflicted or auto-merged. */
  both_changed: z.array(z.string()),
  /** My changed paths (committed or not) that the other contexts list in files_touched. */
  touched_overlap: z.array(z.string()),
  /** My changed paths that an active claim of this branch's developers covers (core/claims.ts overlap). */
  claimed_overlap: z.array(
    z.object({
      path: z.string(),
      pattern: z.string(),
      holder: z.string(),
      reason: z.string().optional(),
      expires_at: z.string(),
    }),
  ),
});
export type ConflictEntry = z.infer<typeof conflictEntry>;

export const conflictReport = z.object({
  schema_version: z.literal(CONFLICTS_VERSION),
  repo: z.string(),
  /** My branch, or HEAD when detached. */
  branch: z.string(),
  head: z.string().optional(),
  /** Whether my side included uncommitted work (staged, modified, untracked, deleted); false when nothing was compared. */
  uncommitted: z.boolean(),
  checked_at: z.string(),
  /** True when any entry is a definite conflict (`--exit-code` exits 4). */
  definite: z.boolean(),
  others: z.array(conflictEntry),
});
export type ConflictReport = z.infer<typeof conflictReport>;

/** The saved result: the report and the key of the state it was computed from (skip a refresh when equal). */
export const savedConflicts = z.object({
  key: z.string(),
  /**
   * A key read without git (the worktree fingerprint, the store's and the compared refs'
   * stat), valid until `valid_until` (the first compared context's expiry): an idle stop
   * that finds it equal does nothing more.
   */
  quick: z.string().optional(),
  valid_until: z.string().optional(),
  report: conflictReport,
});
export type SavedConflicts = z.infer<typeof savedConflicts>;
