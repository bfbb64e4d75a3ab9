// Terminal injection and forged entries (issue 7, item 3) through the whole CLI in-process:
// records written before input validation (or arriving through sync) hold ESC, BEL, CR,
// newlines and bidi controls; every human-readable output prints them escaped (the captured
// stdout is the bytes a terminal would get) and no line of theirs can pass for an entry.
// Publishing such text is refused with exit 2, naming the field. A real process's streams
// and exit statuses: test/e2e/terminal-injection.test.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeText } from '../../src/core/escape.js';
import type { Context } from '../../src/schema/context.js';
import { expectFailure, handoff, hoursAfter, publishJson, Repos, type GitRepo } from '../support/context-cli.js';
import { EVIL_FILE, expectSafe, FORGED, RAW_UNSAFE, seedHostileStore } from '../support/hostile-store.js';

describe('terminal injection: stored hostile text is printed escaped', () => {
  const repos = new Repos();
  let repo: GitRepo;
  const carol = (): { cwd: string; as: string; now: string } => ({ cwd: repo.dir, as: 'carol', now: hoursAfter(1) });
  const alice = (dir = repo.dir): { cwd: string; as: string; now: string } => ({
    cwd: dir,
    as: 'alice',
    now: hoursAfter(1),
  });

  beforeAll(async () => {
    repo = repos.make();
    await seedHostileStore(repo);
  });
  afterAll(() => repos.cleanup());

  it('context get, context list, list --all and state', async () => {
    for (const args of [['context', 'get'], ['context', 'list'], ['context', 'list', '--all'], ['state']]) {
      const res = await handoff(args, carol());
      expect(res.code, res.stderr).toBe(0);
      expectSafe(res.stdout, args.join(' '));
      expect(res.stdout, args.join(' ')).toContain('\\x1b');
    }
    // Exactly the two real entries start a heading in the full view.
    const full = (await handoff(['context', 'get'], carol())).stdout;
    expect(full.split('\n').filter((l) => l.startsWith('## '))).toHaveLength(2);
    expect(full).toContain('\\u202egnp.exe');
    expect(full).toContain('\\x9b31m C1 CSI');
  });

  it('--json stays raw JSON with the stored strings intact', async () => {
    const res = await handoff(['context', 'get', '--json'], carol());
    expect(res.code, res.stderr).toBe(0);
    const parsed = JSON.parse(res.stdout) as Context[];
    expect(parsed.map((c) => c.developer).sort()).toEqual(['alice', 'mallory\x1b[31m\u202e']);
  });

  it('the markdown handoff and --detail', async () => {
    const res = await handoff([], alice());
    expect(res.code, res.stderr).toBe(0);
    expectSafe(res.stdout, 'handoff markdown');
    expect(res.stdout).toContain('evil\\x1b[2J\\n## Fake.ts');
    expect(res.stdout).toContain('Alice\\x1b[2J\\n## Fake');
    const detail = await handoff(['--no-save', '--detail', EVIL_FILE], alice());
    expect(detail.code, detail.stderr).toBe(0);
    expectSafe(detail.stdout, 'handoff --detail');
    // The name as the markdown printed it finds the same file.
    const printed = await handoff(['--no-save', '--detail', escapeText(EVIL_FILE)], alice());
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(detail.stdout);
  });

  it('the session-start briefing, text and JSON', async () => {
    const text = await handoff(['hook', 'session-start'], { ...carol(), input: '{"session_id":"s1"}' });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Refactor\\x1b[2J');
    expectSafe(text.stdout, 'session-start text');
    const json = await handoff(['hook', 'session-start', '--format', 'json'], {
      ...carol(),
      input: '{"session_id":"s2"}',
    });
    expect(json.code).toBe(0);
    expectSafe(json.stdout, 'session-start json');
    const output = JSON.parse(json.stdout) as { hookSpecificOutput: { additionalContext: string } };
    const briefing = output.hookSpecificOutput.additionalContext;
    expectSafe(briefing, 'session-start additionalContext');
    expect(briefing).toContain('mallory\\x1b[31m\\u202e');
  });

  it('a saved artifact edited by hand: handoff --latest and doctor print its strings escaped', async () => {
    // A repository of its own, with the handoff saved here: the test depends on no other.
    const own = repos.make();
    await seedHostileStore(own);
    expect((await handoff([], alice(own.dir))).code).toBe(0);
    const path = join(own.dir, '.codemap', 'handoff.latest.json');
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      path,
      JSON.stringify({ ...saved, branch: `main\x1b]0;pwned\x07\n${FORGED}`, base_ref: 'main\u202e' }),
    );
    const latest = await handoff(['--latest'], { ...carol(), cwd: own.dir });
    expect(latest.code, latest.stderr).toBe(0);
    expectSafe(latest.stdout, 'handoff --latest');
    expect(latest.stdout).toContain('main\\x1b]0;pwned\\x07\\n## Fake');
    const doctor = await handoff(['doctor'], { ...carol(), cwd: own.dir });
    expectSafe(doctor.stdout + doctor.stderr, 'doctor');
  });
});

