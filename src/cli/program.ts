// The commander program: parses argv into flags and hands them to one function per
// command. Commander's own usage errors become UsageError (exit 2, one line).
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { runHandoffCommand, type HandoffFlags } from './handoff-command.js';
import type { Io } from './io.js';
import { runSchemaCommand } from './schema-command.js';
import { addClaimCommands } from './claim-command.js';
import { addContextCommands } from './context-command.js';
import { addDecisionCommands } from './decision-command.js';
import { addInterfaceCommands } from './interface-command.js';
import { addStateCommand } from './state-command.js';
import { addConflictsCommand } from './conflicts-command.js';
import { addHookCommands } from './hook-command.js';
import { addMessageCommands } from './message-command.js';
import { addSetupCommands } from './setup-command.js';
import { COMMON_KEYS, withCommon, type CommonFlags } from './options.js';

export const VERSION = '0.1.0';

export function buildProgram(io: Io): Command {
  const program = withCommon(new Command('handoff'), { json: 'print JSON on stdout (one document)' })
    .description('Hand work from one coding session to the next: layered prefix/delta snapshots of a git repository.')
    .version(VERSION, '-V, --version')
    .argument('[path]', 'a directory inside the repository (default: the current directory)')
    .addOption(
      new Option(
        '--ref <base>',
        'base ref to compare against (default: config base_ref, then origin/HEAD, main, master, trunk, develop, origin/main, …)',
      ),
    )
    .addOption(new Option('--base <base>', 'alias of --ref').hideHelp())
    .option('--since <duration>', 'timeline lookback, e.g. 30m, 6h, 2d (default 6h)')
    .option('--latest', 'print the saved handoff without recomputing')
    .option('--prefix', 'only the prefix layer')
    .option('--delta', 'only the delta layer')
    .option('--detail <file>', 'detail of one changed file (importers, imports, events); with --latest, as saved')
    .option('--no-save', 'do not write .codemap/ artifacts')
    .action(async (path: string | undefined, opts: HandoffFlags & { base?: string }) => {
      if (opts.ref !== undefined && opts.base !== undefined && opts.ref !== opts.base) {
        throw new UsageError('--ref and --base name different refs', 'give one of them');
      }
      await runHandoffCommand(path, { ...opts, ref: opts.ref ?? opts.base }, io);
    });

  withCommon(program.command('schema'))
    .description(
      'print the JSON Schema of a document: latest, prefix, delta, detail, metrics, config, context, event, state, message, inbox, thread, decision, interface, claim, conflicts, record',
    )
    .argument('[name]')
    .action((name: string | undefined) => runSchemaCommand(name, io));

  addContextCommands(program, io);
  addClaimCommands(program, io);
  addDecisionCommands(program, io);
  addInterfaceCommands(program, io);
  addStateCommand(program, io);
  addMessageCommands(program, io);
  addConflictsCommand(program, io);
  addHookCommands(program, io);
  addSetupCommands(program, io);

  // Options after a subcommand belong to it; the common ones given before the subcommand
  // (`handoff -C dir state`) are handed down to it here.
  program.enablePositionalOptions();
  program.hook('preAction', (root, action) => {
    if (action === root) return;
    const given = root.opts<CommonFlags>();
    for (const key of COMMON_KEYS) {
      if (given[key] !== undefined && action.getOptionValue(key) === undefined) action.setOptionValue(key, given[key]);
    }
  });

  program.exitOverride();
  program.configureOutput({
    writeOut: (text) => io.out(text),
    // Commander's own error text is replaced by our one-line form in toUsageError.
    writeErr: () => {},
  });
  const quiet = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (text) => io.out(text), writeErr: () => {} });
    cmd.commands.forEach(quiet);
  };
  program.commands.forEach(quiet);
  return program;
}

/** Commander's errors ("error: unknown option '--x'") → our one-line usage error. */
export function toUsageError(error: CommanderError): UsageError {
  const message = error.message.replace(/^error: /, '').replace(/\n[\s\S]*$/, '');
  return new UsageError(message, 'see handoff --help');
}

export async function runCli(argv: readonly string[], io: Io): Promise<void> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return;
      throw toUsageError(error);
    }
    throw error;
  }
}
