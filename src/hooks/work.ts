// The work of one hook run, as the worker (or, without one, the main thread) does it:
// the session-start, session-stop or pre-edit logic, reporting the config's budget and a fallback
// output to the runner as soon as they are known.
import type { ProjectConfig } from '../schema/config.js';
import { parsePayload } from './payload.js';
import { DEFAULT_BUDGET_MS, validBudget, type HookKind } from './budget.js';
import type { HookMessage, HookWork } from './runner.js';
import type { HookEvents, ProcessClock } from './run.js';

/** `hooks.start_budget_ms` / `hooks.stop_budget_ms` from the project config, reported or warned about. */
function reportConfigBudget(hooks: ProjectConfig['hooks'], kind: HookKind, post: (message: HookMessage) => void): void {
  if (kind === 'edit') return;
  const configured = kind === 'start' ? hooks?.start_budget_ms : hooks?.stop_budget_ms;
  if (configured === undefined) return;
  const ms = validBudget(configured);
  if (ms !== undefined) post({ type: 'budget', ms });
  else {
    const key = kind === 'start' ? 'hooks.start_budget_ms' : 'hooks.stop_budget_ms';
    const line = `handoff: warning: ${key} in .codemap/config.json is out of range; using the default ${DEFAULT_BUDGET_MS[kind]} ms`;
    post({ type: 'warning', line });
  }
}

/**
 * The hook work, with the process clock read at the entry. `working` is the tests' seam (see
 * SessionEvents): a test entry blocks the work there; production sets none.
 */
export function createHookWork(clock: ProcessClock, seams: Pick<HookEvents, 'working'> = {}): HookWork {
  return async (job, post) => {
    const events: HookEvents = {
      ...seams,
      ...(job.configMayBudget
        ? { configured: (hooks: ProjectConfig['hooks']) => reportConfigBudget(hooks, job.kind, post) }
        : {}),
      fallback: (output) => post({ type: 'fallback', output }),
    };
    const run = { ...job.run, payload: parsePayload(job.payloadText) };
    // Each kind loads only its own module: pre-edit's (the store's claims) is a fraction of
    // the api that session-start and session-stop need, and it has the tightest deadline.
    const output =
      job.kind === 'start'
        ? await (await import('./session-start.js')).sessionStart(run, clock, events)
        : job.kind === 'stop'
          ? await (await import('./session-stop.js')).sessionStop(run, events)
          : await (await import('./pre-edit.js')).preEdit(run);
    post({ type: 'done', output });
  };
}
