// Where handoff's files live. Artifacts and caches are per worktree (`.codemap/` in
// its root); the project config is read from the worktree, else the primary worktree.
import { basename, dirname, join } from 'node:path';

export const CODEMAP_DIR = '.codemap';

export interface Layout {
  dir: string;
  latest: string;
  prefix: string;
  delta: string;
  metricsLog: string;
  lock: string;
  cacheDir: string;
  config: string;
}

export function worktreeLayout(root: string): Layout {
  const dir = join(root, CODEMAP_DIR);
  return {
    dir,
    latest: join(dir, 'handoff.latest.json'),
    prefix: join(dir, 'handoff.prefix.json'),
    delta: join(dir, 'handoff.delta.json'),
    metricsLog: join(dir, 'handoff.metrics.log'),
    lock: join(dir, 'handoff.lock'),
    cacheDir: join(dir, 'cache'),
    config: join(dir, 'config.json'),
  };
}

/** The primary worktree's root, when the common git dir is a `.git` inside it. */
export function primaryWorktreeRoot(commonDir: string): string | undefined {
  return basename(commonDir) === '.git' ? dirname(commonDir) : undefined;
}
