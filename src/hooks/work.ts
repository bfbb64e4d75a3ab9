// The work of one hook run, as the worker (or, without one, the main thread) does it:
// the session-start or session-stop logic, reporting the config's budget and a fallback
// output to the runner as soon as they are known.
import { readProjectConfig } from '../store/config.js';
import { parsePayload } from './payload.js';
import { DEFAULT_BUDGET_MS, validBudget, type HookKind } from './budget.js';
import type { HookMessage, HookWork } from './runner.js';
import { sessionStart, type HookEvents } from './session-start.js';
import { sessionStop } from './session-stop.js';
import type { RepoInfo } from '../git/repo.js';

/** `hooks.start_budget_ms` / `hooks.stop_budget_ms` from the project config, reported or warned about. */
function reportConfigBudget(repo: RepoInfo, kind: HookKind, post: (message: HookMessage) => void): void {
  let configured: number | undefined;
  try {
    const { config } = readProjectConfig(repo.root, repo.commonDir);
    configured = kind === 'start' ? config.hooks?.start_budget_ms : config.hooks?.stop_budget_ms;
  } catch {
    return; // a broken config must not break the hook
  }
  if (configured === undefined) return;
  const ms = validBudget(configured);
  if (ms !== undefined) post({ type: 'budget', ms });
  else {
    const key = kind === 'start' ? 'hooks.start_budget_ms' : 'hooks.stop_budget_ms';
    const line = `handoff: warning: ${key} in .codemap/config.json is out of range; using the default ${DEFAULT_BUDGET_MS[kind]} ms`;
    post({ type: 'warning', line });
  }
}

/** The hook work; `slowPart` is the tests' seam (see HookEvents), never set in production. */
export function createHookWork(seams: Pick<HookEvents, 'slowPart'> = {}): HookWork {
  return async (job, post) => {
    const events: HookEvents = {
      ...seams,
      opened: (repo) => {
        if (job.configMayBudget) reportConfigBudget(repo, job.kind, post);
      },
      fallback: (output) => post({ type: 'fallback', output }),
    };
    const run = { ...job.run, payload: parsePayload(job.payloadText) };
    const output = job.kind === 'start' ? await sessionStart(run, events) : await sessionStop(run, events);
    post({ type: 'done', output });
  };
}

export const hookWork: HookWork = createHookWork();
