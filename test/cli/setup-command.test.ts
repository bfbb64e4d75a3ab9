// `handoff setup` and `handoff doctor` (issues 4 and 7) through the whole CLI in-process
// (test/support/in-process.ts), on real repositories, real settings files and a home of each
// test's own (setup and doctor read HOME, CLAUDE_CONFIG_DIR and CODEX_HOME from the env they
// are given): merging into Claude Code and Codex settings without losing anything,
// idempotence, backups, --local / --global / --dry-run / --nudge / --claims, git hooks that
// chain an existing hook and respect core.hooksPath, --remove, a user's file kept byte for
// byte, refusals, linked worktrees, and doctor's checks: what it reports, never starting a
// program a cloned repository names, counting only the contexts the viewer may see.
// Real processes (the installed hooks run through /bin/sh, the background refresh, exit
// statuses): test/e2e/setup.test.ts and test/e2e/setup-trust.test.ts.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tree } from '../../fixtures/git-repo.js';
import { listCodexHooks } from '../../src/setup/codex-trust.js';
import { BIN, execGit, expectFailure, Scratch, type CliResult, type GitRepo } from '../e2e/helpers.js';
import { runInProcess } from '../support/in-process.js';
import {
  expectOurShape,
  expectSetupOk as ok,
  FOREIGN,
  FOREIGN_TEXT,
  isExecutable,
  lines,
  ORIGINAL_POST_COMMIT,
  readJson,
  setupWorld,
  snapshot,
  type Json,
} from '../support/setup-world.js';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

