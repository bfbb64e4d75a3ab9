// The message rules (src/core/messages.ts) on folded records: who sees what, the inbox
// (unread, per-recipient acks, newest first, TTL against the given clock), open requests,
// threads, the masking of private handles, the checkpoint rules and the briefing's lines.
import { describe, expect, it } from 'vitest';
import { CONTEXT_T0 } from '../../fixtures/contexts.js';
import { ackRecord, messageRecord, sampleMessage } from '../../fixtures/messages.js';
import { keepMessage, keepMessageAck } from '../../src/core/message-fold.js';
import {
  briefingNews,
  inboxOf,
  messageBriefingBlocks,
  PRIVATE_DEVELOPER,
  threadOf,
  type MessageReader,
  type ViewContext,
} from '../../src/core/messages.js';
import { accumulate, emptyAccumulator } from '../../src/core/records.js';
import type { Visibility } from '../../src/schema/context.js';
import type { StoreRecord } from '../../src/schema/records.js';

const T0 = Date.parse(CONTEXT_T0);
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
const hours = (h: number): Date => new Date(T0 + h * 3_600_000);
const REPO = 'github.com/org/repo';

function view(
  records: StoreRecord[],
  reader: Partial<MessageReader> & { handle: string },
  now = hours(1),
  privateOnes: string[] = [],
): ViewContext {
  return {
    state: accumulate(emptyAccumulator(), records),
    reader: { repo: REPO, ...reader },
    now,
    visibilityOf: (d): Visibility => (privateOnes.includes(d) ? 'private' : 'public'),
  };
}
const ids = (ms: { id: string }[]): string[] => ms.map((m) => m.id);

describe('inboxOf', () => {
  const records = [
    messageRecord(sampleMessage('M1', { sent_at: at(0) })),
    messageRecord(sampleMessage('M2', { sent_at: at(5), to: ['all'] })),
    messageRecord(sampleMessage('M3', { sent_at: at(6), to: ['branch:feature'] })),
    messageRecord(sampleMessage('M4', { sent_at: at(7), to: ['session:s9'] })),
    messageRecord(sampleMessage('M5', { sent_at: at(8), to: ['carol'] })),
    messageRecord(sampleMessage('M6', { sent_at: at(9), from: 'bob', to: ['all'] })),
    messageRecord(sampleMessage('M7', { sent_at: at(10), to: ['branch:feature'], repo: 'elsewhere' })),
  ];

  it('holds what reaches my handle, branch, session and all, from others, newest first', () => {
    expect(ids(inboxOf(view(records, { handle: 'bob', branch: 'feature', session: 's9' })).messages)).toEqual([
      'M4',
      'M3',
      'M2',
      'M1',
    ]);
    expect(ids(inboxOf(view(records, { handle: 'bob', branch: 'main' })).messages)).toEqual(['M2', 'M1']);
    expect(ids(inboxOf(view(records, { handle: 'carol' })).messages)).toEqual(['M6', 'M5', 'M2']);
  });

  it('an ack hides a message from its author only; --all shows it again, marked read', () => {
    const acked = [...records, ackRecord('K1', 'M2', 'bob', at(20))];
    expect(ids(inboxOf(view(acked, { handle: 'bob' })).messages)).toEqual(['M1']);
    expect(ids(inboxOf(view(acked, { handle: 'carol' })).messages)).toContain('M2');
    const all = inboxOf(view(acked, { handle: 'bob' }), { all: true }).messages;
    expect(all.map((m) => [m.id, m.acked])).toEqual([
      ['M2', true],
      ['M1', false],
    ]);
  });

  it('filters by type, and drops a message once it expires (the clock is the caller’s)', () => {
    const typed = [...records, messageRecord(sampleMessage('R1', { sent_at: at(30), type: 'review', ttl_hours: 1 }))];
    expect(ids(inboxOf(view(typed, { handle: 'bob' }), { type: 'review' }).messages)).toEqual(['R1']);
    expect(ids(inboxOf(view(typed, { handle: 'bob' }, hours(1.49))).messages)).toContain('R1');
    expect(ids(inboxOf(view(typed, { handle: 'bob' }, hours(1.5))).messages)).not.toContain('R1');
    expect(inboxOf(view(typed, { handle: 'bob' }, hours(73))).messages).toEqual([]);
  });
});

describe('open requests', () => {
  const request = messageRecord(sampleMessage('Q', { type: 'need_input', to: ['all'] }));
  const open = (records: StoreRecord[]): string[] => ids(inboxOf(view(records, { handle: 'alice' })).openRequests);

  it('stay open until a reply from someone else or an ack by anyone but the sender', () => {
    expect(open([request])).toEqual(['Q']);
    const ownFollowUp = messageRecord(sampleMessage('F', { sent_at: at(1), reply_to: 'Q', to: ['all'] }));
    expect(open([request, ownFollowUp])).toEqual(['Q']);
    expect(open([request, ackRecord('K0', 'Q', 'alice', at(2))])).toEqual(['Q']);
    const reply = messageRecord(sampleMessage('A', { sent_at: at(2), from: 'bob', to: ['alice'], reply_to: 'Q' }));
    expect(open([request, reply])).toEqual([]);
    expect(open([request, ackRecord('K1', 'Q', 'carol', at(2))])).toEqual([]);
  });

  it('an fyi is never a request', () => {
    expect(open([messageRecord(sampleMessage('N'))])).toEqual([]);
  });
});

