// In-process (the whole CLI, test/support/in-process.ts): input the CLI must judge the same way wherever it comes from — every
// invalid `.codemap/config.json` value is a usage error (exit 2) naming the file and key,
// numeric flags take decimal digits only, an empty identity source falls through, and
// an empty repository is described against HEAD.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifact } from '../../src/schema/artifact.js';
import { context } from '../../src/schema/context.js';
import { expectFailure, FIXED_NOW, parseWith, Scratch } from '../e2e/helpers.js';
import { runInProcess as runCli } from '../support/in-process.js';

const env = { HANDOFF_NOW: FIXED_NOW };

describe('cli input: .codemap/config.json', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  const BAD: [string, string, RegExp][] = [
    ['{"ignore": "not-a-list"}', 'ignore', /at ignore:/],
    ['{"ignore": ["ok", 5]}', 'ignore item', /at ignore\.1:/],
    ['{"since": "abc"}', 'since', /at since:.*abc/],
    ['{"since": 5}', 'since type', /at since:/],
    ['{"base_ref": ""}', 'empty base_ref', /at base_ref:/],
    ['{"developer": 7}', 'developer', /at developer:/],
    ['{"budgets": {"max_changed": 0}}', 'budget zero', /at budgets\.max_changed:/],
    ['{"budgets": {"max_changed": 1.5}}', 'budget fraction', /at budgets\.max_changed:/],
    ['{"budgets": "big"}', 'budgets type', /at budgets:/],
    ['{"hooks": {"start_budget_ms": -5}}', 'hook budget', /at hooks\.start_budget_ms:/],
    ['{"schema_version": 2}', 'schema_version', /at schema_version:/],
    ['{"only": "go"}', 'only', /at only:/],
    ['{"exclude": ["a", 3]}', 'exclude item', /at exclude\.1:/],
    ['{"exclude": ["[*.go"]}', 'exclude glob', /at exclude\.0:.*not a valid glob/],
    ['[1, 2]', 'not an object', /whole file/],
    ['{"since": "6h",', 'bad JSON', /not valid JSON/],
  ];

  it.each(BAD)('%s (%s) exits 2 with one line naming the file and the key', async (text, _name, mention) => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    writeFileSync(join(repo.dir, '.codemap', 'config.json'), `${text}\n`);
    for (const args of [[], ['--json'], ['context', 'get', '--as', 'a']]) {
      const res = await runCli(args, { cwd: repo.dir, env });
      expectFailure(res, 2, /\.codemap\/config\.json/);
      expect(res.stderr).toMatch(mention);
    }
  });
});

describe('cli input: numeric flags and identity', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('--ttl-hours takes decimal digits only: 0x10, 1e1, +16, " 16" and 16. exit 2', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    for (const ttl of ['0x10', '1e1', '+16', ' 16', '16.', '0b11', '16h']) {
      expectFailure(
        await runCli(['context', 'publish', '--as', 'a', '--title', 't', '--ttl-hours', ttl], { cwd: repo.dir, env }),
        2,
        /ttl-hours/,
      );
    }
    const ok = await runCli(['context', 'publish', '--as', 'a', '--title', 't', '--ttl-hours', '16', '--json'], {
      cwd: repo.dir,
      env,
    });
    expect(ok.code, ok.stderr).toBe(0);
    const ctx = parseWith(context, ok.stdout);
    expect(Date.parse(ctx.expires_at) - Date.parse(ctx.published_at)).toBe(16 * 3_600_000);
  });

  it('an empty or blank HANDOFF_DEVELOPER falls through to config developer, then git user.email', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    for (const value of ['', '   ']) {
      const res = await runCli(['context', 'publish', '--title', 't', '--json'], {
        cwd: repo.dir,
        env: { ...env, HANDOFF_DEVELOPER: value },
      });
      expect(res.code, res.stderr).toBe(0);
      expect(parseWith(context, res.stdout).developer).toBe('fixture@example.com');
    }
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    writeFileSync(join(repo.dir, '.codemap', 'config.json'), '{"developer": "from-config"}\n');
    const res = await runCli(['context', 'publish', '--title', 't', '--json'], {
      cwd: repo.dir,
      env: { ...env, HANDOFF_DEVELOPER: '' },
    });
    expect(res.code, res.stderr).toBe(0);
    expect(parseWith(context, res.stdout).developer).toBe('from-config');
  });
});

describe('cli input: an empty repository', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('says it compared against HEAD, not against the unborn branch', async () => {
    const repo = scratch.repo();
    const res = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    const a = parseWith(artifact, res.stdout);
    expect(a.branch).toBe('main');
    expect(a.base_ref).toBe('HEAD');
    expect(a.open_questions.join('\n')).toContain('compared against HEAD');
    expect(a.open_questions.join('\n')).not.toMatch(/against main|vs main/);
    const md = await runCli(['--no-save'], { cwd: repo.dir, env });
    expect(md.stdout).not.toMatch(/against main|vs main/);
  });
});
