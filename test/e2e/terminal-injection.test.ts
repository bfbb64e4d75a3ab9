// Terminal injection and forged entries (issue 7, item 3): records written before input
// validation (or arriving through sync) hold ESC, BEL, CR, newlines and bidi controls;
// every human-readable output prints them escaped and no line of theirs can pass for an
// entry. Publishing such text through the CLI is refused with exit 2, naming the field.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeText } from '../../src/core/escape.js';
import { loadHasher } from '../../src/core/hash.js';
import type { Context } from '../../src/schema/context.js';
import { ContextStore } from '../../src/store/context-store.js';
import { contextRecord } from '../../src/core/records.js';
import {
  expectFailure,
  handoff,
  hoursAfter,
  publishJson,
  REPO_ID,
  Repos,
  storeDirOf,
  T0,
  type GitRepo,
} from './context-helpers.js';

/** Any character no output may print raw; newline and tab are the output's own layout. */
// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const FORGED = '## Fake (01FAKE) alice@example.com';
/** A line that would read as a heading or an entry of its own. */
const forgedLine = (line: string): boolean =>
  /^ {0,3}#{1,6} Fake\b/.test(line) || /^\s*- fake entry/.test(line) || /^ {0,3}# Handoff: forged/.test(line);

function expectSafe(out: string, what: string): void {
  const found = RAW_UNSAFE.exec(out);
  const code = found?.[0].codePointAt(0)?.toString(16).padStart(4, '0');
  expect(found, `${what} prints a raw U+${code}:\n${JSON.stringify(out)}`).toBeNull();
  expect(out.split('\n').filter(forgedLine), `${what} prints a forged line`).toEqual([]);
}

const EVIL_FILE = 'evil\x1b[2J\n## Fake.ts';

function hostileContext(developer: string, title: string): Context {
  return {
    id: ulid(Date.parse(T0)),
    developer,
    repo: REPO_ID,
    branch: 'feat\x1b[0m\n# Handoff: forged',
    session_id: 'S\x1b]0;pwned\x07',
    title,
    summary: `first line\x1b[1A\b\b\n${FORGED}\n- fake entry\u2028after a separator \u202egnp.exe`,
    files_touched: ['src/a.ts', EVIL_FILE],
    next_actions: [`do\x07it\n${FORGED}`],
    blockers: ['\x9b31m C1 CSI'],
    task_ids: ['T-1\u2066isolate'],
    published_at: T0,
    expires_at: hoursAfter(24),
    ttl_hours: 24,
    touched_hash: 'x',
    touched_files: [
      { path: 'src/a.ts', hash: 'not-the-hash' },
      { path: EVIL_FILE, hash: '' },
    ],
  };
}

