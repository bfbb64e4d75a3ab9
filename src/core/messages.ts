// The rules of messages between sessions, free of I/O: who may see a message (its sender
// and addressees; `all` reaches everyone), what my inbox holds, which requests are still
// open, how a thread is gathered, what masks a private developer's handle, and the lines
// a session-start briefing leads with (handoffs to me, unread requests to me).
import type { Visibility } from '../schema/context.js';
import { REQUEST_TYPES, type Message, type MessageType, type MessageView } from '../schema/message.js';
import { isAddress, parseAddress, reaches, type Reader } from './address.js';
import { escapeText as esc, firstLineExcerpt } from './escape.js';
import { messageExpired, type MessageState } from './message-fold.js';
import { compareCodeUnit } from './paths.js';

/** The reader of the store: who they are and where they work (`repo` scopes `branch:` addresses). */
export interface MessageReader extends Reader {
  repo: string;
}

/** How a private developer's handle is shown to someone who may not see it. */
export const PRIVATE_DEVELOPER = 'a private developer';

/** Whether `m` is addressed to `reader` (a `branch:` address only within the message's repository). */
export function addressedTo(m: Message, reader: MessageReader): boolean {
  return m.to.some((address) => {
    const a = parseAddress(address);
    if (!isAddress(a) || (a.kind === 'branch' && m.repo !== reader.repo)) return false;
    return reaches(address, reader);
  });
}

const ackedBy = (state: MessageState, id: string, handle: string): boolean =>
  state.messageAcks.get(id)?.has(handle) ?? false;

/**
 * Sender and addressees see a message; so does whoever acknowledged it (they were an
 * addressee then, though they may have moved to another branch or session since).
 */
export function canSee(state: MessageState, m: Message, reader: MessageReader): boolean {
  return m.from === reader.handle || addressedTo(m, reader) || ackedBy(state, m.id, reader.handle);
}

export const newestMessageFirst = (a: Message, b: Message): number =>
  compareCodeUnit(b.sent_at, a.sent_at) || compareCodeUnit(b.id, a.id);
const oldestMessageFirst = (a: Message, b: Message): number => -newestMessageFirst(a, b);

export const isRequest = (m: Message): boolean => REQUEST_TYPES.includes(m.type);

/**
 * The replies to each message id, expired ones included: an answer still answers a request
 * after it expires (the checkpoint keeps it as long as the request, core/message-fold.ts).
 */
function repliesIndex(state: MessageState): Map<string, Message[]> {
  const index = new Map<string, Message[]>();
  for (const m of state.messages.values()) {
    if (m.reply_to === undefined) continue;
    const list = index.get(m.reply_to);
    if (list) list.push(m);
    else index.set(m.reply_to, [m]);
  }
  return index;
}

/** A request is answered by a reply from someone else, or an ack by anyone but its sender. */
function answered(state: MessageState, m: Message, replies: readonly Message[]): boolean {
  if (replies.some((r) => r.from !== m.from)) return true;
  const acks = state.messageAcks.get(m.id);
  return acks !== undefined && [...acks.keys()].some((author) => author !== m.from);
}

export interface ViewContext {
  state: MessageState;
  reader: MessageReader;
  now: Date;
  visibilityOf: (developer: string) => Visibility;
}

/** A message as `reader` sees it: private handles in `to` masked unless they are the reader's or the reader sent it. */
function viewOf(m: Message, vc: ViewContext, replies: Map<string, Message[]>): MessageView {
  const { state, reader } = vc;
  const mask = (address: string): string => {
    const a = parseAddress(address);
    const privateHandle = isAddress(a) && a.kind === 'handle' && vc.visibilityOf(a.handle) === 'private';
    return privateHandle && a.handle !== reader.handle && m.from !== reader.handle ? PRIVATE_DEVELOPER : address;
  };
  const own = (replies.get(m.id) ?? [])
    .filter((r) => !messageExpired(r, vc.now) && canSee(state, r, reader))
    .sort(oldestMessageFirst);
  const open = isRequest(m) ? { open: !answered(state, m, replies.get(m.id) ?? []) } : {};
  return {
    ...m,
    to: m.to.map(mask),
    acked: ackedBy(state, m.id, reader.handle),
    ...open,
    replies: own.map((r) => r.id),
  };
}

export interface InboxQuery {
  /** Read ones too (unexpired). */
  all?: boolean;
  type?: MessageType;
}

/** My inbox, newest first: unexpired messages to me from others, unread unless `all`; and my open requests. */
export function inboxOf(
  vc: ViewContext,
  query: InboxQuery = {},
): { messages: MessageView[]; openRequests: MessageView[] } {
  const { state, reader, now } = vc;
  const replies = repliesIndex(state);
  const live = [...state.messages.values()].filter((m) => !messageExpired(m, now)).sort(newestMessageFirst);
  const mine = live.filter(
    (m) =>
      m.from !== reader.handle &&
      (addressedTo(m, reader) || ackedBy(state, m.id, reader.handle)) &&
      (query.all || !ackedBy(state, m.id, reader.handle)) &&
      (query.type === undefined || m.type === query.type),
  );
  const requests = live.filter((m) => m.from === reader.handle && isRequest(m));
  return {
    messages: mine.map((m) => viewOf(m, vc, replies)),
    openRequests: requests.map((m) => viewOf(m, vc, replies)).filter((v) => v.open === true),
  };
}

