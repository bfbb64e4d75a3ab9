// `handoff hook session-start|session-stop`: the entry points agents call. Output goes
// to stdout in the form the agent takes; an internal failure is one line on stderr
// (`handoff: skipped: …`) and never a non-zero exit (see main.ts). The work runs in a
// worker the budget can terminate (hooks/runner.ts). Nothing heavy is imported here: the
// main thread of a hook only reads stdin, keeps the timer and prints.
import type { Command } from 'commander';
import { DEFAULT_BUDGET_MS, invalidBudgetWarning, parseBudgetMs, type HookKind } from '../hooks/budget.js';
import { runHookJob, startHookWorker, type HookJob, type HookWork } from '../hooks/runner.js';
import type { ProcessClock } from '../hooks/run.js';
import { readPayloadText } from '../hooks/stdin.js';
import type { Io } from './io.js';
import { withCommon } from './options.js';

export { DEFAULT_BUDGET_MS } from '../hooks/budget.js';
const PAYLOAD_WAIT_MS = 500;

/** The process's age, read here (cli/) and handed to the hook's work. */
export const PROCESS_CLOCK: ProcessClock = { uptimeMs: () => process.uptime() * 1000 };

interface HookFlags {
  format?: string;
  nudge?: string;
  budgetMs?: string;
  agent?: string;
  claims?: string;
  C?: string;
}

/**
 * The budget: --budget-ms, else HANDOFF_HOOK_BUDGET_MS, else (reported by the work once it
 * has read it) config hooks.*_budget_ms, else the default. An invalid value is a warning
 * and the default: a hook never fails on its own flags.
 */
function budgetOf(flags: HookFlags, io: Io, kind: HookKind): { ms: number; explicit: boolean } {
  const [source, value] =
    flags.budgetMs !== undefined
      ? ['--budget-ms', flags.budgetMs]
      : ['HANDOFF_HOOK_BUDGET_MS', io.env.HANDOFF_HOOK_BUDGET_MS];
  if (value === undefined) return { ms: DEFAULT_BUDGET_MS[kind], explicit: false };
  const ms = parseBudgetMs(value);
  if (ms !== undefined) return { ms, explicit: true };
  io.err(invalidBudgetWarning(source, value, kind));
  return { ms: DEFAULT_BUDGET_MS[kind], explicit: true };
}

/** The work on this thread, when no worker could be started (loaded only then). */
const inProcessWork: HookWork = async (job, post) => {
  const { createHookWork } = await import('../hooks/work.js');
  post({ type: 'ready' });
  await createHookWork(PROCESS_CLOCK)(job, post);
};

export function addHookCommands(program: Command, io: Io): void {
  const hook = program.command('hook').description('agent session hooks (called by Claude Code, Codex and git hooks)');
  const run = async (kind: HookKind, flags: HookFlags): Promise<void> => {
    // pre-edit runs before every edit: its budget is a deadline counted from the process's start.
    const started = kind === 'edit' ? Date.now() - PROCESS_CLOCK.uptimeMs() : Date.now();
    // pre-edit works on this thread: a worker's own start and second load of the bundle cost
    // more than its deadline leaves, and its work is bounded — the payload's paths against
    // the store's active claims (memoised overlap), no repository file read — while its
    // waits (git, the store) are what the deadline's timer cuts.
    const worker = kind === 'edit' ? undefined : startHookWorker();
    const budget = budgetOf(flags, io, kind);
    const payloadText = await readPayloadText(process.stdin, Math.min(PAYLOAD_WAIT_MS, budget.ms / 4));
    const req: HookJob['run'] = {
      cwd: flags.C ?? io.cwd,
      env: io.env,
      now: io.now(),
      format: flags.format === 'json' ? 'json' : 'text',
      budgetMs: budget.ms,
      ...(flags.agent ? { agent: flags.agent } : {}),
      ...(flags.nudge === 'block' || flags.nudge === 'off' ? { nudge: flags.nudge } : {}),
      ...(flags.claims === 'enforce' ? { claims: 'enforce' as const } : {}),
    };
    const job: HookJob = {
      kind,
      run: req,
      payloadText,
      configMayBudget: !budget.explicit,
      ...(kind === 'edit' ? { hardDeadline: true } : {}),
    };
    const outcome = await runHookJob(job, inProcessWork, worker, budget.ms, started, io.err, Date.now);
    if (outcome.error !== undefined) throw new Error(outcome.error);
    // Past its budget session-stop has nothing to say but why; session-start prints what it had.
    if (outcome.timedOut && kind === 'stop') throw new Error(`time budget of ${req.budgetMs} ms exceeded`);
    io.out(outcome.output);
  };
  withCommon(hook.command('session-start'), { json: false })
    .description('print a short briefing for a new session (payload on stdin)')
    .option('--format <format>', 'text (default) or json (hookSpecificOutput.additionalContext)')
    .option('--budget-ms <ms>', 'time budget (default 2000)')
    .option('--agent <id>', 'agent id recorded for the session')
    .action((flags: HookFlags) => run('start', flags));
  withCommon(hook.command('session-stop'), { json: false })
    .description('refresh the handoff and record the session (Stop / SessionEnd payload on stdin)')
    .option('--format <format>', 'accepted for symmetry; output is JSON or nothing')
    .option('--budget-ms <ms>', 'time budget (default 10000)')
    .option('--agent <id>', 'agent id recorded in the agent history, e.g. claude-code or codex')
    .option(
      '--nudge <mode>',
      'reminder to publish a context: system (default, a systemMessage), block (once, to the model), off',
    )
    .action((flags: HookFlags) => run('stop', flags));
  withCommon(hook.command('pre-edit'), { json: false })
    .description('before a file edit (PreToolUse payload on stdin): say who else claimed the file; never blocks')
    .option('--claims <mode>', 'warn (default: tell the agent) or enforce (ask the user before the edit)')
    .option('--budget-ms <ms>', 'deadline from the process start (default 270)')
    .option('--agent <id>', 'the agent: claude-code (default) or codex (which takes no "ask")')
    .action((flags: HookFlags) => run('edit', flags));
}
