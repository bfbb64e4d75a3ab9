// The fold of the team store's records into state, free of I/O and of append order: each
// kind's rule adds a record to an accumulator that only ever keeps the greatest (or least)
// by a total order, so any order of the same set, duplicates included, folds the same.
// A new record kind is one entry in FOLD_RULES (and one schema in schema/records.ts).
import type { Context, Visibility } from '../schema/context.js';
import type { LegacyRecord, RecordKind, RecordOf, StoreRecord } from '../schema/records.js';
import { keepDecision } from './decisions.js';
import { keepInterface } from './interfaces.js';
import { foldMessage, foldMessageAck, keepMessage, keepMessageAck, type MessageState } from './message-fold.js';
import { compareCodeUnit } from './paths.js';

/** Same developer + repo + branch: a newer publish supersedes an older one. */
export const slotOf = (c: Pick<Context, 'developer' | 'repo' | 'branch'>): string =>
  `${c.developer}\0${c.repo}\0${c.branch}`;

interface Stamp {
  at: string;
  id: string;
}
const compareStamp = (a: Stamp, b: Stamp): number => compareCodeUnit(a.at, b.at) || compareCodeUnit(a.id, b.id);

export interface Accumulator {
  /** Context records by id (a clash of two different bodies keeps the smaller JSON). */
  contexts: Map<string, Context>;
  /** Earliest revoke of a context, per author (only the context's developer's counts). */
  revokes: Map<string, Map<string, Stamp>>;
  /** Latest visibility record per author. */
  visibility: Map<string, Stamp & { visibility: Visibility }>;
  /** Claim records by id (a clash of two different bodies keeps the smaller JSON). */
  claims: Map<string, RecordOf<'claim'>>;
  /** Latest expiry a claim was extended to, per author (only the claim's author's counts). */
  claimExtends: Map<string, Map<string, string>>;
  /** Earliest release of a claim, per author (only the claim's author's counts). */
  claimReleases: Map<string, Map<string, Stamp>>;
  /** Decision records by id (a clash of two different bodies keeps the smaller JSON). */
  decisions: Map<string, RecordOf<'decision'>>;
  /** Earliest revoke of a decision, per author (only the decision's author's counts). */
  decisionRevokes: Map<string, Map<string, Stamp>>;
  /** Interface records by id (a clash keeps the smaller JSON). */
  interfaces: Map<string, RecordOf<'interface'>>;
  /** Earliest revoke of an interface, per author (only the interface's author's counts). */
  interfaceRevokes: Map<string, Map<string, Stamp>>;
  /** Messages by id, and each recipient's earliest ack of each (core/message-fold.ts). */
  messages: MessageState['messages'];
  messageAcks: MessageState['messageAcks'];
}

export const emptyAccumulator = (): Accumulator => ({
  contexts: new Map(),
  revokes: new Map(),
  visibility: new Map(),
  claims: new Map(),
  claimExtends: new Map(),
  claimReleases: new Map(),
  decisions: new Map(),
  decisionRevokes: new Map(),
  interfaces: new Map(),
  interfaceRevokes: new Map(),
  messages: new Map(),
  messageAcks: new Map(),
});

/** Keeps one record per id, whatever the order: on a clash of bodies, the smaller JSON. */
function keepOne<R extends StoreRecord>(map: Map<string, R>, r: R): void {
  const old = map.get(r.id);
  if (old === undefined || compareCodeUnit(JSON.stringify(r), JSON.stringify(old)) < 0) map.set(r.id, r);
}

/** Keeps the earliest revoke of `target` by each author (whose counts is the reader's rule). */
function earliestRevoke(map: Map<string, Map<string, Stamp>>, target: string, r: Stamp & { author: string }): void {
  const byAuthor = map.get(target) ?? new Map<string, Stamp>();
  const old = byAuthor.get(r.author);
  if (old === undefined || compareStamp(r, old) < 0) byAuthor.set(r.author, { at: r.at, id: r.id });
  map.set(target, byAuthor);
}

type FoldRules = { [K in RecordKind]: (acc: Accumulator, record: RecordOf<K>) => void };

