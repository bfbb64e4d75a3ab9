// Hostile repositories and hook budgets through the built CLI (issue 7, items 4 and 9): a
// committed config with catastrophic ignore globs neither hangs `handoff` nor the hooks;
// an absurd ignore list is refused; a hook's budget stops even a synchronous hang; the
// budget's value is validated; session-start's JSON output stays within 3,000 bytes.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, Scratch, SLOW_HOOK_BIN, type GitRepo } from './helpers.js';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Generous slack over a budget: the machine may be loaded; a hang takes a minute. */
const SLACK_MS = 15_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

interface CliOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Run the CLI whose hook work blocks its thread this long at its slow part (SLOW_HOOK_BIN). */
  slowMs?: number;
}

function cli(args: readonly string[], cwd: string, options: CliOptions = {}): Run {
  const started = Date.now();
  const slow = options.slowMs !== undefined ? { HANDOFF_TEST_SLOW_MS: String(options.slowMs) } : {};
  const res = spawnSync(process.execPath, [options.slowMs !== undefined ? SLOW_HOOK_BIN : BIN, ...args], {
    cwd,
    // The default budgets, unless a test gives one: budgets are what this file tests.
    env: cliEnv({
      HANDOFF_DEVELOPER: 'me',
      HANDOFF_NOW: NOW,
      HANDOFF_HOOK_BUDGET_MS: undefined,
      ...options.env,
      ...slow,
    }),
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    // A hang is a failure, not a stuck suite.
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, ms: Date.now() - started };
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const RANGE = 'a whole number of milliseconds from 1 to 2147483647';
const CATASTROPHIC = [`${'*a'.repeat(24)}*b`, '(((a+)+)+)+b', `**/${'*a'.repeat(24)}*b/**`];

describe('hostile repositories and hook budgets', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  /** Commits config.json with `ignore` and files whose names make a backtracking matcher explode. */
  function hostileRepo(ignore: unknown): GitRepo {
    const long = 'a'.repeat(40);
    const repo = scratch.repo({
      '.codemap/config.json': `${JSON.stringify({ ignore })}\n`,
      'src/main.ts': 'export const main = 1;\n',
      [`src/${long}.ts`]: 'export const a = 1;\n',
      [`src/${long}/${long}.ts`]: 'export const b = 1;\n',
      'file1.ts': 'export const one = 1;\n',
    });
    repo.write({
      'src/main.ts': 'export const main = 2;\n',
      [`src/${long}.ts`]: 'export const a = 2;\n',
      'file1.ts': 'export const one = 2;\n',
    });
    return repo;
  }

  it('handoff finishes on catastrophic ignore globs, reading them as .gitignore lines', () => {
    const repo = hostileRepo([...CATASTROPHIC, 'file(1).ts']);
    const res = cli(['--json', '--no-save'], repo.dir);
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout) as { delta: { changed: { path: string }[] } };
    const changed = doc.delta.changed.map((c) => c.path);
    // Nothing matches those globs; `file(1).ts` is a literal name, not an extglob for file1.ts.
    expect(changed).toEqual(expect.arrayContaining(['file1.ts', 'src/main.ts', `src/${'a'.repeat(40)}.ts`]));
  });

  it('handoff refuses an absurd ignore list with exit 2 and one line naming the key', () => {
    for (const ignore of [Array.from({ length: 1001 }, (_, i) => `f${i}`), ['*'.repeat(2000)]]) {
      const repo = hostileRepo(ignore);
      const res = cli(['--no-save'], repo.dir);
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
      expect(lines(res.stderr)).toHaveLength(1);
      expect(res.stderr).toMatch(/^handoff: "ignore" in \.codemap\/config\.json holds .* — /);
    }
  });

  it('hooks return within their budget in a repository with catastrophic globs and no saved handoff', () => {
    const repo = hostileRepo(CATASTROPHIC);
    const start = cli(['hook', 'session-start', '--budget-ms', '3000'], repo.dir, { input: '{"session_id":"h"}' });
    expect(start.code).toBe(0);
    expect(start.ms).toBeLessThan(3_000 + SLACK_MS);
    const stop = cli(['hook', 'session-stop', '--budget-ms', '3000'], repo.dir, { input: '{"session_id":"h"}' });
    expect(stop.code).toBe(0);
    expect(stop.ms).toBeLessThan(3_000 + SLACK_MS);
    expect(lines(stop.stderr).length).toBeLessThanOrEqual(1);
  });

  it('a synchronous hang in the work is cut at the budget: start prints what it has, stop one skipped line', () => {
    const repo = hostileRepo([]);
    expect(cli([], repo.dir).code).toBe(0);
    const start = cli(['hook', 'session-start', '--budget-ms', '2500'], repo.dir, { input: '{}', slowMs: 120_000 });
    expect(start.code).toBe(0);
    expect(start.ms).toBeLessThan(2_500 + SLACK_MS);
    expect(start.stderr).toBe('');
    // The saved handoff, as it is, when the worker got that far on a loaded machine.
    if (start.stdout !== '') expect(start.stdout).toMatch(/^Handoff for /);
    const stopArgs = ['hook', 'session-stop', '--budget-ms', '1000'];
    const stop = cli(stopArgs, repo.dir, { input: '{"session_id":"x"}', slowMs: 120_000 });
    expect(stop.code).toBe(0);
    expect(stop.ms).toBeLessThan(1_000 + SLACK_MS);
    expect(stop.stdout).toBe('');
    expect(lines(stop.stderr)).toEqual([expect.stringMatching(/^handoff: skipped: time budget of 1000 ms exceeded$/)]);
  });

  describe('budget values', () => {
    /** A repository with a saved handoff, so a briefing that ran at all starts with it. */
    function savedRepo(): GitRepo {
      const repo = hostileRepo([]);
      expect(cli([], repo.dir).code).toBe(0);
      return repo;
    }

    it('a budget beyond 2^31−1 ms is refused with a warning, not a timer that fires after 1 ms', () => {
      const repo = savedRepo();
      for (const budget of ['2147483648', '99999999999']) {
        const res = cli(['hook', 'session-start', '--budget-ms', budget], repo.dir, { input: '{}' });
        expect(res.code).toBe(0);
        expect(lines(res.stderr)).toEqual([
          `handoff: warning: --budget-ms "${budget}" is not ${RANGE}; using the default 2000 ms`,
        ]);
        // A timer that fired after 1 ms printed nothing at all.
        expect(res.stdout).toMatch(/^Handoff for /);
      }
      const max = cli(['hook', 'session-start', '--budget-ms', '2147483647'], repo.dir, { input: '{}' });
      expect(max.code).toBe(0);
      expect(max.stderr).toBe('');
      expect(max.stdout).toMatch(/^Handoff for /);
    });

    it('a malformed budget from the flag or the environment is a one-line warning and the default', () => {
      const repo = savedRepo();
      const cases: [string[], NodeJS.ProcessEnv, string][] = [
        [['--budget-ms', 'abc'], {}, '--budget-ms "abc"'],
        [['--budget-ms', '0'], {}, '--budget-ms "0"'],
        [['--budget-ms', '1.5'], {}, '--budget-ms "1.5"'],
        [[], { HANDOFF_HOOK_BUDGET_MS: '-5' }, 'HANDOFF_HOOK_BUDGET_MS "-5"'],
        [[], { HANDOFF_HOOK_BUDGET_MS: '' }, 'HANDOFF_HOOK_BUDGET_MS ""'],
      ];
      for (const [args, env, shown] of cases) {
        for (const kind of ['session-start', 'session-stop']) {
          const res = cli(['hook', kind, ...args], repo.dir, { input: '{}', env });
          expect(res.code, `${kind} ${shown}`).toBe(0);
          expect(lines(res.stderr), `${kind} ${shown}`).toEqual([
            `handoff: warning: ${shown} is not ${RANGE}; using the default ${kind === 'session-start' ? 2000 : 10000} ms`,
          ]);
        }
      }
    });

    it('a config budget out of range is a warning and the default', () => {
      const repo = scratch.repo({
        '.codemap/config.json': `${JSON.stringify({ hooks: { start_budget_ms: 1e12 } })}\n`,
        'src/main.ts': 'export const main = 1;\n',
      });
      repo.write({ 'src/main.ts': 'export const main = 2;\n' });
      expect(cli([], repo.dir).code).toBe(0);
      const res = cli(['hook', 'session-start'], repo.dir, { input: '{}' });
      expect(res.code).toBe(0);
      expect(lines(res.stderr)).toEqual([
        'handoff: warning: hooks.start_budget_ms in .codemap/config.json is out of range; using the default 2000 ms',
      ]);
      expect(res.stdout).toMatch(/^Handoff for /);
    });
  });

  it('session-start --format json prints at most 3,000 bytes, escaping included, and valid JSON', () => {
    // Quotes double under JSON escaping: thirteen long names of quotes make a briefing near
    // 3,000 bytes of text and twice that as JSON.
    const repo = scratch.repo({ 'README.md': '# quotes\n' });
    const tree: Record<string, string> = {};
    for (let i = 0; i < 13; i++) tree[`q/${'"'.repeat(180)}-${i}.ts`] = `export const v${i} = ${i};\n`;
    repo.write(tree);
    expect(cli([], repo.dir).code).toBe(0);
    const text = cli(['hook', 'session-start', '--budget-ms', '30000'], repo.dir, { input: '{}' });
    expect(text.code).toBe(0);
    expect(bytes(text.stdout)).toBeLessThanOrEqual(3_000);
    const json = cli(['hook', 'session-start', '--format', 'json', '--budget-ms', '30000'], repo.dir, { input: '{}' });
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(bytes(json.stdout)).toBeLessThanOrEqual(3_000);
    const doc = JSON.parse(json.stdout) as { hookSpecificOutput: { additionalContext: string } };
    expect(doc.hookSpecificOutput.additionalContext).toMatch(/^Handoff for /);
    expect(doc.hookSpecificOutput.additionalContext).toMatch(
      /… truncated: \d+ more lines over the \d+-byte budget\n$/u,
    );
    expect(bytes(text.stdout)).toBeGreaterThan(2_000);
  });
});
