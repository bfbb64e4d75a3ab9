// The team store's records: immutable, typed, mergeable. Every record has a ULID `id`, an
// `author`, a time `at` and a `kind`; a state change is a new record, never an edit. A new
// kind is one entry in `recordKinds` (and one fold rule in core/records.ts).
import * as z from 'zod';
import { claim } from './claim.js';
import { context, visibility } from './context.js';
import { decision, iface } from './decision.js';
import { message } from './message.js';

const envelope = { id: z.string().min(1), author: z.string(), at: z.string() };

export const recordKinds = {
  /** A published context; its `id` is the context's id. */
  context: z.object({ ...envelope, kind: z.literal('context'), context }),
  /** Revokes a context of the author's: it wins over anything. */
  revoke: z.object({ ...envelope, kind: z.literal('revoke'), context_id: z.string() }),
  /** The author's visibility from `at` on (the latest by (`at`, `id`) holds). */
  visibility: z.object({ ...envelope, kind: z.literal('visibility'), visibility }),
  /** An advisory claim on a path or glob; its `id` is the claim's id. */
  claim: z.object({ ...envelope, kind: z.literal('claim'), claim }),
  /** Moves a claim's expiry later (the author's own claims only; the latest expiry holds). */
  claim_extend: z.object({
    ...envelope,
    kind: z.literal('claim_extend'),
    claim_id: z.string(),
    expires_at: z.string(),
  }),
  /** Releases a claim (the author's own claims only; the earliest release holds). */
  claim_release: z.object({ ...envelope, kind: z.literal('claim_release'), claim_id: z.string() }),
  /** A team decision; no TTL: it stands until its author revokes it. */
  decision: z.object({ ...envelope, kind: z.literal('decision'), decision }),
  /** Revokes a decision; only its author's counts. */
  decision_revoke: z.object({ ...envelope, kind: z.literal('decision_revoke'), decision_id: z.string() }),
  /** An interface declared ready for others, with its file's hash when declared. */
  interface: z.object({ ...envelope, kind: z.literal('interface'), interface: iface }),
  /** Revokes an interface; only its author's counts. */
  interface_revoke: z.object({ ...envelope, kind: z.literal('interface_revoke'), interface_id: z.string() }),
  /** A message between sessions; its `id` is the message's id and its author the sender. */
  message: z.object({ ...envelope, kind: z.literal('message'), message }),
  /** The author has read a message (per recipient: hides it from the author's inbox only). */
  message_ack: z.object({ ...envelope, kind: z.literal('message_ack'), message_id: z.string() }),
} as const;

export const storeRecord = z.discriminatedUnion('kind', [
  recordKinds.context,
  recordKinds.revoke,
  recordKinds.visibility,
  recordKinds.claim,
  recordKinds.claim_extend,
  recordKinds.claim_release,
  recordKinds.decision,
  recordKinds.decision_revoke,
  recordKinds.interface,
  recordKinds.interface_revoke,
  recordKinds.message,
  recordKinds.message_ack,
]);
export type StoreRecord = z.infer<typeof storeRecord>;
export type RecordKind = StoreRecord['kind'];
export type RecordOf<K extends RecordKind> = Extract<StoreRecord, { kind: K }>;

/** A log line of store format 1 (`op` records); read to migrate, never written. */
export { logRecord as legacyRecord, type LogRecord as LegacyRecord } from './context.js';

/**
 * The store format this build writes; an older store is migrated on its first write.
 * 2: the log holds typed records; 3: the checkpoint also keeps the live records of kinds
 * other than contexts (a format-2 checkpoint is read as one that keeps none).
 */
export const STORE_FORMAT = 3;

/**
 * The fold of the log up to `log_offset` of log `log_id`: every context not superseded or
 * revoked, and the records of other kinds that reads still need (core/records.ts
 * CHECKPOINT_RULES), so a read costs the live records plus the log's tail.
 */
export const checkpoint = z.object({
  schema_version: z.union([z.literal(2), z.literal(STORE_FORMAT)]),
  log_id: z.string(),
  log_offset: z.number().int().nonnegative(),
  /** Checksum of the line that ends at `log_offset`, so an open can tell the log was rewritten under it. */
  log_last_sum: z.string().optional(),
  contexts: z.array(context),
  records: z.array(storeRecord).default([]),
});
export type Checkpoint = z.infer<typeof checkpoint>;
