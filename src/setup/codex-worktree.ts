// Codex 0.171.0 in a linked worktree reads the primary checkout's `.codex/hooks.json`, but
// only when the worktree has a `.codex/` folder of its own (without one, `hooks/list` lists
// nothing there). Setup creates that folder (empty: git status does not show it) and
// remembers so in the worktree's git dir, so `--remove` takes away only a folder it made.
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { joinLines } from '../errors.js';
import type { Check } from '../core/check.js';
import type { RepoInfo } from '../git/repo.js';
import { readTextIfExists } from '../store/atomic.js';
import { installedEvents, type PlannedEdit } from './plan.js';
import { codexProjectRoot } from './targets.js';

/** Left in the worktree's own git dir when setup created its `.codex/`. */
export const CREATED_MARKER = 'handoff-created-codex-dir';

const isDir = (path: string, follow: boolean): boolean => {
  try {
    return (follow ? statSync(path) : lstatSync(path)).isDirectory();
  } catch {
    return false;
  }
};

/** The edit giving a linked worktree its `.codex/` (on remove: taking ours away); none in the primary checkout. */
export function planWorktreeCodexDir(repo: RepoInfo, remove: boolean): PlannedEdit[] {
  const primary = codexProjectRoot(repo);
  if (primary === repo.root) return [];
  const dir = join(repo.root, '.codex');
  const marker = join(repo.gitDir, CREATED_MARKER);
  if (remove) {
    if (!existsSync(marker) || !isDir(dir, false) || readdirSync(dir).length > 0) return [];
    return [{ path: dir, action: 'rmdir', marker, why: 'remove the empty .codex/ folder setup created' }];
  }
  // Anything already there (the user's folder, even a file or a link) is left alone.
  try {
    lstatSync(dir);
    return [];
  } catch {
    /* missing: ours to create */
  }
  const hooks = join(primary, '.codex', 'hooks.json');
  const why = `let Codex in this linked worktree read ${hooks} (it needs a .codex/ here)`;
  return [{ path: dir, action: 'mkdir', marker, why }];
}

const NAME = 'codex worktree';
const FIX = 'handoff setup --agent codex (or mkdir .codex)';

/**
 * Doctor, in a linked worktree whose primary checkout holds our Codex hooks: warn when the
 * worktree has no `.codex/`, since Codex then runs none of them here. None elsewhere.
 */
export function worktreeCodexChecks(repo: RepoInfo): Check[] {
  try {
    const check = worktreeCodexCheck(repo);
    return check ? [check] : [];
  } catch (error) {
    return [{ name: NAME, status: 'fail', detail: joinLines((error as Error).message), fix: FIX }];
  }
}

function worktreeCodexCheck(repo: RepoInfo): Check | undefined {
  const primary = codexProjectRoot(repo);
  if (primary === repo.root) return undefined;
  const hooksFile = join(primary, '.codex', 'hooks.json');
  if (installedEvents(readTextIfExists(hooksFile)).size === 0) return undefined;
  const dir = join(repo.root, '.codex');
  if (isDir(dir, true)) return { name: NAME, status: 'ok', detail: `${dir} exists, so Codex reads ${hooksFile} here` };
  return {
    name: NAME,
    status: 'warn',
    detail: `Codex reads ${hooksFile} in this linked worktree only when it has a .codex/ folder, and ${dir} is missing`,
    fix: FIX,
  };
}
