// Where each agent keeps its hook configuration, and the commands we install there:
// absolute paths of this node and this handoff, so hooks work outside npm scripts.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitPath } from '../git/repo.js';
import { primaryWorktreeRoot } from '../store/layout.js';
import type { HookSpec } from './plan.js';
import { shellQuote } from './plan.js';

export type Agent = 'claude' | 'codex' | 'git';
export const AGENTS: readonly Agent[] = ['claude', 'codex', 'git'];

/** The package root: the nearest ancestor of this module holding bin/handoff.js. */
export function packageRoot(from = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'bin', 'handoff.js')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return dirname(dirname(from));
}

export interface Executable {
  node: string;
  bin: string;
}

export function currentExecutable(): Executable {
  return { node: process.execPath, bin: join(packageRoot(), 'bin', 'handoff.js') };
}

export const commandOf = (exe: Executable, args: string): string =>
  `${shellQuote(exe.node)} ${shellQuote(exe.bin)} ${args}`;

export type Nudge = 'system' | 'block' | 'off';
export const NUDGES: readonly Nudge[] = ['system', 'block', 'off'];

/**
 * SessionEnd runs while the client shuts down, so each client bounds it, and our
 * `--budget-ms` stays below that bound with room for node to start and write:
 * - Claude Code 2.1.332 waits the larger of 1.5 s and the entry's `timeout`, capped at
 *   60 s: we declare 5 s and spend at most 4 s.
 * - Codex waits `timeout` (1 s when unset) clamped to 3 s, warning at every start when an
 *   entry asks for more (codex-rs hooks/src/events/session_end.rs,
 *   SESSION_END_MAX_TIMEOUT_SEC): we declare 3 s and spend at most 2 s.
 * A reminder to publish is useless once the session is over, so SessionEnd never nudges.
 */
const SESSION_END = { claude: { timeout: 5, budgetMs: 4000 }, codex: { timeout: 3, budgetMs: 2000 } } as const;

/** The pre-edit hook of claims: `warn` tells the agent, `enforce` asks the user, `off` installs none. */
export type ClaimsSetting = 'warn' | 'enforce' | 'off';
export const CLAIMS_SETTINGS: readonly ClaimsSetting[] = ['warn', 'enforce', 'off'];
/** The tools of Claude Code that write files; the hook reads their `file_path` / `notebook_path`. */
export const EDIT_TOOLS_MATCHER = 'Edit|Write|MultiEdit|NotebookEdit';
/**
 * Codex's file-edit tool: its hook stdin names it `apply_patch` with the patch in
 * `tool_input.command` (Codex also lets `Edit` and `Write` select it, as aliases; the
 * canonical name says what runs). Edits made through a shell command are not covered.
 */
export const CODEX_EDIT_MATCHER = 'apply_patch';

/**
 * PreToolUse runs before every edit: its timeout is a ceiling, the hook itself answers
 * within 300 ms. Claude Code's entry asks the user under `--claims enforce`; Codex 0.171
 * refuses an `ask` (it marks the hook failed, drops its context and edits anyway), so
 * Codex's entry only warns whatever `--claims` says, and its command (so its trust hash)
 * stays the same when the setting changes. `off` installs none for either.
 */
function preEditSpec(agent: 'claude' | 'codex', exe: Executable, claims: ClaimsSetting): HookSpec[] {
  if (claims === 'off') return [];
  if (agent === 'codex') {
    const command = commandOf(exe, 'hook pre-edit --agent codex');
    return [{ event: 'PreToolUse', matcher: CODEX_EDIT_MATCHER, command, timeout: 5 }];
  }
  const mode = claims === 'enforce' ? ' --claims enforce' : '';
  const command = commandOf(exe, `hook pre-edit --agent claude-code${mode}`);
  return [{ event: 'PreToolUse', matcher: EDIT_TOOLS_MATCHER, command, timeout: 5 }];
}

export function agentHookSpecs(
  agent: 'claude' | 'codex',
  exe: Executable,
  nudge: Nudge = 'system',
  claims: ClaimsSetting = 'warn',
): HookSpec[] {
  const id = agent === 'claude' ? 'claude-code' : 'codex';
  const end = SESSION_END[agent];
  const nudgeFlag = nudge === 'system' ? '' : ` --nudge ${nudge}`;
  return [
    { event: 'SessionStart', command: commandOf(exe, `hook session-start --format json --agent ${id}`), timeout: 10 },
    { event: 'Stop', command: commandOf(exe, `hook session-stop --agent ${id}${nudgeFlag}`), timeout: 30 },
    {
      event: 'SessionEnd',
      command: commandOf(exe, `hook session-stop --agent ${id} --budget-ms ${end.budgetMs} --nudge off`),
      timeout: end.timeout,
    },
    ...preEditSpec(agent, exe, claims),
  ];
}

/**
 * Where each client keeps its user settings: `$CLAUDE_CONFIG_DIR/settings.json` and
 * `$CODEX_HOME/hooks.json` when those are set, else under the home directory.
 */
export interface AgentHomes {
  home: string;
  claudeConfigDir?: string;
  codexHome?: string;
}

export const claudeUserDir = (homes: AgentHomes): string => homes.claudeConfigDir ?? join(homes.home, '.claude');
export const codexUserDir = (homes: AgentHomes): string => homes.codexHome ?? join(homes.home, '.codex');

/**
 * The checkout whose `.codex/` Codex reads: in a linked worktree it is the primary
 * checkout (the parent of the git common dir), not the worktree Codex was started in.
 */
export function codexProjectRoot(repo: { root: string; commonDir: string }): string {
  return primaryWorktreeRoot(repo.commonDir) ?? repo.root;
}

/** The settings file of `agent` at `scope`; `root` is the checkout the client reads it in. */
export function settingsPath(
  agent: 'claude' | 'codex',
  root: string,
  homes: AgentHomes,
  scope: 'project' | 'local' | 'global',
): string {
  if (agent === 'claude') {
    if (scope === 'global') return join(claudeUserDir(homes), 'settings.json');
    return join(root, '.claude', scope === 'local' ? 'settings.local.json' : 'settings.json');
  }
  return scope === 'global' ? join(codexUserDir(homes), 'hooks.json') : join(root, '.codex', 'hooks.json');
}

/** What the user has to do in Codex before it runs hooks setup just wrote (Codex skips them silently until then). */
export function codexTrustNotes(projectRoot: string | undefined, homes: AgentHomes): string[] {
  const config = join(codexUserDir(homes), 'config.toml');
  return [
    'Codex runs these hooks only once you trust them, and skips them silently until then:',
    ...(projectRoot
      ? [
          `  1. trust the project: start codex in ${projectRoot} and accept its trust prompt, or add to ${config}:`,
          `       [projects.${JSON.stringify(projectRoot)}]`,
          '       trust_level = "trusted"',
        ]
      : []),
    `  ${projectRoot ? '2' : '1'}. review the hooks: run /hooks in Codex and trust the handoff entries.`,
    '     Any change to a hook command (another --nudge, a moved node or handoff) changes its hash',
    '     and needs this review again.',
    '  handoff doctor reports Codex hooks that are not trusted yet.',
  ];
}

export const GIT_HOOKS = ['post-checkout', 'post-merge', 'post-commit'] as const;

/** The folder git runs hooks from (core.hooksPath honoured). */
export async function gitHooksDir(cwd: string): Promise<string> {
  return gitPath(cwd, 'hooks');
}
