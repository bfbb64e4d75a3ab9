// What every hook's work is given (the run) and may report (its events), and the folder
// the payload names. Light on purpose: the pre-edit hook loads this, not the whole api.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SessionEvents } from '../api.js';
import type { HookPayload } from '../schema/hooks.js';

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

export function payloadDir(payload: HookPayload, cwd: string): string {
  return payload.cwd && existsSync(payload.cwd) ? resolve(cwd, payload.cwd) : cwd;
}

/** What a hook's work reports before it is done (the briefing fallback arrives formatted). */
export type HookEvents = Omit<SessionEvents, 'fallback'> & {
  /** The output to print if the budget runs out from now on. */
  fallback?: (output: string) => void;
};
