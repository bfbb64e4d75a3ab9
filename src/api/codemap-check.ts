// The doctor's check of `.codemap/` itself: a directory handoff may write into, holding
// none of the things a hostile repository could plant there — a symlinked `.codemap` or
// `.codemap/cache` (refused), symlinks in place of handoff's files, or caches git tracks.
import { lstatSync } from 'node:fs';
import { relative } from 'node:path';
import { trackedNamesIn } from '../git/tracked.js';
import type { RepoInfo } from '../git/repo.js';
import { unsafeDirWithin } from '../store/atomic.js';
import { CODEMAP_DIR, worktreeLayout } from '../store/layout.js';
import { sessionsPath } from '../store/sessions.js';
import type { Check } from '../core/check.js';

const NAME = '.codemap';

export async function codemapCheck(repo: RepoInfo): Promise<Check> {
  const layout = worktreeLayout(repo.root);
  const unsafe = unsafeDirWithin(layout.root, layout.cacheDir);
  if (unsafe) {
    const fix = `remove ${unsafe.path}; handoff recreates it as a directory`;
    return { name: NAME, status: 'fail', detail: unsafe.message, fix };
  }
  const own = [layout.latest, layout.prefix, layout.delta, layout.metricsLog, layout.lock, sessionsPath(layout)];
  const links = own.filter((p) => {
    try {
      return !lstatSync(p).isFile();
    } catch {
      return false;
    }
  });
  if (links.length > 0) {
    const names = links.map((p) => relative(layout.root, p)).join(', ');
    const detail = `${names}: not a regular file (a symlink?); handoff replaces it, never writing through it`;
    return { name: NAME, status: 'warn', detail, fix: `remove ${names}` };
  }
  const tracked = await trackedNamesIn(repo.root, repo.head, `${CODEMAP_DIR}/cache`);
  if (tracked.size > 0) {
    const fix = `git rm -r --cached ${CODEMAP_DIR}/cache`;
    const detail = `the repository tracks ${tracked.size} file(s) in ${CODEMAP_DIR}/cache/; handoff ignores them`;
    return { name: NAME, status: 'warn', detail, fix };
  }
  return { name: NAME, status: 'ok', detail: `${CODEMAP_DIR}/ is a directory handoff can write into` };
}
