// `handoff message send|inbox|ack|thread`: flags → a request for api/message.ts → text or
// JSON on stdout.
import type { Command } from 'commander';
import { ackMessages, messageInbox, messageThread, sendMessage } from '../api.js';
import { UsageError } from '../errors.js';
import { renderInbox, renderThread } from '../render/message.js';
import { colorEnabled, createStyle } from '../render/style.js';
import type { Io } from './io.js';
import { printJson, requestOf, withCommon, type CommonFlags } from './options.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface SendFlags extends CommonFlags {
  to?: string[];
  body?: string;
  type?: string;
  replyTo?: string;
  file?: string[];
  ttlHours?: string;
}

function ttlOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Decimal digits only: Number() would also take 0x10, 1e2, +16 and padded text.
  if (!/^\d+(\.\d+)?$/.test(text))
    throw new UsageError(`--ttl-hours "${text}" is not a decimal number of hours`, 'use 1 to 168');
  return Number(text);
}

export function addMessageCommands(program: Command, io: Io): void {
  const style = (flags: CommonFlags) => createStyle(!flags.json && colorEnabled(io.stdoutIsTTY, io.env));
  const message = program
    .command('message')
    .description('messages between sessions: requests, answers, notes and sequential handoffs');

  withCommon(message.command('send'), { as: true })
    .description('send a message; prints its id')
    .option('--to <address>', 'a developer handle, branch:<name>, session:<id> or all (repeatable)', collect)
    .option('--body <text>', 'what you need or want to say, plain prose (≤ 4,000 characters)')
    .option('--type <type>', 'fyi, need_input, interface_ready, review or handoff (default fyi)')
    .option('--reply-to <id>', 'the message this answers (default address: its sender)')
    .option('--file <path>', 'a file it is about, repository-relative (repeatable)', collect)
    .option('--ttl-hours <n>', 'hours until it expires, 1–168 (default 72)')
    .option('--session <id>', "the sending session id (default HANDOFF_SESSION, else Codex's CODEX_THREAD_ID)")
    .action(async (flags: SendFlags) => {
      if (flags.body === undefined) throw new UsageError('a message needs a body', 'pass --body "…"');
      const ttl = ttlOf(flags.ttlHours);
      const sent = await sendMessage(requestOf(flags, io), {
        ...(flags.to ? { to: flags.to } : {}),
        body: flags.body,
        ...(flags.type !== undefined ? { type: flags.type } : {}),
        ...(flags.replyTo !== undefined ? { reply_to: flags.replyTo } : {}),
        files: flags.file ?? [],
        ...(ttl !== undefined ? { ttl_hours: ttl } : {}),
      });
      if (flags.json) printJson(io, sent);
      else io.out(`${sent.id}\n`);
    });

  withCommon(message.command('inbox'), { as: true })
    .description('unread messages to you (your handle, branch, session, all), newest first, and your open requests')
    .option('--all', 'read ones too (until they expire)')
    .option('--type <type>', 'only this type')
    .option('--session <id>', "your session id (default HANDOFF_SESSION, else Codex's CODEX_THREAD_ID)")
    .action(async (flags: CommonFlags & { all?: boolean; type?: string }) => {
      const req = requestOf(flags, io);
      const inbox = await messageInbox(req, {
        all: flags.all ?? false,
        ...(flags.type !== undefined ? { type: flags.type } : {}),
      });
      if (flags.json) printJson(io, inbox);
      else io.out(renderInbox(inbox, req.now, flags.all ?? false, style(flags)));
    });

  withCommon(message.command('ack'), { as: true })
    .description('mark messages read, for you only')
    .argument('[ids...]')
    .option('--all', 'every unread message to you')
    .option('--session <id>', "your session id (default HANDOFF_SESSION, else Codex's CODEX_THREAD_ID)")
    .action(async (ids: string[], flags: CommonFlags & { all?: boolean }) => {
      if (Boolean(flags.all) === ids.length > 0) throw new UsageError('give message ids or --all (not both)');
      const result = await ackMessages(requestOf(flags, io), flags.all ? 'all' : ids);
      if (flags.json) printJson(io, result);
      else io.out(`acked ${result.acked.length} message${result.acked.length === 1 ? '' : 's'}\n`);
    });

  withCommon(message.command('thread'), { as: true })
    .description('a message with the request it answers and every reply you may see')
    .argument('<id>')
    .option('--session <id>', "your session id (default HANDOFF_SESSION, else Codex's CODEX_THREAD_ID)")
    .action(async (id: string, flags: CommonFlags) => {
      const req = requestOf(flags, io);
      const thread = await messageThread(req, id);
      if (flags.json) printJson(io, thread);
      else io.out(renderThread(thread, req.now, style(flags)));
    });
}
