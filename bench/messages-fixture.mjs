// Builds a team store holding 100,000 historical messages for the messages bench: a small
// git repository whose store logs hold checksummed message records (long expired, a fifth
// of them acked) and ACTIVE_MESSAGES sent in the last day, half of those acked by the
// reader. The checkpoint is left for the CLI to fold once (the first `message send`), so
// the fixture never depends on its format.
import { ensureStoreFixture, ulidAt } from './store-fixture.mjs';

/** Messages still unexpired at `now`, whatever the history size. */
export const ACTIVE_MESSAGES = 200;
/** Who reads: the inbox the bench times is this developer's. */
export const READER = 'dev1@example.com';

const TO = (i) => [READER, 'all', 'branch:main', `dev${i % 1000}@example.com`][i % 4];
const TYPES = ['fyi', 'need_input', 'review', 'fyi', 'handoff'];

/** A store of `count` historical messages plus the active ones; returns { repo, storeDir, now, count }. */
export function ensureMessagesFixture(root, count, bin, log = () => {}) {
  return ensureStoreFixture({
    root,
    name: 'messages',
    count,
    bin,
    log,
    records: (now) => messageRecords(now, count),
    firstWrite: ['message', 'send', '--to', 'all', '--body', 'Fixture ready.', '--as', 'setup@example.com'],
    describe: (logs) => `${count} historical messages in ${logs} logs`,
  });
}

/** `count` messages long expired (a fifth acked), then ACTIVE_MESSAGES from the last day (half acked by READER). */
function messageRecords(now, count) {
  const day = 86_400_000;
  const total = count + ACTIVE_MESSAGES;
  const records = [];
  for (let i = 0; i < total; i++) {
    const active = i >= count;
    const at = active
      ? now - 23 * 3_600_000 + Math.floor((22 * 3_600_000 * (i - count)) / ACTIVE_MESSAGES)
      : now - 365 * day + Math.floor((360 * day * i) / count);
    const from = `dev${(i * 7 + 3) % 1000}@example.com`;
    const id = ulidAt(at, i);
    const sent = new Date(at).toISOString();
    const message = {
      id,
      from,
      repo: 'repo',
      branch: 'main',
      to: [TO(i)],
      type: TYPES[i % TYPES.length],
      body: `Message ${i}: the parser moved behind an interface; please check the lexer tests.`,
      files: [`file${i % 50}.ts`],
      sent_at: sent,
      expires_at: new Date(at + 72 * 3_600_000).toISOString(),
      ttl_hours: 72,
    };
    records.push({ id, author: from, at: sent, kind: 'message', message });
    if (i % 5 === 0 || (active && i % 2 === 0)) {
      const ack = { id: ulidAt(at + 60_000, i), author: READER, at: new Date(at + 60_000).toISOString() };
      records.push({ ...ack, kind: 'message_ack', message_id: id });
    }
  }
  return records;
}
