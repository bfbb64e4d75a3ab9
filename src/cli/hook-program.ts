// The commander program of a hook process: only `handoff hook …`, so a hook's main thread
// loads commander and the hook runner, not the whole CLI (the work loads that, in its
// worker). Usage errors map as in program.ts.
import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { addHookCommands } from './hook-command.js';
import type { Io } from './io.js';

export async function runHookCli(argv: readonly string[], io: Io): Promise<void> {
  const program = new Command('handoff');
  addHookCommands(program, io);
  const quiet = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (text) => io.out(text), writeErr: () => {} });
    cmd.commands.forEach(quiet);
  };
  quiet(program);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') return;
    throw new UsageError(error.message.replace(/^error: /, '').replace(/\n[\s\S]*$/, ''), 'see handoff --help');
  }
}
