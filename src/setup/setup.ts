// `handoff setup`: plans the edits for the chosen agents (plan.ts) against the files as
// they are, then applies them — each changed file backed up first, each write atomic.
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { CODEMAP_DIR } from '../store/layout.js';
import { ensureExcluded } from '../store/exclude.js';
import { HandoffError } from '../errors.js';
import { gitPath, openRepository } from '../git/repo.js';
import { ensureDirWithin, readTextIfExists, writeFileAtomic } from '../store/atomic.js';
import { gitHookScript, isOurGitHook, mergeAgentSettings } from './plan.js';
import { agentHookSpecs, commandOf, currentExecutable, GIT_HOOKS, settingsPath, type Agent, type Executable } from './targets.js';

export interface SetupRequest {
  cwd: string;
  home: string;
  agents: readonly Agent[];
  scope: 'project' | 'local' | 'global';
  remove: boolean;
  exe?: Executable;
}

export interface PlannedEdit {
  path: string;
  action: 'create' | 'update' | 'delete' | 'rename';
  /** New content for create/update. */
  after?: string;
  /** Target of a rename. */
  to?: string;
  executable?: boolean;
  /** Back the file up before changing it (not for hooks setup itself wrote). */
  backup?: boolean;
  why: string;
}

export async function gitHooksDir(cwd: string): Promise<string> {
  return gitPath(cwd, 'hooks');
}

export async function planSetup(req: SetupRequest): Promise<{ root: string; commonDir: string; edits: PlannedEdit[] }> {
  const repo = await openRepository(req.cwd);
  const exe = req.exe ?? currentExecutable();
  const edits: PlannedEdit[] = [];
  for (const agent of req.agents) {
    if (agent === 'git') {
      edits.push(...planGitHooks(await gitHooksDir(repo.root), commandOf(exe, ''), req.remove));
      continue;
    }
    const path = settingsPath(agent, repo.root, req.home, agent === 'codex' && req.scope === 'local' ? 'project' : req.scope);
    const before = readTextIfExists(path);
    const after = mergeAgentSettings(path, before, agentHookSpecs(agent, exe), req.remove);
    if (after === before) continue;
    const events = agentHookSpecs(agent, exe).map((s) => s.event).join(', ');
    if (after === undefined) edits.push({ path, action: 'delete', backup: true, why: `remove the handoff ${events} hooks (nothing else was in it)` });
    else edits.push({ path, action: before === undefined ? 'create' : 'update', after, backup: true, why: `${req.remove ? 'remove' : 'install'} the handoff ${events} hooks` });
  }
  return { root: repo.root, commonDir: repo.commonDir, edits };
}

function planGitHooks(dir: string, refresh: string, remove: boolean): PlannedEdit[] {
  const edits: PlannedEdit[] = [];
  for (const name of GIT_HOOKS) {
    const path = join(dir, name);
    const previous = `${path}.pre-handoff`;
    const current = readTextIfExists(path);
    const script = gitHookScript(name, refresh.trim());
    if (remove) {
      if (!isOurGitHook(current)) continue;
      edits.push({ path, action: 'delete', why: `remove the handoff ${name} hook` });
      if (existsSync(previous)) edits.push({ path: previous, action: 'rename', to: path, why: `restore the ${name} hook it chained` });
      continue;
    }
    if (isOurGitHook(current)) {
      if (current !== script) edits.push({ path, action: 'update', after: script, executable: true, why: `update the handoff ${name} hook` });
      continue;
    }
    if (current !== undefined) {
      if (existsSync(previous)) throw new HandoffError(`${previous} already exists; not chaining ${path} over it`, 1, 'move one of them aside, then rerun handoff setup');
      edits.push({ path, action: 'rename', to: previous, why: `keep the existing ${name} hook; the handoff hook runs it first` });
    }
    edits.push({ path, action: 'create', after: script, executable: true, why: `refresh the handoff in the background after ${name.replace('post-', '')}` });
  }
  return edits;
}

/**
 * Where a backup of `path` goes: under `.codemap/backups/` for files in the repository
 * (excluded from git, so backups never dirty the tree), else beside the file.
 */
export function backupPath(path: string, root: string, stamp: string): string {
  const rel = relative(root, path);
  if (!rel.startsWith('..') && !isAbsolute(rel)) return join(root, CODEMAP_DIR, 'backups', `${rel}.${stamp}`);
  return `${path}.handoff-backup-${stamp}`;
}

/** Applies the plan; returns the backups made. */
export function applySetup(edits: readonly PlannedEdit[], root: string, commonDir: string, now: Date): string[] {
  const backups: string[] = [];
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (const edit of edits) {
    if (edit.backup && (edit.action === 'update' || edit.action === 'delete') && existsSync(edit.path)) {
      const backup = backupPath(edit.path, root, stamp);
      // Backups under .codemap/ must not show up in git status.
      if (backup.startsWith(join(root, CODEMAP_DIR))) ensureExcluded(join(commonDir, 'info', 'exclude'));
      // Never through a symlinked .codemap a cloned repository may have planted.
      if (backup.startsWith(join(root, CODEMAP_DIR))) ensureDirWithin(root, dirname(backup));
      else mkdirSync(dirname(backup), { recursive: true });
      copyFileSync(edit.path, backup);
      backups.push(backup);
    }
    if (edit.action === 'rename' && edit.to) renameSync(edit.path, edit.to);
    else if (edit.action === 'delete') {
      rmSync(edit.path, { force: true });
      // An agent settings folder setup created (.codex/) goes with its last file.
      if (edit.backup) {
        try {
          rmdirSync(dirname(edit.path));
        } catch {
          /* not empty: other files live there */
        }
      }
    }
    else if (edit.after !== undefined) {
      // The user's own settings file may be a dotfiles link: write through it, keep the link.
      writeFileAtomic(edit.path, edit.after, { followSymlink: true });
      if (edit.executable) chmodSync(edit.path, 0o755);
    }
  }
  return backups;
}

export function describePlan(edits: readonly PlannedEdit[], cwd: string, dryRun: boolean): string {
  if (edits.length === 0) return 'Nothing to change: the hooks are already as requested.\n';
  const rel = (p: string): string => (p.startsWith(resolve(cwd)) ? p.slice(resolve(cwd).length + 1) || p : p);
  const lines = [dryRun ? 'Would make these changes (dry run):' : 'Changed:'];
  for (const e of edits) {
    lines.push(`- ${e.action} ${rel(e.path)}${e.to ? ` → ${rel(e.to)}` : ''}: ${e.why}`);
    if (dryRun && e.after !== undefined) lines.push(...e.after.trimEnd().split('\n').map((l) => `    ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