describe('threadOf', () => {
  const records = [
    messageRecord(sampleMessage('Q', { type: 'review', to: ['bob', 'carol'] })),
    messageRecord(sampleMessage('A1', { sent_at: at(1), from: 'bob', to: ['alice'], reply_to: 'Q' })),
    messageRecord(sampleMessage('A2', { sent_at: at(2), from: 'carol', to: ['alice'], reply_to: 'Q' })),
    messageRecord(sampleMessage('A3', { sent_at: at(3), to: ['bob'], reply_to: 'A1' })),
  ];

  it('gathers the root and every reply the reader may see, oldest first', () => {
    expect(threadOf(view(records, { handle: 'alice' }), 'A3')).toMatchObject({ root: 'Q' });
    expect(ids(threadOf(view(records, { handle: 'alice' }), 'A3')!.messages)).toEqual(['Q', 'A1', 'A2', 'A3']);
    // Bob sees the request, his reply and the answer to it, not carol's reply to alice.
    expect(ids(threadOf(view(records, { handle: 'bob' }), 'Q')!.messages)).toEqual(['Q', 'A1', 'A3']);
  });

  it('an unknown, expired or invisible message has no thread', () => {
    expect(threadOf(view(records, { handle: 'alice' }), 'NOPE')).toBeUndefined();
    expect(threadOf(view(records, { handle: 'dave' }), 'Q')).toBeUndefined();
    expect(threadOf(view(records, { handle: 'alice' }, hours(80)), 'Q')).toBeUndefined();
  });
});

describe('privacy', () => {
  it('a private handle in `to` is masked for other recipients, shown to its owner and to the sender', () => {
    const records = [messageRecord(sampleMessage('M', { to: ['bob', 'carol'] }))];
    const toOf = (handle: string): string[] =>
      inboxOf(view(records, { handle }, hours(1), ['carol']), { all: true }).messages[0]?.to ?? [];
    expect(toOf('bob')).toEqual(['bob', PRIVATE_DEVELOPER]);
    expect(toOf('carol')).toEqual(['bob', 'carol']);
    const sent = threadOf(view(records, { handle: 'alice' }, hours(1), ['carol']), 'M')!.messages[0]!;
    expect(sent.to).toEqual(['bob', 'carol']);
  });
});

describe('checkpoint rules', () => {
  it('keep a message until it expires, and its acks as long as it is kept', () => {
    const m = messageRecord(sampleMessage('M', { ttl_hours: 2 }));
    const ack = ackRecord('K', 'M', 'bob', at(1));
    const state = accumulate(emptyAccumulator(), [m, ack]);
    expect(keepMessage(m, hours(1.9))).toBe(true);
    expect(keepMessage(m, hours(2))).toBe(false);
    expect(keepMessageAck(ack, state, hours(1.9))).toBe(true);
    expect(keepMessageAck(ack, state, hours(2))).toBe(false);
    expect(keepMessageAck(ackRecord('K2', 'GONE', 'bob', at(1)), state, hours(1))).toBe(false);
  });
});

describe('the briefing lines', () => {
  it('lead with the handoffs to me, then the unread requests, escaped', () => {
    const handoff = sampleMessage('H', {
      type: 'handoff',
      body: 'Take over the parser.',
      handoff: { branch: 'feature', context_id: 'C1', context_title: 'Parser \u001b[31mrewrite' },
    });
    const records = [
      messageRecord(handoff),
      messageRecord(sampleMessage('Q', { type: 'need_input', body: 'Which lexer?', sent_at: at(3) })),
    ];
    const news = briefingNews(inboxOf(view(records, { handle: 'bob' })).messages);
    const text = messageBriefingBlocks(news, hours(1), () => '1h')
      .map((b) => b.join('\n'))
      .join('\n\n');
    expect(text.split('\n')[0]).toBe('alice handed you Parser \\x1b[31mrewrite on feature (1h ago).');
    expect(text).toContain('handoff context get --developer alice');
    expect(text).toContain('handoff message thread H');
    expect(text).toContain('Requests to you (1 unread):\n- need_input from alice, 1h ago: Which lexer? (Q)');
    expect(text).not.toContain('\u001b');
  });

  it('are empty when nothing is addressed to me', () => {
    expect(messageBriefingBlocks({ handoffs: [], requests: [] }, hours(1), () => '1h')).toEqual([]);
  });
});
