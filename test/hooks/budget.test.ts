// Hook budgets and output caps in-process: which budget values are valid, the final-bytes
// cap on session-start's JSON, and the runner's protocol (fallback, config budget, done).
import { describe, expect, it } from 'vitest';
import { MAX_BUDGET_MS, parseBudgetMs, validBudget } from '../../src/hooks/budget.js';
import { runHookJob, type HookJob, type HookWork } from '../../src/hooks/runner.js';
import { formatStartOutput } from '../../src/hooks/session-start.js';
import type { HookRun } from '../../src/hooks/run.js';

describe('budget values', () => {
  it('accepts whole milliseconds from 1 to 2^31−1, nothing else', () => {
    expect(parseBudgetMs('1')).toBe(1);
    expect(parseBudgetMs('2000')).toBe(2000);
    expect(parseBudgetMs(String(MAX_BUDGET_MS))).toBe(MAX_BUDGET_MS);
    for (const bad of ['', '0', '-5', 'abc', '1.5', '1e3', ' 20', '0x10', '2147483648', '99999999999999999999']) {
      expect(parseBudgetMs(bad), bad).toBeUndefined();
    }
    expect(validBudget(1e12)).toBeUndefined();
    expect(validBudget(2.5)).toBeUndefined();
    expect(validBudget(500)).toBe(500);
  });
});

describe('session-start output cap', () => {
  it('caps the printed JSON, escaping included, at a line boundary', () => {
    // Control characters grow six-fold under JSON escaping: 2,900 bytes of text became 10 KB.
    const line = `- ${'\u001b'.repeat(40)}${'"'.repeat(10)}`;
    const briefing = `Handoff for x vs main, saved 0m ago.\n${Array.from({ length: 55 }, () => line).join('\n')}\n`;
    expect(Buffer.byteLength(briefing)).toBeLessThanOrEqual(3_000);
    const out = formatStartOutput(briefing, 'json');
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(3_000);
    expect(out.endsWith('\n')).toBe(true);
    const doc = JSON.parse(out) as { hookSpecificOutput: { additionalContext: string } };
    const text = doc.hookSpecificOutput.additionalContext;
    expect(text.startsWith(`Handoff for x vs main, saved 0m ago.\n${line}\n`)).toBe(true);
    expect(text).toMatch(/… truncated: \d+ more lines over the \d+-byte budget\n$/);
    // Text within budget, and empty output, pass through unchanged.
    expect(formatStartOutput(briefing, 'text')).toBe(briefing);
    expect(formatStartOutput('', 'json')).toBe('');
  });
});

describe('hook runner (in-process)', () => {
  const run = { cwd: '/', env: {}, now: new Date(0), format: 'text', budgetMs: 50 } satisfies Omit<HookRun, 'payload'>;
  const job: HookJob = { kind: 'start', run, payloadText: '', configMayBudget: true };

  it('answers with the last fallback when the budget runs out', async () => {
    const work: HookWork = async (_job, post) => {
      post({ type: 'fallback', output: 'saved\n' });
      await new Promise(() => {});
    };
    const outcome = await runHookJob(job, work, undefined, 50, Date.now(), () => {}, Date.now);
    expect(outcome).toEqual({ output: 'saved\n', timedOut: true });
  });

  it('counts the budget from when the work is loaded', async () => {
    const work: HookWork = async (_job, post) => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      post({ type: 'ready' });
      await new Promise((resolve) => setTimeout(resolve, 60));
      post({ type: 'done', output: 'full\n' });
    };
    // Done 120 ms after the start, 60 ms after the work was loaded: within a 100 ms budget.
    const outcome = await runHookJob(job, work, undefined, 100, Date.now(), () => {}, Date.now);
    expect(outcome).toEqual({ output: 'full\n', timedOut: false });
  });

  it('lets the work move the budget and pass warnings on, and reports errors', async () => {
    const warnings: string[] = [];
    const work: HookWork = async (_job, post) => {
      post({ type: 'budget', ms: 5_000 });
      post({ type: 'warning', line: 'handoff: warning: w' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      post({ type: 'done', output: 'full\n' });
    };
    const outcome = await runHookJob(job, work, undefined, 20, Date.now(), (l) => warnings.push(l), Date.now);
    expect(outcome).toEqual({ output: 'full\n', timedOut: false });
    expect(warnings).toEqual(['handoff: warning: w']);
    const failing: HookWork = async () => {
      throw new Error('boom');
    };
    const failed = await runHookJob(job, failing, undefined, 1_000, Date.now(), () => {}, Date.now);
    expect(failed).toEqual({ output: '', timedOut: false, error: 'boom' });
  });
});
