// Zod schemas of advisory file claims: what a claim record holds, the two records that
// change its state (extend, release), and a claim as `claim list|check|add` return it.
import * as z from 'zod';

export const CLAIM_TTL_MINUTES = { min: 5, max: 1440, default: 60 } as const;
export const CLAIM_LIMITS = { reason: 500, pattern: 1_024, patterns: 100 } as const;

/** One claimed path or glob, repository-relative, held until `expires_at` (or a release). */
export const claim = z.object({
  /** A repository-relative path or wildmatch glob; a directory is stored as `<dir>/**`. */
  pattern: z.string().min(1),
  reason: z.string().optional(),
  /** The claiming agent session, when it had one: the same session extends instead of claiming twice. */
  session: z.string().optional(),
  repo: z.string(),
  branch: z.string(),
  expires_at: z.string(),
  ttl_minutes: z.number(),
});
export type Claim = z.infer<typeof claim>;

/** A claim as the commands return it; a private developer's shows no handle, reason, session or branch. */
export const claimView = z.object({
  id: z.string(),
  pattern: z.string(),
  /** The holder's handle, or "a private developer". */
  holder: z.string(),
  reason: z.string().optional(),
  session: z.string().optional(),
  branch: z.string().optional(),
  claimed_at: z.string(),
  expires_at: z.string(),
  status: z.enum(['active', 'expired', 'released']),
  released_at: z.string().optional(),
  /** Held by the caller (same developer, and same session when both have one). */
  mine: z.boolean(),
});
export type ClaimView = z.infer<typeof claimView>;

/** `claim add --json`: the caller's claims (new or extended) and others' active claims they overlap. */
export const claimAddResult = z.object({
  claims: z.array(claimView.extend({ extended: z.boolean() })),
  conflicts: z.array(claimView),
});
export type ClaimAddResult = z.infer<typeof claimAddResult>;

/** `claim check --json`: per path, the active claims of others (and mine) that overlap it. */
export const claimCheckResult = z.object({
  paths: z.array(z.object({ path: z.string(), held_by_others: z.array(claimView), mine: z.array(claimView) })),
  /** Whether any path is claimed by another developer or session (exit 4 with --exit-code). */
  conflict: z.boolean(),
});
export type ClaimCheckResult = z.infer<typeof claimCheckResult>;
