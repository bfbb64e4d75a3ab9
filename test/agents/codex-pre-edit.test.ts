// The real Codex client (pinned devDependency) after `handoff setup --agent codex --claims
// enforce`, editing a file another developer claimed through its own `apply_patch` tool (a
// freeform tool, as Codex offers it to the models of its catalog). Codex runs our PreToolUse
// hook on it, hands the hook's context to the model before the tool's output, and the edit
// goes ahead: Codex takes no `ask`, so the hook only warns, whatever --claims says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeModelServer, type Reply } from '../../fixtures/fake-model-server.js';
import { listCodexHooks } from '../../src/setup/codex-trust.js';
import { runCli, runCliAsync, Scratch } from '../e2e/helpers.js';
import {
  AGENT_TEST_TIMEOUT_MS,
  appendCodexConfig,
  codexHooksList,
  hookRuns,
  runCodex,
  writeCodexConfig,
} from './helpers.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const PATCH = [
  '*** Begin Patch',
  '*** Update File: src/a.ts',
  '@@',
  '-export const a = 1;',
  '+export const a = 2;',
  '*** End Patch',
  '',
].join('\n');

interface InputItem {
  type?: string;
  role?: string;
  content?: { text?: string }[];
}

describe('Codex 0.171.0 runs the pre-edit hook before apply_patch', { tags: ['slow'] }, () => {
  it(
    'tells the model who claimed the file, before the tool output, and lets the edit through',
    async () => {
      const repo = scratch.repo({ 'README.md': '# demo\n', 'src/a.ts': 'export const a = 1;\n' });
      const home = scratch.dir('codex-home-');
      const env = { HOME: home, CODEX_HOME: join(home, '.codex') };
      const claim = ['claim', 'add', 'src/a.ts', '--reason', 'reworking the exports', '--as', 'bob@example.com'];
      expect(runCli(claim, { cwd: repo.dir }).code).toBe(0);
      const server = await startFakeModelServer((req): Reply => {
        if (req.raw.includes('"custom_tool_call_output"')) return { text: 'Edited src/a.ts.' };
        return { customTool: 'apply_patch', input: PATCH };
      });
      try {
        const setup = runCli(['setup', '--agent', 'codex', '--claims', 'enforce'], { cwd: repo.dir, env });
        expect(setup.code, setup.stderr).toBe(0);
        const trusted = `[projects.${JSON.stringify(repo.dir)}]\ntrust_level = "trusted"\n`;
        writeCodexConfig(home, server, trusted, 'gpt-5.5');
        // Trusted as Codex's /hooks review records it; Codex hashes the new entry as doctor does.
        const file = join(repo.dir, '.codex', 'hooks.json');
        const ours = listCodexHooks(file, readFileSync(file, 'utf8'));
        const preEdit = ours.find((h) => h.event === 'PreToolUse')!;
        expect(preEdit.command).toMatch(/hook pre-edit --agent codex$/);
        appendCodexConfig(
          home,
          ours.map((h) => `[hooks.state.${JSON.stringify(h.key)}]\ntrusted_hash = "${h.hash}"`).join('\n'),
        );
        const [doctor, listed] = await Promise.all([
          runCliAsync(['doctor', '--json'], { cwd: repo.dir, env }),
          codexHooksList(repo.dir, home),
        ]);
        const checks = (JSON.parse(doctor.stdout) as { checks: { name: string; status: string; detail: string }[] })
          .checks;
        expect(checks.find((c) => c.name === 'codex trust')).toMatchObject({ status: 'ok' });
        expect(checks.find((c) => c.name === 'codex claims hook')?.detail).toContain('pre-edit (warn)');
        expect(listed.find((l) => l.key === preEdit.key)).toMatchObject({
          currentHash: preEdit.hash,
          trustStatus: 'trusted',
        });

        const run = await runCodex('Set a to 2 in src/a.ts.', {
          cwd: repo.dir,
          home,
          // A busy 2-core machine starts node slower than pre-edit's own deadline.
          env: { HANDOFF_HOOK_BUDGET_MS: '20000' },
        });
        expect(run.code, `codex exit (stderr: ${run.stderr.slice(-2000)})`).toBe(0);
        expect(server.unknown).toEqual([]);
        expect(server.requests.length, 'model requests: the patch, then its output').toBe(2);
        const tools = server.requests[0]!.body.tools as { type?: string; name?: string }[];
        expect(tools).toContainEqual(expect.objectContaining({ type: 'custom', name: 'apply_patch' }));

        // (a) our hook ran, once, on the apply_patch call.
        const runs = hookRuns(home).filter((r) => r.event === 'PreToolUse');
        expect(runs).toEqual([{ event: 'PreToolUse', args: ['pre-edit', '--agent', 'codex'], code: 0 }]);
        // (b) its context reached the model as a developer message, right before the tool's output.
        const input = server.requests[1]!.body.input as InputItem[];
        const output = input.findIndex((i) => i.type === 'custom_tool_call_output');
        const told = input[output - 1]!;
        expect(told.role).toBe('developer');
        expect(told.content?.[0]?.text).toMatch(
          /^handoff: src\/a\.ts is claimed by bob@example\.com \(reworking the exports\) until /,
        );
        // (d) under --claims enforce the hook still gave Codex no `ask`: Codex counts a hook that
        // answers `ask` as failed and drops its context, so the context above would be missing.
        // (c) the edit went ahead.
        expect(readFileSync(join(repo.dir, 'src', 'a.ts'), 'utf8')).toBe('export const a = 2;\n');
        expect(server.requests[1]!.raw).toContain('Success. Updated the following files');
      } finally {
        await server.close();
      }
    },
    AGENT_TEST_TIMEOUT_MS,
  );
});
