// The real Codex client (pinned devDependency) after `handoff setup --agent codex`, against
// our fake Responses API. Codex runs project hooks only once each is trusted by hash, so
// doctor's verdict is checked against Codex's own (`codex app-server` hooks/list) before
// and after trusting them the way Codex's /hooks review does; then one session that edits
// a file through exec_command runs every hook for real. A second session runs `handoff claim
// add` itself: Codex's CODEX_THREAD_ID gives the command the session its hook payloads name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeModelServer, type Reply } from '../../fixtures/fake-model-server.js';
import { NUDGE } from '../../src/hooks/session-stop.js';
import { listCodexHooks, type CodexHook } from '../../src/setup/codex-trust.js';
import { claimView } from '../../src/schema/claim.js';
import { BIN, parseWith, readSaved, runCli, runCliAsync, Scratch } from '../e2e/helpers.js';
import {
  AGENT_TEST_TIMEOUT_MS,
  appendCodexConfig,
  codexHooksList,
  hookRuns,
  installHooks,
  runCodex,
  writeCodexConfig,
} from './helpers.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

interface DoctorCheck {
  name: string;
  status: string;
  detail: string;
  fix?: string;
}

async function doctorTrust(dir: string, home: string): Promise<DoctorCheck | undefined> {
  const env = { HOME: home, CODEX_HOME: join(home, '.codex') };
  const res = await runCliAsync(['doctor', '--json'], { cwd: dir, env });
  const report = JSON.parse(res.stdout) as { checks: DoctorCheck[] };
  return report.checks.find((c) => c.name === 'codex trust');
}

/** doctor's codex trust check and Codex's verdicts, asked at the same time (each starts several processes). */
const bothVerdicts = (dir: string, home: string): Promise<[DoctorCheck | undefined, Record<string, string>]> =>
  Promise.all([doctorTrust(dir, home), codexVerdicts(dir, home)]);

/** Our hooks as Codex keys them, read from the installed hooks.json. */
function ourHooks(dir: string): CodexHook[] {
  const file = join(dir, '.codex', 'hooks.json');
  return listCodexHooks(file, readFileSync(file, 'utf8')).filter((h) => h.command.includes('handoff.js'));
}

/** Codex's trust status of each of our hooks, checking it hashes them as we do. */
async function codexVerdicts(dir: string, home: string): Promise<Record<string, string>> {
  const listed = await codexHooksList(dir, home);
  const verdicts: Record<string, string> = {};
  for (const hook of ourHooks(dir)) {
    const entry = listed.find((l) => l.key === hook.key);
    expect(entry, `Codex lists ${hook.key}`).toBeDefined();
    expect(entry!.currentHash, `Codex's hash of ${hook.event}`).toBe(hook.hash);
    verdicts[hook.event] = entry!.trustStatus;
  }
  return verdicts;
}

const lastInput = (body: Record<string, unknown>): { type?: string } =>
  ((body.input as { type?: string }[] | undefined) ?? []).at(-1) ?? {};

