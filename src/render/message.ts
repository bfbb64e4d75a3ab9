// Renders messages for people: the inbox compactly (one entry per message, its body's first
// line), a thread in full (each body quoted line by line). Every stored string is escaped
// (core/escape.ts), so no message can drive the terminal or pass for another entry.
import { escapeBlock, escapeText as e, firstLineExcerpt } from '../core/escape.js';
import type { InboxView, MessageView, ThreadView } from '../schema/message.js';
import { relativeTime, SUMMARY_PREFIX } from './context.js';
import { plainStyle, type Style } from './style.js';

function header(m: MessageView, now: Date, s: Style): string {
  const marks = [
    `${e(m.type)} from ${s.code(e(m.from))}`,
    `to ${m.to.map((t) => e(t)).join(', ')}`,
    `${relativeTime(m.sent_at, now)}`,
  ];
  if (m.reply_to !== undefined) marks.push(`re ${e(m.reply_to)}`);
  if (m.open !== undefined) marks.push(m.open ? s.warn('open') : 'answered');
  if (m.acked) marks.push(s.dim('read'));
  return `${s.dim(e(m.id))}  ${marks.join(' · ')}`;
}

function handoffLine(m: MessageView): string | undefined {
  const h = m.handoff;
  if (h === undefined) return undefined;
  const parts = [`handed over ${h.context_title !== undefined ? `"${e(h.context_title)}"` : 'work'} on ${e(h.branch)}`];
  if (h.head !== undefined) parts.push(`head ${e(h.head.slice(0, 12))}`);
  if (h.combined_hash !== undefined) parts.push(`handoff ${e(h.combined_hash)}`);
  return parts.join(' · ');
}

function entry(m: MessageView, now: Date, s: Style): string[] {
  const lines = [`- ${header(m, now, s)}`];
  const first = firstLineExcerpt(m.body, 160);
  if (first) lines.push(`  ${first}`);
  const link = handoffLine(m);
  if (link) lines.push(`  ${link}`);
  if (m.files.length > 0) lines.push(`  files: ${m.files.map((f) => e(f)).join(', ')}`);
  if (m.replies.length > 0) lines.push(s.dim(`  ${m.replies.length} replies: handoff message thread ${e(m.id)}`));
  return lines;
}

export function renderInbox(inbox: InboxView, now: Date, all: boolean, s: Style = plainStyle): string {
  const lines: string[] = [];
  if (inbox.messages.length === 0) lines.push(all ? 'No messages to you.' : 'No unread messages.');
  else lines.push(s.heading(`${all ? 'Messages' : 'Unread messages'} to you (${inbox.messages.length}):`));
  for (const m of inbox.messages) lines.push(...entry(m, now, s));
  if (inbox.open_requests.length > 0) {
    lines.push('', s.heading(`Your requests still unanswered (${inbox.open_requests.length}):`));
    for (const m of inbox.open_requests) lines.push(...entry(m, now, s));
  }
  if (inbox.messages.some((m) => !m.acked)) lines.push('', s.dim('Mark read: handoff message ack <id>… | --all'));
  return `${lines.join('\n')}\n`;
}

export function renderThread(thread: ThreadView, now: Date, s: Style = plainStyle): string {
  const blocks = thread.messages.map((m) => {
    const lines = [header(m, now, s), ...escapeBlock(m.body, SUMMARY_PREFIX)];
    const link = handoffLine(m);
    if (link) lines.push(link);
    if (m.files.length > 0) lines.push(`files: ${m.files.map((f) => e(f)).join(', ')}`);
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
