// `handoff decision add|list|revoke`: flags → a request for api/decision.ts → text or
// JSON on stdout. `add` prints the new id (the whole record with --json).
import type { Command } from 'commander';
import { addDecision, listDecisions, revokeDecision } from '../api.js';
import { renderDecisions } from '../render/decision.js';
import { colorEnabled, createStyle } from '../render/style.js';
import type { Io } from './io.js';
import { printJson, requestOf, withCommon, type CommonFlags } from './options.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface AddFlags extends CommonFlags {
  why?: string;
  file?: string[];
  task?: string;
}

export function addDecisionCommands(program: Command, io: Io): void {
  const decision = program.command('decision').description('a log of team decisions, shared by every worktree');

  withCommon(decision.command('add'), { as: true })
    .description('record a decision; it stands until you revoke it (no TTL)')
    .argument('<text>', 'what was decided, in words')
    .option('--why <rationale>', 'why it was decided')
    .option('--file <path>', 'a file or directory it is about, repository-relative (repeatable)', collect)
    .option('--task <id>', 'the task it belongs to')
    .action(async (text: string, flags: AddFlags) => {
      const input = {
        text,
        ...(flags.why !== undefined ? { why: flags.why } : {}),
        files: flags.file ?? [],
        ...(flags.task !== undefined ? { task: flags.task } : {}),
      };
      const added = await addDecision(requestOf(flags, io), input);
      if (flags.json) printJson(io, added);
      else io.out(`${added.id}\n`);
    });

  withCommon(decision.command('list'), { as: true })
    .description('standing decisions you can see, newest first')
    .option('--since <duration>', 'only those made in this window, e.g. 30m, 6h, 2d')
    .option('--file <path>', 'only those about this path (a directory or glob they name counts)')
    .action(async (flags: CommonFlags & { since?: string; file?: string }) => {
      const req = requestOf(flags, io);
      const filter = {
        ...(flags.since !== undefined ? { since: flags.since } : {}),
        ...(flags.file !== undefined ? { file: flags.file } : {}),
      };
      const decisions = await listDecisions(req, filter);
      if (flags.json) printJson(io, decisions);
      else io.out(renderDecisions(decisions, req.now, createStyle(colorEnabled(io.stdoutIsTTY, io.env))));
    });

  withCommon(decision.command('revoke'), { as: true })
    .description('revoke one of your decisions')
    .argument('<id>')
    .action(async (id: string, flags: CommonFlags) => {
      const revoked = await revokeDecision(requestOf(flags, io), id);
      if (flags.json) printJson(io, revoked);
      else io.out(`revoked ${revoked.id}\n`);
    });
}