describe('Codex 0.171.0 runs the handoff hooks once they are trusted', { tags: ['slow'] }, () => {
  it(
    'doctor and Codex agree on trust; a trusted session is briefed, records its edit, resumes once',
    async () => {
      const repo = scratch.repo({ 'README.md': '# demo\n', 'src/a.ts': 'export const a = 1;\n' });
      const home = scratch.dir('codex-home-');
      const server = await startFakeModelServer((req): Reply => {
        if (req.raw.includes('<hook_prompt')) return { text: 'Noted; nothing to publish in this test.' };
        if (lastInput(req.body).type === 'function_call_output') return { text: 'Wrote src/b.ts.' };
        return { tool: 'exec_command', input: { cmd: "printf 'export const b = 2;\\n' > src/b.ts" } };
      });
      try {
        installHooks('codex', repo.dir, home, 'block');
        writeCodexConfig(home, server, `[projects.${JSON.stringify(repo.dir)}]\ntrust_level = "trusted"\n`);
        const hooks = ourHooks(repo.dir);
        expect(hooks.map((h) => h.event)).toEqual(['SessionStart', 'Stop', 'SessionEnd', 'PreToolUse']);

        // 4. Before review: doctor warns, and Codex (with the same keys and hashes) would skip them.
        const [before, codexBefore] = await bothVerdicts(repo.dir, home);
        expect(before).toMatchObject({ status: 'warn', detail: expect.stringContaining('Stop untrusted') });
        expect(codexBefore).toEqual({
          SessionStart: 'untrusted',
          Stop: 'untrusted',
          SessionEnd: 'untrusted',
          PreToolUse: 'untrusted',
        });

        // Trusted as Codex's /hooks review records it.
        const review = hooks.map((h) => `[hooks.state.${JSON.stringify(h.key)}]\ntrusted_hash = "${h.hash}"`);
        appendCodexConfig(home, review.join('\n'));
        expect(await doctorTrust(repo.dir, home)).toMatchObject({ status: 'ok' });

        const run = await runCodex('Add src/b.ts exporting b = 2.', { cwd: repo.dir, home });
        expect(run.code, `codex exit (stderr: ${run.stderr.slice(-2000)})`).toBe(0);
        expect(server.unknown).toEqual([]);

        // 1. The briefing reached the first request as a developer message.
        const first = server.requests[0]!.body.input as { role?: string; content?: { text?: string }[] }[];
        const briefing = first.filter((i) => i.role === 'developer').map((i) => i.content?.[0]?.text ?? '');
        expect(briefing.some((t) => t.startsWith('Handoff for main'))).toBe(true);
        // 3. --nudge block resumed the turn exactly once, with the reminder in a <hook_prompt>.
        const [one, two, three] = server.requests.map((r) => r.raw);
        expect(server.requests.length, 'model requests: the edit, its output, the resumed turn').toBe(3);
        expect(three).toMatch(/<hook_prompt hook_run_id=/);
        expect(three).toContain(NUDGE.slice(0, 60));
        expect(one! + two!).not.toContain('<hook_prompt');

        // 2. Stop (twice: the resumed turn stops again) and SessionEnd ran and recorded the edit; a
        // shell command is no apply_patch, so the pre-edit hook did not run (codex-pre-edit.test.ts runs it).
        const runs = hookRuns(home);
        expect(runs.map((r) => r.event)).toEqual(['SessionStart', 'Stop', 'Stop', 'SessionEnd']);
        expect(runs.every((r) => r.code === 0)).toBe(true);
        const history = readSaved(repo.dir).latest.agent_history ?? [];
        expect(history).toHaveLength(1);
        expect(history[0]).toMatchObject({ agent_id: 'codex', files_edited: ['src/b.ts'] });

        // Editing a hook (here: back to the default nudge) changes its hash: Codex skips it again.
        installHooks('codex', repo.dir, home, 'system');
        const [after, codexAfter] = await bothVerdicts(repo.dir, home);
        expect(after).toMatchObject({ status: 'warn', detail: expect.stringContaining('Stop modified') });
        expect(codexAfter).toEqual({
          SessionStart: 'trusted',
          Stop: 'modified',
          SessionEnd: 'trusted',
          PreToolUse: 'trusted',
        });
      } finally {
        await server.close();
      }
    },
    AGENT_TEST_TIMEOUT_MS,
  );
  it(
    "acts as its session in the model's own commands (CODEX_THREAD_ID), so SessionEnd releases their claims",
    async () => {
      const repo = scratch.repo({ 'README.md': '# demo\n', 'src/a.ts': 'export const a = 1;\n' });
      const home = scratch.dir('codex-home-');
      const claim = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} claim add src/a.ts --json`;
      const server = await startFakeModelServer((req): Reply => {
        if (lastInput(req.body).type === 'function_call_output') return { text: 'Claimed src/a.ts.' };
        return { tool: 'exec_command', input: { cmd: `${claim} && printf 'export const a = 2;\\n' > src/a.ts` } };
      });
      try {
        installHooks('codex', repo.dir, home);
        writeCodexConfig(home, server, `[projects.${JSON.stringify(repo.dir)}]\ntrust_level = "trusted"\n`);
        const review = ourHooks(repo.dir).map(
          (h) => `[hooks.state.${JSON.stringify(h.key)}]\ntrusted_hash = "${h.hash}"`,
        );
        appendCodexConfig(home, review.join('\n'));

        const run = await runCodex('Claim src/a.ts, then set a to 2.', { cwd: repo.dir, home });
        expect(run.code, `codex exit (stderr: ${run.stderr.slice(-2000)})`).toBe(0);
        expect(hookRuns(home).map((r) => [r.event, r.code])).toEqual([
          ['SessionStart', 0],
          ['Stop', 0],
          ['SessionEnd', 0],
        ]);
        // The session id of the hook payloads, as Stop recorded it in the agent history.
        const session = readSaved(repo.dir).latest.agent_history?.[0]?.session_id;
        expect(session).toMatch(/^[0-9a-f-]{36}$/);

        // The command ran with no --session or HANDOFF_SESSION: Codex's CODEX_THREAD_ID named the session,
        // the same one as the payloads, so SessionEnd released the claim.
        const output = JSON.stringify(server.requests[1]!.body.input);
        expect(output).toContain(`\\"session\\": \\"${session}\\"`);
        const listed = runCli(['claim', 'list', '--all', '--json'], { cwd: repo.dir });
        const claims = parseWith(claimView.array(), listed.stdout);
        expect(claims).toHaveLength(1);
        expect(claims[0]).toMatchObject({ pattern: 'src/a.ts', session, status: 'released' });
      } finally {
        await server.close();
      }
    },
    AGENT_TEST_TIMEOUT_MS,
  );
});
