// How message records fold, free of I/O and of order: a message by its id (a clash of two
// bodies keeps the smaller JSON), each recipient's earliest ack of it. And what of that a
// checkpoint must keep: unexpired messages and the acks of them, nothing older.
import type { Message } from '../schema/message.js';
import type { RecordOf } from '../schema/records.js';
import { compareCodeUnit } from './paths.js';

export interface AckStamp {
  at: string;
  id: string;
}

/** The message part of the store's accumulator (core/records.ts). */
export interface MessageState {
  /** Messages by id. */
  messages: Map<string, Message>;
  /** Per message id, each acknowledging developer's earliest ack. */
  messageAcks: Map<string, Map<string, AckStamp>>;
}

export function foldMessage(state: MessageState, r: RecordOf<'message'>): void {
  // A record that names another sender than its author is not that sender's message.
  if (r.id !== r.message.id || r.author !== r.message.from) return;
  const old = state.messages.get(r.id);
  if (old === undefined || compareCodeUnit(JSON.stringify(r.message), JSON.stringify(old)) < 0) {
    state.messages.set(r.id, r.message);
  }
}

export function foldMessageAck(state: MessageState, r: RecordOf<'message_ack'>): void {
  const byAuthor = state.messageAcks.get(r.message_id) ?? new Map<string, AckStamp>();
  const old = byAuthor.get(r.author);
  const earlier = old === undefined || compareCodeUnit(r.at, old.at) < 0 || (r.at === old.at && r.id < old.id);
  if (earlier) byAuthor.set(r.author, { at: r.at, id: r.id });
  state.messageAcks.set(r.message_id, byAuthor);
}

export const messageExpired = (m: Message, now: Date): boolean => Date.parse(m.expires_at) <= now.getTime();

/** A checkpoint keeps a message until it expires. */
export const keepMessage = (r: RecordOf<'message'>, now: Date): boolean => !messageExpired(r.message, now);

/** …and an ack while the message it acknowledges is kept. */
export function keepMessageAck(r: RecordOf<'message_ack'>, state: MessageState, now: Date): boolean {
  const m = state.messages.get(r.message_id);
  return m !== undefined && !messageExpired(m, now);
}
