// `handoff hook session-start|session-stop`: the entry points agents call. Output goes
// to stdout in the form the agent takes; an internal failure is one line on stderr
// (`handoff: skipped: …`) and never a non-zero exit (see main.ts).
import type { Command } from 'commander';
import { readPayload } from '../hooks/payload.js';
import { sessionStart, type HookRun } from '../hooks/session-start.js';
import { sessionStop } from '../hooks/session-stop.js';
import { readProjectConfig } from '../store/config.js';
import type { Io } from './io.js';

export const DEFAULT_BUDGET_MS = { start: 2_000, stop: 10_000 } as const;
const PAYLOAD_WAIT_MS = 500;

interface HookFlags {
  format?: string;
  nudge?: string;
  budgetMs?: string;
  agent?: string;
  C?: string;
}

/** Budget: --budget-ms, else HANDOFF_HOOK_BUDGET_MS, else config hooks.*_budget_ms, else the default. */
function budgetOf(flags: HookFlags, io: Io, kind: 'start' | 'stop', cwd: string): number {
  const explicit = Number(flags.budgetMs ?? io.env.HANDOFF_HOOK_BUDGET_MS ?? NaN);
  if (Number.isFinite(explicit) && explicit > 0) return explicit;
  try {
    const { config } = readProjectConfig(cwd, `${cwd}/.git`);
    const configured = kind === 'start' ? config.hooks?.start_budget_ms : config.hooks?.stop_budget_ms;
    if (configured) return configured;
  } catch {
    /* a broken config must not break the hook */
  }
  return DEFAULT_BUDGET_MS[kind];
}

export function addHookCommands(program: Command, io: Io): void {
  const hook = program.command('hook').description('agent session hooks (called by Claude Code, Codex and git hooks)');
  const run = async (kind: 'start' | 'stop', flags: HookFlags): Promise<void> => {
    const started = Date.now();
    const cwd = flags.C ?? io.cwd;
    const budgetMs = budgetOf(flags, io, kind, cwd);
    const payload = await readPayload(process.stdin, Math.min(PAYLOAD_WAIT_MS, budgetMs / 4));
    const req: HookRun = {
      cwd,
      env: io.env,
      now: io.now(),
      payload,
      format: flags.format === 'json' ? 'json' : 'text',
      budgetMs: Math.max(1, budgetMs - (Date.now() - started)),
      ...(flags.agent ? { agent: flags.agent } : {}),
      ...(flags.nudge === 'block' || flags.nudge === 'off' ? { nudge: flags.nudge } : {}),
    };
    io.out(kind === 'start' ? await sessionStart(req) : await sessionStop(req));
  };
  hook
    .command('session-start')
    .description('print a short briefing for a new session (payload on stdin)')
    .option('--format <format>', 'text (default) or json (hookSpecificOutput.additionalContext)')
    .option('--budget-ms <ms>', 'time budget (default 2000)')
    .option('--agent <id>', 'agent id recorded for the session')
    .option('-C <dir>', 'run as if started in <dir>')
    .action((flags: HookFlags) => run('start', flags));
  hook
    .command('session-stop')
    .description('refresh the handoff and record the session (Stop / SessionEnd payload on stdin)')
    .option('--format <format>', 'accepted for symmetry; output is JSON or nothing')
    .option('--budget-ms <ms>', 'time budget (default 10000)')
    .option('--agent <id>', 'agent id recorded in the agent history, e.g. claude-code or codex')
    .option('--nudge <mode>', 'reminder to publish a context: system (default, a systemMessage), block (once, to the model), off')
    .option('-C <dir>', 'run as if started in <dir>')
    .action((flags: HookFlags) => run('stop', flags));
}
