// The process entry: runs the CLI and turns errors into exit codes. The only place
// that sets the exit status; a stack trace is printed only with --debug.
import { HandoffError, EXIT } from './errors.js';
import { processIo } from './cli/io.js';
import { runCli } from './cli/program.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const io = processIo();
  const debug = argv.includes('--debug');
  try {
    await runCli(argv, io);
  } catch (error) {
    if (error instanceof HandoffError) {
      io.err(error.line());
      if (debug && error.stack) io.err(error.stack);
      process.exitCode = error.exitCode;
      return;
    }
    const err = error as NodeJS.ErrnoException;
    const what = err.code === 'EACCES' || err.code === 'EPERM' ? `permission denied: ${err.path ?? ''}` : err.message ?? String(error);
    io.err(`handoff: ${what} — rerun with --debug for details`);
    if (debug && err.stack) io.err(err.stack);
    process.exitCode = EXIT.failure;
  }
}

await main();
