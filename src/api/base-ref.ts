// Which ref the handoff compares against: --ref, then the config's base_ref, then the
// first existing default in the Go tool's order (DEFAULT_BASE_REFS). With none, HEAD:
// the artifact names it "HEAD", and the warning and open question list what was tried.
import type { ProjectConfig } from '../schema/config.js';
import { UsageError } from '../errors.js';
import { readRefs } from '../git/base-refs.js';
import { verifyCommit, type RepoInfo } from '../git/repo.js';

export interface BaseRef {
  name: string;
  /** Commit the ref names; undefined when nothing could be resolved (compare to HEAD). */
  commit: string | undefined;
  /** How the ref was chosen, for messages. */
  source: 'flag' | 'config' | 'remote' | 'default' | 'fallback';
}

/**
 * The Go tool's order (codemap cmd/hooks.go resolveHandoffBaseRef): origin/HEAD's target,
 * local main, master, trunk, develop, then origin's. CI checkouts and clones set up with
 * `git remote add` + `fetch` have no origin/HEAD and often no local branch.
 */
export const DEFAULT_BASE_REFS = [
  'origin/HEAD',
  'main',
  'master',
  'trunk',
  'develop',
  'origin/main',
  'origin/master',
  'origin/trunk',
  'origin/develop',
] as const;

/** "origin/HEAD, main, …, origin/develop": what every no-base message says was tried. */
export const TRIED_BASE_REFS = DEFAULT_BASE_REFS.join(', ');

export const NO_BASE_WARNING =
  `handoff: no base ref found (tried ${TRIED_BASE_REFS}); comparing against HEAD — ` +
  'pass --ref <branch> or set base_ref in .codemap/config.json';

export const NO_BASE_QUESTION = `No base ref found (tried ${TRIED_BASE_REFS}): compared against HEAD. Which branch does this work merge into?`;

const fullName = (name: string): string => (name.startsWith('origin/') ? `refs/remotes/${name}` : `refs/heads/${name}`);

export async function resolveBaseRef(
  repo: RepoInfo,
  flag: string | undefined,
  config: ProjectConfig,
): Promise<BaseRef> {
  const explicit = flag ?? config.base_ref;
  if (explicit !== undefined) {
    const commit = await verifyCommit(repo.root, explicit);
    if (commit === undefined) {
      const where = flag !== undefined ? '--ref' : 'base_ref in .codemap/config.json';
      const hint = 'pass an existing branch or commit with --ref, e.g. --ref origin/main';
      throw new UsageError(`base ref "${explicit}" (from ${where}) does not name a commit`, hint);
    }
    return { name: explicit, commit, source: flag !== undefined ? 'flag' : 'config' };
  }
  // One git call for all nine instead of one rev-parse each.
  const refs = await readRefs(repo.root, DEFAULT_BASE_REFS.map(fullName));
  for (const name of DEFAULT_BASE_REFS) {
    const ref = refs.get(fullName(name));
    if (!ref) continue;
    // origin/HEAD is named by its target, as the Go tool names it (`origin/main`).
    if (name === 'origin/HEAD') return { name: ref.target ?? name, commit: ref.commit, source: 'remote' };
    return { name, commit: ref.commit, source: 'default' };
  }
  // Nothing to compare with: describe the work against HEAD rather than fail, and say so.
  // The name is HEAD, never the branch: on an unborn main "main" would read as the base.
  return { name: 'HEAD', commit: repo.head, source: 'fallback' };
}
