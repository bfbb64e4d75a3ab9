// `handoff setup`: plans the edits for the chosen agents (plan.ts) against the files as
// they are, then applies them — each changed file backed up first, each write atomic.
import {
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { openRepository } from '../git/repo.js';
import { ensureDirWithin, readTextIfExists, unsafeDirWithin, writeFileAtomic } from '../store/atomic.js';
import { ensureExcluded } from '../store/exclude.js';
import { CODEMAP_DIR, infoExcludePath } from '../store/layout.js';
import { EXIT, HandoffError, UsageError } from '../errors.js';
import { planWorktreeCodexDir } from './codex-worktree.js';
import { refuseTrackedLink } from './settings-link.js';
import {
  gitHookScript,
  installedClaims,
  installedNudge,
  isOurGitHook,
  mergeAgentSettings,
  type PlannedEdit,
} from './plan.js';
import {
  agentHookSpecs,
  codexProjectRoot,
  codexTrustNotes,
  commandOf,
  currentExecutable,
  GIT_HOOKS,
  gitHooksDir,
  NUDGES,
  settingsPath,
  type Agent,
  type AgentHomes,
  type ClaimsSetting,
  type Executable,
  type Nudge,
} from './targets.js';

export interface SetupRequest {
  cwd: string;
  homes: AgentHomes;
  agents: readonly Agent[];
  scope: 'project' | 'local' | 'global';
  remove: boolean;
  /** The Stop hook's reminder; unset keeps what an earlier setup installed (default system). */
  nudge?: Nudge;
  /** The pre-edit claims hook (Codex's only warns); unset keeps what an earlier setup installed (default warn). */
  claims?: ClaimsSetting;
  /** Change a settings file even when its mode bits deny the owner write access. */
  force?: boolean;
  exe?: Executable;
}

export type { PlannedEdit } from './plan.js';

export interface SetupPlan {
  root: string;
  commonDir: string;
  edits: PlannedEdit[];
  /** What the user still has to do for the hooks to run (Codex trust), one line each. */
  notes: string[];
}

/**
 * Whether the mode bits let this user write `path` (through a symlink, its target). Read
 * from the bits rather than from a failed write: root can write anything, yet a file the
 * user made read-only says "leave me alone".
 */
export function writableByMode(path: string): boolean {
  const st = statSync(path);
  const uid = process.getuid?.();
  if (uid === undefined) return (st.mode & 0o222) !== 0;
  if (st.uid === uid) return (st.mode & 0o200) !== 0;
  if ((process.getgroups?.() ?? []).includes(st.gid)) return (st.mode & 0o020) !== 0;
  return (st.mode & 0o002) !== 0;
}

const CODEX_WARN_ONLY =
  "Codex takes no 'ask' from a hook: its pre-edit hook tells the agent who holds a claimed file and never asks you.";

export async function planSetup(req: SetupRequest): Promise<SetupPlan> {
  const repo = await openRepository(req.cwd);
  const exe = req.exe ?? currentExecutable();
  const edits: PlannedEdit[] = [];
  const notes: string[] = [];
  for (const agent of req.agents) {
    if (agent === 'git') {
      edits.push(...planGitHooks(await gitHooksDir(repo.root), commandOf(exe, ''), req.remove));
      continue;
    }
    const scope = agent === 'codex' && req.scope === 'local' ? 'project' : req.scope;
    const root = agent === 'codex' ? codexProjectRoot(repo) : repo.root;
    const path = settingsPath(agent, root, req.homes, scope);
    // Before even reading it: a committed link may lead to any file (a FIFO, /dev/zero).
    if (scope !== 'global') {
      const elsewhere = agent === 'claude' && scope === 'project' ? '--local or --global' : '--global';
      await refuseTrackedLink(root, path, elsewhere);
    }
    const before = readTextIfExists(path);
    const nudge = req.nudge ?? NUDGES.find((n) => n === installedNudge(before)) ?? 'system';
    const claims = req.claims ?? installedClaims(before) ?? 'warn';
    const specs = agentHookSpecs(agent, exe, nudge, claims);
    const after = mergeAgentSettings(path, before, specs, req.remove);
    // Codex in a linked worktree reads the primary's hooks only if the worktree has a .codex/.
    const dirEdits = agent === 'codex' && scope === 'project' ? planWorktreeCodexDir(repo, req.remove) : [];
    if (after === before) {
      edits.push(...dirEdits);
      continue;
    }
    if (before !== undefined && !req.force && !writableByMode(path)) {
      const verb = req.remove ? 'remove' : 'install';
      const hint = `make it writable (chmod u+w), or pass --force to ${verb} the hooks anyway`;
      throw new UsageError(`${path} is read-only; not changing it`, hint);
    }
    const events = specs.map((s) => s.event).join(', ');
    if (after === undefined) {
      const why = `remove the handoff ${events} hooks (nothing else was in it)`;
      edits.push({ path, action: 'delete', backup: true, why });
    } else {
      const why = `${req.remove ? 'remove' : 'install'} the handoff ${events} hooks`;
      edits.push({ path, action: before === undefined ? 'create' : 'update', after, backup: true, why });
    }
    edits.push(...dirEdits);
    if (agent === 'codex' && !req.remove) {
      if (claims === 'enforce') notes.push(CODEX_WARN_ONLY);
      notes.push(...codexTrustNotes(scope === 'project' ? root : undefined, req.homes));
    }
  }
  return { root: repo.root, commonDir: repo.commonDir, edits, notes };
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
      if (existsSync(previous))
        edits.push({ path: previous, action: 'rename', to: path, why: `restore the ${name} hook it chained` });
      continue;
    }
    if (isOurGitHook(current)) {
      if (current !== script)
        edits.push({ path, action: 'update', after: script, executable: true, why: `update the handoff ${name} hook` });
      continue;
    }
    if (current !== undefined) {
      if (existsSync(previous))
        throw new HandoffError(
          `${previous} already exists; not chaining ${path} over it`,
          EXIT.failure,
          'move one of them aside, then rerun handoff setup',
        );
      edits.push({
        path,
        action: 'rename',
        to: previous,
        why: `keep the existing ${name} hook; the handoff hook runs it first`,
      });
    }
    edits.push({
      path,
      action: 'create',
      after: script,
      executable: true,
      why: `refresh the handoff in the background after ${name.replace('post-', '')}`,
    });
  }
  return edits;
}

