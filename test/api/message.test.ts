// Messages through the api, in-process on real repositories (issue 10): addresses by handle,
// branch (a linked worktree), session and all; per-recipient acks; open requests; threads;
// bad input refused with nothing recorded; TTL expiry by the request's clock; a sequential
// handoff that carries the sender's context and saved handoff and leads the recipient's
// session-start briefing; a private developer's handle kept from everyone else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitRepo, makeTempDir, type GitRepo } from '../../fixtures/git-repo.js';
import {
  ackMessages,
  messageInbox,
  messageThread,
  publishContext,
  sendMessage,
  sessionBriefing,
  setVisibility,
  type ContextRequest,
} from '../../src/api.js';
import { EXIT, HandoffError } from '../../src/errors.js';
import { inboxView, message as messageSchema, threadView } from '../../src/schema/message.js';
import { checkpoint } from '../../src/schema/records.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (hours: number): Date => new Date(T0 + hours * 3_600_000);

async function exitOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HandoffError) return error.exitCode;
    throw error;
  }
  return EXIT.ok;
}

describe('messages', { tags: ['slow'] }, () => {
  let repo: GitRepo;
  let feature: string;
  const as = (handle: string, over: Partial<ContextRequest> = {}): ContextRequest => ({
    cwd: repo.dir,
    now: at(0),
    env: {},
    as: handle,
    ...over,
  });
  const inbox = async (handle: string, over: Partial<ContextRequest> = {}, all = false) =>
    inboxView.parse(await messageInbox(as(handle, over), { all }));
  const ids = (list: { id: string }[]): string[] => list.map((m) => m.id);

  beforeAll(() => {
    repo = gitRepo({ 'src/a.ts': 'export const a = 1;\n' });
    feature = join(makeTempDir(), 'feature');
    repo.git('worktree', 'add', '-q', '-b', 'feature', feature);
  });
  afterAll(() => repo.cleanup());

  it('reaches a handle, a branch, a session and all; the sender sees none of them as inbox', async () => {
    const toBob = await sendMessage(as('alice'), { to: 'bob', body: 'Please look at the lexer.', files: ['src/a.ts'] });
    expect(messageSchema.parse(toBob)).toMatchObject({ from: 'alice', to: ['bob'], type: 'fyi', files: ['src/a.ts'] });
    expect(toBob.ttl_hours).toBe(72);
    const toBranch = await sendMessage(as('alice', { now: at(0.1) }), {
      to: 'branch:feature',
      body: 'Rebase on main.',
    });
    const toSession = await sendMessage(as('alice', { now: at(0.2) }), { to: 'session:s-42', body: 'Stop at noon.' });
    const toAll = await sendMessage(as('alice', { now: at(0.3) }), { to: 'all', body: 'Deploy freeze today.' });

    expect(ids((await inbox('bob', { now: at(1) })).messages)).toEqual([toAll.id, toBob.id]);
    expect(ids((await inbox('carol', { cwd: feature, now: at(1) })).messages)).toEqual([toAll.id, toBranch.id]);
    expect(ids((await inbox('dave', { session: 's-42', now: at(1) })).messages)).toEqual([toAll.id, toSession.id]);
    expect((await inbox('alice', { now: at(1) })).messages).toEqual([]);
  });

  it('an ack of an all message hides it from the acker only', async () => {
    const sent = await sendMessage(as('alice', { now: at(2) }), { to: 'all', body: 'New CI runner.' });
    expect(await ackMessages(as('bob', { now: at(2.1) }), [sent.id])).toEqual({ acked: [sent.id] });
    expect(ids((await inbox('bob', { now: at(2.2) })).messages)).not.toContain(sent.id);
    expect(ids((await inbox('carol', { now: at(2.2) })).messages)).toContain(sent.id);
    expect((await inbox('bob', { now: at(2.2) }, true)).messages.find((m) => m.id === sent.id)?.acked).toBe(true);
    // Acking again records nothing new.
    expect(await ackMessages(as('bob', { now: at(2.3) }), [sent.id])).toEqual({ acked: [] });
  });

  it('ack --all empties my inbox; nobody acks what is not addressed to them', async () => {
    const sent = await sendMessage(as('alice', { now: at(3) }), { to: 'carol', body: 'Only for carol.' });
    expect(await exitOf(ackMessages(as('bob', { now: at(3.1) }), [sent.id]))).toBe(EXIT.notFound);
    expect(await exitOf(ackMessages(as('alice', { now: at(3.1) }), [sent.id]))).toBe(EXIT.notFound);
    const { acked } = await ackMessages(as('carol', { now: at(3.1) }), 'all');
    expect(acked).toContain(sent.id);
    expect((await inbox('carol', { now: at(3.2) })).messages).toEqual([]);
  });

  it('a request stays open until answered; the thread shows it with its replies', async () => {
    const request = await sendMessage(as('alice', { now: at(4) }), {
      to: 'bob',
      type: 'need_input',
      body: 'Which token format do we keep?',
    });
    expect(ids((await inbox('alice', { now: at(4.1) })).open_requests)).toEqual([request.id]);
    const reply = await sendMessage(as('bob', { now: at(4.2) }), { reply_to: request.id, body: 'Keep JWT.' });
    expect(reply.to).toEqual(['alice']);
    expect((await inbox('alice', { now: at(4.3) })).open_requests).toEqual([]);
    const thread = threadView.parse(await messageThread(as('alice', { now: at(4.3) }), reply.id));
    expect(thread.root).toBe(request.id);
    expect(ids(thread.messages)).toEqual([request.id, reply.id]);
    expect(thread.messages[0]).toMatchObject({ open: false, replies: [reply.id] });
    expect(await exitOf(messageThread(as('carol', { now: at(4.3) }), request.id))).toBe(EXIT.notFound);
  });

  it('an ack by an addressee also answers a review request', async () => {
    const review = await sendMessage(as('alice', { now: at(5) }), { to: 'bob', type: 'review', body: 'Review PR 7.' });
    await ackMessages(as('bob', { now: at(5.1) }), [review.id]);
    expect(ids((await inbox('alice', { now: at(5.2) })).open_requests)).not.toContain(review.id);
  });

  it('refuses bad input with one usage error and records nothing', async () => {
    const before = (await inbox('bob', { now: at(6) }, true)).messages.length;
    const bad: [object, number][] = [
      [{ to: 'team:core', body: 'hi' }, EXIT.usage],
      [{ to: 'branch:', body: 'hi' }, EXIT.usage],
      [{ to: 'bob', body: '   ' }, EXIT.usage],
      [{ to: 'bob', body: 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b' }, EXIT.usage],
      [{ to: 'bob', body: 'hi', ttl_hours: 0.5 }, EXIT.usage],
      [{ to: 'bob', body: 'hi', ttl_hours: 169 }, EXIT.usage],
      [{ to: 'bob', body: 'hi', type: 'urgent' }, EXIT.usage],
      [{ to: 'bob', body: 'hi', files: ['../outside.ts'] }, EXIT.usage],
      [{ body: 'hi' }, EXIT.usage],
      [{ to: 'bob', body: 'hi', reply_to: 'NO-SUCH-ID' }, EXIT.notFound],
    ];
    for (const [input, code] of bad) {
      expect(await exitOf(sendMessage(as('alice', { now: at(6) }), input as never)), JSON.stringify(input)).toBe(code);
    }
    // A message carol may not see cannot be replied to either.
    const secret = await sendMessage(as('alice', { now: at(6) }), { to: 'dave', body: 'For dave.' });
    expect(await exitOf(sendMessage(as('carol', { now: at(6) }), { reply_to: secret.id, body: 'hi' }))).toBe(
      EXIT.notFound,
    );
    expect((await inbox('bob', { now: at(6) }, true)).messages.length).toBe(before);
  });

  it('a message expires after its TTL by the request clock', async () => {
    const short = await sendMessage(as('alice', { now: at(10) }), { to: 'erin', body: 'Short-lived.', ttl_hours: 1 });
    const long = await sendMessage(as('alice', { now: at(10) }), { to: 'erin', body: 'Default TTL.' });
    // Earlier tests' `all` messages reach erin too: only these two count here.
    const mine = async (hours: number): Promise<string[]> =>
      ids((await inbox('erin', { now: at(hours) })).messages).filter((id) => id === short.id || id === long.id);
    expect(await mine(10.99)).toEqual([long.id, short.id].sort().reverse());
    expect(await mine(11)).toEqual([long.id]);
    expect(await mine(10 + 72)).toEqual([]);
    expect(await exitOf(messageThread(as('erin', { now: at(11) }), short.id))).toBe(EXIT.notFound);
  });

  it('the checkpoint keeps unexpired messages and their acks only; the log keeps everything', async () => {
    const gone = await sendMessage(as('alice', { now: at(50) }), { to: 'jo', body: 'Soon gone.', ttl_hours: 1 });
    await ackMessages(as('jo', { now: at(50.1) }), [gone.id]);
    const kept = await sendMessage(as('alice', { now: at(51) }), { to: 'jo', body: 'Still here.' });
    const saved = checkpoint.parse(
      JSON.parse(readFileSync(join(repo.dir, '.git/codemap-handoff/active.json'), 'utf8')),
    );
    const ids = saved.records.map((r) => (r.kind === 'message_ack' ? `ack:${r.message_id}` : r.id));
    expect(ids).toContain(kept.id);
    expect(ids).not.toContain(gone.id);
    expect(ids).not.toContain(`ack:${gone.id}`);
    const log = readFileSync(join(repo.dir, '.git/codemap-handoff', `log-${saved.log_id}.jsonl`), 'utf8');
    expect(log).toContain(gone.id);
  });

  it('a handoff carries the sender’s context and current handoff, and leads the recipient’s briefing', async () => {
    const now = at(20);
    const context = await publishContext(as('alice', { cwd: feature, now }), {
      title: 'Token refresh',
      summary: 'Refresh tokens rotate now.',
      files_touched: ['src/a.ts'],
    });
    const sent = await sendMessage(as('alice', { cwd: feature, now }), {
      to: 'branch:feature',
      type: 'handoff',
      body: 'Over to you: finish the refresh tests.',
    });
    expect(sent.handoff).toMatchObject({ branch: 'feature', context_id: context.id, context_title: 'Token refresh' });
    expect(sent.handoff?.combined_hash).toMatch(/^[0-9a-f]{16}$/);
    expect(sent.handoff?.head).toBe(repo.git('rev-parse', 'HEAD').trim());

    const briefing = await sessionBriefing({
      cwd: feature,
      env: { HANDOFF_DEVELOPER: 'bob' },
      now: at(20.5),
      agent: 'claude-code',
      statusWaitMs: () => 0,
    });
    expect(briefing.split('\n')[0]).toBe('alice handed you Token refresh on feature (30m ago).');
    expect(briefing).toContain(`handoff context get --developer alice · handoff message thread ${sent.id}`);
    await ackMessages(as('bob', { cwd: feature, now: at(20.6) }), [sent.id]);
    const after = await sessionBriefing({
      cwd: feature,
      env: { HANDOFF_DEVELOPER: 'bob' },
      now: at(20.7),
      agent: 'claude-code',
      statusWaitMs: () => 0,
    });
    expect(after).not.toContain('handed you');
  });

  it('unread requests to me are a briefing block', async () => {
    await sendMessage(as('alice', { now: at(30) }), { to: 'frank', type: 'review', body: 'Review the parser split.' });
    const briefing = await sessionBriefing({
      cwd: repo.dir,
      env: { HANDOFF_DEVELOPER: 'frank' },
      now: at(30.1),
      agent: 'claude-code',
      statusWaitMs: () => 0,
    });
    expect(briefing).toMatch(
      /^Requests to you \(1 unread\):\n- review from alice, \d+m ago: Review the parser split\./,
    );
  });

  it('a private developer’s handle is shown only to the messages’ sender and to the developer', async () => {
    await setVisibility(as('gina', { now: at(40) }), 'private');
    const sent = await sendMessage(as('alice', { now: at(40) }), { to: ['henk', 'gina'], body: 'Pairing at 3.' });
    const henk = (await inbox('henk', { now: at(40.1) })).messages.find((m) => m.id === sent.id)!;
    expect(henk.to).toEqual(['a private developer', 'henk']);
    expect(JSON.stringify(await inbox('henk', { now: at(40.1) }))).not.toContain('gina');
    const gina = (await inbox('gina', { now: at(40.1) })).messages.find((m) => m.id === sent.id)!;
    expect(gina.to).toEqual(['gina', 'henk']);
    // Gina's own message reaches its recipient with her name, and nobody else sees it.
    const fromGina = await sendMessage(as('gina', { now: at(40.2) }), { to: 'henk', body: 'Thanks.' });
    expect((await inbox('henk', { now: at(40.3) })).messages[0]).toMatchObject({ id: fromGina.id, from: 'gina' });
    expect(await exitOf(messageThread(as('ivan', { now: at(40.3) }), fromGina.id))).toBe(EXIT.notFound);
  });
});
