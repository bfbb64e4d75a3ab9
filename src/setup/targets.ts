// Where each agent keeps its hook configuration, and the commands we install there:
// absolute paths of this node and this handoff, so hooks work outside npm scripts.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

export const commandOf = (exe: Executable, args: string): string => `${shellQuote(exe.node)} ${shellQuote(exe.bin)} ${args}`;

export function agentHookSpecs(agent: 'claude' | 'codex', exe: Executable): HookSpec[] {
  const id = agent === 'claude' ? 'claude-code' : 'codex';
  const start: HookSpec = { event: 'SessionStart', command: commandOf(exe, `hook session-start --format json --agent ${id}`), timeout: 10 };
  const stop: HookSpec = { event: 'Stop', command: commandOf(exe, `hook session-stop --agent ${id}`), timeout: 30 };
  // Codex has no SessionEnd event; Claude Code gives SessionEnd about 1.5 s.
  return agent === 'claude' ? [start, stop, { event: 'SessionEnd', command: commandOf(exe, `hook session-stop --agent ${id} --budget-ms 1200`), timeout: 5 }] : [start, stop];
}

export function settingsPath(agent: 'claude' | 'codex', root: string, home: string, scope: 'project' | 'local' | 'global'): string {
  if (agent === 'claude') {
    if (scope === 'global') return join(home, '.claude', 'settings.json');
    return join(root, '.claude', scope === 'local' ? 'settings.local.json' : 'settings.json');
  }
  return scope === 'global' ? join(home, '.codex', 'hooks.json') : join(root, '.codex', 'hooks.json');
}

export const GIT_HOOKS = ['post-checkout', 'post-merge', 'post-commit'] as const;