/**
 * Where a backup of `path` goes: under `.codemap/backups/` of the checkout holding it
 * (excluded from git, so backups never dirty the tree), else beside the file.
 */
export function backupPath(path: string, roots: readonly string[], stamp: string): string {
  for (const root of roots) {
    const rel = relative(root, path);
    if (!rel.startsWith('..') && !isAbsolute(rel)) return join(root, CODEMAP_DIR, 'backups', `${rel}.${stamp}`);
  }
  return `${path}.handoff-backup-${stamp}`;
}

/**
 * A cloned repository may commit `.codemap` (or a folder below it) as a symlink to send
 * our backups anywhere on disk: refuse any link or non-folder between the checkout and
 * the backup instead of writing through it.
 */
function refuseLinkedBackupDir(backup: string, roots: readonly string[]): void {
  const root = roots.find((r) => backup.startsWith(join(r, CODEMAP_DIR)));
  const unsafe = root === undefined ? undefined : unsafeDirWithin(root, dirname(backup));
  if (unsafe) throw unsafe;
}

/** `path`, or `path-1`, `path-2`, … when taken (two runs in one millisecond, a pinned clock). */
function freeName(path: string): string {
  const taken = (p: string): boolean => {
    try {
      lstatSync(p);
      return true;
    } catch {
      return false;
    }
  };
  let candidate = path;
  for (let n = 1; taken(candidate); n++) candidate = `${path}-${n}`;
  return candidate;
}

/** Applies the plan; returns the backups made. */
export function applySetup(edits: readonly PlannedEdit[], root: string, commonDir: string, now: Date): string[] {
  const backups: string[] = [];
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  // A linked worktree's Codex hooks live in the primary checkout (codexProjectRoot).
  const roots = [root, codexProjectRoot({ root, commonDir })];
  const backedUp = edits.filter(
    (e) => e.backup && (e.action === 'update' || e.action === 'delete') && existsSync(e.path),
  );
  // Checked before the first change, so a refusal leaves everything as it was.
  for (const edit of backedUp) refuseLinkedBackupDir(backupPath(edit.path, roots, stamp), roots);
  for (const edit of edits) {
    if (backedUp.includes(edit)) {
      const backup = freeName(backupPath(edit.path, roots, stamp));
      // Backups under .codemap/ must not show up in git status.
      const codemapRoot = roots.find((r) => backup.startsWith(join(r, CODEMAP_DIR)));
      if (codemapRoot !== undefined) {
        ensureExcluded(infoExcludePath(commonDir));
        // Never through a symlinked .codemap a cloned repository may have planted.
        ensureDirWithin(codemapRoot, dirname(backup));
      } else {
        mkdirSync(dirname(backup), { recursive: true });
      }
      // EXCL: never through a link planted at the backup's own name.
      copyFileSync(edit.path, backup, constants.COPYFILE_EXCL);
      backups.push(backup);
    }
    if (edit.action === 'rename' && edit.to) renameSync(edit.path, edit.to);
    else if (edit.action === 'mkdir') {
      mkdirSync(edit.path);
      if (edit.marker) writeFileSync(edit.marker, 'handoff setup created the .codex/ folder of this worktree\n');
    } else if (edit.action === 'rmdir') {
      try {
        rmdirSync(edit.path);
        if (edit.marker) rmSync(edit.marker, { force: true });
      } catch {
        /* something was put in it since the plan: it is the user's now */
      }
    } else if (edit.action === 'delete') {
      rmSync(edit.path, { force: true });
      // An agent settings folder setup created (.codex/) goes with its last file.
      if (edit.backup) {
        try {
          rmdirSync(dirname(edit.path));
        } catch {
          /* not empty: other files live there */
        }
      }
    } else if (edit.after !== undefined) {
      // The user's own settings file may be a dotfiles link: write through it, keep the link.
      writeFileAtomic(edit.path, edit.after, { followSymlink: true });
      if (edit.executable) chmodSync(edit.path, 0o755);
    }
  }
  return backups;
}