export const FOLD_RULES: FoldRules = {
  context(acc, r) {
    if (r.id !== r.context.id || r.author !== r.context.developer) return;
    const old = acc.contexts.get(r.id);
    if (old === undefined || compareCodeUnit(JSON.stringify(r.context), JSON.stringify(old)) < 0) {
      acc.contexts.set(r.id, r.context);
    }
  },
  revoke(acc, r) {
    const byAuthor = acc.revokes.get(r.context_id) ?? new Map<string, Stamp>();
    const old = byAuthor.get(r.author);
    if (old === undefined || compareStamp(r, old) < 0) byAuthor.set(r.author, { at: r.at, id: r.id });
    acc.revokes.set(r.context_id, byAuthor);
  },
  visibility(acc, r) {
    const old = acc.visibility.get(r.author);
    // Two records under one stamp (only a forged one can clash): the stricter wins.
    const order = old === undefined ? 1 : compareStamp(r, old) || (r.visibility === 'private' ? 1 : -1);
    if (order > 0) {
      acc.visibility.set(r.author, { at: r.at, id: r.id, visibility: r.visibility });
    }
  },
  claim: (acc, r) => keepOne(acc.claims, r),
  claim_extend(acc, r) {
    const byAuthor = acc.claimExtends.get(r.claim_id) ?? new Map<string, string>();
    const old = byAuthor.get(r.author);
    if (old === undefined || compareCodeUnit(r.expires_at, old) > 0) byAuthor.set(r.author, r.expires_at);
    acc.claimExtends.set(r.claim_id, byAuthor);
  },
  claim_release: (acc, r) => earliestRevoke(acc.claimReleases, r.claim_id, r),
  decision: (acc, r) => keepOne(acc.decisions, r),
  decision_revoke: (acc, r) => earliestRevoke(acc.decisionRevokes, r.decision_id, r),
  interface: (acc, r) => keepOne(acc.interfaces, r),
  interface_revoke: (acc, r) => earliestRevoke(acc.interfaceRevokes, r.interface_id, r),
  message: foldMessage,
  message_ack: foldMessageAck,
};

/** The kinds the checkpoint keeps as records; contexts (with their revokes) and visibility have their own places. */
export type CheckpointKind = Exclude<RecordKind, 'context' | 'revoke' | 'visibility'>;

type CheckpointRules = { [K in CheckpointKind]: (record: RecordOf<K>, acc: Accumulator, now: Date) => boolean };

/**
 * Whether a record of a kind other than context/revoke/visibility must stay in the
 * checkpoint at `now`, given the fold of everything the store holds: what a read still
 * needs (an unexpired message and the acks of it, an unreleased claim). A record left out
 * is history, read again only by an audit or a refold, so reads stay O(active records).
 */
export const CHECKPOINT_RULES: CheckpointRules = {
  // An active claim, and the extensions that make its expiry; a released or expired one is history.
  claim: (r, acc, now) => claimLive(acc, r.id, now),
  claim_extend: (r, acc, now) => claimLive(acc, r.claim_id, now),
  claim_release: () => false,
  message: keepMessage,
  // A decision or interface stays until its author revokes it; then both it and the
  // revoke leave together (the fold that decides sees them both), so a revoke never stays.
  decision: (r, acc) => keepDecision(r, acc),
  decision_revoke: () => false,
  interface: (r, acc) => keepInterface(r, acc),
  interface_revoke: () => false,
  message_ack: keepMessageAck,
};

/** A claim's expiry: its own, or the latest its author extended it to. */
export function claimExpiry(acc: Accumulator, r: RecordOf<'claim'>): string {
  const extended = acc.claimExtends.get(r.id)?.get(r.author);
  return extended !== undefined && compareCodeUnit(extended, r.claim.expires_at) > 0 ? extended : r.claim.expires_at;
}

/** When a claim's author released it (the earliest release), or undefined. */
export const claimReleasedAt = (acc: Accumulator, r: RecordOf<'claim'>): string | undefined =>
  acc.claimReleases.get(r.id)?.get(r.author)?.at;

function claimLive(acc: Accumulator, claimId: string, now: Date): boolean {
  const r = acc.claims.get(claimId);
  if (r === undefined || claimReleasedAt(acc, r) !== undefined) return false;
  return Date.parse(claimExpiry(acc, r)) > now.getTime();
}

type Rule = (record: StoreRecord, acc: Accumulator, now: Date) => boolean;
const ruleOf = (r: StoreRecord): Rule | undefined => (CHECKPOINT_RULES as Partial<Record<RecordKind, Rule>>)[r.kind];

/**
 * The records of `candidates` the checkpoint keeps at `now` (each id once, in id order, the
 * body the fold keeps on a clash):
 * by CHECKPOINT_RULES against `acc`; without `now` (a refold in memory) every one.
 */
export function keptRecords(acc: Accumulator, candidates: Iterable<StoreRecord>, now?: Date): StoreRecord[] {
  const byId = new Map<string, StoreRecord>();
  for (const r of candidates) {
    const rule = ruleOf(r);
    if (rule === undefined || (now !== undefined && !rule(r, acc, now))) continue;
    // Two bodies under one id (only a forged record clashes): keep the one the fold keeps, the smaller JSON.
    const old = byId.get(r.id);
    if (old === undefined || compareCodeUnit(JSON.stringify(r), JSON.stringify(old)) < 0) byId.set(r.id, r);
  }
  return [...byId.keys()].sort(compareCodeUnit).map((id) => byId.get(id)!);
}

