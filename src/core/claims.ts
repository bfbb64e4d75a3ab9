// Advisory file claims, pure: which claims the records say are active, how a claim looks
// to a given viewer (a private developer's shows no handle or reason), and when two
// claimed paths or globs overlap. Overlap is decided segment by segment and errs towards
// "yes" (it warns people off; a false alarm costs less than a missed one):
// - patterns split on `/`; a `**` segment matches any number of segments (zero included);
// - two segments without wildcards overlap when equal; a literal and a glob segment when the
//   glob matches the literal (wildmatch, core/glob.ts); two glob segments when their literal
//   heads (up to the first wildcard) and literal tails (after the last) are compatible —
//   one a prefix (suffix) of the other — whatever lies between.
// The rule is symmetric by construction (test/core/claims.test.ts checks it as a property).
// A directory is claimed as `dir/**` (api turns an existing folder or `dir/` into that).
import type { Claim, ClaimView } from '../schema/claim.js';
import type { RecordOf } from '../schema/records.js';
import { matchGlob } from './glob.js';
import { compareCodeUnit, normalizeRepoPath } from './paths.js';
import { claimExpiry, claimReleasedAt, type Accumulator } from './records.js';

/** What others see instead of a private developer's handle. */
export const PRIVATE_HOLDER = 'a private developer';

const WILDCARD = /[*?[\\]/;
export const isGlob = (pattern: string): boolean => WILDCARD.test(pattern);

/**
 * A user-given path or glob as stored: repository-relative, `./` and empty segments
 * dropped, a trailing `/` (or nothing: the repository) claiming everything below. Undefined
 * for a pattern that could match outside the repository (absolute, or a `..` segment).
 */
export function normalizeClaimPattern(raw: string): string | undefined {
  const text = raw.trim();
  if (/^([a-zA-Z]:)?[\\/]/.test(text) || text.startsWith('~')) return undefined;
  const dirOnly = text === '' || text.endsWith('/');
  let body: string | undefined;
  if (isGlob(text)) {
    const segments = text.split('/').filter((s) => s !== '' && s !== '.');
    if (segments.includes('..')) return undefined;
    body = segments.join('/');
  } else {
    body = normalizeRepoPath(text);
  }
  if (body === undefined) return undefined;
  if (body === '') return '**';
  return dirOnly ? `${body}/**` : body;
}

/** The literal text before the first wildcard and after the last one of a one-segment glob. */
function literalEnds(segment: string): { head: string; tail: string } {
  const first = segment.search(WILDCARD);
  let last = -1;
  for (let i = 0; i < segment.length; i++) if ('*?]\\'.includes(segment[i]!)) last = i;
  return { head: segment.slice(0, first), tail: segment.slice(last + 1) };
}

function segmentsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const globA = isGlob(a);
  const globB = isGlob(b);
  if (!globA && !globB) return false;
  if (!globA) return matchGlob(b, a);
  if (!globB) return matchGlob(a, b);
  const ea = literalEnds(a);
  const eb = literalEnds(b);
  const heads = ea.head.startsWith(eb.head) || eb.head.startsWith(ea.head);
  const tails = ea.tail.endsWith(eb.tail) || eb.tail.endsWith(ea.tail);
  return heads && tails;
}

/** Whether some path could be matched by both patterns (see the module comment). Symmetric. */
export function patternsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const sa = a.split('/');
  const sb = b.split('/');
  const memo = new Map<number, boolean>();
  const width = sb.length + 1;
  const from = (i: number, j: number): boolean => {
    const key = i * width + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false);
    let result: boolean;
    if (i === sa.length && j === sb.length) result = true;
    else if (i < sa.length && sa[i] === '**') result = from(i + 1, j) || (j < sb.length && from(i, j + 1));
    else if (j < sb.length && sb[j] === '**') result = from(i, j + 1) || (i < sa.length && from(i + 1, j));
    else if (i === sa.length || j === sb.length) result = false;
    else result = segmentsOverlap(sa[i]!, sb[j]!) && from(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return from(0, 0);
}

/** A claim with what the records say of it: its expiry after extensions, and its release. */
export interface ClaimState {
  id: string;
  author: string;
  at: string;
  claim: Claim;
  /** The claim's own expiry or the latest its author extended it to. */
  expires_at: string;
  released_at?: string;
}

