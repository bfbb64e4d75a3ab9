// Zod schemas of context exchange: a published context, the store's files (checkpoint,
// log records, developer registry, staleness observations) and the event log.
import * as z from 'zod';
import { multiLineText, singleLineText } from './text.js';

/** Version of the registry and sightings files (unchanged since store format 1). */
export const STORE_VERSION = 1;
export const TTL_HOURS = { min: 1, max: 168, default: 24 } as const;
export const LIMITS = { title: 200, summary: 4_000, listItem: 500, listLength: 200 } as const;

/** The roles `context publish --role` names; any other single word (letters, digits, - and _) is accepted too. */
export const KNOWN_ROLES = ['implementer', 'reviewer', 'tester', 'refactorer', 'security'] as const;
/** A role: one word of 1–40 characters, stored in lower case. */
export const ROLE_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

export const touchedFile = z.object({
  path: z.string(),
  /** xxhash64 of the file's bytes at publish time; empty when the file did not exist. */
  hash: z.string(),
  /**
   * The blob id git would store for it (clean filters and eol applied), to compare with
   * another branch's committed file whose bytes differ from a checkout's only by eol.
   */
  blob: z.string().optional(),
});

export const context = z.object({
  id: z.string(),
  developer: z.string().min(1),
  repo: z.string(),
  branch: z.string(),
  session_id: z.string().optional(),
  /** The publishing session's role (implementer, reviewer, …); absent in records before roles. */
  role: z.string().optional(),
  title: z.string().min(1).max(LIMITS.title),
  summary: z.string().max(LIMITS.summary),
  files_touched: z.array(z.string()),
  next_actions: z.array(z.string()),
  blockers: z.array(z.string()),
  task_ids: z.array(z.string()),
  published_at: z.string(),
  expires_at: z.string(),
  ttl_hours: z.number().min(TTL_HOURS.min).max(TTL_HOURS.max),
  superseded_by: z.string().optional(),
  revoked_at: z.string().optional(),
  /** xxhash64 over the per-file hashes, in path order. */
  touched_hash: z.string(),
  touched_files: z.array(touchedFile),
});
export type Context = z.infer<typeof context>;

export const contextStatus = z.enum(['active', 'expired', 'superseded', 'revoked']);
export type ContextStatus = z.infer<typeof contextStatus>;

export const staleness = z.object({
  stale: z.boolean(),
  /** Touched files whose content differs from publish time, or that are gone. */
  changed_files: z.array(
    z.object({ path: z.string(), change: z.enum(['modified', 'deleted']), first_seen: z.string() }),
  ),
  /** Earliest first sighting of a change. */
  stale_since: z.string().optional(),
});
export type Staleness = z.infer<typeof staleness>;

/** A context as `get`, `list` and `state` return it. */
export const contextView = context.extend({ status: contextStatus, staleness: staleness.optional() });
export type ContextView = z.infer<typeof contextView>;

/**
 * One record of the append-only log. On disk each is a line `<xxhash64 of the JSON> <JSON>`
 * (store/context-store.ts): the checksum is not a field of the record.
 */
export const logRecord = z.discriminatedUnion('op', [
  z.object({ op: z.literal('publish'), at: z.string(), context, supersedes: z.array(z.string()) }),
  z.object({ op: z.literal('revoke'), at: z.string(), id: z.string() }),
  // Visibility changes are logged too, so a lost or corrupt registry is rebuilt from the
  // log and a private developer never turns public by accident.
  z.object({
    op: z.literal('visibility'),
    at: z.string(),
    developer: z.string(),
    visibility: z.enum(['public', 'private']),
  }),
]);
export type LogRecord = z.infer<typeof logRecord>;

export const visibility = z.enum(['public', 'private']);
export type Visibility = z.infer<typeof visibility>;

export const developerRegistry = z.object({
  schema_version: z.literal(STORE_VERSION),
  /** `id`: the visibility record that set it, the tie-break between two at the same time. */
  developers: z.record(z.string(), z.object({ visibility, updated_at: z.string(), id: z.string().optional() })),
});
export type DeveloperRegistry = z.infer<typeof developerRegistry>;

/** When a change to a touched file was first seen: context id → path → time. */
export const staleSightings = z.object({
  schema_version: z.literal(STORE_VERSION),
  seen: z.record(z.string(), z.record(z.string(), z.string())),
});
export type StaleSightings = z.infer<typeof staleSightings>;

export const eventRecord = z.object({
  time: z.string(),
  kind: z.enum(['usage', 'work']),
  name: z.string(),
  developer: z.string().optional(),
  repo: z.string().optional(),
  branch: z.string().optional(),
  context_id: z.string().optional(),
});
export type EventRecord = z.infer<typeof eventRecord>;

/**
 * What a caller may give to publish (`--from-json` or flags). Text fields refuse control
 * characters and bidi controls (see schema/text.ts); lengths are checked by the api with
 * its own messages. The stored `context` above stays permissive: old stores and synced
 * records may hold anything, which is why every renderer escapes (core/escape.ts).
 */
export const publishInput = z.object({
  title: singleLineText(),
  summary: multiLineText().default(''),
  files_touched: z.array(singleLineText()).default([]),
  next_actions: z.array(singleLineText()).default([]),
  blockers: z.array(singleLineText()).default([]),
  task_ids: z.array(singleLineText()).default([]),
  ttl_hours: z.number().optional(),
  session_id: singleLineText().optional(),
  branch: singleLineText({ min: 1 }).optional(),
  role: singleLineText().optional(),
});
export type PublishInput = z.infer<typeof publishInput>;
