// The process: runs the CLI and turns errors into exit codes. The only place that sets the
// exit status; a stack trace is printed only with --debug. A hook loads only the hook
// program here; its work runs in a worker started from the same entry (src/handoff.ts).
import { isMainThread, workerData } from 'node:worker_threads';
import { HandoffError, EXIT, oneLine } from './errors.js';
// Directly, not through api: a hook's main thread loads nothing heavy (see cli/hook-command.ts).
import { setGitEnvironment } from './git/git.js';
import { processIo, type Io } from './cli/io.js';
import { HOOK_WORKER_MARK, prestartHookWorker, serveHookJob, setHookWorkerEntry } from './hooks/runner.js';
import type { HookWork } from './hooks/runner.js';
import type { ProcessClock } from './hooks/run.js';

/** Hooks never break the session that called them: exit 0, at most one line. */
async function runHook(argv: string[]): Promise<never> {
  const io = processIo();
  // pre-edit runs without a worker (see cli/hook-command.ts).
  if (argv[1] !== 'pre-edit') prestartHookWorker();
  try {
    const { runHookCli } = await import('./cli/hook-program.js');
    await runHookCli(argv, io);
  } catch (error) {
    const message = error instanceof HandoffError ? error.message : ((error as Error)?.message ?? String(error));
    io.err(oneLine(`handoff: skipped: ${message}`));
  }
  // Abandon whatever a budget cut short (git children, timers).
  process.exit(EXIT.ok);
}

/** A reader that stopped reading (`handoff | head -1`) ends the run as git does: quietly. */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
      throw error;
    });
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  quietOnClosedPipe();
  // A promise nobody awaited must not end in a stack trace (or, for a hook, exit 1).
  process.on('unhandledRejection', (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    process.stderr.write(
      `${oneLine(argv[0] === 'hook' ? `handoff: skipped: ${message}` : `handoff: ${message} — rerun with --debug for details`)}\n`,
    );
    process.exit(argv[0] === 'hook' ? EXIT.ok : EXIT.failure);
  });
  if (argv[0] === 'hook') await runHook(argv);
  const code = await runCommand(argv, processIo());
  if (code !== EXIT.ok) process.exitCode = code;
}

/**
 * Runs one command (not a hook) with the given process state and returns its exit code: an
 * error becomes one line on `io.err`. Exported so tests run the whole CLI in-process.
 */
export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const { runCli } = await import('./cli/program.js');
    await runCli(argv, io);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof HandoffError) {
      io.err(error.line());
      if (debug && error.stack) io.err(error.stack);
      return error.exitCode;
    }
    const err = error as NodeJS.ErrnoException;
    const what =
      err.code === 'EACCES' || err.code === 'EPERM'
        ? `permission denied: ${err.path ?? ''}`
        : (err.message ?? String(error));
    io.err(oneLine(`handoff: ${what} — rerun with --debug for details`));
    if (debug && err.stack) io.err(err.stack);
    return EXIT.failure;
  }
}

/**
 * Runs the process started from `entry` (bin/handoff.js). The same entry is the worker a hook
 * runs its work in (hooks/runner.ts): there it serves one job with the work `loadHookWork`
 * gives (src/handoff.ts passes the real one; a test entry may pass one with a seam set).
 * Process state is read here and handed down: git inherits this environment, the work gets
 * the worker's clock.
 */
export async function runProcess(entry: URL, loadHookWork: (clock: ProcessClock) => Promise<HookWork>): Promise<void> {
  setGitEnvironment(process.env);
  if (!isMainThread && workerData === HOOK_WORKER_MARK) {
    const clock: ProcessClock = { uptimeMs: () => process.uptime() * 1000 };
    serveHookJob(() => loadHookWork(clock));
    return;
  }
  setHookWorkerEntry(entry);
  await main();
}