/** The records of the kinds the checkpoint keeps, of `records`. */
export const checkpointKindRecords = (records: readonly StoreRecord[]): StoreRecord[] =>
  records.filter((r) => ruleOf(r) !== undefined);

export function accumulate(acc: Accumulator, records: Iterable<StoreRecord>): Accumulator {
  for (const r of records) (FOLD_RULES[r.kind] as (a: Accumulator, r: StoreRecord) => void)(acc, r);
  return acc;
}

export const byPublished = (a: Context, b: Context): number =>
  compareCodeUnit(a.published_at, b.published_at) || compareCodeUnit(a.id, b.id);

/**
 * Every context with what the set says of it: `revoked_at` from its developer's earliest
 * revoke (a revocation wins over anything), else `superseded_by` the next context of its
 * slot by (`published_at`, `id`).
 */
export function resolveContexts(acc: Accumulator): Map<string, Context> {
  const slots = new Map<string, Context[]>();
  for (const c of acc.contexts.values()) {
    const slot = slots.get(slotOf(c));
    if (slot) slot.push(c);
    else slots.set(slotOf(c), [c]);
  }
  const out = new Map<string, Context>();
  for (const slot of slots.values()) {
    slot.sort(byPublished);
    slot.forEach((c, i) => {
      const { superseded_by: _s, revoked_at: _r, ...body } = c;
      const revoke = acc.revokes.get(c.id)?.get(c.developer);
      const next = slot[i + 1];
      if (revoke) out.set(c.id, { ...body, revoked_at: revoke.at });
      else if (next) out.set(c.id, { ...body, superseded_by: next.id });
      else out.set(c.id, body);
    });
  }
  return out;
}

export type Registry = Record<string, { visibility: Visibility; updated_at: string; id?: string }>;

/** Everyone who published (public from their first publish) or set a visibility (the latest holds). */
export function resolveRegistry(acc: Accumulator): Registry {
  const developers: Registry = {};
  for (const c of [...acc.contexts.values()].sort(byPublished)) {
    developers[c.developer] ??= { visibility: 'public', updated_at: c.published_at };
  }
  for (const [author, v] of acc.visibility) {
    developers[author] = { visibility: v.visibility, updated_at: v.at, id: v.id };
  }
  return developers;
}

/**
 * The registry after `records`: a saved entry changes only for a later visibility record.
 * Returns `saved` itself when nothing changed.
 */
export function registryAfter(saved: Registry, records: readonly StoreRecord[]): Registry {
  let next: Registry | undefined;
  for (const [developer, entry] of Object.entries(resolveRegistry(accumulate(emptyAccumulator(), records)))) {
    const old = saved[developer];
    const later = old === undefined || (entry.id !== undefined && compareStamp(stampOf(entry), stampOf(old)) > 0);
    if (later) (next ??= { ...saved })[developer] = entry;
  }
  return next ?? saved;
}
const stampOf = (e: { updated_at: string; id?: string }): Stamp => ({ at: e.updated_at, id: e.id ?? '' });

/** Folds a set of records: every context with its status fields, and the developer registry. */
export function foldRecords(records: Iterable<StoreRecord>): { contexts: Map<string, Context>; developers: Registry } {
  const acc = accumulate(emptyAccumulator(), records);
  return { contexts: resolveContexts(acc), developers: resolveRegistry(acc) };
}

/** A live context as a record, to fold a checkpoint together with the log tail after it. */
export const contextRecord = (c: Context): RecordOf<'context'> => ({
  id: c.id,
  author: c.developer,
  at: c.published_at,
  kind: 'context',
  context: c,
});

/**
 * A checkpoint's context as the records it stands for: a revoked one (kept until it
 * expires, so it still orders its slot) brings its revoke along.
 */
export function checkpointRecords(c: Context): StoreRecord[] {
  const published = contextRecord(c);
  if (c.revoked_at === undefined) return [published];
  return [published, { id: c.id, author: c.developer, at: c.revoked_at, kind: 'revoke', context_id: c.id }];
}

/**
 * Records of store format 1, converted in log order: a revoke takes its context's
 * developer as author (format 1 had none); `idOf(i)` names the i-th record that has no id
 * of its own, so a conversion is the same every time it runs.
 */
export function fromLegacy(
  records: readonly LegacyRecord[],
  developerOf: Map<string, string>,
  idOf: (i: number, at: string) => string,
): StoreRecord[] {
  return records.map((r, i): StoreRecord => {
    if (r.op === 'publish') {
      developerOf.set(r.context.id, r.context.developer);
      return contextRecord(r.context);
    }
    if (r.op === 'revoke') {
      const author = developerOf.get(r.id) ?? '';
      return { id: idOf(i, r.at), author, at: r.at, kind: 'revoke', context_id: r.id };
    }
    return { id: idOf(i, r.at), author: r.developer, at: r.at, kind: 'visibility', visibility: r.visibility };
  });
}
