// The project config as the hooks and the handoff read it, in-process on real repositories:
// a hook reads the config of the repository its payload names (not the directory it was
// started in), falling back to the primary worktree's; byte budgets handoff does not apply
// (budgets.markdown_bytes, budgets.detail_bytes) are named as unread keys, not silently accepted.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitRepo, makeTempDir, type GitRepo } from '../../fixtures/git-repo.js';
import { computeHandoff } from '../../src/api.js';
import type { HookMessage } from '../../src/hooks/runner.js';
import { createHookWork } from '../../src/hooks/work.js';

describe('the project config', { tags: ['slow'] }, () => {
  let repo: GitRepo;
  let linked: string;
  let elsewhere: string;
  const now = new Date('2026-01-01T00:00:00Z');

  beforeAll(() => {
    repo = gitRepo({ 'a.ts': 'export const a = 1;\n' });
    linked = join(makeTempDir(), 'linked');
    repo.git('worktree', 'add', '-q', '-b', 'side', linked);
    // Only the primary checkout has a config (uncommitted): the linked worktree falls back to it.
    repo.write({ '.codemap/config.json': '{ "hooks": { "start_budget_ms": 4321 } }\n' });
    elsewhere = makeTempDir();
  });
  afterAll(() => repo.cleanup());

  it("a hook reads the budget from the payload's repository, else its primary worktree", async () => {
    const posted: HookMessage[] = [];
    // Started in an unrelated directory; the payload names the linked worktree.
    const payloadText = JSON.stringify({ cwd: linked, session_id: 's1' });
    const run = { cwd: elsewhere, env: {}, now, format: 'text' as const, budgetMs: 2000 };
    const clock = { uptimeMs: () => 0 };
    await createHookWork(clock)({ kind: 'start', run, payloadText, configMayBudget: true }, (m) => posted.push(m));
    expect(posted.filter((m) => m.type === 'budget')).toEqual([{ type: 'budget', ms: 4321 }]);
    expect(posted.at(-1)?.type).toBe('done');
  });

  it('a budget given on the command line or in the environment is not overridden by the config', async () => {
    const posted: HookMessage[] = [];
    const run = { cwd: linked, env: {}, now, format: 'text' as const, budgetMs: 2000 };
    const job = { kind: 'start' as const, run, payloadText: '{}', configMayBudget: false };
    await createHookWork({ uptimeMs: () => 0 })(job, (m) => posted.push(m));
    expect(posted.some((m) => m.type === 'budget')).toBe(false);
  });

  it('names budgets.markdown_bytes and budgets.detail_bytes as keys handoff does not read', async () => {
    const budgets = { max_hubs: 5, markdown_bytes: 9000, detail_bytes: 900 };
    repo.write({ '.codemap/config.json': `${JSON.stringify({ budgets })}\n` });
    const warnings: string[] = [];
    await computeHandoff({ cwd: repo.dir, now, env: {}, warn: (line) => warnings.push(line) });
    expect(warnings).toContain(
      'handoff: .codemap/config.json: ignoring key(s) handoff does not read: ' +
        '"budgets.detail_bytes", "budgets.markdown_bytes" — fix the name or remove them (README: Config)',
    );
  });
});
