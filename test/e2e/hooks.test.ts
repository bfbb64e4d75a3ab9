// Session hooks end to end (issue 4), the spawned layer: what only a real process shows —
// the time budget (a worker cut short), malformed input and flags (exit 0, one line at
// most), stdin absent, concurrent stops, and one briefing and one stop through the built
// CLI. The briefing's content and session-stop's records are checked in-process in
// test/hooks/session-hooks.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifact as artifactSchema, type Artifact } from '../../src/schema/artifact.js';
import { hookFeatureRepo } from '../support/handoff-trees.js';
import { BIN, cliEnv, runCliAsync, Scratch, SLOW_HOOK_BIN, type CliResult, type GitRepo } from './helpers.js';

/** The clock: real time rounded to the second. The index and file mtimes are real, so the pinned clock stays near them. */
const REAL = Math.floor(Date.now() / 1000) * 1000;
const at = (seconds: number): string => new Date(REAL + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** An hour ahead: every file written by the suite is older than a handoff saved "now". */
const NOW = at(3600);
const ME = 'me';

interface HookOptions {
  cwd: string;
  input?: string | Buffer;
  now?: string;
  env?: NodeJS.ProcessEnv;
  /** Run the CLI whose hook work blocks its thread this long at its slow part (SLOW_HOOK_BIN). */
  slowMs?: number;
}

interface Timed extends CliResult {
  ms: number;
}

function cli(args: readonly string[], options: HookOptions): Timed {
  const started = Date.now();
  const slow = options.slowMs !== undefined ? { HANDOFF_TEST_SLOW_MS: String(options.slowMs) } : {};
  // A test of a slow hook tests its budget: the default one, unless it gives one.
  const budget = options.slowMs !== undefined ? { HANDOFF_HOOK_BUDGET_MS: undefined } : {};
  const res = spawnSync(process.execPath, [options.slowMs !== undefined ? SLOW_HOOK_BIN : BIN, ...args], {
    cwd: options.cwd,
    env: cliEnv({ HANDOFF_DEVELOPER: ME, HANDOFF_NOW: options.now ?? NOW, ...budget, ...options.env, ...slow }),
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  // The hook may stop reading a huge payload early (EPIPE on our side): only a missing status is fatal.
  if (res.status === null) throw res.error ?? new Error(`killed by ${res.signal}`);
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, ms: Date.now() - started };
}

const payload = (fields: Record<string, unknown>): string => JSON.stringify(fields);
const start = (options: HookOptions, ...args: string[]): Timed => cli(['hook', 'session-start', ...args], options);
const stop = (options: HookOptions, ...args: string[]): Timed => cli(['hook', 'session-stop', ...args], options);

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Exit 0, at most one line on stdout and stderr together, no stack trace. */
function expectQuiet(res: CliResult, what: string): void {
  expect(res.code, `${what}: exit code (stderr: ${res.stderr})`).toBe(0);
  expect(
    [...lines(res.stdout), ...lines(res.stderr)].length,
    `${what}: stdout ${JSON.stringify(res.stdout.slice(0, 300))} stderr ${JSON.stringify(res.stderr)}`,
  ).toBeLessThanOrEqual(1);
  expect(res.stderr).not.toMatch(/^\s+at /m);
  for (const line of lines(res.stderr)) expect(line, what).toMatch(/^handoff: skipped: /);
}

/** The SessionStart JSON both agents accept, nothing else; returns the additional context. */
function startContext(stdout: string): string {
  const doc = JSON.parse(stdout) as { hookSpecificOutput: { hookEventName: string; additionalContext: string } };
  expect(Object.keys(doc)).toEqual(['hookSpecificOutput']);
  expect(Object.keys(doc.hookSpecificOutput).sort()).toEqual(['additionalContext', 'hookEventName']);
  expect(doc.hookSpecificOutput.hookEventName).toBe('SessionStart');
  expect(typeof doc.hookSpecificOutput.additionalContext).toBe('string');
  return doc.hookSpecificOutput.additionalContext;
}

/** Stop output: nothing, or exactly one line of JSON (Codex accepts nothing else). */
function stopMessages(stdout: string): { systemMessage?: string }[] {
  if (stdout === '') return [];
  expect(stdout.endsWith('\n')).toBe(true);
  const out = lines(stdout);
  expect(out).toHaveLength(1);
  return out.map((l) => JSON.parse(l) as { systemMessage?: string });
}

function latestOf(dir: string): Artifact {
  return artifactSchema.parse(JSON.parse(readFileSync(join(dir, '.codemap', 'handoff.latest.json'), 'utf8')));
}

function handoff(repo: GitRepo, now = NOW): void {
  const res = cli([], { cwd: repo.dir, now });
  expect(res.code, res.stderr).toBe(0);
}

function publish(repo: GitRepo, as: string, now: string, args: string[]): void {
  const res = cli(['context', 'publish', '--as', as, ...args], { cwd: repo.dir, now });
  expect(res.code, res.stderr).toBe(0);
}

describe('session hooks through the built CLI', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  const featureRepo = (): GitRepo => hookFeatureRepo(scratch, REAL);

  describe('session-start', () => {
    it('works from the current directory when there is no payload, and from a subdirectory', () => {
      const repo = featureRepo();
      handoff(repo);
      const fromRoot = start({ cwd: repo.dir });
      expect(fromRoot.code).toBe(0);
      expect(fromRoot.stdout).toMatch(/^Handoff for feat vs main/);
      const fromSub = start({ cwd: join(repo.dir, 'src'), input: '{}' });
      expect(fromSub.stdout).toBe(fromRoot.stdout);
      // A payload cwd that does not exist falls back to the current directory.
      const missing = start({ cwd: repo.dir, input: payload({ cwd: join(repo.dir, 'no-such-dir') }) });
      expect(missing.code).toBe(0);
      expect(missing.stdout).toBe(fromRoot.stdout);
    });

    it('prints nothing when there is nothing to say (clean repository, no teammates)', () => {
      const repo = scratch.repo({ 'README.md': '# clean\n', 'src/main.ts': 'export {};\n' });
      handoff(repo);
      const text = start({ cwd: repo.dir, input: payload({ session_id: 'quiet' }) });
      expect(text.code).toBe(0);
      expect(text.stderr).toBe('');
      expect(text.stdout).toBe('');
      const json = start({ cwd: repo.dir, input: payload({ session_id: 'quiet' }) }, '--format', 'json');
      expect(json.stdout).toBe('');
    });
  });

  describe('time budget', () => {
    it('session-start past its budget prints the saved handoff as it is, without teammates or waiting', () => {
      const repo = featureRepo();
      handoff(repo);
      publish(repo, 'alice', at(-600), ['--title', 'Alice on a', '--summary', 'Working on a.', '--file', 'src/a.ts']);
      const full = start({ cwd: repo.dir });
      expect(full.stdout).toContain('Teammates working here:');

      // A 300 ms budget: back at once, with the saved handoff at most (on a loaded machine
      // the budget may run out before the artifact is even read, and then it says nothing).
      const tight = start(
        { cwd: repo.dir, input: payload({ session_id: 'slow' }), slowMs: 60_000 },
        '--budget-ms',
        '300',
      );
      expect(tight.code).toBe(0);
      expect(tight.stderr).toBe('');
      expect(tight.ms).toBeLessThan(30_000);
      expect(tight.stdout).not.toContain('Teammates working here:');
      if (tight.stdout !== '') expect(tight.stdout).toMatch(/^Handoff for feat vs main/);

      // A budget that leaves time to read the saved handoff, not to wait for the slow step.
      const res = start(
        { cwd: repo.dir, input: payload({ session_id: 'slow' }), slowMs: 60_000 },
        '--budget-ms',
        '1000',
      );
      expect(res.code).toBe(0);
      expect(res.stderr).toBe('');
      expect(res.ms).toBeLessThan(30_000);
      expect(res.stdout).toMatch(/^Handoff for feat vs main/);
      expect(res.stdout).toContain('Changed files (4):');
      expect(res.stdout).not.toContain('Teammates working here:');
      expect(lines(res.stdout).at(-1)).toMatch(/^More: /);
      expect(bytes(res.stdout)).toBeLessThanOrEqual(3_000);

      const json = start({ cwd: repo.dir, slowMs: 60_000 }, '--budget-ms', '1000', '--format', 'json');
      expect(json.code).toBe(0);
      expect(startContext(json.stdout)).toBe(res.stdout);
    });

    it('session-start enforces the default budget too', () => {
      const repo = featureRepo();
      handoff(repo);
      const res = start({ cwd: repo.dir, slowMs: 60_000 });
      expect(res.code).toBe(0);
      expect(res.ms).toBeLessThan(30_000);
      expect(res.stdout).toMatch(/^Handoff for feat vs main/);
    });

    it('session-start past its budget with no saved handoff prints nothing', () => {
      const repo = featureRepo();
      const res = start({ cwd: repo.dir, slowMs: 60_000 }, '--budget-ms', '300');
      expectQuiet(res, 'slow start, nothing saved');
      expect(res.ms).toBeLessThan(30_000);
    });

    it('session-stop past its budget exits 0 with one skipped line', () => {
      const repo = featureRepo();
      handoff(repo);
      const res = stop({ cwd: repo.dir, input: payload({ session_id: 'slow' }), slowMs: 60_000 }, '--budget-ms', '300');
      expect(res.code).toBe(0);
      expect(res.ms).toBeLessThan(30_000);
      expect(res.stdout).toBe('');
      expect(lines(res.stderr)).toHaveLength(1);
      expect(res.stderr).toMatch(/^handoff: skipped: .*budget/);
    });
  });

  describe('malformed input: exit 0, one line at most', () => {
    const both = (options: HookOptions, what: string): { start: Timed; stop: Timed } => {
      const s = start(options, '--format', 'json');
      expectQuiet(s, `${what} (session-start)`);
      if (s.stdout !== '') startContext(s.stdout);
      const t = stop(options);
      expectQuiet(t, `${what} (session-stop)`);
      stopMessages(t.stdout);
      return { start: s, stop: t };
    };

    it('outside a git repository', () => {
      const dir = scratch.dir();
      const res = both({ cwd: dir, input: payload({ session_id: 'x', cwd: dir }) }, 'outside a repository');
      expect(res.start.stdout).toBe('');
      expect(res.stop.stdout).toBe('');
      expect(res.start.stderr).toMatch(/^handoff: skipped: /);
      expect(existsSync(join(dir, '.codemap'))).toBe(false);
    });

    it('in a repository with no commits', () => {
      const repo = scratch.repo();
      both({ cwd: repo.dir, input: payload({ session_id: 'x' }) }, 'no commits');
      const withFiles = scratch.repo();
      withFiles.write({ 'src/a.ts': 'export {};\n' });
      both({ cwd: withFiles.dir, input: payload({ session_id: 'y' }) }, 'no commits, untracked files');
    });

    it('with a corrupt context store, which is left as it is', () => {
      const repo = featureRepo();
      handoff(repo);
      publish(repo, 'alice', at(-600), ['--title', 'Alice on a', '--file', 'src/a.ts']);
      const active = join(repo.dir, '.git', 'codemap-handoff', 'active.json');
      expect(existsSync(active)).toBe(true);
      writeFileSync(active, '{"schema_version": 1, "contexts": [ garbled');
      const res = both({ cwd: repo.dir, input: payload({ session_id: 'x' }) }, 'corrupt store');
      // The saved handoff is still worth showing.
      expect(startContext(res.start.stdout)).toMatch(/^Handoff for feat vs main/);
      expect(readFileSync(active, 'utf8')).toBe('{"schema_version": 1, "contexts": [ garbled');
    });

    it('with a corrupt saved handoff, which is moved aside and replaced', () => {
      const repo = featureRepo();
      handoff(repo);
      const latest = join(repo.dir, '.codemap', 'handoff.latest.json');
      writeFileSync(latest, '{"schema_version": 1, "generated_at": ');
      both({ cwd: repo.dir, input: payload({ session_id: 'x' }) }, 'corrupt artifact');
      expect(latestOf(repo.dir).delta.changed_total).toBe(4);
      expect(readdirSync(join(repo.dir, '.codemap')).some((f) => f.startsWith('handoff.latest.json.corrupt'))).toBe(
        true,
      );
    });

    // Every malformed form, wrongly typed JSON included, is checked in-process
    // (test/hooks/session-hooks.test.ts); here a real pipe carries the three kinds of bytes.
    it('with malformed JSON, an empty stdin, or binary bytes on stdin: treated as no payload', () => {
      const repo = featureRepo();
      handoff(repo);
      const reference = start({ cwd: repo.dir, input: '{}' }, '--format', 'json');
      expect(startContext(reference.stdout)).toMatch(/^Handoff for feat vs main/);
      for (const input of ['{not json', '', '\u0000\u0001binary']) {
        const res = both({ cwd: repo.dir, input }, `stdin ${JSON.stringify(input)}`);
        expect(res.start.stdout, `stdin ${JSON.stringify(input)}`).toBe(reference.stdout);
      }
    });

    it('with a 10 MiB payload', () => {
      const repo = featureRepo();
      handoff(repo);
      const head = payload({ session_id: 'huge', cwd: repo.dir, transcript_path: '/tmp/t.jsonl', padding: '' }).slice(
        0,
        -2,
      );
      const exact = `${head}${'x'.repeat(10 * 1024 * 1024 - bytes(head) - 2)}"}`;
      expect(bytes(exact)).toBe(10 * 1024 * 1024);
      both({ cwd: repo.dir, input: exact }, '10 MiB payload');
      both({ cwd: repo.dir, input: `${exact}${' '.repeat(4096)}` }, 'payload over 10 MiB');
      both({ cwd: repo.dir, input: Buffer.alloc(10 * 1024 * 1024 + 1, 0x7b) }, '10 MiB of garbage');
    });

    it('with an unknown flag', () => {
      const repo = featureRepo();
      for (const kind of ['session-start', 'session-stop']) {
        const res = cli(['hook', kind, '--bogus'], { cwd: repo.dir, input: '{}' });
        expectQuiet(res, `${kind} --bogus`);
        expect(res.stdout).toBe('');
        expect(res.stderr).toMatch(/^handoff: skipped: .*--bogus/);
      }
      const unknown = cli(['hook', 'session-middle'], { cwd: repo.dir, input: '{}' });
      expectQuiet(unknown, 'hook session-middle');
    });
  });

  describe('session-stop', () => {
    it('records the agent from the payload or as "agent" when none is given', () => {
      const repo = featureRepo();
      handoff(repo);
      expect(
        stop({ cwd: repo.dir, now: at(10), input: payload({ session_id: 'p', agent_id: 'from-payload' }) }).code,
      ).toBe(0);
      expect(stop({ cwd: repo.dir, now: at(20), input: payload({ session_id: 'q' }) }).code).toBe(0);
      const history = latestOf(repo.dir).agent_history!;
      expect(history.map((h) => [h.session_id, h.agent_id])).toEqual([
        ['p', 'from-payload'],
        ['q', 'agent'],
      ]);
    });

    it('concurrent stops all exit 0 and leave a valid artifact', async () => {
      const repo = featureRepo();
      handoff(repo);
      repo.write({ 'src/concurrent.ts': 'export const c = 1;\n' });
      const env = cliEnv({ HANDOFF_DEVELOPER: ME, HANDOFF_NOW: at(60) });
      const results = await Promise.all(
        Array.from({ length: 4 }, () => runCliAsync(['hook', 'session-stop'], { cwd: repo.dir, env })),
      );
      for (const r of results) {
        expect(r.code).toBe(0);
        expect(r.stderr).toBe('');
        stopMessages(r.stdout);
      }
      expect(latestOf(repo.dir).changed_files).toContain('src/concurrent.ts');
    });
  });
});
