// Session hooks (issue 4) in-process on real repositories, their work run as the CLI runs it
// (test/support/in-process.ts): the session-start briefing (content, order, de-duplication,
// size, stale marks, payload cwd, JSON form) and session-stop (refresh, agent history, the
// once-only nudge, never publishing on the session's behalf). Budgets, malformed input and
// concurrent stops of real processes: test/e2e/hooks.test.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifact as artifactSchema, type Artifact } from '../../src/schema/artifact.js';
import { FIXED_NOW, readSaved, Scratch, type CliResult, type GitRepo } from '../e2e/helpers.js';
import { hookFeatureRepo } from '../support/handoff-trees.js';
import { handoffInProcess } from '../support/in-process.js';

/** The clock: real time rounded to the second. The index and file mtimes are real, so the pinned clock stays near them. */
const REAL = Math.floor(Date.now() / 1000) * 1000;
const at = (seconds: number): string => new Date(REAL + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** An hour ahead: every file written by the suite is older than a handoff saved "now". */
const NOW = at(3600);
const ME = 'me';

interface HookOptions {
  cwd: string;
  input?: string;
  now?: string;
  env?: NodeJS.ProcessEnv;
}

interface Timed extends CliResult {
  ms: number;
}

async function cli(args: readonly string[], options: HookOptions): Promise<Timed> {
  const started = Date.now();
  const res = await handoffInProcess(args, {
    cwd: options.cwd,
    env: { HANDOFF_DEVELOPER: ME, HANDOFF_NOW: options.now ?? NOW, ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { ...res, ms: Date.now() - started };
}

const payload = (fields: Record<string, unknown>): string => JSON.stringify(fields);
const start = (options: HookOptions, ...args: string[]): Promise<Timed> =>
  cli(['hook', 'session-start', ...args], options);
const stop = (options: HookOptions, ...args: string[]): Promise<Timed> =>
  cli(['hook', 'session-stop', ...args], options);

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

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

function metricsCount(dir: string): number {
  return lines(readFileSync(join(dir, '.codemap', 'handoff.metrics.log'), 'utf8')).length;
}

async function handoff(repo: GitRepo, now = NOW): Promise<void> {
  const res = await cli([], { cwd: repo.dir, now });
  expect(res.code, res.stderr).toBe(0);
}

async function publish(repo: GitRepo, as: string, now: string, args: string[]): Promise<void> {
  const res = await cli(['context', 'publish', '--as', as, ...args], { cwd: repo.dir, now });
  expect(res.code, res.stderr).toBe(0);
}

describe('session hooks in-process', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  const featureRepo = (): GitRepo => hookFeatureRepo(scratch, REAL);

  describe('session-start', () => {
    it('prints the saved handoff, then teammates (overlapping first), then the More: hint, within 3,000 bytes', async () => {
      const repo = featureRepo();
      await handoff(repo);
      await publish(repo, 'alice', at(-3600), [
        '--title',
        'Alice reworks zcore',
        '--summary',
        'Moved z into core.\nSecond line stays out.',
        '--file',
        'src/zcore.ts',
        '--file',
        'src/a.ts',
      ]);
      await publish(repo, 'bob', at(-900), [
        '--title',
        'Bob adds new',
        '--summary',
        'New module for n.',
        '--file',
        'src/new.ts',
      ]);
      const others = ['carol', 'dave', 'erin', 'frank', 'grace'];
      for (const [i, dev] of others.entries())
        await publish(repo, dev, at(-600 + i * 60), [
          '--title',
          `${dev} on docs`,
          '--summary',
          `${dev} writes docs.`,
          '--file',
          'docs/guide.md',
        ]);
      await publish(repo, ME, at(0), ['--title', 'My own work', '--summary', 'Mine.', '--file', 'src/a.ts']);

      // Run from elsewhere: the payload's cwd names the repository.
      const elsewhere = scratch.dir();
      const input = payload({
        session_id: 'sess-1',
        cwd: repo.dir,
        source: 'startup',
        hook_event_name: 'SessionStart',
        transcript_path: '/tmp/t.jsonl',
        model: 'x',
      });
      const res = await start({ cwd: elsewhere, input });
      expect(res.code).toBe(0);
      expect(res.stderr).toBe('');
      const text = res.stdout;
      expect(bytes(text)).toBeLessThanOrEqual(3_000);
      const out = text.split('\n');

      // 1. the saved handoff
      expect(out[0]).toMatch(/^Handoff for feat vs main, saved 0m ago\.$/);
      const changedAt = out.findIndex((l) => l.startsWith('Changed files ('));
      expect(out[changedAt]).toBe('Changed files (4):');
      // The delta's rank order: risk, then local work, then branch commits.
      expect(out.slice(changedAt + 1, changedAt + 5)).toEqual([
        expect.stringMatching(/^- modified src\/zcore\.ts — .*3/),
        '- modified src/a.ts',
        '- untracked src/new.ts',
        '- branch src/c.ts',
      ]);
      const nextAt = out.indexOf('Next steps:');
      expect(nextAt).toBeGreaterThan(changedAt);
      expect(out[nextAt + 1]).toMatch(/^- .*src\/zcore\.ts/);

      // 2. teammates: overlap first, then newest; five shown and a count of the rest
      const teamAt = out.indexOf('Teammates working here:');
      expect(teamAt).toBeGreaterThan(nextAt);
      const heads = out.slice(teamAt + 1).filter((l) => l.startsWith('- ') && !l.startsWith('- …'));
      expect(heads).toEqual([
        '- Alice reworks zcore — alice, 2h ago',
        '- Bob adds new — bob, 1h ago',
        '- grace on docs — grace, 1h ago',
        '- frank on docs — frank, 1h ago',
        '- erin on docs — erin, 1h ago',
      ]);
      expect(text).toContain('- … and 2 more active contexts');
      expect(text).toContain('  touches 2 of your changed files\n  Moved z into core.\n');
      expect(text).toContain('  touches 1 of your changed files\n  New module for n.\n');
      expect(text).not.toContain('Second line stays out.');
      expect(text).not.toContain('My own work');

      // 3. the hint, last
      expect(lines(text).at(-1)).toMatch(/^More: handoff --detail \S+ · handoff context get --developer \S+$/);

      // De-duplication: each changed file is listed once (the hint may name one to detail).
      for (const f of ['src/zcore.ts', 'src/a.ts', 'src/new.ts']) {
        expect(
          out.filter((l) => l.includes(f) && !l.startsWith('More:') && !l.startsWith('- Review')),
          f,
        ).toHaveLength(1);
      }
      expect(text).not.toMatch(/recent edits/i);

      // The JSON form carries exactly the same text.
      const json = await start({ cwd: elsewhere, input }, '--format', 'json');
      expect(json.code).toBe(0);
      expect(json.stderr).toBe('');
      expect(json.stdout).toBe(
        `${JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: text } })}\n`,
      );
      expect(startContext(json.stdout)).toBe(text);
    });

    it('computes and saves a handoff when none was saved', async () => {
      const repo = featureRepo();
      const res = await start({ cwd: repo.dir, input: payload({ session_id: 'first' }) }, '--budget-ms', '30000');
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/^Handoff for feat vs main/);
      expect(latestOf(repo.dir).delta.changed_total).toBe(4);
    });

    it('marks the saved handoff stale when HEAD moves', async () => {
      const repo = featureRepo();
      await handoff(repo);
      expect((await start({ cwd: repo.dir })).stdout).not.toContain('(stale');
      repo.commit('more work');
      const res = await start({ cwd: repo.dir });
      expect(res.code).toBe(0);
      expect(lines(res.stdout)[0]).toMatch(
        /^Handoff for feat vs main, saved 0m ago \(stale: HEAD moved since it was saved; run `handoff` to refresh\)\.$/,
      );
      await handoff(repo);
      expect((await start({ cwd: repo.dir })).stdout).not.toContain('(stale');
    });

    it('marks the saved handoff stale when a listed file changes, and a teammate touching it [stale]', async () => {
      const repo = featureRepo();
      await publish(repo, 'alice', at(-600), [
        '--title',
        'Alice on a',
        '--summary',
        'Working on a.',
        '--file',
        'src/a.ts',
      ]);
      await handoff(repo);
      const before = await start({ cwd: repo.dir });
      expect(before.stdout).not.toContain('(stale');
      expect(before.stdout).not.toContain('[stale]');
      repo.write({ 'src/a.ts': 'export const a = "rewritten";\n' });
      const after = await start({ cwd: repo.dir });
      expect(after.code).toBe(0);
      expect(lines(after.stdout)[0]).toMatch(/\(stale: 1 changed file differs? from it; run `handoff` to refresh\)\.$/);
      expect(after.stdout).toContain('- Alice on a — alice, 1h ago [stale]');
    });

    it('marks the saved handoff stale on another branch', async () => {
      const repo = featureRepo();
      await handoff(repo);
      repo.git('checkout', '-q', '-b', 'other');
      expect(lines((await start({ cwd: repo.dir })).stdout)[0]).toMatch(
        /\(stale: the branch is now other; run `handoff` to refresh\)/,
      );
    });

    it('clears the stale mark once `handoff` has been run again, as the mark advises', async () => {
      const repo = featureRepo();
      // Saved an hour ago; since then git rewrote the index (a stage and unstage), nothing else.
      await handoff(repo, at(-3600));
      repo.git('add', 'src/a.ts');
      repo.git('reset', '-q');
      const before = await start({ cwd: repo.dir });
      expect(before.stdout).toContain('(stale');
      // The user follows the advice: `handoff` finds nothing changed...
      await handoff(repo, NOW);
      // ...so the briefing should no longer call the handoff stale.
      const after = await start({ cwd: repo.dir });
      expect(after.code).toBe(0);
      expect(lines(after.stdout)[0]).not.toContain('(stale');
    });

    it('stays within 3,000 bytes for a repository with 5,000 changed files', async () => {
      const repo = scratch.repo({ 'README.md': '# big\n', 'src/main.ts': 'export {};\n' });
      const tree: Record<string, string> = {};
      for (let i = 0; i < 5_000; i++)
        tree[`gen/part-${i % 50}/module-with-a-long-name-${i}.ts`] = `export const v${i} = ${i};\n`;
      repo.write(tree);
      const res = await start({ cwd: repo.dir, input: payload({ session_id: 'big' }) }, '--budget-ms', '30000');
      expect(res.code).toBe(0);
      expect(res.stderr).toBe('');
      expect(res.stdout).toContain('Changed files (5000):');
      expect(bytes(res.stdout)).toBeLessThanOrEqual(3_000);
      const json = await start(
        { cwd: repo.dir, input: payload({ session_id: 'big' }) },
        '--format',
        'json',
        '--budget-ms',
        '30000',
      );
      expect(bytes(startContext(json.stdout))).toBeLessThanOrEqual(3_000);
    });

    it('takes malformed, empty or wrongly typed JSON as no payload: start as with {}, stop quiet', async () => {
      const repo = featureRepo();
      await handoff(repo);
      const reference = await start({ cwd: repo.dir, input: '{}' }, '--format', 'json');
      expect(startContext(reference.stdout)).toMatch(/^Handoff for feat vs main/);
      for (const input of [
        '{not json',
        '',
        '   \n',
        'null',
        '[1,2,3]',
        '"text"',
        '{"session_id": 42, "cwd": ["x"]}',
        '\u0000\u0001binary',
      ]) {
        const what = `stdin ${JSON.stringify(input)}`;
        const s = await start({ cwd: repo.dir, input }, '--format', 'json');
        expect([s.code, s.stderr, s.stdout], what).toEqual([0, '', reference.stdout]);
        const t = await stop({ cwd: repo.dir, input });
        expect([t.code, t.stderr], what).toEqual([0, '']);
        stopMessages(t.stdout);
      }
    });
  });

  describe('session-stop', () => {
    it('refreshes the handoff and keeps one agent-history entry per session, updated in place', async () => {
      const repo = featureRepo();
      const session = payload({
        session_id: 'sess-A',
        cwd: repo.dir,
        hook_event_name: 'Stop',
        stop_hook_active: false,
      });
      const startedAt = at(-120);
      expect((await start({ cwd: repo.dir, now: startedAt, input: payload({ session_id: 'sess-A' }) })).code).toBe(0);
      const saved = latestOf(repo.dir);
      const metricsBefore = metricsCount(repo.dir);

      // The session edits one file and adds another.
      repo.write({ 'src/b.ts': 'export const b = "edited in session";\n', 'src/session.ts': 'export const s = 1;\n' });
      const first = await stop({ cwd: repo.dir, now: at(60), input: session }, '--agent', 'codex');
      expect(first.code).toBe(0);
      expect(first.stderr).toBe('');
      const nudge = stopMessages(first.stdout);
      expect(nudge).toHaveLength(1);
      expect(Object.keys(nudge[0]!)).toEqual(['systemMessage']);
      expect(nudge[0]!.systemMessage).toContain('handoff context publish');

      const refreshed = readSaved(repo.dir);
      expect(refreshed.latest.combined_hash).not.toBe(saved.combined_hash);
      expect(refreshed.latest.changed_files).toEqual(expect.arrayContaining(['src/b.ts', 'src/session.ts']));
      expect(refreshed.metrics).toHaveLength(metricsBefore + 1);
      expect(refreshed.latest.agent_history).toEqual([
        {
          agent_id: 'codex',
          session_id: 'sess-A',
          started_at: expect.any(String),
          ended_at: expect.any(String),
          files_edited: ['src/b.ts', 'src/session.ts'],
        },
      ]);
      const entry = refreshed.latest.agent_history![0]!;
      expect(Date.parse(entry.started_at)).toBe(Date.parse(startedAt));
      expect(Date.parse(entry.ended_at!)).toBe(Date.parse(at(60)));

      // A second stop with nothing new: no refresh (no metrics line), ended_at moves on, no second nudge.
      const second = await stop({ cwd: repo.dir, now: at(120), input: session }, '--agent', 'codex');
      expect(second.code).toBe(0);
      expect(second.stderr).toBe('');
      expect(second.stdout).toBe('');
      expect(metricsCount(repo.dir)).toBe(metricsBefore + 1);
      const history2 = latestOf(repo.dir).agent_history!;
      expect(history2).toHaveLength(1);
      expect(Date.parse(history2[0]!.ended_at!)).toBe(Date.parse(at(120)));
      expect(history2[0]!.files_edited).toEqual(['src/b.ts', 'src/session.ts']);

      // More work in the same session: refreshed again, still one entry, now with the new file.
      mkdirSync(join(repo.dir, 'docs'), { recursive: true });
      writeFileSync(join(repo.dir, 'docs', 'later.md'), '# later\n');
      const third = await stop({ cwd: repo.dir, now: at(180), input: session }, '--agent', 'codex');
      expect(third.code).toBe(0);
      expect(third.stdout).toBe('');
      expect(metricsCount(repo.dir)).toBe(metricsBefore + 2);
      const history3 = latestOf(repo.dir).agent_history!;
      expect(history3).toHaveLength(1);
      expect(history3[0]!.files_edited).toEqual(['docs/later.md', 'src/b.ts', 'src/session.ts']);
      expect(latestOf(repo.dir).changed_files).toContain('docs/later.md');

      // Never publishes on the session's behalf.
      const all = await cli(['context', 'list', '--all', '--json'], { cwd: repo.dir });
      expect(all.code).toBe(0);
      expect(JSON.parse(all.stdout)).toEqual([]);
    });

    /** A session started two minutes ago whose first stop has refreshed the handoff. */
    async function stoppedOnce(): Promise<{ repo: GitRepo; session: string; metrics: number }> {
      const repo = featureRepo();
      const session = payload({ session_id: 'sess-B', cwd: repo.dir });
      expect((await start({ cwd: repo.dir, now: at(-120), input: session })).code).toBe(0);
      expect((await stop({ cwd: repo.dir, now: at(0), input: session })).code).toBe(0);
      return { repo, session, metrics: metricsCount(repo.dir) };
    }

    it('refreshes after the session edits a file that was not changed before', async () => {
      const { repo, session, metrics } = await stoppedOnce();
      expect(latestOf(repo.dir).changed_files).not.toContain('README.md');
      writeFileSync(join(repo.dir, 'README.md'), '# fixture, edited by the session\n');
      const res = await stop({ cwd: repo.dir, now: at(60), input: session });
      expect(res.code).toBe(0);
      expect(res.stderr).toBe('');
      const latest = latestOf(repo.dir);
      expect(latest.changed_files).toContain('README.md');
      expect(metricsCount(repo.dir)).toBe(metrics + 1);
      expect(latest.agent_history!.find((h) => h.session_id === 'sess-B')!.files_edited).toEqual(['README.md']);
    });

    it('refreshes after the session adds a file to a directory that held no changed file', async () => {
      const { repo, session, metrics } = await stoppedOnce();
      writeFileSync(join(repo.dir, 'lib', 'extra.ts'), 'export const extra = 1;\n');
      const res = await stop({ cwd: repo.dir, now: at(60), input: session });
      expect(res.code).toBe(0);
      expect(res.stderr).toBe('');
      expect(latestOf(repo.dir).changed_files).toContain('lib/extra.ts');
      expect(metricsCount(repo.dir)).toBe(metrics + 1);
    });

    it('counts a file the session deleted among the files it edited', async () => {
      const { repo, session } = await stoppedOnce();
      // Both in src/, which already holds changed files, so the stop notices the change.
      repo.remove('src/b.ts');
      writeFileSync(join(repo.dir, 'src', 'new.ts'), 'export const n = 2;\n');
      expect((await stop({ cwd: repo.dir, now: at(60), input: session })).code).toBe(0);
      const latest = latestOf(repo.dir);
      expect(latest.delta.changed.find((c) => c.path === 'src/b.ts')?.status).toBe('deleted');
      expect(latest.agent_history!.find((h) => h.session_id === 'sess-B')!.files_edited).toEqual([
        'src/b.ts',
        'src/new.ts',
      ]);
    });

    it('keeps the first start time of a session that is resumed', async () => {
      const repo = featureRepo();
      await handoff(repo);
      expect(
        (await start({ cwd: repo.dir, now: at(-300), input: payload({ session_id: 'r', source: 'startup' }) })).code,
      ).toBe(0);
      expect(
        (await start({ cwd: repo.dir, now: at(-60), input: payload({ session_id: 'r', source: 'resume' }) })).code,
      ).toBe(0);
      expect(
        (await start({ cwd: repo.dir, now: at(-30), input: payload({ session_id: 'r', source: 'compact' }) })).code,
      ).toBe(0);
      expect((await stop({ cwd: repo.dir, now: at(0), input: payload({ session_id: 'r' }) })).code).toBe(0);
      const entry = latestOf(repo.dir).agent_history!.find((h) => h.session_id === 'r')!;
      expect(Date.parse(entry.started_at)).toBe(Date.parse(at(-300)));
    });

    it(`keeps the last 20 sessions in the agent history`, async () => {
      const repo = featureRepo();
      await handoff(repo);
      for (let i = 1; i <= 22; i++) {
        const res = await stop(
          { cwd: repo.dir, now: at(i * 60), input: payload({ session_id: `s${i}` }) },
          '--agent',
          'claude-code',
        );
        expect(res.code, res.stderr).toBe(0);
        expect(res.stderr).toBe('');
        stopMessages(res.stdout);
      }
      const history = latestOf(repo.dir).agent_history!;
      expect(history.map((h) => h.session_id)).toEqual(Array.from({ length: 20 }, (_, i) => `s${i + 3}`));
      expect(new Set(history.map((h) => h.agent_id))).toEqual(new Set(['claude-code']));
      const all = await cli(['context', 'list', '--all', '--json'], { cwd: repo.dir });
      expect(JSON.parse(all.stdout)).toEqual([]);
    });

    it('does not nudge a session that published for this branch; nudges others once, on their first stop', async () => {
      const repo = featureRepo();
      await handoff(repo);
      // Session "pub" publishes a context after it started.
      expect((await start({ cwd: repo.dir, now: at(0), input: payload({ session_id: 'pub' }) })).code).toBe(0);
      await publish(repo, ME, at(30), [
        '--title',
        'Reworking zcore',
        '--summary',
        'Decided to keep z a constant.',
        '--file',
        'src/zcore.ts',
        '--session',
        'pub',
      ]);
      const published = await stop({ cwd: repo.dir, now: at(60), input: payload({ session_id: 'pub' }) });
      expect(published.code).toBe(0);
      expect(published.stdout).toBe('');

      // Session "quiet" starts later and publishes only for another branch.
      expect((await start({ cwd: repo.dir, now: at(120), input: payload({ session_id: 'quiet' }) })).code).toBe(0);
      await publish(repo, ME, at(130), ['--title', 'Elsewhere', '--branch', 'other-branch']);
      const runs: Timed[] = [];
      for (const s of [180, 240, 300])
        runs.push(await stop({ cwd: repo.dir, now: at(s), input: payload({ session_id: 'quiet' }) }));
      for (const r of runs) {
        expect(r.code).toBe(0);
        expect(r.stderr).toBe('');
      }
      expect(stopMessages(runs[0]!.stdout)).toEqual([
        { systemMessage: expect.stringContaining('handoff context publish') },
      ]);
      expect(runs[1]!.stdout).toBe('');
      expect(runs[2]!.stdout).toBe('');

      // Only the two contexts the sessions published themselves exist.
      const all = JSON.parse((await cli(['context', 'list', '--all', '--json'], { cwd: repo.dir })).stdout) as {
        title: string;
      }[];
      expect(all.map((c) => c.title).sort()).toEqual(['Elsewhere', 'Reworking zcore']);
    });
  });
});

describe('session-start: staleness from files that were clean at the save', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('an edit to a clean file or a new untracked file marks the saved handoff stale', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    writeFileSync(join(repo.dir, 'a.txt'), 'a changed\n');
    const env = { HANDOFF_NOW: FIXED_NOW };
    expect((await handoffInProcess([], { cwd: repo.dir, env })).code).toBe(0);
    const fresh = await handoffInProcess(['hook', 'session-start'], { cwd: repo.dir, env });
    expect(fresh.stdout).toContain('Handoff for main');
    expect(fresh.stdout).not.toContain('stale');
    writeFileSync(join(repo.dir, 'b.txt'), 'b changed\n');
    expect((await handoffInProcess(['hook', 'session-start'], { cwd: repo.dir, env })).stdout).toContain(
      'stale: files changed since it was saved',
    );
    expect((await handoffInProcess([], { cwd: repo.dir, env })).code).toBe(0);
    writeFileSync(join(repo.dir, 'c.txt'), 'new\n');
    expect((await handoffInProcess(['hook', 'session-start'], { cwd: repo.dir, env })).stdout).toContain(
      'stale: files changed since it was saved',
    );
  });
});

describe('session-stop: nudge modes', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());
  const stop = (repo: GitRepo, args: string[], payload: object): Promise<CliResult> =>
    handoffInProcess(['hook', 'session-stop', ...args], {
      cwd: repo.dir,
      env: { HANDOFF_NOW: FIXED_NOW, HANDOFF_DEVELOPER: 'dev' },
      input: JSON.stringify(payload),
    });

  it('--nudge block tells the model once with decision:block, never on a turn a Stop hook resumed', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    expect((await stop(repo, ['--nudge', 'block'], { session_id: 'r1', stop_hook_active: true })).stdout).toBe('');
    const first = await stop(repo, ['--nudge', 'block'], { session_id: 'r2' });
    expect(JSON.parse(first.stdout)).toMatchObject({
      decision: 'block',
      reason: expect.stringContaining('handoff context publish'),
    });
    expect((await stop(repo, ['--nudge', 'block'], { session_id: 'r2' })).stdout).toBe('');
  });

  it('--nudge off prints nothing', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    expect((await stop(repo, ['--nudge', 'off'], { session_id: 'o1' })).stdout).toBe('');
  });
});
