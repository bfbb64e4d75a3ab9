// Runs a hook's work where it can be stopped: in a worker thread, while the main thread
// keeps the timer and runs nothing a repository controls. At the budget the worker is
// terminated — a synchronous loop (a pathological glob, a huge file) included — and the
// hook answers with the best output the worker reported so far. As before the worker, the
// budget counts from when the hook's code is loaded (a load slower than the budget itself
// also ends the hook), so loading the CLI on a busy machine does not eat the work's time.
import { parentPort, Worker } from 'node:worker_threads';
import type { HookKind } from './budget.js';
import type { HookRun } from './run.js';

export interface HookJob {
  kind: HookKind;
  /** The run, but for the payload, which the work parses from `payloadText`. */
  run: Omit<HookRun, 'payload'>;
  payloadText: string;
  /** No budget was given on the command line or in the environment: the config may set one. */
  configMayBudget: boolean;
  /** The budget is a deadline from `startedAt`, not restarted when the worker is ready (pre-edit's 300 ms). */
  hardDeadline?: boolean;
}

/** What the work tells the main thread, in order; `done` or `error` ends it. */
export type HookMessage =
  | { type: 'ready' }
  | { type: 'fallback'; output: string }
  | { type: 'budget'; ms: number }
  | { type: 'warning'; line: string }
  | { type: 'done'; output: string }
  | { type: 'error'; message: string };

export type HookWork = (job: HookJob, post: (message: HookMessage) => void) => Promise<void>;

export interface HookOutcome {
  output: string;
  timedOut: boolean;
  error?: string;
}

/** Marks the worker a hook starts, so the entry module knows to wait for a job. */
export const HOOK_WORKER_MARK = 'codemap-handoff-hook-worker';

let workerEntry: URL | undefined;

/** The module a hook worker loads (the built CLI). Unset, the work runs on the main thread with a soft budget. */
export function setHookWorkerEntry(url: URL): void {
  workerEntry = url;
}

let prestarted: Worker | undefined;

/** Starts the worker as early as the entry can (before the hook program loads), so its start-up overlaps. */
export function prestartHookWorker(): void {
  prestarted ??= startHookWorker();
}

/** A worker started early (before the payload is read), so its start-up overlaps the wait. */
export function startHookWorker(): Worker | undefined {
  if (prestarted) {
    const worker = prestarted;
    prestarted = undefined;
    return worker;
  }
  if (!workerEntry) return undefined;
  try {
    return new Worker(workerEntry, { workerData: HOOK_WORKER_MARK, stdout: true, stderr: true });
  } catch {
    return undefined;
  }
}

/**
 * Runs `job` against a budget counted from `startedAt` (ms on the `now` clock, which the CLI
 * passes in). In a worker when one was started; else in-process, where the timer can only
 * cut asynchronous work.
 */
export function runHookJob(
  job: HookJob,
  work: HookWork,
  worker: Worker | undefined,
  budgetMs: number,
  startedAt: number,
  warn: (line: string) => void,
  now: () => number,
): Promise<HookOutcome> {
  return new Promise((resolve) => {
    let fallback = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let from = startedAt;
    let budget = budgetMs;
    const finish = (outcome: HookOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Not awaited: the process exits right after the hook prints (see main.ts).
      void worker?.terminate();
      resolve(outcome);
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ output: fallback, timedOut: true }), Math.max(0, from + budget - now()));
    };
    const onMessage = (message: HookMessage): void => {
      if (settled) return;
      if (message.type === 'ready') {
        if (job.hardDeadline) return;
        from = now();
        arm();
      } else if (message.type === 'fallback') fallback = message.output;
      else if (message.type === 'budget') {
        budget = message.ms;
        arm();
      } else if (message.type === 'warning') warn(message.line);
      else if (message.type === 'done') finish({ output: message.output, timedOut: false });
      else finish({ output: '', timedOut: false, error: message.message });
    };
    arm();
    if (!worker) {
      work(job, onMessage).catch((error: unknown) => onMessage({ type: 'error', message: errorMessage(error) }));
      return;
    }
    worker.on('message', onMessage);
    worker.on('error', (error) => onMessage({ type: 'error', message: errorMessage(error) }));
    worker.on('exit', () => onMessage({ type: 'error', message: 'the hook worker stopped unexpectedly' }));
    worker.postMessage(job);
  });
}

/** The worker side: loads the work at once (saying when it is ready), runs one job, reports through the port. */
export function serveHookJob(load: () => Promise<HookWork>): void {
  const port = parentPort;
  if (!port) return;
  const post = (message: HookMessage): void => port.postMessage(message);
  const work = load();
  work.then(
    () => post({ type: 'ready' }),
    () => undefined,
  );
  port.once('message', (job: HookJob) => {
    work
      .then((run) => run(job, post))
      .catch((error: unknown) => post({ type: 'error', message: errorMessage(error) }))
      .finally(() => port.close());
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
