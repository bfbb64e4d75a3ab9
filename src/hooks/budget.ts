// The in-process time budget of a hook: the work races a timer, and when the timer
// wins the hook answers with what it already has. The process exit in main.ts then
// abandons whatever is still running.

export async function withBudget<T>(budgetMs: number, work: () => Promise<T>, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), budgetMs);
  });
  try {
    const winner = await Promise.race([work(), timeout]);
    return winner === 'timeout' ? fallback() : winner;
  } finally {
    clearTimeout(timer);
  }
}

/** A test-only slow step (HANDOFF_TEST_SLOW_MS), to exercise the budget without a slow repository. */
export function injectedDelay(env: NodeJS.ProcessEnv): Promise<void> {
  const ms = Number(env.HANDOFF_TEST_SLOW_MS ?? 0);
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