/** Every claim the accumulator holds, with extensions and releases by its author applied; oldest first. */
export function resolveClaims(acc: Accumulator): ClaimState[] {
  const out: ClaimState[] = [];
  for (const r of acc.claims.values()) out.push(claimStateOf(acc, r));
  return out.sort((x, y) => compareCodeUnit(x.at, y.at) || compareCodeUnit(x.id, y.id));
}

function claimStateOf(acc: Accumulator, r: RecordOf<'claim'>): ClaimState {
  const released = claimReleasedAt(acc, r);
  return {
    id: r.id,
    author: r.author,
    at: r.at,
    claim: r.claim,
    expires_at: claimExpiry(acc, r),
    ...(released !== undefined ? { released_at: released } : {}),
  };
}

export function claimStatus(c: ClaimState, now: Date): ClaimView['status'] {
  if (c.released_at !== undefined) return 'released';
  return Date.parse(c.expires_at) > now.getTime() ? 'active' : 'expired';
}

export const isActiveClaim = (c: ClaimState, now: Date): boolean => claimStatus(c, now) === 'active';

/** Who is asking: a developer, and the agent session they act in when there is one. */
export interface Viewer {
  me: string;
  session?: string;
  /** Whether a developer is private (their handle and reasons are hidden from others). */
  isPrivate: (developer: string) => boolean;
}

/** Mine: my handle, and my session when both the claim and I name one. */
export function isMine(c: ClaimState, viewer: Viewer): boolean {
  if (c.author !== viewer.me) return false;
  return c.claim.session === undefined || viewer.session === undefined || c.claim.session === viewer.session;
}

/** A claim as `viewer` may see it: another's private claim shows only its pattern and times. */
export function viewClaim(c: ClaimState, viewer: Viewer, now: Date): ClaimView {
  const hidden = c.author !== viewer.me && viewer.isPrivate(c.author);
  const { reason, session, branch } = c.claim;
  return {
    id: c.id,
    pattern: c.claim.pattern,
    holder: hidden ? PRIVATE_HOLDER : c.author,
    ...(!hidden && reason !== undefined ? { reason } : {}),
    ...(!hidden && session !== undefined ? { session } : {}),
    ...(!hidden ? { branch } : {}),
    claimed_at: c.at,
    expires_at: c.expires_at,
    status: claimStatus(c, now),
    ...(c.released_at !== undefined ? { released_at: c.released_at } : {}),
    mine: isMine(c, viewer),
  };
}

/**
 * For each of `paths` (repository-relative paths or globs), the claims overlapping it, in
 * the order given; paths no claim overlaps are left out. Pure: callers choose the claims
 * (active, others', visible) — the briefing, `conflicts` and the pre-edit hook use it.
 */
export function claimsOverlapping<C extends { pattern: string }>(
  claims: readonly C[],
  paths: readonly string[],
): { path: string; claims: C[] }[] {
  const out: { path: string; claims: C[] }[] = [];
  for (const path of paths) {
    const hits = claims.filter((c) => patternsOverlap(c.pattern, path));
    if (hits.length > 0) out.push({ path, claims: hits });
  }
  return out;
}

/** `14:05` (UTC) of an ISO time, as claims are spoken of ("claimed by bob until 14:05 UTC"). */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '?' : `${d.toISOString().slice(11, 16)} UTC`;
}

/** "src/auth/jwt.ts is claimed by bob (refactoring auth) until 14:05 UTC" — unescaped; callers escape. */
export function claimSentence(path: string, c: ClaimView): string {
  const reason = c.reason ? ` (${c.reason})` : '';
  return `${path} is claimed by ${c.holder}${reason} until ${clockTime(c.expires_at)}`;
}

/** "a overlaps b, which is claimed by bob (why) until 14:05 UTC" (or "a is claimed by …" when a is b) — unescaped. */
export function overlapSentence(mine: string, c: ClaimView): string {
  if (mine === c.pattern) return claimSentence(mine, c);
  const reason = c.reason ? ` (${c.reason})` : '';
  return `${mine} overlaps ${c.pattern}, which is claimed by ${c.holder}${reason} until ${clockTime(c.expires_at)}`;
}
