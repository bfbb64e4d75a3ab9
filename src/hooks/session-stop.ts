// `handoff hook session-stop`: refresh and save the handoff when the worktree changed,
// record the session in the artifact's agent history (api's recordStop), and tell a session
// once (as a non-blocking systemMessage, the JSON both agents accept on Stop) when it has not
// published a context for this branch. Never publishes on the session's behalf.
import { recordStop } from '../api.js';
import { formatStopOutput } from '../render/hook-output.js';
import { payloadDir, type HookEvents, type HookRun } from './run.js';

export { formatStopOutput, NUDGE, type NudgeMode } from '../render/hook-output.js';

export async function sessionStop(run: HookRun, events: HookEvents = {}): Promise<string> {
  const nudge = run.nudge ?? 'system';
  const told = await recordStop(
    {
      cwd: payloadDir(run.payload, run.cwd),
      env: run.env,
      now: run.now,
      ...(run.payload.session_id !== undefined ? { sessionId: run.payload.session_id } : {}),
      agent: run.agent ?? run.payload.agent_id ?? 'agent',
      nudge,
      stopHookActive: run.payload.stop_hook_active === true,
      ...(run.payload.hook_event_name ? { event: run.payload.hook_event_name } : {}),
    },
    events,
  );
  return formatStopOutput(told, nudge);
}