describe('terminal injection: publishing control characters is refused', () => {
  const repos = new Repos();
  let repo: GitRepo;
  beforeAll(() => {
    repo = repos.make();
  });
  afterAll(() => repos.cleanup());

  const publish = (args: string[], as = 'bob', input?: string) =>
    handoff(['context', 'publish', ...args], { cwd: repo.dir, as, ...(input !== undefined ? { input } : {}) });

  it('each single-line field refuses ESC, BEL, CR, newlines, C1 and bidi controls with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--title', 'a\x1b[2Jb'], /title/],
      [['--title', 'two\nlines'], /title/],
      [['--title', 'carriage\rreturn'], /title/],
      [['--title', 'C1 \x9b CSI'], /title/],
      [['--title', 'evil \u202egnp.exe'], /title/],
      [['--title', 'iso \u2066late'], /title/],
      [['--title', 'sep \u2028arator'], /title/],
      [['--title', 'ok', '--next', `x\n${FORGED}`], /next_actions/],
      [['--title', 'ok', '--blocker', 'bell\x07'], /blockers/],
      [['--title', 'ok', '--task', 'T\x7f1'], /task_ids/],
      [['--title', 'ok', '--file', 'a\x1b.ts'], /files_touched/],
      [['--title', 'ok', '--branch', 'b\x1b[0m'], /branch/],
      [['--title', 'ok', '--session', 's\nid'], /session_id/],
      [['--title', 'ok', '--summary', 'clear \x1b[2J screen'], /summary/],
      [['--title', 'ok', '--summary', 'lone\rCR'], /summary/],
    ];
    for (const [args, field] of cases) {
      const res = await publish(args);
      expectFailure(res, 2, field);
      expect(res.stderr, JSON.stringify(args)).not.toMatch(RAW_UNSAFE);
    }
    expectFailure(await publish(['--from-json', '-'], 'bob', JSON.stringify({ title: 'nul\u0000byte' })), 2, /title/);
  });

  it('a developer handle with control characters, or over 200 characters, is refused with exit 2', async () => {
    expectFailure(await publish(['--title', 'ok'], 'bob\x1b[31m'), 2, /developer/);
    expectFailure(await publish(['--title', 'ok', '--as', 'two\nlines']), 2, /developer/);
    expectFailure(await publish(['--title', 'ok', '--as', 'x'.repeat(201)]), 2, /developer/);
    const longest = await publishJson({ cwd: repo.dir }, ['--title', 'ok', '--as', 'y'.repeat(200)]);
    expect(longest.developer).toHaveLength(200);
  });

  it('a summary keeps its newlines and tabs (CRLF becomes LF)', async () => {
    const ctx = await publishJson({ cwd: repo.dir, as: 'bob' }, [
      '--title',
      'ok',
      '--summary',
      'line one\r\n\tline two',
    ]);
    expect(ctx.summary).toBe('line one\n\tline two');
  });
});
