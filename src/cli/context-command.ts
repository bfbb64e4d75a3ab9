// `handoff context publish|get|revoke|list|visibility|repair`:
// flags → a request for api/context.ts → text or JSON on stdout.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { getContexts, listAllContexts, publishContext, repairStore, revokeContext, setVisibility } from '../api.js';
import { UsageError } from '../errors.js';
import { renderAudit, renderContexts } from '../render/context.js';
import { colorEnabled, createStyle } from '../render/style.js';
import type { Io } from './io.js';
import { printJson, requestOf, withCommon, type CommonFlags } from './options.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

interface PublishFlags extends CommonFlags {
  title?: string;
  summary?: string;
  file?: string[];
  next?: string[];
  blocker?: string[];
  task?: string[];
  ttlHours?: string;
  session?: string;
  branch?: string;
  fromJson?: string;
  role?: string;
}

async function publishInputOf(flags: PublishFlags, io: Io): Promise<Record<string, unknown>> {
  let base: Record<string, unknown> = {};
  if (flags.fromJson !== undefined) {
    const text = flags.fromJson === '-' ? await io.readStdin() : await io.readFile(resolve(io.cwd, flags.fromJson));
    const value = parseJson(text, flags.fromJson === '-' ? 'stdin' : flags.fromJson);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new UsageError('--from-json must hold a JSON object');
    base = value as Record<string, unknown>;
  }
  const input: Record<string, unknown> = { ...base };
  if (flags.title !== undefined) input.title = flags.title;
  if (flags.summary !== undefined) input.summary = flags.summary;
  if (flags.file) input.files_touched = flags.file;
  if (flags.next) input.next_actions = flags.next;
  if (flags.blocker) input.blockers = flags.blocker;
  if (flags.task) input.task_ids = flags.task;
  if (flags.session !== undefined) input.session_id = flags.session;
  if (flags.branch !== undefined) input.branch = flags.branch;
  if (flags.role !== undefined) input.role = flags.role;
  if (flags.ttlHours !== undefined) {
    // Decimal digits only: Number() would also take 0x10, 1e2, +16 and padded text.
    if (!/^\d+(\.\d+)?$/.test(flags.ttlHours)) {
      throw new UsageError(`--ttl-hours "${flags.ttlHours}" is not a decimal number of hours`, 'use 1 to 168');
    }
    input.ttl_hours = Number(flags.ttlHours);
  }
  if (input.title === undefined)
    throw new UsageError('a context needs a title', 'pass --title "…" (and --summary "…")');
  return input;
}

export function addContextCommands(program: Command, io: Io): void {
  const style = (flags: CommonFlags) => createStyle(!flags.json && colorEnabled(io.stdoutIsTTY, io.env));
  const json = (value: unknown): void => printJson(io, value);
  const context = program
    .command('context')
    .description('publish and read working contexts shared by every worktree of this clone');

  withCommon(context.command('publish'), { as: true })
    .description('publish (or replace) your working context for this repository and branch')
    .option('--title <text>', 'what you are working on (1–200 characters)')
    .option('--summary <text>', 'what you are doing and the key decisions, plain text (≤ 4,000 characters)')
    .option('--file <path>', 'a file you touched, repository-relative (repeatable)', collect)
    .option('--next <action>', 'a next action (repeatable)', collect)
    .option('--blocker <text>', 'a blocker (repeatable)', collect)
    .option('--task <id>', 'a task id (repeatable)', collect)
    .option('--ttl-hours <n>', 'hours until it expires, 1–168 (default 24)')
    .option('--session <id>', 'the publishing session id')
    .option('--branch <name>', 'branch the context is about (default: the current branch)')
    .option('--from-json <file>', 'read the fields from a JSON file, or - for stdin')
    .option('--role <role>', "the session's role: implementer, reviewer, tester, refactorer, security or another word")
    .action(async (flags: PublishFlags) => {
      const ctx = await publishContext(requestOf(flags, io), await publishInputOf(flags, io));
      if (flags.json) json(ctx);
      else io.out(`${ctx.id}\n`);
    });

  withCommon(context.command('get'), { as: true })
    .description('active contexts: everyone visible to you, or one developer')
    .option('--developer <handle>', 'only this developer')
    .option('--role <role>', 'only sessions that published with this role')
    .action(async (flags: CommonFlags & { developer?: string; role?: string }) => {
      const req = requestOf(flags, io);
      const role = flags.role !== undefined ? { role: flags.role } : {};
      const contexts = await getContexts(req, flags.developer, role);
      if (flags.json) json(contexts);
      else io.out(renderContexts(contexts, req.now, style(flags)));
    });

  withCommon(context.command('revoke'), { as: true })
    .description('revoke one of your contexts, effective immediately')
    .argument('<id>')
    .action(async (id: string, flags: CommonFlags) => {
      const req = requestOf(flags, io);
      const revoked = await revokeContext(req, id);
      if (flags.json) json(revoked);
      else io.out(`revoked ${revoked.id}\n`);
    });

  withCommon(context.command('list'), { as: true })
    .description('stored contexts; --all includes expired, superseded and revoked ones (audit)')
    .option('--all', 'every stored context with its status')
    .action(async (flags: CommonFlags & { all?: boolean }) => {
      const req = requestOf(flags, io);
      const contexts = flags.all ? await listAllContexts(req) : await getContexts(req);
      if (flags.json) json(contexts);
      else io.out(flags.all ? renderAudit(contexts, style(flags)) : renderContexts(contexts, req.now, style(flags)));
    });

  withCommon(context.command('visibility'), { as: true })
    .description('make your contexts visible to teammates (public) or only to you (private)')
    .argument('<visibility>', 'public or private')
    .action(async (value: string, flags: CommonFlags) => {
      if (value !== 'public' && value !== 'private')
        throw new UsageError(`visibility must be public or private, not "${value}"`);
      const result = await setVisibility(requestOf(flags, io), value);
      if (flags.json) json(result);
      else io.out(`${result.developer} is now ${result.visibility}\n`);
    });

  withCommon(context.command('repair'), { as: true })
    .description('move corrupt store files aside and rebuild what can be rebuilt')
    .action(async (flags: CommonFlags) => {
      const report = await repairStore(requestOf(flags, io));
      if (flags.json) json({ repaired: report });
      else io.out(report.length === 0 ? 'The context store is healthy.\n' : `${report.join('\n')}\n`);
    });
}
