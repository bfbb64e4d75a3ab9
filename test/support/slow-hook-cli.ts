// A handoff CLI whose hook work blocks its thread at the slow part for HANDOFF_TEST_SLOW_MS
// milliseconds (spinning, as a pathological glob or file could), to prove the budget stops
// even a blocked worker. Bundled by scripts/build-test.mjs, whose launcher the hook suites
// spawn in place of bin/handoff.js: the product itself reads no such variable.
import { createHookWork } from '../../src/hooks/work.js';
import { runProcess } from '../../src/main.js';

function spin(): void {
  const ms = Number(process.env.HANDOFF_TEST_SLOW_MS ?? 0);
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* nothing but terminating the thread ends this early */
  }
}

/** As src/handoff.ts: `entry` is the launcher a hook's worker starts from. */
export function start(entry: URL): Promise<void> {
  return runProcess(entry, async (clock) => createHookWork(clock, { working: spin }));
}
