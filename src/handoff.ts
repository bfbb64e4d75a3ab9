// The executable's entry, bundled to dist/handoff.cjs (bin/handoff.js loads it, and so does
// a hook's worker): the process of src/main.ts, with the real hook work, loaded only by the
// worker that runs it.
import { runProcess } from './main.js';

/** Runs the process; `entry` is the file a hook's worker starts from (bin/handoff.js). */
export function start(entry: URL): Promise<void> {
  return runProcess(entry, async (clock) => (await import('./hooks/work.js')).createHookWork(clock));
}
