// Advisory file claims: add (a new claim, or an extension of the same session's), release,
// list and check, over the team store. Input is checked here before anything is written;
// `--strict` decides under the store lock (store.write's function form), so of N racing
// strict claims on one path exactly one is recorded. The rules (overlap, expiry, what a
// private developer's claim shows) are core/claims.ts's.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ulid } from 'ulid';
import {
  claimsOverlapping,
  isActiveClaim,
  isGlob,
  isMine,
  normalizeClaimPattern,
  overlapSentence,
  patternsOverlap,
  resolveClaims,
  viewClaim,
  type ClaimState,
  type Viewer,
} from '../core/claims.js';
import { contentViolation } from '../core/context-rules.js';
import { accumulate, emptyAccumulator } from '../core/records.js';
import { compareCodeUnit } from '../core/paths.js';
import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import {
  CLAIM_LIMITS,
  CLAIM_TTL_MINUTES,
  type ClaimAddResult,
  type ClaimCheckResult,
  type ClaimView,
} from '../schema/claim.js';
import type { EventRecord } from '../schema/context.js';
import { firstUnsafeChar } from '../schema/text.js';
import type { RecordOf, StoreRecord } from '../schema/records.js';
import { openTeamStore, usage, type ContextRequest, type StoreContext } from './context.js';

export interface ClaimAddInput {
  patterns: readonly string[];
  ttlMinutes?: number;
  reason?: string;
  strict?: boolean;
}

const iso = (d: Date): string => d.toISOString();

export function work(name: string, me: string, ctx: StoreContext, now: Date): EventRecord {
  return { time: iso(now), kind: 'work', name, developer: me, repo: ctx.repoId, branch: ctx.repo.branch ?? 'HEAD' };
}

export function viewerOf(ctx: StoreContext, me: string, session: string | undefined): Viewer {
  const registry = ctx.store.readDevelopers();
  return {
    me,
    ...(session !== undefined ? { session } : {}),
    isPrivate: (d) => registry.developers[d]?.visibility === 'private',
  };
}

/**
 * The stored form of a user-given path or glob: repository-relative (exit 2 when it could
 * match outside), and an existing folder claimed as `folder/**`.
 */
function claimPattern(raw: string, root: string): string {
  const pattern = normalizeClaimPattern(raw);
  if (pattern === undefined) {
    throw new UsageError(
      `"${raw}" could match outside the repository`,
      'give a repository-relative path or glob, without .. or a leading /',
    );
  }
  if (pattern.length > CLAIM_LIMITS.pattern) {
    throw new UsageError(`"${raw.slice(0, 40)}…" is longer than ${CLAIM_LIMITS.pattern} characters`);
  }
  if (firstUnsafeChar(pattern, 'line')) throw new UsageError(`"${raw}" holds a control character`);
  if (isGlob(pattern) || pattern.endsWith('/**')) return pattern;
  return statSync(resolve(root, pattern), { throwIfNoEntry: false })?.isDirectory() ? `${pattern}/**` : pattern;
}

function claimPatterns(raws: readonly string[], root: string): string[] {
  if (raws.length === 0) throw new UsageError('no path to claim', 'give one or more paths or globs');
  if (raws.length > CLAIM_LIMITS.patterns)
    throw new UsageError(`${raws.length} paths; the limit is ${CLAIM_LIMITS.patterns} per command`);
  return [...new Set(raws.map((r) => claimPattern(r, root)))];
}

function checkedReason(reason: string | undefined): string | undefined {
  const text = reason?.trim();
  if (!text) return undefined;
  if (text.length > CLAIM_LIMITS.reason)
    throw new UsageError(`--reason is ${text.length} characters; the limit is ${CLAIM_LIMITS.reason}`);
  const unsafe = firstUnsafeChar(text, 'line');
  if (unsafe) throw new UsageError('--reason holds a line break or a control character', 'give one line of text');
  const why = contentViolation(text);
  if (why) throw new UsageError(`--reason was rejected because ${why}: claims hold metadata only`);
  return text;
}

