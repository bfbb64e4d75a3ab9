// Messages between sessions: send, inbox, ack, thread, and the news a session-start
// briefing leads with. Input is checked here before anything is written (addresses, the
// content rule contexts follow, TTL range, paths, the replied-to message being visible);
// who sees what is core/messages.ts, how records fold core/message-fold.ts.
import { ulid } from 'ulid';
import { ADDRESS_FORMS, formatAddress, isAddress, parseAddress } from '../core/address.js';
import { contentViolation } from '../core/context-rules.js';
import {
  addressedTo,
  briefingNews,
  inboxOf,
  threadOf,
  visibleMessage,
  type MessageReader,
  type ViewContext,
} from '../core/messages.js';
import { compareCodeUnit, normalizeRepoPath } from '../core/paths.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { RepoInfo } from '../git/repo.js';
import type { EventRecord } from '../schema/context.js';
import {
  MESSAGE_LIMITS,
  MESSAGE_TTL_HOURS,
  MESSAGE_TYPES,
  messageType,
  type AckResult,
  type HandoffLink,
  type InboxView,
  type Message,
  type MessageType,
  type MessageView,
  type ThreadView,
} from '../schema/message.js';
import type { RecordOf } from '../schema/records.js';
import { LockTimeoutError } from '../store/lock.js';
import { multiLineText } from '../schema/text.js';
import type { MessageState } from '../core/message-fold.js';
import type { StoreSnapshot } from '../store/context-store.js';
import {
  openStore,
  openTeamStore,
  ownActiveContext,
  resolveDeveloper,
  usage,
  type ContextRequest,
  type StoreContext,
} from './context.js';
import { currentHandoffOf } from './message-handoff.js';

/** What `message send` (or another use case, e.g. `interface add --notify`) asks for. */
export interface SendInput {
  /** One address or several; may be left out for a reply (it goes to the replied-to message's sender). */
  to?: string | readonly string[];
  body: string;
  type?: MessageType | string;
  reply_to?: string;
  files?: readonly string[];
  ttl_hours?: number;
}

const iso = (d: Date): string => d.toISOString();

const branchOf = (ctx: StoreContext): { branch?: string } => (ctx.repo.branch ? { branch: ctx.repo.branch } : {});

type Registry = ReturnType<StoreContext['store']['readDevelopers']>;

function viewContextOf(state: MessageState, registry: Registry, reader: MessageReader, now: Date): ViewContext {
  return { state, reader, now, visibilityOf: (d) => registry.developers[d]?.visibility ?? 'public' };
}

/** What every read derives from: the fold of the store's live records, and the registry. */
function viewContext(ctx: StoreContext, reader: MessageReader, now: Date): ViewContext {
  return viewContextOf(ctx.store.snapshot().acc, ctx.store.readDevelopers(), reader, now);
}

function readerOf(req: ContextRequest, ctx: StoreContext, handle: string): MessageReader {
  return { handle, branch: ctx.repo.branch, session: req.session, repo: ctx.repoId };
}

function checkedAddresses(given: readonly string[]): string[] {
  if (given.length > MESSAGE_LIMITS.to)
    throw new UsageError(`${given.length} addresses; the limit is ${MESSAGE_LIMITS.to}`);
  const out = new Set<string>();
  for (const raw of given) {
    const parsed = parseAddress(raw);
    if (!isAddress(parsed)) throw new UsageError(`bad address "${raw}": ${parsed.error}`, `use ${ADDRESS_FORMS}`);
    out.add(formatAddress(parsed));
  }
  return [...out].sort(compareCodeUnit);
}

