// `handoff hook session-start`: the agent's payload in, one budgeted briefing out, as
// plain text or the SessionStart JSON both Claude Code and Codex accept. The briefing
// itself is api's (sessionBriefing): the saved handoff, recomputed only when none was saved.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { sessionBriefing, type Briefing, type SessionEvents } from '../api.js';
import { renderBriefing } from '../render/briefing.js';
import { formatStartOutput } from '../render/hook-output.js';
import type { HookPayload } from '../schema/hooks.js';

export { formatStartOutput } from '../render/hook-output.js';
export { STATUS_MAX_FILES, TEAMMATES_SHOWN } from '../api.js';

export interface HookRun {
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: Date;
  payload: HookPayload;
  format: 'text' | 'json';
  budgetMs: number;
  agent?: string;
  /** session-stop: how to deliver the publish reminder (see render/hook-output.ts). */
  nudge?: 'system' | 'block' | 'off';
  /** pre-edit: `enforce` asks the user before an edit of a file someone else claimed (default `warn`). */
  claims?: 'warn' | 'enforce';
}

/** Process facts the hook's work needs, read by the entry (src/main.ts, src/cli/) and passed in. */
export interface ProcessClock {
  /** Milliseconds since the process started (process.uptime). */
  uptimeMs: () => number;
}

/** How long after process start session-start waits for `git status` before going without it. */
export const STATUS_DEADLINE_MS = 150;

export function payloadDir(payload: HookPayload, cwd: string): string {
  return payload.cwd && existsSync(payload.cwd) ? resolve(cwd, payload.cwd) : cwd;
}

/** What a hook's work reports before it is done (the briefing fallback arrives formatted). */
export type HookEvents = Omit<SessionEvents, 'fallback'> & {
  /** The output to print if the budget runs out from now on. */
  fallback?: (output: string) => void;
};

export async function sessionStart(run: HookRun, clock: ProcessClock, events: HookEvents = {}): Promise<string> {
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