/** An unexpired message `reader` may see, or undefined (unknown, expired and invisible look the same). */
export function visibleMessage(vc: ViewContext, id: string): Message | undefined {
  const m = vc.state.messages.get(id);
  return m !== undefined && !messageExpired(m, vc.now) && canSee(vc.state, m, vc.reader) ? m : undefined;
}

/** The thread of `id`: its root (the oldest visible ancestor) and every visible reply below it, oldest first. */
export function threadOf(vc: ViewContext, id: string): { root: string; messages: MessageView[] } | undefined {
  const start = visibleMessage(vc, id);
  if (start === undefined) return undefined;
  let root = start;
  const seen = new Set([root.id]);
  for (;;) {
    const parent = root.reply_to === undefined ? undefined : visibleMessage(vc, root.reply_to);
    if (parent === undefined || seen.has(parent.id)) break;
    seen.add(parent.id);
    root = parent;
  }
  const replies = repliesIndex(vc.state);
  const thread: Message[] = [root];
  const queue = [root.id];
  const inThread = new Set(queue);
  while (queue.length > 0) {
    for (const r of replies.get(queue.shift()!) ?? []) {
      if (inThread.has(r.id) || messageExpired(r, vc.now) || !canSee(vc.state, r, vc.reader)) continue;
      inThread.add(r.id);
      thread.push(r);
      queue.push(r.id);
    }
  }
  return { root: root.id, messages: thread.sort(oldestMessageFirst).map((m) => viewOf(m, vc, replies)) };
}

/** The unread messages a session-start briefing leads with: handoffs to me, then requests to me. */
export function briefingNews(inbox: readonly MessageView[]): { handoffs: MessageView[]; requests: MessageView[] } {
  const unread = inbox.filter((m) => !m.acked);
  return { handoffs: unread.filter((m) => m.type === 'handoff'), requests: unread.filter(isRequest) };
}

const SHOWN = 3;

/** A sequential handoff addressed to me, as a briefing section (one per handoff, newest first). */
export interface HandedSection {
  kind: 'handed';
  priority: number;
  id: string;
  from: string;
  /** The sender's context title, when the handoff carries one. */
  title?: string;
  body: string;
  branch: string;
  sentAt: string;
  /** Whether the sender's context is there to read (`context get --developer`). */
  withContext: boolean;
}

/** Unread requests (need_input, review) to me, as a briefing section: the first few of `total`. */
export interface RequestsSection {
  kind: 'requests';
  priority: number;
  total: number;
  requests: { id: string; type: string; from: string; sentAt: string; body: string }[];
}

/** The briefing's sections for that news (none when there is none), at the briefing's priorities. */
export function messageSections(
  news: { handoffs: readonly MessageView[]; requests: readonly MessageView[] },
  priority: { handed: number; requests: number },
): (HandedSection | RequestsSection)[] {
  const sections: (HandedSection | RequestsSection)[] = news.handoffs.slice(0, SHOWN).map((m) => ({
    kind: 'handed',
    priority: priority.handed,
    id: m.id,
    from: m.from,
    ...(m.handoff?.context_title !== undefined ? { title: m.handoff.context_title } : {}),
    body: m.body,
    branch: m.handoff?.branch ?? m.branch,
    sentAt: m.sent_at,
    withContext: m.handoff?.context_id !== undefined,
  }));
  if (news.requests.length > 0) {
    const requests = news.requests.slice(0, SHOWN).map((m) => ({
      id: m.id,
      type: m.type,
      from: m.from,
      sentAt: m.sent_at,
      body: m.body,
    }));
    sections.push({ kind: 'requests', priority: priority.requests, total: news.requests.length, requests });
  }
  return sections;
}

type Age = (iso: string, now: Date) => string;

/** "alice handed you <title> on <branch>" and how to read it; every stored string escaped. */
export function handedLines(s: HandedSection, now: Date, ageOf: Age): string[] {
  // firstLineExcerpt escapes what it returns.
  const title = s.title !== undefined ? esc(s.title) : firstLineExcerpt(s.body, 120);
  const lines = [
    `${esc(s.from)} handed you ${title ?? 'their work'} on ${esc(s.branch)} (${ageOf(s.sentAt, now)} ago).`,
  ];
  const note = firstLineExcerpt(s.body, 160);
  if (note && note !== title) lines.push(`  ${note}`);
  const read = [`handoff message thread ${esc(s.id)}`];
  if (s.withContext) read.unshift(`handoff context get --developer ${esc(s.from)}`);
  lines.push(`  Read it: ${read.join(' · ')}; then \`handoff message ack ${esc(s.id)}\`.`);
  return lines;
}

export function requestsLines(s: RequestsSection, now: Date, ageOf: Age): string[] {
  const lines = [`Requests to you (${s.total} unread):`];
  for (const r of s.requests) {
    const body = firstLineExcerpt(r.body, 140) ?? '';
    lines.push(`- ${esc(r.type)} from ${esc(r.from)}, ${ageOf(r.sentAt, now)} ago: ${body} (${esc(r.id)})`);
  }
  lines.push('  Answer: handoff message send --reply-to <id> --body "…" · handoff message inbox');
  return lines;
}

/**
 * The briefing's lines for that news, one block per section: the handoffs to me lead, then
 * the unread requests to me. `ageOf` is the briefing's own age format.
 */
export function messageBriefingBlocks(
  news: { handoffs: readonly MessageView[]; requests: readonly MessageView[] },
  now: Date,
  ageOf: Age,
): string[][] {
  return messageSections(news, { handed: 1, requests: 0 }).map((s) =>
    s.kind === 'handed' ? handedLines(s, now, ageOf) : requestsLines(s, now, ageOf),
  );
}