function checkedTtl(minutes: number | undefined): number {
  const ttl = minutes ?? CLAIM_TTL_MINUTES.default;
  if (!Number.isInteger(ttl) || ttl < CLAIM_TTL_MINUTES.min || ttl > CLAIM_TTL_MINUTES.max) {
    const { min, max } = CLAIM_TTL_MINUTES;
    throw new UsageError(`--ttl-minutes ${ttl} is out of range`, `use a whole number of minutes from ${min} to ${max}`);
  }
  return ttl;
}

/** The active claims the folded records hold at `now`, oldest first. */
export function activeClaims(acc: Parameters<typeof resolveClaims>[0], now: Date): ClaimState[] {
  return resolveClaims(acc).filter((c) => isActiveClaim(c, now));
}

const sameHolder = (c: ClaimState, me: string, session: string | undefined): boolean =>
  c.author === me && c.claim.session === session;

export async function addClaims(req: ContextRequest, input: ClaimAddInput): Promise<ClaimAddResult> {
  const { ctx, me: acting } = await openTeamStore(req);
  const me = acting!;
  const patterns = claimPatterns(input.patterns, ctx.repo.root);
  const ttl = checkedTtl(input.ttlMinutes);
  const reason = checkedReason(input.reason);
  const viewer = viewerOf(ctx, me, req.session);
  const expires = iso(new Date(req.now.getTime() + ttl * 60_000));
  const branch = ctx.repo.branch ?? 'HEAD';
  let result: ClaimAddResult = { claims: [], conflicts: [] };
  const decide = (snap: { acc: Parameters<typeof resolveClaims>[0] }): StoreRecord[] => {
    const active = activeClaims(snap.acc, req.now);
    const others = active.filter((c) => !isMine(c, viewer));
    const conflicts = others.filter((c) => patterns.some((p) => patternsOverlap(p, c.claim.pattern)));
    const views = conflicts.map((c) => viewClaim(c, viewer, req.now));
    if (input.strict && views.length > 0) {
      const first = views[0]!;
      const mine = patterns.find((p) => patternsOverlap(p, first.pattern)) ?? first.pattern;
      const more = views.length > 1 ? ` (and ${views.length - 1} more)` : '';
      throw new ConflictError(
        `conflict: ${overlapSentence(mine, first)}${more}; nothing was claimed`,
        'wait for it to be released or expire, ask the holder, or claim without --strict',
      );
    }
    const records: StoreRecord[] = [];
    const claims: ClaimAddResult['claims'] = [];
    for (const pattern of patterns) {
      const own = active.find((c) => sameHolder(c, me, req.session) && c.claim.pattern === pattern);
      if (own) {
        const later = compareCodeUnit(expires, own.expires_at) > 0 ? expires : own.expires_at;
        records.push(extendRecord(own.id, me, req.now, later));
        claims.push({ ...viewClaim({ ...own, expires_at: later }, viewer, req.now), extended: true });
        continue;
      }
      const record = newClaim(me, req, { pattern, reason, branch, repo: ctx.repoId, expires, ttl });
      records.push(record);
      claims.push({ ...viewClaim(stateOf(record), viewer, req.now), extended: false });
    }
    result = { claims, conflicts: views };
    return records;
  };
  const events = [usage('claim.add', me, ctx, req.now), work('session.claimed', me, ctx, req.now)];
  await ctx.store.write(decide, { now: req.now, events });
  return result;
}

interface NewClaim {
  pattern: string;
  reason: string | undefined;
  branch: string;
  repo: string;
  expires: string;
  ttl: number;
}

function newClaim(me: string, req: ContextRequest, c: NewClaim): RecordOf<'claim'> {
  return {
    id: ulid(req.now.getTime()),
    author: me,
    at: iso(req.now),
    kind: 'claim',
    claim: {
      pattern: c.pattern,
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
      ...(req.session !== undefined ? { session: req.session } : {}),
      repo: c.repo,
      branch: c.branch,
      expires_at: c.expires,
      ttl_minutes: c.ttl,
    },
  };
}

const extendRecord = (id: string, me: string, now: Date, expires: string): RecordOf<'claim_extend'> => ({
  id: ulid(now.getTime()),
  author: me,
  at: iso(now),
  kind: 'claim_extend',
  claim_id: id,
  expires_at: expires,
});

