// What `handoff setup` and `handoff doctor` need from the repository and the store, so that
// setup/ reaches them through api: the repository's facts (plain data), its hooks folder,
// the `.codemap/` exclusion, git's index, and the store's atomic, link-refusing file writes.
import { gitPath } from '../git/repo.js';
import { infoExcludePath } from '../store/layout.js';
import { ensureExcluded } from '../store/exclude.js';

export { canonicalJson } from '../core/canonical-json.js';
export { openRepository, type RepoInfo } from '../git/repo.js';
export { trackedInIndex } from '../git/tracked.js';
export { ensureDirWithin, readTextIfExists, unsafeDirWithin, writeFileAtomic } from '../store/atomic.js';
export { CODEMAP_DIR, primaryWorktreeRoot } from '../store/layout.js';

/** The folder git runs hooks from (core.hooksPath honoured). */
export async function gitHooksDir(cwd: string): Promise<string> {
  return gitPath(cwd, 'hooks');
}

/** Adds `.codemap/` to the repository's `info/exclude`, so setup's backups never dirty the tree. */
export function excludeCodemap(commonDir: string): void {
  ensureExcluded(infoExcludePath(commonDir));
}