describe('handoff setup and doctor in-process', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  interface World {
    repo: GitRepo;
    home: string;
    run: (...args: string[]) => Promise<CliResult>;
  }

  function world(options: { claudeSettings?: boolean; postCommit?: string } = {}): World {
    const { repo, home, env } = setupWorld(scratch, options);
    return { repo, home, run: (...args) => runInProcess(args, { cwd: repo.dir, env }) };
  }

  describe('setup --agent claude', () => {
    it('merges into existing settings, keeping foreign hooks and settings, with a backup, in the shape Claude Code reads', async () => {
      const { repo, run } = world({ claudeSettings: true });
      const path = join(repo.dir, '.claude', 'settings.json');
      const out = ok(await run('setup', '--agent', 'claude'), 'setup').stdout;
      expect(out).toContain('.claude/settings.json');

      const settings = readJson(path);
      expect(settings.permissions).toEqual(FOREIGN.permissions);
      expect(settings.model).toBe('opus');
      expect(settings.hooks.PreToolUse[0]).toEqual(FOREIGN.hooks.PreToolUse[0]);
      expect(settings.hooks.Stop[0]).toEqual(FOREIGN.hooks.Stop[0]);
      expectOurShape(settings, ['SessionStart', 'Stop', 'SessionEnd'], 'claude-code');

      // A backup of the file as it was, under .codemap/backups/.
      const backups = join(repo.dir, '.codemap', 'backups', '.claude');
      const saved = readdirSync(backups).filter((f) => f.startsWith('settings.json'));
      expect(saved).toHaveLength(1);
      expect(readFileSync(join(backups, saved[0]!), 'utf8')).toBe(FOREIGN_TEXT);
      expect(out).toContain(saved[0]!);
    });

    it('does not leave the backup folder untracked in git status', async () => {
      const { repo, run } = world({ claudeSettings: true });
      ok(await run('setup', '--agent', 'claude'), 'setup');
      expect(existsSync(join(repo.dir, '.codemap', 'backups'))).toBe(true);
      expect(execGit(repo.dir, 'status', '--porcelain')).toBe(' M .claude/settings.json\n');
    });

    it('is idempotent: a second run changes no byte and says so', async () => {
      const { repo, home, run } = world({ claudeSettings: true });
      ok(await run('setup'), 'first setup');
      const before = { repo: snapshot(repo.dir), home: snapshot(home) };
      const second = ok(await run('setup'), 'second setup');
      expect(second.stdout).toMatch(/nothing to change/i);
      expect(snapshot(repo.dir)).toEqual(before.repo);
      expect(snapshot(home)).toEqual(before.home);
    });

    it('--local writes .claude/settings.local.json only', async () => {
      const { repo, run } = world();
      ok(await run('setup', '--agent', 'claude', '--local'), 'setup --local');
      expect(existsSync(join(repo.dir, '.claude', 'settings.json'))).toBe(false);
      expectOurShape(
        readJson(join(repo.dir, '.claude', 'settings.local.json')),
        ['SessionStart', 'Stop', 'SessionEnd'],
        'claude-code',
      );
    });

    it('--global writes $HOME/.claude/settings.json and $HOME/.codex/hooks.json, nothing in the repository', async () => {
      const { repo, home, run } = world();
      const before = snapshot(repo.dir);
      ok(await run('setup', '--agent', 'claude', '--agent', 'codex', '--global'), 'setup --global');
      expectOurShape(
        readJson(join(home, '.claude', 'settings.json')),
        ['SessionStart', 'Stop', 'SessionEnd'],
        'claude-code',
      );
      expectOurShape(readJson(join(home, '.codex', 'hooks.json')), ['SessionStart', 'Stop', 'SessionEnd'], 'codex');
      expect(snapshot(repo.dir)).toEqual(before);
      ok(await run('setup', '--agent', 'claude,codex', '--global', '--remove'), 'setup --global --remove');
      expect(existsSync(join(home, '.claude', 'settings.json'))).toBe(false);
      expect(existsSync(join(home, '.codex', 'hooks.json'))).toBe(false);
    });

    it('--dry-run prints the plan and changes no file', async () => {
      const { repo, home, run } = world({ claudeSettings: true, postCommit: ORIGINAL_POST_COMMIT('/dev/null') });
      const before = { repo: snapshot(repo.dir), home: snapshot(home) };
      const res = ok(await run('setup', '--dry-run'), 'setup --dry-run');
      expect(res.stdout).toMatch(/dry run/i);
      for (const mention of [
        '.claude/settings.json',
        '.codex/hooks.json',
        'post-checkout',
        'post-merge',
        'post-commit',
        'post-commit.pre-handoff',
        'hook session-start',
      ]) {
        expect(res.stdout, mention).toContain(mention);
      }
      expect(snapshot(repo.dir)).toEqual(before.repo);
      expect(snapshot(home)).toEqual(before.home);
      const json = ok(await run('setup', '--dry-run', '--json'), 'setup --dry-run --json');
      const plan = JSON.parse(json.stdout) as { dry_run: boolean; edits: { path: string; action: string }[] };
      expect(plan.dry_run).toBe(true);
      expect(plan.edits.length).toBeGreaterThanOrEqual(5);
      expect(snapshot(repo.dir)).toEqual(before.repo);
    });
  });

  describe('setup --agent codex', () => {
    it('creates .codex/hooks.json with SessionStart, Stop, SessionEnd and PreToolUse, and says how to trust them in Codex', async () => {
      const { repo, run } = world();
      const res = ok(await run('setup', '--agent', 'codex'), 'setup --agent codex');
      const hooks = readJson(join(repo.dir, '.codex', 'hooks.json'));
      expect(Object.keys(hooks)).toEqual(['hooks']);
      expect(Object.keys(hooks.hooks).sort()).toEqual(['PreToolUse', 'SessionEnd', 'SessionStart', 'Stop']);
      expectOurShape(hooks, ['SessionStart', 'Stop', 'SessionEnd'], 'codex');
      const command = `'${process.execPath}' '${BIN}' hook pre-edit --agent codex`;
      expect(hooks.hooks.PreToolUse).toEqual([
        { matcher: 'apply_patch', hooks: [{ type: 'command', command, timeout: 5 }] },
      ]);
      expect(res.stderr).toContain('/hooks');
      expect(res.stderr).toContain(`[projects.${JSON.stringify(repo.dir)}]`);
      expect(res.stderr).toContain('trust_level = "trusted"');
      const json = JSON.parse((await run('setup', '--agent', 'codex', '--nudge', 'block', '--json')).stdout) as {
        notes: string[];
      };
      expect(json.notes.join('\n')).toContain('/hooks');
      expect(existsSync(join(repo.dir, '.claude'))).toBe(false);
    });

    it('keeps the Codex pre-edit hook warn-only: enforce says so, off and --remove take it out, a rerun adds it back', async () => {
      const { repo, run } = world();
      const path = join(repo.dir, '.codex', 'hooks.json');
      const preEdit = (): Json[] | undefined => readJson(path).hooks.PreToolUse as Json[] | undefined;
      const enforce = await run('setup', '--agent', 'codex', '--claims', 'enforce');
      expect(enforce.code, enforce.stderr).toBe(0);
      expect(enforce.stderr).toContain("Codex takes no 'ask'");
      const installed = readFileSync(path, 'utf8');
      expect(JSON.stringify(preEdit())).not.toContain('--claims');
      // A setup from before Codex had the hook: PreToolUse is missing, a rerun adds it and changes nothing else.
      ok(await run('setup', '--agent', 'codex', '--claims', 'off'), 'setup --claims off');
      expect(preEdit()).toBeUndefined();
      expect(Object.keys(readJson(path).hooks).sort()).toEqual(['SessionEnd', 'SessionStart', 'Stop']);
      ok(await run('setup', '--agent', 'codex'), 'setup again');
      expect(readFileSync(path, 'utf8')).toBe(installed);
      expect(ok(await run('setup', '--agent', 'codex'), 'setup a third time').stdout).toMatch(/nothing to change/i);
      const doctor = JSON.parse((await run('doctor', '--json')).stdout) as {
        checks: { name: string; detail: string }[];
      };
      const check = doctor.checks.find((c) => c.name === 'codex claims hook');
      expect(check?.detail).toBe(`pre-edit (warn) in ${path}`);
      ok(await run('setup', '--agent', 'codex', '--remove'), 'setup --remove');
      expect(existsSync(path)).toBe(false);
    });
  });

  describe('setup --agent git', () => {
    it('creates executable post-checkout, post-merge and post-commit hooks', async () => {
      const { repo, run } = world();
      ok(await run('setup', '--agent', 'git'), 'setup --agent git');
      for (const name of ['post-checkout', 'post-merge', 'post-commit']) {
        const path = join(repo.dir, '.git', 'hooks', name);
        expect(isExecutable(path), name).toBe(true);
        const text = readFileSync(path, 'utf8');
        expect(text.startsWith('#!/bin/sh\n')).toBe(true);
        expect(text).toContain(`'${process.execPath}' '${BIN}'`);
      }
      expect(existsSync(join(repo.dir, '.claude'))).toBe(false);
      expect(existsSync(join(repo.dir, '.codex'))).toBe(false);
    });

    it('respects core.hooksPath', async () => {
      const { repo, run } = world();
      repo.git('config', 'core.hooksPath', '.githooks');
      ok(await run('setup', '--agent', 'git'), 'setup --agent git');
      for (const name of ['post-checkout', 'post-merge', 'post-commit']) {
        expect(isExecutable(join(repo.dir, '.githooks', name)), name).toBe(true);
        expect(existsSync(join(repo.dir, '.git', 'hooks', name)), name).toBe(false);
      }
      const doctor = JSON.parse((await run('doctor', '--json')).stdout) as {
        checks: { name: string; status: string; detail: string }[];
      };
      const git = doctor.checks.find((c) => c.name === 'git hooks')!;
      expect(git.status).toBe('ok');
      expect(git.detail).toContain('.githooks');
    });
  });

  describe('setup --remove', () => {
    it('takes out exactly what setup added', async () => {
      const marker = join(scratch.dir(), 'marker.log');
      const original = ORIGINAL_POST_COMMIT(marker);
      const { repo, run } = world({ claudeSettings: true, postCommit: original });
      const hooks = join(repo.dir, '.git', 'hooks');
      const settings = join(repo.dir, '.claude', 'settings.json');
      ok(await run('setup'), 'setup');
      expect(existsSync(join(repo.dir, '.codex', 'hooks.json'))).toBe(true);

      ok(await run('setup', '--remove'), 'setup --remove');
      expect(readJson(settings)).toEqual(FOREIGN);
      expect(existsSync(join(repo.dir, '.codex', 'hooks.json'))).toBe(false);
      expect(existsSync(join(repo.dir, '.codex'))).toBe(false);
      expect(readFileSync(join(hooks, 'post-commit'), 'utf8')).toBe(original);
      expect(isExecutable(join(hooks, 'post-commit'))).toBe(true);
      expect(existsSync(join(hooks, 'post-commit.pre-handoff'))).toBe(false);
      expect(existsSync(join(hooks, 'post-checkout'))).toBe(false);
      expect(existsSync(join(hooks, 'post-merge'))).toBe(false);

      // Nothing of ours is left: a second remove changes nothing.
      const again = ok(await run('setup', '--remove'), 'second setup --remove');
      expect(again.stdout).toMatch(/nothing to change/i);
    });
  });

  describe('doctor', () => {
    const doctorJson = async (run: World['run']): Promise<{ code: number; ok: boolean; checks: Check[] }> => {
      const res = await run('doctor', '--json');
      const doc = JSON.parse(res.stdout) as { ok: boolean; checks: Check[] };
      expect(typeof doc.ok).toBe('boolean');
      for (const c of doc.checks) {
        expect(['ok', 'warn', 'fail']).toContain(c.status);
        expect(typeof c.name).toBe('string');
        expect(typeof c.detail).toBe('string');
        if (c.status !== 'ok') expect(typeof c.fix, c.name).toBe('string');
      }
      return { code: res.code, ...doc };
    };
    const byName = (checks: Check[]): Record<string, Check> => Object.fromEntries(checks.map((c) => [c.name, c]));

    it('in a fresh repository: exit 0, warnings for the hooks not installed, each with its fix', async () => {
      const { run } = world();
      const res = await run('doctor');
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toBe('');
      const out = lines(res.stdout);
      for (const [name, fix] of [
        ['claude hooks', 'handoff setup --agent claude'],
        ['codex hooks', 'handoff setup --agent codex'],
        ['git hooks', 'handoff setup --agent git'],
      ]) {
        const line = out.find((l) => l.includes(`${name} —`));
        expect(line, name).toMatch(/^warn\s/);
        expect(line).toContain(`(fix: ${fix})`);
      }
      expect(out.some((l) => l.startsWith('fail'))).toBe(false);
      const doc = await doctorJson(run);
      expect(doc.code).toBe(0);
      expect(doc.ok).toBe(true);
    });

    it('after setup and one handoff run: every check ok once Codex trusts the hooks, exit 0', async () => {
      const { repo, home, run } = world();
      ok(await run('setup'), 'setup');
      ok(await run(), 'handoff');
      // Codex skips them until the project and each hook are trusted (item 15): warn, then trust as /hooks does.
      expect(byName((await doctorJson(run)).checks)['codex trust']).toMatchObject({ status: 'warn' });
      const hooksFile = join(repo.dir, '.codex', 'hooks.json');
      const trust = listCodexHooks(hooksFile, readFileSync(hooksFile, 'utf8')).map(
        (h) => `[hooks.state.${JSON.stringify(h.key)}]\ntrusted_hash = "${h.hash}"\n`,
      );
      mkdirSync(join(home, '.codex'), { recursive: true });
      writeFileSync(
        join(home, '.codex', 'config.toml'),
        `[projects.${JSON.stringify(repo.dir)}]\ntrust_level = "trusted"\n${trust.join('')}`,
      );
      const res = await run('doctor');
      expect(res.code, res.stdout + res.stderr).toBe(0);
      for (const line of lines(res.stdout)) expect(line).toMatch(/^ok\s/);
      const doc = await doctorJson(run);
      expect(doc.ok).toBe(true);
      expect(doc.checks.map((c) => [c.name, c.status])).toEqual(doc.checks.map((c) => [c.name, 'ok']));
      expect(Object.keys(byName(doc.checks))).toEqual(
        expect.arrayContaining([
          'repository',
          'claude hooks',
          'codex hooks',
          'codex trust',
          'git hooks',
          'exclude',
          'base ref',
          'context store',
          'artifact',
        ]),
      );
    });

    it('fails, with exit 1 and the fix, when a hook command points at a missing binary', async () => {
      const { repo, run } = world();
      ok(await run('setup', '--agent', 'claude'), 'setup');
      const path = join(repo.dir, '.claude', 'settings.json');
      writeFileSync(path, readFileSync(path, 'utf8').split(BIN).join('/nonexistent/handoff/bin/handoff.js'));
      const res = await run('doctor');
      expect(res.code).toBe(1);
      const line = lines(res.stdout).find((l) => l.includes('claude hooks —'));
      expect(line).toMatch(/^fail\s/);
      expect(line).toContain('/nonexistent/handoff/bin/handoff.js');
      expect(line).toContain('(fix: handoff setup --agent claude)');
      expect(lines(res.stderr)).toHaveLength(1);
      expect(res.stderr).toMatch(/^handoff: /);
      const doc = await doctorJson(run);
      expect(doc.code).toBe(1);
      expect(doc.ok).toBe(false);
      expect(byName(doc.checks)['claude hooks']).toMatchObject({ status: 'fail', fix: 'handoff setup --agent claude' });
      // The fix it names does repair it.
      ok(await run('setup', '--agent', 'claude'), 'setup again');
      expect(byName((await doctorJson(run)).checks)['claude hooks']!.status).toBe('ok');
    });

    it('fails on a corrupt context store, naming `handoff context repair`', async () => {
      const { repo, run } = world();
      ok(await run('context', 'publish', '--title', 'Some work', '--file', 'src/main.ts'), 'publish');
      const active = join(repo.dir, '.git', 'codemap-handoff', 'active.json');
      writeFileSync(active, 'garbage{\n');
      const doc = await doctorJson(run);
      expect(doc.code).toBe(1);
      expect(byName(doc.checks)['context store']).toMatchObject({ status: 'fail', fix: 'handoff context repair' });
      const res = await run('doctor');
      expect(res.code).toBe(1);
      expect(readFileSync(active, 'utf8')).toBe('garbage{\n');
      const out = lines(res.stdout);
      const line = out.find((l) => l.includes('context store —'));
      expect(line).toMatch(/^fail\s/);
      // One line per check, with its fix on that line (the parse error's text must not break it).
      expect(
        out.every((l) => /^(ok|warn|fail)\s/.test(l)),
        res.stdout,
      ).toBe(true);
      expect(line).toContain('(fix: handoff context repair)');
    });

    it('changes nothing, whatever it finds', async () => {
      const { repo, home, run } = world({ claudeSettings: true });
      const check = async (): Promise<void> => {
        const before = { repo: snapshot(repo.dir), home: snapshot(home) };
        await run('doctor');
        await run('doctor', '--json');
        expect(snapshot(repo.dir)).toEqual(before.repo);
        expect(snapshot(home)).toEqual(before.home);
      };
      await check(); // fresh: no .codemap, no store
      ok(await run('setup'), 'setup');
      ok(await run(), 'handoff');
      ok(await run('context', 'publish', '--title', 'Some work', '--file', 'src/main.ts'), 'publish');
      await check(); // installed
      writeFileSync(join(repo.dir, '.git', 'codemap-handoff', 'active.json'), 'garbage{\n');
      writeFileSync(join(repo.dir, '.codemap', 'handoff.latest.json'), '{ broken');
      await check(); // corrupt store and artifact
    });
  });
});

