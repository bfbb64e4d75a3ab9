// Zod schemas of messages between sessions: the stored message (who to, what type, the
// thread it replies to, its TTL, the handoff it carries) and the views `message inbox`,
// `message thread` and `message send --json` print.
import * as z from 'zod';

export const MESSAGE_TYPES = ['fyi', 'need_input', 'interface_ready', 'review', 'handoff'] as const;
export const messageType = z.enum(MESSAGE_TYPES);
export type MessageType = z.infer<typeof messageType>;

/** Requests stay open until a reply or an ack by an addressee. */
export const REQUEST_TYPES: readonly MessageType[] = ['need_input', 'review'];

export const MESSAGE_TTL_HOURS = { min: 1, max: 168, default: 72 } as const;
export const MESSAGE_LIMITS = { body: 4_000, files: 200, to: 20 } as const;

/** What a `--type handoff` message carries: the sender's context for the branch and the saved handoff's state. */
export const handoffLink = z.object({
  branch: z.string(),
  head: z.string().optional(),
  combined_hash: z.string().optional(),
  context_id: z.string().optional(),
  context_title: z.string().optional(),
});
export type HandoffLink = z.infer<typeof handoffLink>;

export const message = z.object({
  id: z.string(),
  /** The sender's handle (the record's author). */
  from: z.string().min(1),
  repo: z.string(),
  /** The sender's branch when it was sent. */
  branch: z.string(),
  session_id: z.string().optional(),
  /** Addresses in canonical form (core/address.ts): a handle, `branch:<name>`, `session:<id>` or `all`. */
  to: z.array(z.string()).min(1),
  type: messageType,
  body: z.string(),
  reply_to: z.string().optional(),
  files: z.array(z.string()),
  sent_at: z.string(),
  expires_at: z.string(),
  ttl_hours: z.number(),
  handoff: handoffLink.optional(),
});
export type Message = z.infer<typeof message>;

/** A message as the reader sees it: a private sender's handle masked for anyone but its recipients. */
export const messageView = message.extend({
  /** Whether the reader acknowledged it. */
  acked: z.boolean(),
  /** For a request: answered (a reply, or an ack by an addressee) or still open. */
  open: z.boolean().optional(),
  /** Ids of the visible replies to it. */
  replies: z.array(z.string()),
});
export type MessageView = z.infer<typeof messageView>;

/** `message inbox --json`. */
export const inboxView = z.object({
  me: z.string(),
  branch: z.string().optional(),
  session: z.string().optional(),
  messages: z.array(messageView),
  /** My requests (need_input, review) no one has answered yet. */
  open_requests: z.array(messageView),
});
export type InboxView = z.infer<typeof inboxView>;

/** `message thread --json`: the request (the thread's root) and every visible reply, oldest first. */
export const threadView = z.object({ root: z.string(), messages: z.array(messageView) });
export type ThreadView = z.infer<typeof threadView>;

/** `message ack --json`: the ids acknowledged now (already acknowledged ones are left out). */
export const ackResult = z.object({ acked: z.array(z.string()) });
export type AckResult = z.infer<typeof ackResult>;
