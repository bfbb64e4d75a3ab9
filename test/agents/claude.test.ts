// The real Claude Code client (pinned devDependency) after `handoff setup --agent claude`,
// against our fake Anthropic API: one print-mode session that edits a file with the Write
// tool, so every installed hook runs for real. What reached the model is read back from
// the requests the fake server recorded. Another session runs `handoff claim add` through
// Bash: the session-start hook's CLAUDE_ENV_FILE export makes it act as the session.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeModelServer, type ModelRequest, type Reply } from '../../fixtures/fake-model-server.js';
import { NUDGE } from '../../src/hooks/session-stop.js';
import { claimView } from '../../src/schema/claim.js';
import { BIN, parseWith, readSaved, runCli, Scratch } from '../e2e/helpers.js';
import { AGENT_TEST_TIMEOUT_MS, hookRuns, installHooks, runClaude } from './helpers.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

/** The last message of a Messages API request, as text. */
const lastMessage = (req: ModelRequest): string =>
  JSON.stringify((req.body.messages as unknown[] | undefined)?.at(-1) ?? null);

/** The session id Claude Code reports in its stream-json output (the one its hook payloads carry). */
function sessionIdOf(stdout: string): string {
  const first = stdout.split('\n').find((l) => l.includes('"session_id"'));
  return (JSON.parse(first!) as { session_id: string }).session_id;
}

