// Which of handoff's own paths the repository tracks. A file git tracks came from the
// repository, not from a handoff run, so a cache among them is not trusted. HEAD's tree
// answers from two small tree objects, where `git ls-files` would read the whole index.
import { git, splitZ } from './git.js';

/**
 * Names of the entries HEAD's tree holds directly under `dir` (repository-relative,
 * POSIX); none on an unborn branch. A file only staged, never committed, is the user's
 * own doing rather than a clone's, and is not looked for.
 */
export async function trackedNamesIn(root: string, head: string | undefined, dir: string): Promise<Set<string>> {
  if (head === undefined) return new Set();
  const out = await git(['ls-tree', '-z', '--name-only', '--full-tree', head, '--', `${dir}/`], { cwd: root });
  return new Set(splitZ(out).map((p) => p.slice(dir.length + 1)));
}

/**
 * Which of `paths` (repository-relative, POSIX) the index tracks as entries of their own
 * (a folder's files do not count for the folder). Literal names: no pathspec magic.
 */
export async function trackedInIndex(root: string, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const out = await git(['--literal-pathspecs', 'ls-files', '-z', '--full-name', '--', ...paths], { cwd: root });
  const wanted = new Set(paths);
  return new Set(splitZ(out).filter((p) => wanted.has(p)));
}
