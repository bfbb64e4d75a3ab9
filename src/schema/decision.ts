// Zod schemas of the team's decision log and of interfaces declared ready for others: the
// records stored (bodies of the `decision` and `interface` record kinds, schema/records.ts),
// what `add` accepts, and the views `list`, `state` and `--json` print.
import * as z from 'zod';
import { multiLineText, singleLineText } from './text.js';

export const DECISION_LIMITS = { text: 500, why: 2_000, files: 50, task: 200 } as const;
export const INTERFACE_LIMITS = { name: 200, description: 1_000 } as const;

/** A decision as stored: no TTL, it stands until its author revokes it. */
export const decision = z.object({
  text: z.string(),
  why: z.string().optional(),
  /** Repository-relative paths the decision is about. */
  files: z.array(z.string()),
  task: z.string().optional(),
  repo: z.string(),
  branch: z.string(),
});
export type Decision = z.infer<typeof decision>;

/** An interface as stored: the declared file's hashes, to tell later whether it changed or went away. */
export const iface = z.object({
  name: z.string(),
  file: z.string(),
  description: z.string().optional(),
  /** xxhash64 of the file's bytes when declared (as contexts hash touched files). */
  hash: z.string(),
  /** The blob id git would store for it, to compare with a branch tip's committed file. */
  blob: z.string().optional(),
  repo: z.string(),
  branch: z.string(),
});
export type Interface = z.infer<typeof iface>;

/** What `decision add` accepts (flags or api callers); lengths are checked by the api with its own messages. */
export const decisionInput = z.object({
  text: multiLineText(),
  why: multiLineText().optional(),
  files: z.array(singleLineText()).default([]),
  task: singleLineText().optional(),
});
export type DecisionInput = z.input<typeof decisionInput>;

/** What `interface add` accepts. */
export const interfaceInput = z.object({
  name: singleLineText(),
  file: singleLineText({ min: 1 }),
  description: multiLineText().optional(),
  /** An address (handle, branch:<name>, session:<id>, all) to send an `interface_ready` message to. */
  notify: singleLineText({ min: 1 }).optional(),
});
export type InterfaceInput = z.input<typeof interfaceInput>;

const envelope = { id: z.string(), author: z.string(), at: z.string() };

/** A live decision as `decision list`, `state` and the briefing show it. */
export const decisionView = z.object({ ...envelope, ...decision.shape });
export type DecisionView = z.infer<typeof decisionView>;

/** ready: the file is as declared; stale: it changed since; gone: it was deleted. */
export const interfaceStatus = z.enum(['ready', 'stale', 'gone']);
export type InterfaceStatus = z.infer<typeof interfaceStatus>;

/** A live interface with its status, judged where its branch's work lives now. */
export const interfaceView = z.object({
  ...envelope,
  ...iface.shape,
  status: interfaceStatus,
  /** The id of the `interface_ready` message `--notify` sent, when one was. */
  message_id: z.string().optional(),
});
export type InterfaceView = z.infer<typeof interfaceView>;

/** What a revoke answers: the record revoked and when. */
export const revokedRecord = z.object({
  id: z.string(),
  kind: z.enum(['decision', 'interface']),
  revoked_at: z.string(),
});
export type RevokedRecord = z.infer<typeof revokedRecord>;
