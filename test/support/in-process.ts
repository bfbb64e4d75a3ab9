// Runs the whole CLI in this process (src/main.ts runCommand: commander, api, store, git,
// render) with a captured Io, for the in-process suites that check behaviour: the same
// argv, environment, stdin and pinned clock a spawned child would get, and the same
// { code, stdout, stderr } back, without starting node for every command. The spawned
// layer (test/e2e) keeps what only a real process shows: exit status, streams, signals.
import { expect } from 'vitest';
import type { z } from 'zod';
import { setGitEnvironment } from '../../src/api.js';
import { processIo, type Io } from '../../src/cli/io.js';
import { oneLine } from '../../src/errors.js';
import { DEFAULT_BUDGET_MS } from '../../src/hooks/budget.js';
import type { HookJob } from '../../src/hooks/runner.js';
import { createHookWork } from '../../src/hooks/work.js';
import { runCommand } from '../../src/main.js';
import { artifact, type Artifact } from '../../src/schema/artifact.js';
import { cliEnv, parseWith, type CliResult, type RunOptions } from '../e2e/helpers.js';

export type { CliResult, RunOptions };

/**
 * `handoff <args>` in-process. The environment is the spawned suites' (cliEnv: hermetic git,
 * NO_COLOR, no inherited HANDOFF_*), handed to git as the entry does; HANDOFF_NOW pins the
 * clock as processIo reads it. Commands run one at a time: git's environment is per process.
 */
export async function runInProcess(args: readonly string[], options: RunOptions): Promise<CliResult> {
  const env = cliEnv(options.env);
  setGitEnvironment(env);
  let stdout = '';
  let stderr = '';
  const io: Io = {
    cwd: options.cwd,
    env,
    now: () => (env.HANDOFF_NOW ? new Date(env.HANDOFF_NOW) : new Date()),
    out: (text) => void (stdout += text),
    err: (line) => void (stderr += `${line}\n`),
    stdoutIsTTY: false,
    readStdin: async () => options.input ?? '',
    readFile: processIo().readFile,
  };
  const code = await runCommand(args, io);
  return { code, stdout, stderr };
}

/** Runs with --json in-process, expects exit 0 and nothing on stderr, and parses stdout with `schema`. */
export async function runJsonInProcess<S extends z.ZodType>(
  schema: S,
  args: readonly string[],
  options: RunOptions,
): Promise<z.infer<S>> {
  const res = await runInProcess([...args, '--json'], options);
  expect(res.stderr, `stderr of handoff ${args.join(' ')}`).toBe('');
  expect(res.code, `exit code of handoff ${args.join(' ')}`).toBe(0);
  return parseWith(schema, res.stdout);
}

export const handoffJsonInProcess = (args: readonly string[], options: RunOptions): Promise<Artifact> =>
  runJsonInProcess(artifact, args, options);

/**
 * `handoff hook session-start|session-stop [--format json] [--agent id] [--nudge mode]` as its
 * work runs it (hooks/work.ts, as the CLI does without a worker): the payload is `input`, the
 * output is stdout, warnings and a failure (`handoff: skipped: …`) are stderr, the exit is 0.
 * No budget timer: the budget and the process around the work are the spawned suites' part.
 */
export async function runHookInProcess(args: readonly string[], options: RunOptions): Promise<CliResult> {
  const [word, name, ...flags] = args;
  if (word !== 'hook' || (name !== 'session-start' && name !== 'session-stop')) throw new Error(`not a hook: ${name}`);
  const kind = name === 'session-start' ? 'start' : 'stop';
  const flag = (key: string): string | undefined => {
    const i = flags.indexOf(key);
    return i >= 0 ? flags[i + 1] : undefined;
  };
  const env = cliEnv(options.env);
  setGitEnvironment(env);
  const nudge: 'block' | 'off' | undefined =
    flag('--nudge') === 'block' ? 'block' : flag('--nudge') === 'off' ? 'off' : undefined;
  const agent = flag('--agent');
  const run = {
    cwd: flag('-C') ?? options.cwd,
    env,
    now: env.HANDOFF_NOW ? new Date(env.HANDOFF_NOW) : new Date(),
    format: flag('--format') === 'json' ? ('json' as const) : ('text' as const),
    budgetMs: DEFAULT_BUDGET_MS[kind],
    ...(agent !== undefined ? { agent } : {}),
    ...(nudge !== undefined ? { nudge } : {}),
  };
  const job: HookJob = { kind, run, payloadText: options.input ?? '', configMayBudget: true };
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  await createHookWork({ uptimeMs: () => performance.now() - started })(job, (message) => {
    if (message.type === 'done') stdout = message.output;
    else if (message.type === 'warning') stderr += `${message.line}\n`;
    else if (message.type === 'error') stderr += `${oneLine(`handoff: skipped: ${message.message}`)}\n`;
  }).catch((error: unknown) => {
    stderr += `${oneLine(`handoff: skipped: ${error instanceof Error ? error.message : String(error)}`)}\n`;
  });
  return { code: 0, stdout, stderr };
}

/** A command or a hook, in-process: what `handoff <args>` does, as the spawned suites call it. */
export function handoffInProcess(args: readonly string[], options: RunOptions): Promise<CliResult> {
  return args[0] === 'hook' ? runHookInProcess(args, options) : runInProcess(args, options);
}
