// A hook's time budget: where it comes from and which values are valid. The budget is
// enforced by runner.ts, which keeps the timer on the main thread and the work in a
// worker it can terminate.

/** Node fires a timer set beyond 2^31−1 ms after 1 ms, so that is the largest budget. */
export const MAX_BUDGET_MS = 2_147_483_647;
/** `edit` (the pre-edit hook) runs before every file edit: a deadline from the process start, under 300 ms. */
export const DEFAULT_BUDGET_MS = { start: 2_000, stop: 10_000, edit: 270 } as const;
export type HookKind = keyof typeof DEFAULT_BUDGET_MS;

/** A budget given as text (flag or environment): whole milliseconds from 1 to MAX_BUDGET_MS, else undefined. */
export function parseBudgetMs(text: string): number | undefined {
  if (!/^[0-9]{1,10}$/.test(text)) return undefined;
  return validBudget(Number(text));
}

/** A budget given as a number (config): the same range. */
export function validBudget(ms: unknown): number | undefined {
  return typeof ms === 'number' && Number.isInteger(ms) && ms >= 1 && ms <= MAX_BUDGET_MS ? ms : undefined;
}

export function invalidBudgetWarning(source: string, value: string, kind: HookKind): string {
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  const range = `a whole number of milliseconds from 1 to ${MAX_BUDGET_MS}`;
  return `handoff: warning: ${source} ${shown} is not ${range}; using the default ${DEFAULT_BUDGET_MS[kind]} ms`;
}
