// The real Codex 0.171.0 app-server in a linked worktree: it lists the primary checkout's
// .codex/hooks.json there only when the worktree has a .codex/ folder of its own, which
// `handoff setup --agent codex` run in the worktree now creates. No model is called.
import { rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execGit, Scratch } from '../e2e/helpers.js';
import { startFakeModelServer } from '../../fixtures/fake-model-server.js';
import { AGENT_TEST_TIMEOUT_MS, codexHooksList, installHooks, writeCodexConfig } from './helpers.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

describe('Codex 0.171.0 in a linked worktree', { tags: ['slow'] }, () => {
  it(
    'lists our hooks there after setup, and none once the worktree has no .codex/',
    async () => {
      const repo = scratch.repo({ 'README.md': '# demo\n' });
      const home = scratch.dir('codex-home-');
      const worktree = join(scratch.dir(), 'linked');
      execGit(repo.dir, 'worktree', 'add', '-q', '-b', 'side', worktree);
      installHooks('codex', worktree, home);
      // Codex reads project hooks only in a trusted project (the primary checkout's trust covers its
      // worktrees); hooks/list calls no model, so the server only lends its URL to the config.
      const server = await startFakeModelServer(() => ({ text: 'unused' }));
      await server.close();
      writeCodexConfig(home, server, `[projects.${JSON.stringify(repo.dir)}]\ntrust_level = "trusted"\n`);
      const primaryHooks = join(repo.dir, '.codex', 'hooks.json');
      const keys = (hooks: { key: string }[]): string[] => hooks.map((h) => h.key).sort();
      const expected = ['pre_tool_use', 'session_end', 'session_start', 'stop'].map((e) => `${primaryHooks}:${e}:0:0`);

      expect(keys(await codexHooksList(worktree, home))).toEqual(expected);
      // What setup did before: hooks in the primary checkout only. Codex lists nothing in the worktree.
      rmdirSync(join(worktree, '.codex'));
      expect(await codexHooksList(worktree, home)).toEqual([]);
    },
    AGENT_TEST_TIMEOUT_MS,
  );
});