export const releaseRecord = (id: string, me: string, now: Date): RecordOf<'claim_release'> => ({
  id: ulid(now.getTime()),
  author: me,
  at: iso(now),
  kind: 'claim_release',
  claim_id: id,
});

const stateOf = (r: RecordOf<'claim'>): ClaimState => ({
  id: r.id,
  author: r.author,
  at: r.at,
  claim: r.claim,
  expires_at: r.claim.expires_at,
});

/** Releases claims of mine by id, or with `all` every active claim of mine (of my session, when I act in one). */
export async function releaseClaims(req: ContextRequest, ids: readonly string[] | 'all'): Promise<ClaimView[]> {
  const { ctx, me: acting } = await openTeamStore(req);
  const me = acting!;
  if (ids !== 'all' && ids.length === 0) throw new UsageError('no claim to release', 'give claim ids, or --all');
  const viewer = viewerOf(ctx, me, req.session);
  let released: ClaimView[] = [];
  const decide = (snap: { acc: Parameters<typeof resolveClaims>[0] }): StoreRecord[] => {
    const active = activeClaims(snap.acc, req.now).filter((c) => c.author === me);
    const chosen =
      ids === 'all'
        ? active.filter((c) => isMine(c, viewer))
        : ids.map((id) => {
            const found = active.find((c) => c.id === id);
            if (!found) throw new NotFoundError(`no active claim "${id}" of yours`, 'see `handoff claim list`');
            return found;
          });
    released = chosen.map((c) => ({ ...viewClaim(c, viewer, req.now), status: 'released', released_at: iso(req.now) }));
    return chosen.map((c) => releaseRecord(c.id, me, req.now));
  };
  const events = [usage('claim.release', me, ctx, req.now), work('session.claims_released', me, ctx, req.now)];
  await ctx.store.write(decide, { now: req.now, events });
  return released;
}

const newestFirst = (a: ClaimView, b: ClaimView): number =>
  compareCodeUnit(b.claimed_at, a.claimed_at) || compareCodeUnit(b.id, a.id);

/** Active claims (everyone's, as I may see them), or with `all` every claim the store ever held. */
export async function listClaims(req: ContextRequest, options: { all?: boolean } = {}): Promise<ClaimView[]> {
  const { ctx, me: acting } = await openTeamStore(req, false);
  const me = acting ?? '';
  const viewer = viewerOf(ctx, me, req.session);
  const claims = options.all
    ? resolveClaims(accumulate(emptyAccumulator(), ctx.store.allRecords()))
    : activeClaims(ctx.store.snapshot().acc, req.now);
  await appendUsage(ctx, usage('claim.list', me || undefined, ctx, req.now));
  return claims.map((c) => viewClaim(c, viewer, req.now)).sort(newestFirst);
}

/** Per path (or glob), the active claims overlapping it: others' (a conflict) and mine. */
export async function checkClaims(req: ContextRequest, paths: readonly string[]): Promise<ClaimCheckResult> {
  const { ctx, me: acting } = await openTeamStore(req, false);
  const me = acting ?? '';
  const wanted = claimPatterns(paths, ctx.repo.root);
  const viewer = viewerOf(ctx, me, req.session);
  const views = activeClaims(ctx.store.snapshot().acc, req.now).map((c) => viewClaim(c, viewer, req.now));
  const hits = new Map(claimsOverlapping(views, wanted).map((h) => [h.path, h.claims]));
  const result = wanted.map((path) => {
    const claims = hits.get(path) ?? [];
    return { path, held_by_others: claims.filter((c) => !c.mine), mine: claims.filter((c) => c.mine) };
  });
  await appendUsage(ctx, usage('claim.check', me || undefined, ctx, req.now));
  return { paths: result, conflict: result.some((p) => p.held_by_others.length > 0) };
}

/** A read's usage event, when the lock is free at once: a read never waits on writers for it. */
async function appendUsage(ctx: StoreContext, event: EventRecord): Promise<void> {
  try {
    await ctx.store.locked(() => ctx.store.appendEventsLocked([event]), { timeoutMs: 200 });
  } catch {
    /* bookkeeping only: a busy or read-only store still answers */
  }
}
