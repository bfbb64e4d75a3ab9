// The messages bench (section `messages` of `npm run bench`): `message inbox` and
// `message send` over a store of 100,000 historical (expired or acked) messages. Target:
// each under 100 ms beyond process start (`handoff --version`): reads cost the live
// messages in the checkpoint, not the history in the logs.
import { ACTIVE_MESSAGES, READER, ensureMessagesFixture } from './messages-fixture.mjs';
import { runStoreOps } from './store-fixture.mjs';

export const MESSAGES_TARGETS = { history: 100_000, workMs: 100 };

const OPS = [
  { id: 'cli-start', label: 'handoff --version (process start)', args: () => ['--version'] },
  { id: 'message-inbox', label: 'message inbox', args: () => ['message', 'inbox', '--json', '--as', READER] },
  {
    id: 'message-inbox-all',
    label: 'message inbox --all',
    args: () => ['message', 'inbox', '--all', '--json', '--as', READER],
  },
  {
    id: 'message-send',
    label: 'message send',
    args: () => ['message', 'send', '--to', READER, '--body', 'Bench send.', '--as', 'dev7@example.com'],
    restore: true,
  },
];

/** The inbox must hold the fixture's unread active messages to the reader, not an error path. */
function validateInbox(result) {
  const inbox = JSON.parse(result.stdout);
  if (!Array.isArray(inbox.messages) || inbox.messages.length === 0 || inbox.messages.length > ACTIVE_MESSAGES + 1)
    throw new Error(`message inbox on the messages fixture listed ${inbox.messages?.length} messages`);
  return { listed: inbox.messages.length };
}

export async function runMessagesBench({ options, probe, runSection, bin, log }) {
  const fx = await ensureMessagesFixture(options.fixtures, MESSAGES_TARGETS.history, bin, log);
  const env = { HANDOFF_NOW: fx.now };
  const validateOf = (op) => (op.id.startsWith('message-inbox') ? validateInbox : undefined);
  const what = 'historical messages';
  const results = await runStoreOps({ fx, ops: OPS, env, what, validateOf, options, probe, runSection, bin, log });
  return { stored: fx.count, results };
}

export function messagesRows(run, fmtMs) {
  const start = run.results['cli-start'];
  return OPS.map((op) => {
    const r = run.results[op.id];
    const beyond = r.ms - start.ms;
    const verdict = op.id === 'cli-start' ? '' : beyond < MESSAGES_TARGETS.workMs ? 'PASS' : 'FAIL';
    return [String(run.stored), op.label, fmtMs(r.ms), op.id === 'cli-start' ? '–' : fmtMs(beyond), verdict];
  });
}
