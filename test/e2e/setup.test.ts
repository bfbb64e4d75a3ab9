// `handoff setup` and `handoff doctor` end to end (issue 4) on real repositories and
// real settings files: merging into Claude Code and Codex settings without losing
// anything, idempotence, backups, --local / --global / --dry-run, git hooks that chain
// an existing hook and respect core.hooksPath, --remove, and doctor's checks.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifact as artifactSchema } from '../../src/schema/artifact.js';
import { listCodexHooks } from '../../src/setup/codex-trust.js';
import { BIN, cliEnv, execGit, runCli, Scratch, type CliResult, type GitRepo } from './helpers.js';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const FOREIGN = {
  permissions: { allow: ['Bash(npm test)'], deny: ['Read(./.env)'] },
  model: 'opus',
  hooks: {
    Stop: [{ hooks: [{ type: 'command', command: 'echo foreign' }] }],
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'lint-guard', timeout: 3 }] }],
  },
};
/** Formatted the way a person might: four-space indent, no trailing newline. */
const FOREIGN_TEXT = JSON.stringify(FOREIGN, null, 4);
const ORIGINAL_POST_COMMIT = (marker: string): string =>
  `#!/bin/sh\n# the team's own post-commit hook\necho "post-commit ran" >> '${marker}'\n`;

type Json = Record<string, any>;
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;
const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const isExecutable = (path: string): boolean => (statSync(path).mode & 0o111) !== 0;

/** Every file under `dir` (recursively, .git included): mode and bytes, for "changed nothing" checks. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = lstatSync(full);
      const rel = relative(dir, full);
      if (st.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(full);
      } else
        out[rel] =
          `${(st.mode & 0o777).toString(8)}:${st.isSymbolicLink() ? 'link' : readFileSync(full).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}

/** Our hook entries in a settings file, by event: each must be exactly { type, command, timeout }. */
function ourHooks(settings: Json): Record<string, Json[]> {
  const found: Record<string, Json[]> = {};
  for (const [event, groups] of Object.entries((settings.hooks ?? {}) as Record<string, Json[]>)) {
    for (const group of groups) {
      expect(Array.isArray(group.hooks), `${event} group has a hooks array`).toBe(true);
      for (const hook of group.hooks as Json[])
        if (String(hook.command).includes('hook session-')) (found[event] ??= []).push(hook);
    }
  }
  return found;
}

function expectOurShape(settings: Json, events: string[], agent: string): void {
  const ours = ourHooks(settings);
  expect(Object.keys(ours).sort()).toEqual([...events].sort());
  const prefix = `'${process.execPath}' '${BIN}' hook session-`;
  for (const event of events) {
    expect(ours[event], event).toHaveLength(1);
    const hook = ours[event]![0]!;
    expect(Object.keys(hook).sort(), event).toEqual(['command', 'timeout', 'type']);
    expect(hook.type).toBe('command');
    expect(typeof hook.timeout).toBe('number');
    expect(hook.timeout).toBeGreaterThan(0);
    expect(hook.command.startsWith(prefix), hook.command).toBe(true);
    expect(hook.command).toContain(`--agent ${agent}`);
    expect(hook.command).toContain(event === 'SessionStart' ? 'hook session-start --format json' : 'hook session-stop');
  }
}