function checkedBody(raw: string): string {
  const parsed = multiLineText().safeParse(raw);
  if (!parsed.success) throw new UsageError(`the message body ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  const body = parsed.data;
  if (body === '') throw new UsageError('the message body is empty', 'say what you need with --body "…"');
  if (body.length > MESSAGE_LIMITS.body)
    throw new UsageError(`the message body is ${body.length} characters; the limit is ${MESSAGE_LIMITS.body}`);
  const why = contentViolation(body);
  if (why) {
    throw new UsageError(
      `the message body was rejected because ${why}: messages hold metadata and prose only`,
      'describe it in words and name the files with --file',
    );
  }
  return body;
}

function checkedFiles(paths: readonly string[]): string[] {
  if (paths.length > MESSAGE_LIMITS.files)
    throw new UsageError(`${paths.length} files; the limit is ${MESSAGE_LIMITS.files}`);
  const out = new Set<string>();
  for (const raw of paths) {
    const normal = /^([a-zA-Z]:)?[\\/]/.test(raw) ? undefined : normalizeRepoPath(raw.trim());
    if (normal === undefined || normal === '')
      throw new UsageError(`--file "${raw}" is not a repository-relative path`, 'give paths without .. or a root');
    out.add(normal);
  }
  return [...out].sort(compareCodeUnit);
}

function checkedTtl(ttl: number | undefined): number {
  const hours = ttl ?? MESSAGE_TTL_HOURS.default;
  const { min, max } = MESSAGE_TTL_HOURS;
  if (!Number.isFinite(hours) || hours < min || hours > max)
    throw new UsageError(`ttl_hours ${hours} is out of range`, `use ${min} to ${max} hours`);
  return hours;
}

function checkedType(type: string | undefined): MessageType {
  const parsed = messageType.safeParse(type ?? 'fyi');
  if (!parsed.success) throw new UsageError(`unknown message type "${type}"`, `use ${MESSAGE_TYPES.join(', ')}`);
  return parsed.data;
}

const noMessage = (id: string, what = 'that you can see'): NotFoundError =>
  new NotFoundError(`no message "${id}" ${what}`, 'see `handoff message inbox --all`');

/** Who a reply goes to when no address is given: the replied-to sender, or (my own message) its addressees. */
function replyAddresses(parent: Message, me: string): string[] {
  return parent.from === me ? parent.to : [parent.from];
}

/** What a `--type handoff` message carries: my active context for this branch and the current handoff. */
async function handoffLinkOf(req: ContextRequest, ctx: StoreContext): Promise<HandoffLink> {
  const branch = ctx.repo.branch ?? 'HEAD';
  const env = { ...req.env, ...(req.as ? { HANDOFF_DEVELOPER: req.as } : {}) };
  const own = await ownActiveContext(ctx.repo, env, req.now);
  const context = own && own.branch === branch ? { context_id: own.id, context_title: own.title } : {};
  const current = await currentHandoffOf(ctx.repo, req);
  return { branch, ...(current ?? (ctx.repo.head ? { head: ctx.repo.head } : {})), ...context };
}

/** Sends a message; returns the stored record (what `--json` prints). */
export async function sendMessage(req: ContextRequest, input: SendInput): Promise<Message> {
  const { ctx, me } = await openTeamStore(req);
  const reader = readerOf(req, ctx, me!);
  const type = checkedType(input.type);
  const body = checkedBody(input.body);
  const ttl = checkedTtl(input.ttl_hours);
  const files = checkedFiles(input.files ?? []);
  const given = input.to === undefined ? [] : typeof input.to === 'string' ? [input.to] : [...input.to];
  let to = checkedAddresses(given);
  if (input.reply_to !== undefined) {
    const parent = visibleMessage(viewContext(ctx, reader, req.now), input.reply_to);
    if (parent === undefined) throw noMessage(input.reply_to, 'to reply to');
    if (to.length === 0) to = replyAddresses(parent, reader.handle);
  }
  if (to.length === 0) throw new UsageError('a message needs an address', `pass --to <address> (${ADDRESS_FORMS})`);
  const handoff = type === 'handoff' ? { handoff: await handoffLinkOf(req, ctx) } : {};
  const id = ulid(req.now.getTime());
  const message: Message = {
    id,
    from: reader.handle,
    repo: ctx.repoId,
    branch: ctx.repo.branch ?? 'HEAD',
    ...(req.session ? { session_id: req.session } : {}),
    to,
    type,
    body,
    ...(input.reply_to !== undefined ? { reply_to: input.reply_to } : {}),
    files,
    sent_at: iso(req.now),
    expires_at: iso(new Date(req.now.getTime() + ttl * 3_600_000)),
    ttl_hours: ttl,
    ...handoff,
  };
  const record: RecordOf<'message'> = { id, author: reader.handle, at: message.sent_at, kind: 'message', message };
  const events: EventRecord[] = [
    usage('message.send', reader.handle, ctx, req.now, branchOf(ctx)),
    { ...usage('session.message_sent', reader.handle, ctx, req.now, branchOf(ctx)), kind: 'work' },
  ];
  await ctx.store.write([record], { now: req.now, events });
  return message;
}

export interface InboxRequest {
  all?: boolean;
  type?: string;
}

/** My inbox (unread, or all unexpired with `all`), newest first, and my requests still unanswered. */
export async function messageInbox(req: ContextRequest, query: InboxRequest = {}): Promise<InboxView> {
  const { ctx, me } = await openTeamStore(req);
  const reader = readerOf(req, ctx, me!);
  const type = query.type === undefined ? undefined : checkedType(query.type);
  const found = inboxOf(viewContext(ctx, reader, req.now), { all: query.all ?? false, ...(type ? { type } : {}) });
  await recordUsage(ctx, 'message.inbox', req.now, reader.handle);
  return {
    me: reader.handle,
    ...(reader.branch !== undefined ? { branch: reader.branch } : {}),
    ...(reader.session !== undefined ? { session: reader.session } : {}),
    messages: found.messages,
    open_requests: found.openRequests,
  };
}

/**
 * Marks messages read for me (only me: an `all` message stays in everyone else's inbox).
 * Each id must be a message addressed to me; `all` acks my whole unread inbox. Nothing
 * is written unless every id is good. Already acknowledged ones are left out of the result.
 */
export async function ackMessages(req: ContextRequest, ids: readonly string[] | 'all'): Promise<AckResult> {
  const { ctx, me } = await openTeamStore(req);
  const reader = readerOf(req, ctx, me!);
  const registry = ctx.store.readDevelopers();
  let targets: string[] = [];
  // Decided on the snapshot taken under the lock: two acks at once record one ack each, never a lost one.
  const records = (snap: StoreSnapshot): RecordOf<'message_ack'>[] => {
    const vc = viewContextOf(snap.acc, registry, reader, req.now);
    if (ids === 'all') {
      targets = inboxOf(vc).messages.map((m) => m.id);
    } else {
      for (const id of ids) {
        const m = visibleMessage(vc, id);
        const mine = m !== undefined && m.from !== reader.handle && (addressedTo(m, reader) || acked(vc, id));
        if (!mine) throw noMessage(id, 'addressed to you');
      }
      targets = [...new Set(ids)].filter((id) => !acked(vc, id));
    }
    return targets.map((id) => ({
      id: ulid(req.now.getTime()),
      author: reader.handle,
      at: iso(req.now),
      kind: 'message_ack',
      message_id: id,
    }));
  };
  await ctx.store.write(records, { now: req.now, events: [usage('message.ack', me, ctx, req.now)] });
  return { acked: targets };
}
const acked = (vc: ViewContext, id: string): boolean => vc.state.messageAcks.get(id)?.has(vc.reader.handle) ?? false;

/** A message with the thread it belongs to: its root and every reply I may see, oldest first. */
export async function messageThread(req: ContextRequest, id: string): Promise<ThreadView> {
  const { ctx, me } = await openTeamStore(req);
  const reader = readerOf(req, ctx, me!);
  const thread = threadOf(viewContext(ctx, reader, req.now), id);
  await recordUsage(ctx, 'message.thread', req.now, reader.handle);
  if (thread === undefined) throw noMessage(id);
  return thread;
}

/** A read's usage event, best effort: a store we cannot lock still answers. */
async function recordUsage(ctx: StoreContext, name: string, now: Date, me: string): Promise<void> {
  try {
    await ctx.store.locked(() => ctx.store.appendEventsLocked([usage(name, me, ctx, now, branchOf(ctx))]), {
      timeoutMs: 1_000,
    });
  } catch (error) {
    // A busy lock or a store this user cannot write: the answer matters more than the count.
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof LockTimeoutError || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return;
    throw error;
  }
}

/**
 * The unread messages a session-start briefing leads with: handoffs to me, then requests
 * to me. Never throws: a briefing without them is still a briefing.
 */
export async function briefingMessages(
  repo: RepoInfo,
  env: NodeJS.ProcessEnv,
  now: Date,
  session: string | undefined,
): Promise<{ handoffs: MessageView[]; requests: MessageView[] }> {
  try {
    const ctx = await openStore(repo.root, repo);
    const handle = await resolveDeveloper({ cwd: repo.root, now, env }, ctx, false);
    if (handle === undefined) return { handoffs: [], requests: [] };
    const reader = { handle, branch: repo.branch, session, repo: ctx.repoId };
    return briefingNews(inboxOf(viewContext(ctx, reader, now)).messages);
  } catch {
    return { handoffs: [], requests: [] };
  }
}
