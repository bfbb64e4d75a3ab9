// `handoff hook session-start`: the agent's payload in, one budgeted briefing out, as
// plain text or the SessionStart JSON both Claude Code and Codex accept. The briefing
// itself is api's (sessionBriefing): the saved handoff, recomputed only when none was saved.
// First, the session is exported to the agent's later shell commands (session-env.ts).
import { sessionBriefing, type Briefing } from '../api.js';
import { renderBriefing } from '../render/briefing.js';
import { formatStartOutput } from '../render/hook-output.js';
import { payloadDir, type HookEvents, type HookRun, type ProcessClock } from './run.js';
import { exportSessionToShell } from './session-env.js';

export { formatStartOutput } from '../render/hook-output.js';
export { STATUS_MAX_FILES, TEAMMATES_SHOWN } from '../api.js';

/** How long after process start session-start waits for `git status` before going without it. */
export const STATUS_DEADLINE_MS = 150;

export async function sessionStart(run: HookRun, clock: ProcessClock, events: HookEvents = {}): Promise<string> {
  // Before the briefing, which the budget may cut short: the agent's commands need the session either way.
  if (run.payload.session_id) exportSessionToShell(run.env, run.payload.session_id);
  const briefing = await sessionBriefing(
    {
      cwd: payloadDir(run.payload, run.cwd),
      env: run.env,
      now: run.now,
      ...(run.payload.session_id ? { sessionId: run.payload.session_id } : {}),
      agent: run.agent ?? run.payload.agent_id ?? 'agent',
      statusWaitMs: () => STATUS_DEADLINE_MS - clock.uptimeMs(),
    },
    {
      ...(events.configured ? { configured: events.configured } : {}),
      ...(events.working ? { working: events.working } : {}),
      ...(events.fallback
        ? { fallback: (b: Briefing) => events.fallback?.(formatStartOutput(renderBriefing(b), run.format)) }
        : {}),
    },
  );
  return formatStartOutput(renderBriefing(briefing), run.format);
}