describe('Claude Code 2.1.332 runs the handoff hooks', { tags: ['slow'] }, () => {
  it(
    'briefs the model, records the edit at Stop and SessionEnd, and resumes once with --nudge block',
    async () => {
      const repo = scratch.repo({ 'README.md': '# demo\n', 'src/a.ts': 'export const a = 1;\n' });
      const home = scratch.dir('claude-home-');
      const target = join(repo.dir, 'src', 'b.ts');
      // First turn: write a file; after the tool result, or after the Stop hook's feedback: done.
      const server = await startFakeModelServer((req): Reply => {
        // A side request (no tools: a title, a summary) is not part of the session's turns.
        if (!Array.isArray(req.body.tools)) return { text: 'side answer' };
        if (req.raw.includes('Stop hook feedback')) return { text: 'Noted; nothing to publish in this test.' };
        if (lastMessage(req).includes('tool_result')) return { text: 'Wrote src/b.ts.' };
        return { tool: 'Write', input: { file_path: target, content: 'export const b = 2;\n' } };
      });
      try {
        installHooks('claude', repo.dir, home, 'block');
        const run = await runClaude('Add src/b.ts exporting b = 2.', {
          cwd: repo.dir,
          home,
          server,
          args: ['--permission-mode', 'acceptEdits'],
        });
        expect(run.code, `claude exit (stderr: ${run.stderr.slice(0, 2000)})`).toBe(0);
        expect(server.unknown).toEqual([]);

        // 1. The briefing reached the first request, as SessionStart additional context.
        const turns = server.requests.filter((r) => Array.isArray(r.body.tools));
        const [first, second, third] = turns.map((r) => r.raw);
        expect(first).toContain('SessionStart hook additional context: Handoff for main');
        // 3. --nudge block resumed the turn exactly once, with the reminder as Stop hook feedback.
        expect(turns.length, 'model requests: the edit, its result, the resumed turn').toBe(3);
        expect(lastMessage(turns[1]!)).toContain('tool_result');
        expect(third).toContain(`Stop hook feedback:\\n${JSON.stringify(NUDGE).slice(1, -1)}`);
        expect(first! + second!).not.toContain('Stop hook feedback');

        // 2. Stop and SessionEnd ran (the second Stop saw stop_hook_active and let the session end).
        const runs = hookRuns(home);
        expect(runs.map((r) => r.event)).toEqual(['SessionStart', 'PreToolUse', 'Stop', 'Stop', 'SessionEnd']);
        expect(runs.every((r) => r.code === 0)).toBe(true);
        const history = readSaved(repo.dir).latest.agent_history ?? [];
        expect(history).toHaveLength(1);
        expect(history[0]).toMatchObject({ agent_id: 'claude-code', files_edited: ['src/b.ts'] });
        expect(history[0]!.session_id).toMatch(/^[0-9a-f-]{36}$/);
      } finally {
        await server.close();
      }
    },
    AGENT_TEST_TIMEOUT_MS,
  );

  it(
    'tells the model, before an Edit, that another developer claimed the file (and lets the edit through)',
    async () => {
      const repo = scratch.repo({ 'README.md': '# demo\n', 'src/a.ts': 'export const a = 1;\n' });
      const home = scratch.dir('claude-home-');
      const claim = ['claim', 'add', 'src/a.ts', '--reason', 'reworking the exports', '--as', 'bob@example.com'];
      expect(runCli(claim, { cwd: repo.dir }).code).toBe(0);
      const target = join(repo.dir, 'src', 'a.ts');
      const server = await startFakeModelServer((req): Reply => {
        if (!Array.isArray(req.body.tools)) return { text: 'side answer' };
        // The hook's context arrives as a system message after the tool result.
        if (req.raw.includes('tool_result')) return { text: 'Edited src/a.ts.' };
        return {
          tool: 'Edit',
          input: { file_path: target, old_string: 'a = 1', new_string: 'a = 2' },
        };
      });
      try {
        installHooks('claude', repo.dir, home);
        const run = await runClaude('Set a to 2 in src/a.ts.', {
          cwd: repo.dir,
          home,
          server,
          // A busy 2-core machine starts node slower than pre-edit's 250 ms deadline.
          env: { HANDOFF_HOOK_BUDGET_MS: '20000' },
          args: ['--permission-mode', 'acceptEdits'],
        });
        expect(run.code, `claude exit (stderr: ${run.stderr.slice(0, 2000)})`).toBe(0);
        const turns = server.requests.filter((r) => Array.isArray(r.body.tools));
        expect(turns.length).toBe(2);
        expect(turns[1]!.raw).toContain(
          'PreToolUse:Edit hook additional context: handoff: src/a.ts is claimed by bob@example.com (reworking the exports) until',
        );
        expect(hookRuns(home).map((r) => r.event)).toContain('PreToolUse');
        expect(readFileSync(target, 'utf8')).toContain('a = 2');
        expect(readSaved(repo.dir).latest.open_questions.join('\n')).toContain(
          'src/a.ts is claimed by bob@example.com',
        );
      } finally {
        await server.close();
      }
    },
    AGENT_TEST_TIMEOUT_MS,
  );
  it(
    "makes a claim the model adds through Bash its session's, so SessionEnd releases it",
    async () => {
      const repo = scratch.repo({ 'README.md': '# demo\n', 'src/a.ts': 'export const a = 1;\n' });
      const home = scratch.dir('claude-home-');
      // The agent runs handoff as a user would: no --session, no HANDOFF_SESSION of its own.
      const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} claim add src/a.ts --reason 'agent at work' --json`;
      const server = await startFakeModelServer((req): Reply => {
        if (!Array.isArray(req.body.tools)) return { text: 'side answer' };
        if (lastMessage(req).includes('tool_result')) return { text: 'Claimed src/a.ts.' };
        return { tool: 'Bash', input: { command, description: 'Claim src/a.ts' } };
      });
      try {
        installHooks('claude', repo.dir, home);
        const run = await runClaude('Claim src/a.ts before editing it.', {
          cwd: repo.dir,
          home,
          server,
          args: ['--allowedTools', 'Bash'],
        });
        expect(run.code, `claude exit (stderr: ${run.stderr.slice(0, 2000)})`).toBe(0);
        const session = sessionIdOf(run.stdout);
        expect(session).toMatch(/^[0-9a-f-]{36}$/);

        // Inside the session the command acted as it: the claim it printed names the session.
        const turns = server.requests.filter((r) => Array.isArray(r.body.tools));
        expect(turns.length).toBe(2);
        expect(lastMessage(turns[1]!)).toContain(`\\"session\\": \\"${session}\\"`);

        // SessionEnd (the installed hook, given the same session_id) released it.
        expect(hookRuns(home).map((r) => [r.event, r.code])).toContainEqual(['SessionEnd', 0]);
        const listed = runCli(['claim', 'list', '--all', '--json'], { cwd: repo.dir });
        const claims = parseWith(claimView.array(), listed.stdout);
        expect(claims).toHaveLength(1);
        expect(claims[0]).toMatchObject({ pattern: 'src/a.ts', session, status: 'released', reason: 'agent at work' });
      } finally {
        await server.close();
      }
    },
    AGENT_TEST_TIMEOUT_MS,
  );
});
