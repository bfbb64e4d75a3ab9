// `handoff claim add|release|list|check`: flags → a request for api/claim.ts → text or
// JSON on stdout; warnings about others' claims on stderr. `check --exit-code` and a
// refused `add --strict` exit 4 (conflict).
import type { Command } from 'commander';
import { addClaims, checkClaims, listClaims, releaseClaims } from '../api.js';
import { ConflictError, UsageError } from '../errors.js';
import { overlapWarning, renderCheck, renderClaims } from '../render/claim.js';
import { colorEnabled, createStyle } from '../render/style.js';
import type { Io } from './io.js';
import { printJson, requestOf, withCommon, type CommonFlags } from './options.js';

interface AddFlags extends CommonFlags {
  ttlMinutes?: string;
  reason?: string;
  strict?: boolean;
}

function ttlOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Decimal digits only: Number() would also take 0x10, 1e2 and padded text.
  if (!/^\d{1,6}$/.test(text)) throw new UsageError(`--ttl-minutes "${text}" is not a whole number of minutes`);
  return Number(text);
}

const withSession = (cmd: Command): Command =>
  cmd.option('--session <id>', "the acting agent session (default: HANDOFF_SESSION, else Codex's CODEX_THREAD_ID)");

export function addClaimCommands(program: Command, io: Io): void {
  const style = (flags: CommonFlags) => createStyle(!flags.json && colorEnabled(io.stdoutIsTTY, io.env));
  const claim = program
    .command('claim')
    .description('advisory file claims: say which paths you are editing, and see who else is');

  withSession(withCommon(claim.command('add'), { as: true }))
    .description('claim paths or globs you are editing (repository-relative); prints the claim ids')
    .argument('<path-or-glob...>')
    .option('--ttl-minutes <n>', 'minutes until the claim expires, 5–1440 (default 60)')
    .option('--reason <text>', 'why, one line (shown to others)')
    .option(
      '--strict',
      'refuse (exit 4, nothing recorded) when another developer or session holds an overlapping claim',
    )
    .action(async (patterns: string[], flags: AddFlags) => {
      const req = requestOf(flags, io);
      const result = await addClaims(req, {
        patterns,
        ...(flags.ttlMinutes !== undefined ? { ttlMinutes: ttlOf(flags.ttlMinutes) } : {}),
        ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
        strict: Boolean(flags.strict),
      });
      for (const c of result.conflicts) {
        const mine = result.claims.find((m) => m.pattern === c.pattern) ?? result.claims[0];
        io.err(overlapWarning(mine?.pattern ?? c.pattern, c));
      }
      if (flags.json) printJson(io, result);
      else io.out(result.claims.map((c) => `${c.id}${c.extended ? ' (extended)' : ''}\n`).join(''));
    });

  withSession(withCommon(claim.command('release'), { as: true }))
    .description('release claims of yours by id, or --all of them')
    .argument('[id...]')
    .option('--all', 'every active claim of yours (of this session, when one is given)')
    .action(async (ids: string[], flags: CommonFlags & { all?: boolean }) => {
      if (flags.all && ids.length > 0) throw new UsageError('give claim ids or --all, not both');
      const released = await releaseClaims(requestOf(flags, io), flags.all ? 'all' : ids);
      if (flags.json) printJson(io, released);
      else io.out(released.map((c) => `released ${c.id} ${c.pattern}\n`).join('') || 'No active claims to release.\n');
    });

  withSession(withCommon(claim.command('list'), { as: true }))
    .description('active claims; --all includes released and expired ones (audit)')
    .option('--all', 'every stored claim with its status')
    .action(async (flags: CommonFlags & { all?: boolean }) => {
      const req = requestOf(flags, io);
      const claims = await listClaims(req, { all: Boolean(flags.all) });
      if (flags.json) printJson(io, claims);
      else io.out(renderClaims(claims, req.now, style(flags)));
    });

  withSession(withCommon(claim.command('check'), { as: true }))
    .description('who holds an active claim overlapping each path')
    .argument('<path...>')
    .option('--exit-code', 'exit 4 when another developer or session holds one')
    .action(async (paths: string[], flags: CommonFlags & { exitCode?: boolean }) => {
      const req = requestOf(flags, io);
      const result = await checkClaims(req, paths);
      if (flags.json) printJson(io, result);
      else io.out(renderCheck(result, req.now, style(flags)));
      if (flags.exitCode && result.conflict) {
        throw new ConflictError('conflict: a path is claimed by another developer or session');
      }
    });
}
