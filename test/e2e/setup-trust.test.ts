// Issue 7 for `handoff setup` and `handoff doctor`, through the built CLI: doctor never
// starts a program a cloned repository names (item 2) and counts only the contexts the
// viewer may see (5); setup keeps the user's file as it was, refuses what it must not
// change (11), takes --nudge (15), writes Codex hooks where a worktree's Codex reads them
// (16) and honours CODEX_HOME / CLAUDE_CONFIG_DIR (17). Each test failed before its fix.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tree } from '../../fixtures/git-repo.js';
import { BIN, execGit, expectFailure, runCli, Scratch, type CliResult } from './helpers.js';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

describe('setup and doctor against hostile repositories and odd homes', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  const world = (
    tree: Tree = {},
  ): { dir: string; home: string; run: (env: NodeJS.ProcessEnv, ...args: string[]) => CliResult } => {
    const repo = scratch.repo({ 'README.md': '# r\n', ...tree });
    const home = scratch.dir('handoff-home-');
    return { dir: repo.dir, home, run: (env, ...args) => runCli(args, { cwd: repo.dir, env: { HOME: home, ...env } }) };
  };
  const doctor = (
    run: (env: NodeJS.ProcessEnv, ...args: string[]) => CliResult,
    env: NodeJS.ProcessEnv = {},
  ): Record<string, Check> => {
    const res = run(env, 'doctor', '--json');
    const doc = JSON.parse(res.stdout) as { checks: Check[] };
    return Object.fromEntries(doc.checks.map((c) => [c.name, c]));
  };

  describe('doctor runs only what it verified is handoff (item 2)', () => {
    it('a committed settings file naming a repository script: the script is not run, the entry is reported foreign', () => {
      const marker = join(scratch.dir(), 'ran');
      const script = `#!/bin/sh\necho pwned > '${marker}'\n`;
      const command = `'tools/x.sh' 'README' handoff.js hook session-start --format json`;
      const settings = { hooks: { SessionStart: [{ hooks: [{ type: 'command', command }] }] } };
      const { dir, run } = world({ 'tools/x.sh': script, '.claude/settings.json': JSON.stringify(settings, null, 2) });
      chmodSync(join(dir, 'tools', 'x.sh'), 0o755);
      const res = run({}, 'doctor');
      expect(existsSync(marker)).toBe(false);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/^fail\s+claude hooks — .*settings\.json has a foreign hook command \(not run\)/m);
    });

    it('an absolute path to a fake codemap-handoff package committed in the repository is foreign too', () => {
      const marker = join(scratch.dir(), 'ran');
      const fake = 'node_modules/codemap-handoff';
      const { dir, run } = world({
        [`${fake}/package.json`]: JSON.stringify({ name: 'codemap-handoff', bin: { handoff: 'bin/handoff.js' } }),
        [`${fake}/bin/handoff.js`]: `require('fs').writeFileSync(${JSON.stringify(marker)}, 'pwned');\n`,
      });
      const command = `'${process.execPath}' '${join(dir, fake, 'bin', 'handoff.js')}' hook session-start --format json`;
      mkdirSync(join(dir, '.codex'));
      writeFileSync(
        join(dir, '.codex', 'hooks.json'),
        JSON.stringify({ hooks: { SessionStart: [{ hooks: [{ type: 'command', command }] }] } }),
      );
      const checks = doctor(run);
      expect(existsSync(marker)).toBe(false);
      expect(checks['codex hooks']).toMatchObject({ status: 'fail' });
      expect(checks['codex hooks']!.detail).toContain('inside the repository');
    });

    it('our own bin under another program (not the node running doctor) is foreign and not run', () => {
      const { dir, run } = world();
      const command = `'/bin/sh' '${BIN}' hook session-start --format json`;
      mkdirSync(join(dir, '.claude'));
      writeFileSync(
        join(dir, '.claude', 'settings.json'),
        JSON.stringify({ hooks: { SessionStart: [{ hooks: [{ type: 'command', command }] }] } }),
      );
      const check = doctor(run)['claude hooks']!;
      expect(check.status).toBe('fail');
      expect(check.detail).toContain('not the node running doctor');
    });
  });

  it('doctor counts only the contexts the viewer may see (item 5)', () => {
    const { run } = world({ 'src/a.ts': 'export const a = 1;\n' });
    for (const dev of ['alice', 'bob', 'carol']) {
      expect(
        run({ HANDOFF_DEVELOPER: dev }, 'context', 'publish', '--title', `${dev} work`, '--file', 'src/a.ts').code,
      ).toBe(0);
    }
    expect(run({ HANDOFF_DEVELOPER: 'alice' }, 'context', 'visibility', 'private').code).toBe(0);
    expect(run({ HANDOFF_DEVELOPER: 'bob' }, 'context', 'visibility', 'private').code).toBe(0);
    expect(doctor(run, { HANDOFF_DEVELOPER: 'carol' })['context store']!.detail).toMatch(
      /\(1 live contexts visible to carol\)$/,
    );
    expect(doctor(run, { HANDOFF_DEVELOPER: 'alice' })['context store']!.detail).toMatch(
      /\(2 live contexts visible to alice\)$/,
    );
  });

  describe('setup keeps the user file as it was (item 11)', () => {
    it('setup then --remove gives back a CRLF, 4-space, big-number, \\u-escaped file byte for byte', () => {
      const text = '{\r\n    "big": 12345678901234567890,\r\n    "ratio": 1.0,\r\n    "name": "caf\\u00e9"\r\n}\r\n';
      const { dir, run } = world({ '.claude/settings.json': text });
      const path = join(dir, '.claude', 'settings.json');
      expect(run({}, 'setup', '--agent', 'claude').code).toBe(0);
      expect(readFileSync(path, 'utf8')).toContain('"ratio": 1.0,\r\n');
      expect(run({}, 'setup', '--agent', 'claude', '--remove').code).toBe(0);
      expect(readFileSync(path, 'utf8')).toBe(text);
    });

    it('refuses a hooks value of the wrong shape with exit 2, for setup and remove, file untouched', () => {
      const text = '{ "hooks": { "Stop": "echo hi" }, "model": "opus" }\n';
      const { dir, run } = world({ '.claude/settings.json': text });
      for (const args of [[], ['--remove']]) {
        expectFailure(run({}, 'setup', '--agent', 'claude', ...args), 2, /hooks\.Stop is not an array/);
        expect(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')).toBe(text);
      }
    });

    it('respects a read-only settings file unless --force (mode bits, not EACCES: tests run as root)', () => {
      const text = '{\n  "model": "opus"\n}\n';
      const { dir, run } = world({ '.claude/settings.json': text });
      const path = join(dir, '.claude', 'settings.json');
      chmodSync(path, 0o444);
      expectFailure(run({}, 'setup', '--agent', 'claude'), 2, /read-only/);
      expect(readFileSync(path, 'utf8')).toBe(text);
      expect(run({}, 'setup', '--agent', 'claude', '--force').code).toBe(0);
      expect(readFileSync(path, 'utf8')).toContain('hook session-start');
      expect(statSync(path).mode & 0o777).toBe(0o444);
      expectFailure(run({}, 'setup', '--agent', 'claude', '--remove'), 2, /read-only/);
      expect(run({}, 'setup', '--agent', 'claude', '--remove', '--force').code).toBe(0);
      expect(readFileSync(path, 'utf8')).toBe(text);
    });
  });

  it("a committed .codemap symlink cannot send setup's backup outside the repository", () => {
    const outside = scratch.dir('outside-');
    const text = '{\n  "model": "opus"\n}\n';
    const { dir, run } = world({ '.claude/settings.json': text, '.codemap': { symlink: outside } });
    expectFailure(run({}, 'setup', '--agent', 'claude,git'), 1, /\.codemap in .* is a symlink/);
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')).toBe(text);
    expect(existsSync(join(dir, '.git', 'hooks', 'post-commit'))).toBe(false);
  });

  it('--nudge is a setup option, kept by a later setup without it; a bad value is exit 2 (item 15)', () => {
    const { dir, run } = world();
    const stop = (): string => {
      const settings = JSON.parse(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')) as {
        hooks: Record<string, { hooks: { command: string }[] }[]>;
      };
      return settings.hooks.Stop![0]!.hooks[0]!.command;
    };
    expect(run({}, 'setup', '--agent', 'claude', '--nudge', 'block').code).toBe(0);
    expect(stop()).toMatch(/hook session-stop --agent claude-code --nudge block$/);
    expect(run({}, 'setup', '--agent', 'claude').stdout).toMatch(/nothing to change/i);
    expect(run({}, 'setup', '--agent', 'claude', '--nudge', 'system').code).toBe(0);
    expect(stop()).toMatch(/--agent claude-code$/);
    expectFailure(run({}, 'setup', '--agent', 'claude', '--nudge', 'loud'), 2, /--nudge/);
  });

  it('in a linked worktree, Codex hooks go to the primary checkout, where Codex reads them, and doctor checks there (item 16)', () => {
    const { dir, home } = world();
    const worktree = join(scratch.dir(), 'linked');
    execGit(dir, 'worktree', 'add', '-q', '-b', 'side', worktree);
    const run = (...args: string[]): CliResult => runCli(args, { cwd: worktree, env: { HOME: home } });
    // Before: hooks in the worktree's own .codex/ are not what Codex reads.
    mkdirSync(join(worktree, '.codex'));
    const stray = '{ "hooks": {} }\n';
    writeFileSync(join(worktree, '.codex', 'hooks.json'), stray);
    const res = run('setup', '--agent', 'codex');
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(dir, '.codex', 'hooks.json'), 'utf8')).toContain('--agent codex');
    expect(readFileSync(join(worktree, '.codex', 'hooks.json'), 'utf8')).toBe(stray);
    expect(res.stderr).toContain(`[projects.${JSON.stringify(dir)}]`);
    const checks = JSON.parse(run('doctor', '--json').stdout) as { checks: Check[] };
    const codex = checks.checks.find((c) => c.name === 'codex hooks')!;
    expect(codex).toMatchObject({ status: 'ok' });
    expect(codex.detail).toContain(join(dir, '.codex', 'hooks.json'));
  });

  it('--global honours CLAUDE_CONFIG_DIR and CODEX_HOME, and doctor looks there (item 17)', () => {
    const { home, run } = world();
    const claudeDir = scratch.dir('claude-config-');
    const codexHome = scratch.dir('codex-home-');
    const env = { CLAUDE_CONFIG_DIR: claudeDir, CODEX_HOME: codexHome };
    expect(run(env, 'setup', '--agent', 'claude,codex', '--global').code).toBe(0);
    expect(readFileSync(join(claudeDir, 'settings.json'), 'utf8')).toContain('--agent claude-code');
    expect(readFileSync(join(codexHome, 'hooks.json'), 'utf8')).toContain('--agent codex');
    expect(existsSync(join(home, '.claude'))).toBe(false);
    expect(existsSync(join(home, '.codex'))).toBe(false);
    const checks = doctor(run, env);
    expect(checks['claude hooks']).toMatchObject({
      status: 'ok',
      detail: `installed in ${join(claudeDir, 'settings.json')}`,
    });
    expect(checks['codex hooks']).toMatchObject({
      status: 'ok',
      detail: `installed in ${join(codexHome, 'hooks.json')}`,
    });
    expect(doctor(run)['codex hooks']!.status).toBe('warn');
  });
});
