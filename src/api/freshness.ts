// Cheap checks of whether a saved handoff still describes the worktree, for the
// session-start briefing: HEAD, the index as it was at the save, and the listed changed
// files (through the stat-keyed hash cache). No `git status`: on a huge repository that
// alone takes longer than the whole warm briefing may.
import { join } from 'node:path';
import type { Artifact } from '../schema/artifact.js';
import { statKey } from '../store/atomic.js';
import type { Hasher } from '../core/hash.js';
import { PARSER_VERSION } from '../core/imports/parse.js';
import { WorktreeFiles } from '../collect/worktree-files.js';
import type { RepoInfo } from '../git/repo.js';
import { CacheStore } from '../store/caches.js';
import type { Layout } from '../store/layout.js';

/**
 * Why the saved handoff no longer describes the worktree, or undefined. `statusDigest`
 * (xxhash64 of `git status` now), when the caller could afford it, catches edits to
 * files that were clean at the save and new untracked files.
 */
export function staleReason(
  artifact: Artifact,
  repo: RepoInfo,
  layout: Layout,
  hasher: Hasher,
  now: Date,
  statusDigest?: string,
): string | undefined {
  if ((repo.branch ?? 'HEAD') !== artifact.branch) return `the branch is now ${repo.branch ?? 'detached'}`;
  if ((repo.head ?? '') !== artifact.head) return 'HEAD moved since it was saved';
  const caches = new CacheStore(layout.cacheDir);
  const saved = caches.readSavedState();
  const current = saved !== undefined && saved.combined_hash === artifact.combined_hash;
  if (current && statusDigest !== undefined && saved.status !== statusDigest) return 'files changed since it was saved';
  if (current && saved.index !== statKey(join(repo.gitDir, 'index'))) return 'the index changed since it was saved';
  const files = new WorktreeFiles(repo.root, hasher, caches.readWorktree(PARSER_VERSION).entries, now.getTime());
  let differ = 0;
  for (const stub of artifact.delta.changed) {
    const facts = files.facts(stub.path);
    if (stub.status === 'deleted' ? facts !== undefined : facts?.hash !== stub.hash) differ += 1;
  }
  return differ > 0 ? `${differ} changed file${differ === 1 ? '' : 's'} differ from it` : undefined;
}
