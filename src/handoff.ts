// The executable's entry, bundled to dist/handoff.js (bin/handoff.js imports it): the
// process of src/main.ts, with the real hook work, loaded only by the worker that runs it.
import { runProcess } from './main.js';

await runProcess(new URL(import.meta.url), async (clock) => (await import('./hooks/work.js')).createHookWork(clock));