describe('handoff setup and doctor through the built CLI', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  interface World {
    repo: GitRepo;
    home: string;
    run: (...args: string[]) => CliResult;
  }

  function world(options: { claudeSettings?: boolean; postCommit?: string } = {}): World {
    const tree: Record<string, string> = {
      'README.md': '# setup fixture\n',
      'src/main.ts': 'export const main = 1;\n',
    };
    if (options.claudeSettings) tree['.claude/settings.json'] = FOREIGN_TEXT;
    const repo = scratch.repo(tree);
    if (options.postCommit !== undefined) {
      const hook = join(repo.dir, '.git', 'hooks', 'post-commit');
      writeFileSync(hook, options.postCommit);
      chmodSync(hook, 0o755);
    }
    const home = scratch.dir('handoff-home-');
    const run = (...args: string[]): CliResult =>
      runCli(args, { cwd: repo.dir, env: { HOME: home, HANDOFF_NOW: NOW, HANDOFF_DEVELOPER: 'me' } });
    return { repo, home, run };
  }

  const ok = (res: CliResult, what: string): CliResult => {
    expect(res.code, `${what}: ${res.stderr}`).toBe(0);
    // On stderr: setup says what to do in Codex for its hooks to run; a handoff run names what it wrote.
    const expected = (l: string): boolean =>
      l.startsWith('Codex runs these hooks only once') || l.startsWith(' ') || l.startsWith('Wrote ');
    const other = res.stderr.split('\n').filter((l) => l !== '' && !expected(l));
    expect(other, what).toEqual([]);
    return res;
  };

  describe('setup --agent claude', () => {
    it('merges into existing settings, keeping foreign hooks and settings, with a backup, in the shape Claude Code reads', () => {
      const { repo, run } = world({ claudeSettings: true });
      const path = join(repo.dir, '.claude', 'settings.json');
      const out = ok(run('setup', '--agent', 'claude'), 'setup').stdout;
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

    it('does not leave the backup folder untracked in git status', () => {
      const { repo, run } = world({ claudeSettings: true });
      ok(run('setup', '--agent', 'claude'), 'setup');
      expect(existsSync(join(repo.dir, '.codemap', 'backups'))).toBe(true);
      expect(execGit(repo.dir, 'status', '--porcelain')).toBe(' M .claude/settings.json\n');
    });

    it('is idempotent: a second run changes no byte and says so', () => {
      const { repo, home, run } = world({ claudeSettings: true });
      ok(run('setup'), 'first setup');
      const before = { repo: snapshot(repo.dir), home: snapshot(home) };
      const second = ok(run('setup'), 'second setup');
      expect(second.stdout).toMatch(/nothing to change/i);
      expect(snapshot(repo.dir)).toEqual(before.repo);
      expect(snapshot(home)).toEqual(before.home);
    });

    it('installs commands that work: the SessionStart command prints the JSON form, the Stop command JSON or nothing', () => {
      const { repo, home, run } = world({ claudeSettings: true });
      ok(run('setup', '--agent', 'claude'), 'setup');
      repo.write({ 'src/feature.ts': 'export const f = 1;\n' });
      const ours = ourHooks(readJson(join(repo.dir, '.claude', 'settings.json')));
      const sh = (command: string, payload: Json): CliResult => {
        const res = spawnSync('/bin/sh', ['-c', command], {
          cwd: repo.dir,
          env: cliEnv({ HOME: home, HANDOFF_NOW: NOW }),
          input: JSON.stringify(payload),
          encoding: 'utf8',
        });
        return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
      };
      const started = sh(ours.SessionStart![0]!.command, {
        session_id: 'cc-1',
        cwd: repo.dir,
        hook_event_name: 'SessionStart',
        source: 'startup',
      });
      expect(started.code).toBe(0);
      expect(started.stderr).toBe('');
      const doc = JSON.parse(started.stdout) as Json;
      expect(doc.hookSpecificOutput.hookEventName).toBe('SessionStart');
      expect(doc.hookSpecificOutput.additionalContext).toContain('src/feature.ts');
      for (const event of ['Stop', 'SessionEnd']) {
        const stopped = sh(ours[event]![0]!.command, { session_id: 'cc-1', cwd: repo.dir, hook_event_name: event });
        expect(stopped.code, event).toBe(0);
        expect(stopped.stderr, event).toBe('');
        for (const line of lines(stopped.stdout)) JSON.parse(line);
        expect(lines(stopped.stdout).length).toBeLessThanOrEqual(1);
      }
      const history = artifactSchema.parse(readJson(join(repo.dir, '.codemap', 'handoff.latest.json'))).agent_history!;
      expect(history.map((h) => [h.agent_id, h.session_id])).toEqual([['claude-code', 'cc-1']]);
    });

    it('--local writes .claude/settings.local.json only', () => {
      const { repo, run } = world();
      ok(run('setup', '--agent', 'claude', '--local'), 'setup --local');
      expect(existsSync(join(repo.dir, '.claude', 'settings.json'))).toBe(false);
      expectOurShape(
        readJson(join(repo.dir, '.claude', 'settings.local.json')),
        ['SessionStart', 'Stop', 'SessionEnd'],
        'claude-code',
      );
    });

    it('--global writes $HOME/.claude/settings.json and $HOME/.codex/hooks.json, nothing in the repository', () => {
      const { repo, home, run } = world();
      const before = snapshot(repo.dir);
      ok(run('setup', '--agent', 'claude', '--agent', 'codex', '--global'), 'setup --global');
      expectOurShape(
        readJson(join(home, '.claude', 'settings.json')),
        ['SessionStart', 'Stop', 'SessionEnd'],
        'claude-code',
      );
      expectOurShape(readJson(join(home, '.codex', 'hooks.json')), ['SessionStart', 'Stop', 'SessionEnd'], 'codex');
      expect(snapshot(repo.dir)).toEqual(before);
      ok(run('setup', '--agent', 'claude,codex', '--global', '--remove'), 'setup --global --remove');
      expect(existsSync(join(home, '.claude', 'settings.json'))).toBe(false);
      expect(existsSync(join(home, '.codex', 'hooks.json'))).toBe(false);
    });

    it('--dry-run prints the plan and changes no file', () => {
      const { repo, home, run } = world({ claudeSettings: true, postCommit: ORIGINAL_POST_COMMIT('/dev/null') });
      const before = { repo: snapshot(repo.dir), home: snapshot(home) };
      const res = ok(run('setup', '--dry-run'), 'setup --dry-run');
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
      const json = ok(run('setup', '--dry-run', '--json'), 'setup --dry-run --json');
      const plan = JSON.parse(json.stdout) as { dry_run: boolean; edits: { path: string; action: string }[] };
      expect(plan.dry_run).toBe(true);
      expect(plan.edits.length).toBeGreaterThanOrEqual(5);
      expect(snapshot(repo.dir)).toEqual(before.repo);
    });

    it('refuses settings that are not valid JSON, and leaves them alone', () => {
      const { repo, run } = world();
      ok(run('setup', '--agent', 'claude'), 'setup');
      const path = join(repo.dir, '.claude', 'settings.json');
      writeFileSync(path, '{ "hooks": { oops');
      const res = run('setup', '--agent', 'claude');
      expect(res.code).toBe(2);
      expect(lines(res.stderr)).toHaveLength(1);
      expect(res.stderr).toMatch(/^handoff: .*settings\.json/);
      expect(readFileSync(path, 'utf8')).toBe('{ "hooks": { oops');
    });
  });

  describe('setup --agent codex', () => {
    it('creates .codex/hooks.json with SessionStart, Stop, SessionEnd and PreToolUse, and says how to trust them in Codex', () => {
      const { repo, run } = world();
      const res = ok(run('setup', '--agent', 'codex'), 'setup --agent codex');
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
      const json = JSON.parse(run('setup', '--agent', 'codex', '--nudge', 'block', '--json').stdout) as {
        notes: string[];
      };
      expect(json.notes.join('\n')).toContain('/hooks');
      expect(existsSync(join(repo.dir, '.claude'))).toBe(false);
    });

    it('keeps the Codex pre-edit hook warn-only: enforce says so, off and --remove take it out, a rerun adds it back', () => {
      const { repo, run } = world();
      const path = join(repo.dir, '.codex', 'hooks.json');
      const preEdit = (): Json[] | undefined => readJson(path).hooks.PreToolUse as Json[] | undefined;
      const enforce = run('setup', '--agent', 'codex', '--claims', 'enforce');
      expect(enforce.code, enforce.stderr).toBe(0);
      expect(enforce.stderr).toContain("Codex takes no 'ask'");
      const installed = readFileSync(path, 'utf8');
      expect(JSON.stringify(preEdit())).not.toContain('--claims');
      // A setup from before Codex had the hook: PreToolUse is missing, a rerun adds it and changes nothing else.
      ok(run('setup', '--agent', 'codex', '--claims', 'off'), 'setup --claims off');
      expect(preEdit()).toBeUndefined();
      expect(Object.keys(readJson(path).hooks).sort()).toEqual(['SessionEnd', 'SessionStart', 'Stop']);
      ok(run('setup', '--agent', 'codex'), 'setup again');
      expect(readFileSync(path, 'utf8')).toBe(installed);
      expect(ok(run('setup', '--agent', 'codex'), 'setup a third time').stdout).toMatch(/nothing to change/i);
      const doctor = JSON.parse(run('doctor', '--json').stdout) as { checks: { name: string; detail: string }[] };
      const check = doctor.checks.find((c) => c.name === 'codex claims hook');
      expect(check?.detail).toBe(`pre-edit (warn) in ${path}`);
      ok(run('setup', '--agent', 'codex', '--remove'), 'setup --remove');
      expect(existsSync(path)).toBe(false);
    });
  });

  describe('setup --agent git', () => {
    it('creates executable post-checkout, post-merge and post-commit hooks', () => {
      const { repo, run } = world();
      ok(run('setup', '--agent', 'git'), 'setup --agent git');
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

    it('chains an existing post-commit hook, which still runs, and refreshes the handoff in the background', async () => {
      const marker = join(scratch.dir(), 'marker.log');
      const original = ORIGINAL_POST_COMMIT(marker);
      const { repo, run } = world({ postCommit: original });
      const hooks = join(repo.dir, '.git', 'hooks');
      ok(run('setup', '--agent', 'git'), 'setup --agent git');
      expect(readFileSync(join(hooks, 'post-commit.pre-handoff'), 'utf8')).toBe(original);
      expect(readFileSync(join(hooks, 'post-commit'), 'utf8')).not.toBe(original);

      repo.write({ 'src/next.ts': 'export const next = 2;\n' });
      const commit = repo.commit('next');
      expect(execGit(repo.dir, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
      expect(readFileSync(marker, 'utf8')).toBe('post-commit ran\n');

      // The background refresh saves a handoff for the new commit.
      const latest = join(repo.dir, '.codemap', 'handoff.latest.json');
      const deadline = Date.now() + 10_000;
      let head: string | undefined;
      while (Date.now() < deadline) {
        try {
          head = artifactSchema.parse(readJson(latest)).head;
          if (
            head === commit &&
            existsSync(join(repo.dir, '.codemap', 'handoff.metrics.log')) &&
            !existsSync(join(repo.dir, '.codemap', 'handoff.lock'))
          )
            break;
        } catch {
          /* not written yet */
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(head).toBe(commit);
      // Let the background process finish its last writes before the directory is removed.
      await new Promise((r) => setTimeout(r, 300));
    });

    it('respects core.hooksPath', () => {
      const { repo, run } = world();
      repo.git('config', 'core.hooksPath', '.githooks');
      ok(run('setup', '--agent', 'git'), 'setup --agent git');
      for (const name of ['post-checkout', 'post-merge', 'post-commit']) {
        expect(isExecutable(join(repo.dir, '.githooks', name)), name).toBe(true);
        expect(existsSync(join(repo.dir, '.git', 'hooks', name)), name).toBe(false);
      }
      const doctor = JSON.parse(run('doctor', '--json').stdout) as {
        checks: { name: string; status: string; detail: string }[];
      };
      const git = doctor.checks.find((c) => c.name === 'git hooks')!;
      expect(git.status).toBe('ok');
      expect(git.detail).toContain('.githooks');
    });
  });

  describe('setup --remove', () => {
    it('takes out exactly what setup added', () => {
      const marker = join(scratch.dir(), 'marker.log');
      const original = ORIGINAL_POST_COMMIT(marker);
      const { repo, run } = world({ claudeSettings: true, postCommit: original });
      const hooks = join(repo.dir, '.git', 'hooks');
      const settings = join(repo.dir, '.claude', 'settings.json');
      ok(run('setup'), 'setup');
      expect(existsSync(join(repo.dir, '.codex', 'hooks.json'))).toBe(true);

      ok(run('setup', '--remove'), 'setup --remove');
      expect(readJson(settings)).toEqual(FOREIGN);
      expect(existsSync(join(repo.dir, '.codex', 'hooks.json'))).toBe(false);
      expect(existsSync(join(repo.dir, '.codex'))).toBe(false);
      expect(readFileSync(join(hooks, 'post-commit'), 'utf8')).toBe(original);
      expect(isExecutable(join(hooks, 'post-commit'))).toBe(true);
      expect(existsSync(join(hooks, 'post-commit.pre-handoff'))).toBe(false);
      expect(existsSync(join(hooks, 'post-checkout'))).toBe(false);
      expect(existsSync(join(hooks, 'post-merge'))).toBe(false);

      // Nothing of ours is left: a second remove changes nothing.
      const again = ok(run('setup', '--remove'), 'second setup --remove');
      expect(again.stdout).toMatch(/nothing to change/i);
    });
  });

  describe('doctor', () => {
    interface Check {
      name: string;
      status: 'ok' | 'warn' | 'fail';
      detail: string;
      fix?: string;
    }
    const doctorJson = (run: World['run']): { code: number; ok: boolean; checks: Check[] } => {
      const res = run('doctor', '--json');
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

    it('in a fresh repository: exit 0, warnings for the hooks not installed, each with its fix', () => {
      const { run } = world();
      const res = run('doctor');
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
      const doc = doctorJson(run);
      expect(doc.code).toBe(0);
      expect(doc.ok).toBe(true);
    });

    it('after setup and one handoff run: every check ok once Codex trusts the hooks, exit 0', () => {
      const { repo, home, run } = world();
      ok(run('setup'), 'setup');
      ok(run(), 'handoff');
      // Codex skips them until the project and each hook are trusted (item 15): warn, then trust as /hooks does.
      expect(byName(doctorJson(run).checks)['codex trust']).toMatchObject({ status: 'warn' });
      const hooksFile = join(repo.dir, '.codex', 'hooks.json');
      const trust = listCodexHooks(hooksFile, readFileSync(hooksFile, 'utf8')).map(
        (h) => `[hooks.state.${JSON.stringify(h.key)}]\ntrusted_hash = "${h.hash}"\n`,
      );
      mkdirSync(join(home, '.codex'), { recursive: true });
      writeFileSync(
        join(home, '.codex', 'config.toml'),
        `[projects.${JSON.stringify(repo.dir)}]\ntrust_level = "trusted"\n${trust.join('')}`,
      );
      const res = run('doctor');
      expect(res.code, res.stdout + res.stderr).toBe(0);
      for (const line of lines(res.stdout)) expect(line).toMatch(/^ok\s/);
      const doc = doctorJson(run);
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

    it('fails, with exit 1 and the fix, when a hook command points at a missing binary', () => {
      const { repo, run } = world();
      ok(run('setup', '--agent', 'claude'), 'setup');
      const path = join(repo.dir, '.claude', 'settings.json');
      writeFileSync(path, readFileSync(path, 'utf8').split(BIN).join('/nonexistent/handoff/bin/handoff.js'));
      const res = run('doctor');
      expect(res.code).toBe(1);
      const line = lines(res.stdout).find((l) => l.includes('claude hooks —'));
      expect(line).toMatch(/^fail\s/);
      expect(line).toContain('/nonexistent/handoff/bin/handoff.js');
      expect(line).toContain('(fix: handoff setup --agent claude)');
      expect(lines(res.stderr)).toHaveLength(1);
      expect(res.stderr).toMatch(/^handoff: /);
      const doc = doctorJson(run);
      expect(doc.code).toBe(1);
      expect(doc.ok).toBe(false);
      expect(byName(doc.checks)['claude hooks']).toMatchObject({ status: 'fail', fix: 'handoff setup --agent claude' });
      // The fix it names does repair it.
      ok(run('setup', '--agent', 'claude'), 'setup again');
      expect(byName(doctorJson(run).checks)['claude hooks']!.status).toBe('ok');
    });

    it('fails on a corrupt context store, naming `handoff context repair`', () => {
      const { repo, run } = world();
      ok(run('context', 'publish', '--title', 'Some work', '--file', 'src/main.ts'), 'publish');
      const active = join(repo.dir, '.git', 'codemap-handoff', 'active.json');
      writeFileSync(active, 'garbage{\n');
      const doc = doctorJson(run);
      expect(doc.code).toBe(1);
      expect(byName(doc.checks)['context store']).toMatchObject({ status: 'fail', fix: 'handoff context repair' });
      const res = run('doctor');
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

    it('changes nothing, whatever it finds', () => {
      const { repo, home, run } = world({ claudeSettings: true });
      const check = (): void => {
        const before = { repo: snapshot(repo.dir), home: snapshot(home) };
        run('doctor');
        run('doctor', '--json');
        expect(snapshot(repo.dir)).toEqual(before.repo);
        expect(snapshot(home)).toEqual(before.home);
      };
      check(); // fresh: no .codemap, no store
      ok(run('setup'), 'setup');
      ok(run(), 'handoff');
      ok(run('context', 'publish', '--title', 'Some work', '--file', 'src/main.ts'), 'publish');
      check(); // installed
      writeFileSync(join(repo.dir, '.git', 'codemap-handoff', 'active.json'), 'garbage{\n');
      writeFileSync(join(repo.dir, '.codemap', 'handoff.latest.json'), '{ broken');
      check(); // corrupt store and artifact
    });

    it('outside a git repository: a failed repository check, exit 1', () => {
      const dir = scratch.dir();
      const res = runCli(['doctor', '--json'], { cwd: dir, env: { HOME: dir } });
      expect(res.code).toBe(1);
      const doc = JSON.parse(res.stdout) as { ok: boolean; checks: Check[] };
      expect(doc.ok).toBe(false);
      expect(doc.checks[0]).toMatchObject({ name: 'repository', status: 'fail' });
    });
  });
});
