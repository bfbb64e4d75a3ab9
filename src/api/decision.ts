// The team's decision log: add, list and revoke over the clone's team store. Input is
// checked here (metadata only, repository-relative paths, lengths) before anything is
// written; which decisions stand and who sees them is core's (core/decisions.ts).
import { ulid } from 'ulid';
import { contentViolation } from '../core/context-rules.js';
import { filterDecisions, visibleDecisions } from '../core/decisions.js';
import { parseDuration } from '../core/duration.js';
import type { Accumulator } from '../core/records.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { EventRecord } from '../schema/context.js';
import { DECISION_LIMITS, decisionInput, type DecisionView, type RevokedRecord } from '../schema/decision.js';
import type { RecordOf, StoreRecord } from '../schema/records.js';
import {
  idAfter,
  normalizeTouched,
  openTeamStore,
  recordRead,
  usage,
  visibilityLookup,
  type ContextRequest,
  type StoreContext,
} from './context.js';

/** The fold of the team store's live records (checkpoint plus log tail), from which decisions and interfaces are read. */
export function teamFold(ctx: StoreContext): Accumulator {
  return ctx.store.snapshot().acc;
}

/** A text field of a decision or interface: within `max` characters, and prose, never pasted source or a diff. */
export function checkProse(field: string, value: string, max: number): string {
  if (value.length > max)
    throw new UsageError(`${field} is ${value.length} characters; the limit is ${max}`, 'shorten it');
  const why = contentViolation(value);
  if (why) {
    throw new UsageError(
      `${field} was rejected because ${why}: the team store holds metadata only`,
      'say it in words and name files with --file',
    );
  }
  return value;
}

/** Parses a command's input with its zod schema; the first issue becomes a one-line usage error. */
export function parseInput<T>(
  what: string,
  parsed:
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } },
): T {
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsageError(`invalid ${what}: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
}

export function workEvent(name: string, developer: string, ctx: StoreContext, now: Date, branch?: string): EventRecord {
  return { time: now.toISOString(), kind: 'work', name, developer, repo: ctx.repoId, ...(branch ? { branch } : {}) };
}

export async function addDecision(req: ContextRequest, raw: unknown): Promise<DecisionView> {
  const input = parseInput('decision', decisionInput.safeParse(raw));
  const text = checkProse('the decision', input.text, DECISION_LIMITS.text);
  if (text === '') throw new UsageError('the decision is empty', 'say what was decided, e.g. handoff decision add "…"');
  const why =
    input.why === undefined || input.why === '' ? undefined : checkProse('--why', input.why, DECISION_LIMITS.why);
  const task =
    input.task === undefined || input.task === '' ? undefined : checkProse('--task', input.task, DECISION_LIMITS.task);
  if (input.files.length > DECISION_LIMITS.files)
    throw new UsageError(`${input.files.length} files given; the limit is ${DECISION_LIMITS.files}`);
  const files = normalizeTouched(input.files);
  const { ctx, me: acting } = await openTeamStore(req);
  const me = acting!;
  const branch = ctx.repo.branch ?? 'HEAD';
  const record: RecordOf<'decision'> = {
    id: idAfter(req.now, [...teamFold(ctx).decisions.keys()]),
    author: me,
    at: req.now.toISOString(),
    kind: 'decision',
    decision: { text, ...(why ? { why } : {}), files, ...(task ? { task } : {}), repo: ctx.repoId, branch },
  };
  const events = [
    usage('decision.add', me, ctx, req.now, { branch }),
    workEvent('session.decision_added', me, ctx, req.now, branch),
  ];
  await ctx.store.write([record], { now: req.now, events });
  return { id: record.id, author: me, at: record.at, ...record.decision };
}

export interface DecisionFilter {
  /** A duration (`30m`, `6h`, `2d`): only decisions made this long ago or since. */
  since?: string;
  /** Only decisions about this path (or a directory holding it, or a glob matching it). */
  file?: string;
}

/** Standing decisions the caller may see, newest first. */
export async function listDecisions(req: ContextRequest, filter: DecisionFilter = {}): Promise<DecisionView[]> {
  const since = filter.since === undefined ? undefined : sinceIso(filter.since, req.now);
  const file = filter.file === undefined ? undefined : normalizeTouched([filter.file])[0];
  const { ctx, me: acting } = await openTeamStore(req, false);
  const me = acting ?? '';
  const snap = ctx.store.snapshot();
  const all = visibleDecisions(snap.acc, me, visibilityLookup(ctx.store.readDevelopers()));
  await recordRead(ctx, req.now, { snap, events: [usage('decision.list', me || undefined, ctx, req.now)] });
  return filterDecisions(all, { ...(since ? { since } : {}), ...(file ? { file } : {}) });
}

/** The ISO time `duration` before `now`. */
export function sinceIso(duration: string, now: Date): string {
  const ms = parseDuration(duration);
  if (ms === undefined) throw new UsageError(`--since "${duration}" is not a duration`, 'use e.g. 30m, 6h, 2d or 1w');
  return new Date(now.getTime() - ms).toISOString();
}

const noDecision = (id: string): NotFoundError =>
  new NotFoundError(`no decision "${id}" that you can revoke`, 'see `handoff decision list` for the decisions');

/** A revoke of one's own decision or interface: the record it writes and who authored the target. */
export interface RevokeSpec {
  kind: RevokedRecord['kind'];
  record: (envelope: { id: string; author: string; at: string }) => StoreRecord;
  /** The target's author as the store holds it now (private: the caller sees their own), undefined when unknown. */
  authorOf: (acc: Accumulator, me: string, id: string) => string | undefined;
  notFound: (id: string) => NotFoundError;
}

/**
 * Revokes a record of the caller's, checked under the store lock: anyone else's, an unknown
 * id or one revoked meanwhile reads as `notFound`, and nothing is written.
 */
export async function revokeOwn(req: ContextRequest, id: string, spec: RevokeSpec): Promise<RevokedRecord> {
  const { ctx, me: acting } = await openTeamStore(req);
  const me = acting!;
  const at = req.now.toISOString();
  const record = spec.record({ id: ulid(req.now.getTime()), author: me, at });
  const events = [
    usage(`${spec.kind}.revoke`, me, ctx, req.now),
    workEvent(`session.${spec.kind}_revoked`, me, ctx, req.now),
  ];
  await ctx.store.write(
    (snap) => {
      if (spec.authorOf(snap.acc, me, id) !== me) throw spec.notFound(id);
      return [record];
    },
    { now: req.now, events },
  );
  return { id, kind: spec.kind, revoked_at: at };
}

/** Revokes a decision of the caller's; anyone else's reads exactly like an unknown id. */
export function revokeDecision(req: ContextRequest, id: string): Promise<RevokedRecord> {
  return revokeOwn(req, id, {
    kind: 'decision',
    record: (envelope) => ({ ...envelope, kind: 'decision_revoke', decision_id: id }),
    authorOf: (acc, me, target) => visibleDecisions(acc, me, () => 'private').find((d) => d.id === target)?.author,
    notFound: noDecision,
  });
}