describe('setup and doctor against hostile repositories and odd homes, in-process', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  type Run = (env: NodeJS.ProcessEnv, ...args: string[]) => Promise<CliResult>;
  const world = (tree: Tree = {}): { dir: string; home: string; run: Run } => {
    const repo = scratch.repo({ 'README.md': '# r\n', ...tree });
    const home = scratch.dir('handoff-home-');
    return {
      dir: repo.dir,
      home,
      run: (env, ...args) => runInProcess(args, { cwd: repo.dir, env: { HOME: home, ...env } }),
    };
  };
  const doctor = async (run: Run, env: NodeJS.ProcessEnv = {}): Promise<Record<string, Check>> => {
    const res = await run(env, 'doctor', '--json');
    const doc = JSON.parse(res.stdout) as { checks: Check[] };
    return Object.fromEntries(doc.checks.map((c) => [c.name, c]));
  };

  describe('doctor runs only what it verified is handoff (item 2)', () => {
    it('a committed settings file naming a repository script: the script is not run, the entry is reported foreign', async () => {
      const marker = join(scratch.dir(), 'ran');
      const script = `#!/bin/sh\necho pwned > '${marker}'\n`;
      const command = `'tools/x.sh' 'README' handoff.js hook session-start --format json`;
      const settings = { hooks: { SessionStart: [{ hooks: [{ type: 'command', command }] }] } };
      const { dir, run } = world({ 'tools/x.sh': script, '.claude/settings.json': JSON.stringify(settings, null, 2) });
      chmodSync(join(dir, 'tools', 'x.sh'), 0o755);
      const res = await run({}, 'doctor');
      expect(existsSync(marker)).toBe(false);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/^fail\s+claude hooks — .*settings\.json has a foreign hook command \(not run\)/m);
    });

    it('an absolute path to a fake codemap-handoff package committed in the repository is foreign too', async () => {
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
      const checks = await doctor(run);
      expect(existsSync(marker)).toBe(false);
      expect(checks['codex hooks']).toMatchObject({ status: 'fail' });
      expect(checks['codex hooks']!.detail).toContain('inside the repository');
    });

    it('our own bin under another program (not the node running doctor) is foreign and not run', async () => {
      const { dir, run } = world();
      const command = `'/bin/sh' '${BIN}' hook session-start --format json`;
      mkdirSync(join(dir, '.claude'));
      writeFileSync(
        join(dir, '.claude', 'settings.json'),
        JSON.stringify({ hooks: { SessionStart: [{ hooks: [{ type: 'command', command }] }] } }),
      );
      const check = (await doctor(run))['claude hooks']!;
      expect(check.status).toBe('fail');
      expect(check.detail).toContain('not the node running doctor');
    });
  });

  it('doctor counts only the contexts the viewer may see (item 5)', async () => {
    const { run } = world({ 'src/a.ts': 'export const a = 1;\n' });
    for (const dev of ['alice', 'bob', 'carol']) {
      expect(
        (await run({ HANDOFF_DEVELOPER: dev }, 'context', 'publish', '--title', `${dev} work`, '--file', 'src/a.ts'))
          .code,
      ).toBe(0);
    }
    expect((await run({ HANDOFF_DEVELOPER: 'alice' }, 'context', 'visibility', 'private')).code).toBe(0);
    expect((await run({ HANDOFF_DEVELOPER: 'bob' }, 'context', 'visibility', 'private')).code).toBe(0);
    expect((await doctor(run, { HANDOFF_DEVELOPER: 'carol' }))['context store']!.detail).toMatch(
      /\(1 live contexts visible to carol\)$/,
    );
    expect((await doctor(run, { HANDOFF_DEVELOPER: 'alice' }))['context store']!.detail).toMatch(
      /\(2 live contexts visible to alice\)$/,
    );
  });

  describe('setup keeps the user file as it was (item 11)', () => {
    it('setup then --remove gives back a CRLF, 4-space, big-number, \\u-escaped file byte for byte', async () => {
      const text = '{\r\n    "big": 12345678901234567890,\r\n    "ratio": 1.0,\r\n    "name": "caf\\u00e9"\r\n}\r\n';
      const { dir, run } = world({ '.claude/settings.json': text });
      const path = join(dir, '.claude', 'settings.json');
      expect((await run({}, 'setup', '--agent', 'claude')).code).toBe(0);
      expect(readFileSync(path, 'utf8')).toContain('"ratio": 1.0,\r\n');
      expect((await run({}, 'setup', '--agent', 'claude', '--remove')).code).toBe(0);
      expect(readFileSync(path, 'utf8')).toBe(text);
    });

    it('respects a read-only settings file unless --force (mode bits, not EACCES: tests run as root)', async () => {
      const text = '{\n  "model": "opus"\n}\n';
      const { dir, run } = world({ '.claude/settings.json': text });
      const path = join(dir, '.claude', 'settings.json');
      chmodSync(path, 0o444);
      expectFailure(await run({}, 'setup', '--agent', 'claude'), 2, /read-only/);
      expect(readFileSync(path, 'utf8')).toBe(text);
      expect((await run({}, 'setup', '--agent', 'claude', '--force')).code).toBe(0);
      expect(readFileSync(path, 'utf8')).toContain('hook session-start');
      expect(statSync(path).mode & 0o777).toBe(0o444);
      expectFailure(await run({}, 'setup', '--agent', 'claude', '--remove'), 2, /read-only/);
      expect((await run({}, 'setup', '--agent', 'claude', '--remove', '--force')).code).toBe(0);
      expect(readFileSync(path, 'utf8')).toBe(text);
    });
  });

  it('--nudge is a setup option, kept by a later setup without it; a bad value is exit 2 (item 15)', async () => {
    const { dir, run } = world();
    const stop = (): string => {
      const settings = JSON.parse(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')) as {
        hooks: Record<string, { hooks: { command: string }[] }[]>;
      };
      return settings.hooks.Stop![0]!.hooks[0]!.command;
    };
    expect((await run({}, 'setup', '--agent', 'claude', '--nudge', 'block')).code).toBe(0);
    expect(stop()).toMatch(/hook session-stop --agent claude-code --nudge block$/);
    expect((await run({}, 'setup', '--agent', 'claude')).stdout).toMatch(/nothing to change/i);
    expect((await run({}, 'setup', '--agent', 'claude', '--nudge', 'system')).code).toBe(0);
    expect(stop()).toMatch(/--agent claude-code$/);
    expectFailure(await run({}, 'setup', '--agent', 'claude', '--nudge', 'loud'), 2, /--nudge/);
  });

  it('in a linked worktree, Codex hooks go to the primary checkout, where Codex reads them, and doctor checks there (item 16)', async () => {
    const { dir, home } = world();
    const worktree = join(scratch.dir(), 'linked');
    execGit(dir, 'worktree', 'add', '-q', '-b', 'side', worktree);
    const run = (...args: string[]): Promise<CliResult> => runInProcess(args, { cwd: worktree, env: { HOME: home } });
    // Before: hooks in the worktree's own .codex/ are not what Codex reads.
    mkdirSync(join(worktree, '.codex'));
    const stray = '{ "hooks": {} }\n';
    writeFileSync(join(worktree, '.codex', 'hooks.json'), stray);
    const res = await run('setup', '--agent', 'codex');
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(dir, '.codex', 'hooks.json'), 'utf8')).toContain('--agent codex');
    expect(readFileSync(join(worktree, '.codex', 'hooks.json'), 'utf8')).toBe(stray);
    expect(res.stderr).toContain(`[projects.${JSON.stringify(dir)}]`);
    const checks = JSON.parse((await run('doctor', '--json')).stdout) as { checks: Check[] };
    const codex = checks.checks.find((c) => c.name === 'codex hooks')!;
    expect(codex).toMatchObject({ status: 'ok' });
    expect(codex.detail).toContain(join(dir, '.codex', 'hooks.json'));
  });

  it('--global honours CLAUDE_CONFIG_DIR and CODEX_HOME, and doctor looks there (item 17)', async () => {
    const { home, run } = world();
    const claudeDir = scratch.dir('claude-config-');
    const codexHome = scratch.dir('codex-home-');
    const env = { CLAUDE_CONFIG_DIR: claudeDir, CODEX_HOME: codexHome };
    expect((await run(env, 'setup', '--agent', 'claude,codex', '--global')).code).toBe(0);
    expect(readFileSync(join(claudeDir, 'settings.json'), 'utf8')).toContain('--agent claude-code');
    expect(readFileSync(join(codexHome, 'hooks.json'), 'utf8')).toContain('--agent codex');
    expect(existsSync(join(home, '.claude'))).toBe(false);
    expect(existsSync(join(home, '.codex'))).toBe(false);
    const checks = await doctor(run, env);
    expect(checks['claude hooks']).toMatchObject({
      status: 'ok',
      detail: `installed in ${join(claudeDir, 'settings.json')}`,
    });
    expect(checks['codex hooks']).toMatchObject({
      status: 'ok',
      detail: `installed in ${join(codexHome, 'hooks.json')}`,
    });
    expect((await doctor(run))['codex hooks']!.status).toBe('warn');
  });
});
