// The fixtures of the `handoff setup` / `handoff doctor` suites, shared by the in-process
// behaviour suite (test/cli/setup-command.test.ts) and the spawned one (test/e2e/setup*.test.ts):
// a repository with someone's own settings and git hook, a home of its own, and the checks
// on what setup writes (our hook entries' shape, "changed nothing" snapshots).
import { chmodSync, existsSync, lstatSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { BIN, type CliResult, type GitRepo, type Scratch } from '../e2e/helpers.js';

/** An hour ahead of now, to the second: the clock every run of a world is pinned to. */
export const SETUP_NOW = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000)
  .toISOString()
  .replace(/\.\d{3}Z$/, 'Z');

export const FOREIGN = {
  permissions: { allow: ['Bash(npm test)'], deny: ['Read(./.env)'] },
  model: 'opus',
  hooks: {
    Stop: [{ hooks: [{ type: 'command', command: 'echo foreign' }] }],
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'lint-guard', timeout: 3 }] }],
  },
};
/** Formatted the way a person might: four-space indent, no trailing newline. */
export const FOREIGN_TEXT = JSON.stringify(FOREIGN, null, 4);
export const ORIGINAL_POST_COMMIT = (marker: string): string =>
  `#!/bin/sh\n# the team's own post-commit hook\necho "post-commit ran" >> '${marker}'\n`;

export type Json = Record<string, any>;
export const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;
export const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
export const isExecutable = (path: string): boolean => (statSync(path).mode & 0o111) !== 0;

/** Every file under `dir` (recursively, .git included): mode and bytes, for "changed nothing" checks. */
export function snapshot(dir: string): Record<string, string> {
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
export function ourHooks(settings: Json): Record<string, Json[]> {
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

export function expectOurShape(settings: Json, events: string[], agent: string): void {
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

export interface SetupWorld {
  repo: GitRepo;
  home: string;
  /** The environment of every run: its own HOME, the pinned clock, a developer. */
  env: NodeJS.ProcessEnv;
}

/** A repository (optionally with FOREIGN settings and a post-commit hook of its own) and a home. */
export function setupWorld(
  scratch: Scratch,
  options: { claudeSettings?: boolean; postCommit?: string } = {},
): SetupWorld {
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
  return { repo, home, env: { HOME: home, HANDOFF_NOW: SETUP_NOW, HANDOFF_DEVELOPER: 'me' } };
}

/** Exit 0, and on stderr only what setup says about Codex's trust or a handoff run names as written. */
export function expectSetupOk(res: CliResult, what: string): CliResult {
  expect(res.code, `${what}: ${res.stderr}`).toBe(0);
  // On stderr: setup says what to do in Codex for its hooks to run; a handoff run names what it wrote.
  const expected = (l: string): boolean =>
    l.startsWith('Codex runs these hooks only once') || l.startsWith(' ') || l.startsWith('Wrote ');
  const other = res.stderr.split('\n').filter((l) => l !== '' && !expected(l));
  expect(other, what).toEqual([]);
  return res;
}