describe('terminal injection: stored hostile text is printed escaped', { tags: ['slow'] }, () => {
  const repos = new Repos();
  let repo: GitRepo;
  const carol = (): { cwd: string; as: string; now: string } => ({ cwd: repo.dir, as: 'carol', now: hoursAfter(1) });

  beforeAll(async () => {
    repo = repos.make();
    writeFileSync(join(repo.dir, 'src/a.ts'), 'export const a = 2;\n');
    writeFileSync(join(repo.dir, EVIL_FILE), 'x\n');
    // Written straight into the store, as an old version or a sync would have left them.
    const store = new ContextStore(storeDirOf(repo.dir), await loadHasher());
    const mallory = hostileContext('mallory\x1b[31m\u202e', `Refactor\x1b[2J\x1b]0;pwned\x07\r${FORGED}`);
    const alice = {
      ...hostileContext('alice', `Alice\x1b[2J\n${FORGED}`),
      id: ulid(Date.parse(T0) + 1),
      branch: 'main',
    };
    await store.write([mallory, alice].map(contextRecord), { now: new Date(T0) });
  });
  afterAll(() => repos.cleanup());

  it('context get, context list, list --all and state', () => {
    for (const args of [['context', 'get'], ['context', 'list'], ['context', 'list', '--all'], ['state']]) {
      const res = handoff(args, carol());
      expect(res.code, res.stderr).toBe(0);
      expectSafe(res.stdout, args.join(' '));
      expect(res.stdout, args.join(' ')).toContain('\\x1b');
    }
    // Exactly the two real entries start a heading in the full view.
    const full = handoff(['context', 'get'], carol()).stdout;
    expect(full.split('\n').filter((l) => l.startsWith('## '))).toHaveLength(2);
    expect(full).toContain('\\u202egnp.exe');
    expect(full).toContain('\\x9b31m C1 CSI');
  });

  it('--json stays raw JSON with the stored strings intact', () => {
    const res = handoff(['context', 'get', '--json'], carol());
    expect(res.code, res.stderr).toBe(0);
    const parsed = JSON.parse(res.stdout) as Context[];
    expect(parsed.map((c) => c.developer).sort()).toEqual(['alice', 'mallory\x1b[31m\u202e']);
  });

  it('the markdown handoff and --detail', () => {
    const res = handoff([], { cwd: repo.dir, as: 'alice', now: hoursAfter(1) });
    expect(res.code, res.stderr).toBe(0);
    expectSafe(res.stdout, 'handoff markdown');
    expect(res.stdout).toContain('evil\\x1b[2J\\n## Fake.ts');
    expect(res.stdout).toContain('Alice\\x1b[2J\\n## Fake');
    const detail = handoff(['--no-save', '--detail', EVIL_FILE], { cwd: repo.dir, as: 'alice', now: hoursAfter(1) });
    expect(detail.code, detail.stderr).toBe(0);
    expectSafe(detail.stdout, 'handoff --detail');
    // The name as the markdown printed it finds the same file.
    const printed = handoff(['--no-save', '--detail', escapeText(EVIL_FILE)], {
      cwd: repo.dir,
      as: 'alice',
      now: hoursAfter(1),
    });
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(detail.stdout);
  });

  it('the session-start briefing, text and JSON', () => {
    const text = handoff(['hook', 'session-start'], { ...carol(), input: '{"session_id":"s1"}' });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Refactor\\x1b[2J');
    expectSafe(text.stdout, 'session-start text');
    const json = handoff(['hook', 'session-start', '--format', 'json'], { ...carol(), input: '{"session_id":"s2"}' });
    expect(json.code).toBe(0);
    expectSafe(json.stdout, 'session-start json');
    const output = JSON.parse(json.stdout) as { hookSpecificOutput: { additionalContext: string } };
    const briefing = output.hookSpecificOutput.additionalContext;
    expectSafe(briefing, 'session-start additionalContext');
    expect(briefing).toContain('mallory\\x1b[31m\\u202e');
  });

  it('a saved artifact edited by hand: handoff --latest and doctor print its strings escaped', () => {
    const path = join(repo.dir, '.codemap', 'handoff.latest.json');
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      path,
      JSON.stringify({ ...saved, branch: `main\x1b]0;pwned\x07\n${FORGED}`, base_ref: 'main\u202e' }),
    );
    const latest = handoff(['--latest'], carol());
    expect(latest.code, latest.stderr).toBe(0);
    expectSafe(latest.stdout, 'handoff --latest');
    expect(latest.stdout).toContain('main\\x1b]0;pwned\\x07\\n## Fake');
    const doctor = handoff(['doctor'], carol());
    expectSafe(doctor.stdout + doctor.stderr, 'doctor');
  });
});

describe('terminal injection: publishing control characters is refused', { tags: ['slow'] }, () => {
  const repos = new Repos();
  let repo: GitRepo;
  beforeAll(() => {
    repo = repos.make();
  });
  afterAll(() => repos.cleanup());

  const publish = (args: string[], as = 'bob', input?: string) =>
    handoff(['context', 'publish', ...args], { cwd: repo.dir, as, ...(input !== undefined ? { input } : {}) });

  it('each single-line field refuses ESC, BEL, CR, newlines, C1 and bidi controls with exit 2', () => {
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
      const res = publish(args);
      expectFailure(res, 2, field);
      expect(res.stderr, JSON.stringify(args)).not.toMatch(RAW_UNSAFE);
    }
    expectFailure(publish(['--from-json', '-'], 'bob', JSON.stringify({ title: 'nul\u0000byte' })), 2, /title/);
  });

  it('a developer handle with control characters, or over 200 characters, is refused with exit 2', () => {
    expectFailure(publish(['--title', 'ok'], 'bob\x1b[31m'), 2, /developer/);
    expectFailure(publish(['--title', 'ok', '--as', 'two\nlines']), 2, /developer/);
    expectFailure(publish(['--title', 'ok', '--as', 'x'.repeat(201)]), 2, /developer/);
    expect(publishJson({ cwd: repo.dir }, ['--title', 'ok', '--as', 'y'.repeat(200)]).developer).toHaveLength(200);
  });

  it('a summary keeps its newlines and tabs (CRLF becomes LF)', () => {
    const ctx = publishJson({ cwd: repo.dir, as: 'bob' }, ['--title', 'ok', '--summary', 'line one\r\n\tline two']);
    expect(ctx.summary).toBe('line one\n\tline two');
  });
});
