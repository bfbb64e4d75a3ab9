// Where handoff's files live. Artifacts and caches are per worktree (`.codemap/` in
// its root); the project config is read from the worktree, else the primary worktree;
// the team store is per clone, in the git common dir (storeLayout).
// `.codemap/` may come from a cloned repository, so it is checked before it is used:
// a `.codemap` or `.codemap/cache` that is a symlink or a file is refused.
import { lstatSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensureDirWithin, unsafeDirWithin } from './atomic.js';
import { withLock, type LockOptions } from './lock.js';

export const CODEMAP_DIR = '.codemap';

export interface Layout {
  /** The worktree root: every write below stays inside it. */
  root: string;
  dir: string;
  latest: string;
  prefix: string;
  delta: string;
  metricsLog: string;
  lock: string;
  cacheDir: string;
  config: string;
  /** The last `handoff conflicts` result the stop hook saved (read by the briefing, state, the artifact). */
  conflicts: string;
}

export function worktreeLayout(root: string): Layout {
  const dir = join(root, CODEMAP_DIR);
  return {
    root,
    dir,
    latest: join(dir, 'handoff.latest.json'),
    prefix: join(dir, 'handoff.prefix.json'),
    delta: join(dir, 'handoff.delta.json'),
    metricsLog: join(dir, 'handoff.metrics.log'),
    lock: join(dir, 'handoff.lock'),
    cacheDir: join(dir, 'cache'),
    config: join(dir, 'config.json'),
    conflicts: join(dir, 'handoff.conflicts.json'),
  };
}

/** The clone's exclude file, shared by every worktree (keeps `.codemap/` out of git status). */
export function infoExcludePath(commonDir: string): string {
  return join(commonDir, 'info', 'exclude');
}

/** The team store's directory name inside the git common dir. */
export const STORE_DIR_NAME = 'codemap-handoff';

export interface StoreLayout {
  dir: string;
  /** The checkpoint: live contexts and the log offset they cover. */
  checkpoint: string;
  developers: string;
  sightings: string;
  events: string;
  lock: string;
  /** A log file by its ULID. */
  log: (id: string) => string;
}

/** Log files are `log-<ULID>.jsonl`: their names sort by time. */
export const LOG_FILE = /^log-([0-9A-Z]+)\.jsonl$/;

/** The clone's team store, shared by every worktree. */
export function storeLayout(commonDir: string): StoreLayout {
  return storeLayoutIn(join(commonDir, STORE_DIR_NAME));
}

/** The store's files in `dir` (tests and tools that hold the directory itself). */
export function storeLayoutIn(dir: string): StoreLayout {
  return {
    dir,
    checkpoint: join(dir, 'active.json'),
    developers: join(dir, 'developers.json'),
    sightings: join(dir, 'stale.json'),
    events: join(dir, 'events.jsonl'),
    lock: join(dir, 'store.lock'),
    log: (id) => join(dir, `log-${id}.jsonl`),
  };
}

/** The primary worktree's root, when the common git dir is a `.git` inside it. */
export function primaryWorktreeRoot(commonDir: string): string | undefined {
  return basename(commonDir) === '.git' ? dirname(commonDir) : undefined;
}

/**
 * Throws UnsafePathError when `.codemap` or `.codemap/cache` exists but is not a real
 * directory. Readers call it too, so a `.codemap` file is one clear line, not ENOTDIR.
 */
export function assertCodemapDir(layout: Layout): void {
  const problem = unsafeDirWithin(layout.root, layout.cacheDir);
  if (problem) throw problem;
}

/**
 * Runs `fn` under the worktree lock, after making `.codemap/` a real directory. A lock
 * entry that is not a regular file (a committed symlink to /dev/zero, a FIFO) was never
 * made by a handoff and would hang the lock's read of its holder, so it is removed
 * (unlink removes the entry, never what a link points at).
 */
export async function withWorktreeLock<T>(layout: Layout, fn: () => Promise<T> | T, options?: LockOptions): Promise<T> {
  ensureDirWithin(layout.root, layout.dir);
  for (const path of [layout.lock, `${layout.lock}.takeover`]) {
    try {
      const st = lstatSync(path);
      if (!st.isFile() && !st.isDirectory()) unlinkSync(path);
    } catch {
      /* absent, or gone meanwhile */
    }
  }
  return withLock(layout.lock, fn, options);
}
