// What `handoff conflicts` asks git, without touching the worktree, the index or a ref:
// the version check, a scratch object directory every write goes to (so even the trees
// merge-tree writes leave no trace), the worktree as a temporary commit built through a
// throwaway index, `merge-tree --write-tree` and the files a commit changed since a base.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError, HandoffError } from '../errors.js';
import { repoPathText } from '../core/path-bytes.js';
import { git, gitRaw, splitZBytes } from './git.js';
import { gitPath, type RepoInfo } from './repo.js';

/** `merge-tree --write-tree` (a real merge without a worktree) came with git 2.38. */
export const MERGE_TREE_MIN_VERSION = '2.38';

/** The version `git version` printed ("2.39.5"), or undefined when it predates 2.38 or cannot be read. */
export function mergeTreeVersion(versionText: string): string | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(versionText);
  if (!match) return undefined;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 2 || (major === 2 && minor >= 38) ? match[0] : undefined;
}

/** The running git's version; throws a one-line error naming 2.38 when it is older. */
export async function requireMergeTree(cwd: string): Promise<string> {
  const text = (await git(['version'], { cwd })).trim();
  const version = mergeTreeVersion(text);
  if (version) return version;
  throw new HandoffError(
    `${text || 'this git'} cannot detect conflicts: handoff conflicts needs git ${MERGE_TREE_MIN_VERSION} or newer`,
    undefined,
    `upgrade git to ${MERGE_TREE_MIN_VERSION} or newer`,
  );
}

/**
 * A temporary directory whose `objects/` receives every object the queries write, the
 * repository's own objects read through GIT_ALTERNATE_OBJECT_DIRECTORIES. Disposed after.
 */
export interface Scratch {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  dispose(): void;
}

export async function openScratch(repo: RepoInfo): Promise<Scratch> {
  const objects = await gitPath(repo.root, 'objects');
  const dir = mkdtempSync(join(tmpdir(), 'handoff-conflicts-'));
  mkdirSync(join(dir, 'objects'));
  const env = { GIT_OBJECT_DIRECTORY: join(dir, 'objects'), GIT_ALTERNATE_OBJECT_DIRECTORIES: objects };
  return { dir, env, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The identity and date of the temporary commit: fixed, so no user configuration is needed. */
const SCRATCH_IDENTITY = {
  GIT_AUTHOR_NAME: 'handoff',
  GIT_AUTHOR_EMAIL: 'handoff@localhost',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_NAME: 'handoff',
  GIT_COMMITTER_EMAIL: 'handoff@localhost',
  GIT_COMMITTER_DATE: '1700000000 +0000',
};

export interface WorkCommit {
  /** HEAD when nothing is uncommitted, else a temporary commit (in the scratch dir) on top of HEAD. */
  commit: string | undefined;
  tree: string;
  uncommitted: boolean;
}

/**
 * The worktree as git would commit it with `git add -A`: staged, modified, untracked and
 * deleted files. A copy of the index (its stat data spares rehashing unchanged files) is
 * updated under GIT_INDEX_FILE in the scratch dir; the real index is only read.
 */
export async function worktreeCommit(repo: RepoInfo, scratch: Scratch): Promise<WorkCommit> {
  const index = join(scratch.dir, 'index');
  const realIndex = await gitPath(repo.root, 'index');
  const env = { ...scratch.env, GIT_INDEX_FILE: index };
  // A split index would write its shared part next to the real index: keep it whole.
  const run = (args: string[]): Promise<string> =>
    git(['-c', 'core.splitIndex=false', ...args], { cwd: repo.root, extraEnv: env });
  if (existsSync(realIndex)) copyFileSync(realIndex, index);
  else if (repo.head) await run(['read-tree', repo.head]);
  await run(['add', '-A', '--ignore-errors', '--', ':/']);
  const tree = (await run(['write-tree'])).trim();
  const headTree = repo.head ? (await run(['rev-parse', `${repo.head}^{tree}`])).trim() : undefined;
  if (repo.head && tree === headTree) return { commit: repo.head, tree, uncommitted: false };
  if (!repo.head) return { commit: undefined, tree, uncommitted: true };
  const parents = ['-p', repo.head];
  const commit = (
    await git(['commit-tree', tree, ...parents, '-m', 'handoff conflicts: uncommitted work'], {
      cwd: repo.root,
      extraEnv: { ...scratch.env, ...SCRATCH_IDENTITY },
    })
  ).trim();
  return { commit, tree, uncommitted: true };
}

/** The best common ancestor, or undefined when the histories share none (or a shallow clone cut it off). */
export async function scratchMergeBase(
  cwd: string,
  scratch: Scratch,
  a: string,
  b: string,
): Promise<string | undefined> {
  const res = await gitRaw(['merge-base', a, b], { cwd, okCodes: [1], extraEnv: scratch.env });
  return res.code === 0 ? res.stdout.toString('utf8').trim() : undefined;
}

export interface MergeOutcome {
  clean: boolean;
  /** Each conflicted path with the conflict types git names for it ("CONFLICT (contents)"). */
  conflicts: { path: string; types: string[] }[];
  /** Paths git had to merge because both sides changed them: conflicted or auto-merged. */
  bothChanged: string[];
}

/**
 * `git merge-tree --write-tree --name-only -z --messages` of two commits; the merged tree goes
 * to the scratch dir. Undefined when they share no history (unrelated, or cut off by a shallow clone).
 */
export async function mergeTree(
  cwd: string,
  scratch: Scratch,
  ours: string,
  theirs: string,
): Promise<MergeOutcome | undefined> {
  const args = ['merge-tree', '--write-tree', '--name-only', '-z', '--messages', ours, theirs];
  try {
    const res = await gitRaw(args, { cwd, okCodes: [1], extraEnv: scratch.env });
    return parseMergeTree(res.stdout, res.code === 0);
  } catch (error) {
    if (error instanceof GitError && /unrelated histories/.test(error.stderr)) return undefined;
    throw error;
  }
}

/**
 * Every pair merged in one `git merge-tree --stdin` process (one merge per pair, no process
 * per branch). A pair without common history stops the batch, so then each pair is merged
 * on its own and such a pair answers undefined.
 */
export async function mergeTrees(
  cwd: string,
  scratch: Scratch,
  pairs: readonly { ours: string; theirs: string }[],
): Promise<(MergeOutcome | undefined)[]> {
  if (pairs.length === 0) return [];
  const args = ['merge-tree', '--write-tree', '--name-only', '-z', '--messages', '--stdin'];
  const input = pairs.map((p) => `${p.ours} ${p.theirs}\n`).join('');
  try {
    const res = await gitRaw(args, { cwd, input, extraEnv: scratch.env });
    const outcomes = parseMergeTrees(res.stdout);
    if (outcomes.length === pairs.length) return outcomes;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
  }
  const outcomes: (MergeOutcome | undefined)[] = [];
  for (const p of pairs) outcomes.push(await mergeTree(cwd, scratch, p.ours, p.theirs));
  return outcomes;
}

/** The --stdin output: per merge, `<status>` (1 clean, 0 conflicted) then one merge's output, then an empty field. */
export function parseMergeTrees(out: Buffer): MergeOutcome[] {
  const fields = splitZBytes(out);
  const outcomes: MergeOutcome[] = [];
  for (let i = 0; i < fields.length;) {
    const status = fields[i]!.toString('latin1');
    if (status !== '0' && status !== '1') break;
    const end = mergeEnd(fields, i + 2);
    outcomes.push(parseMergeFields(fields.slice(i + 1, end), status === '1'));
    i = end + 1;
  }
  return outcomes;
}

/** Index of the empty field that closes one merge's records, its conflicted paths starting at `i`. */
function mergeEnd(fields: readonly Buffer[], i: number): number {
  while (i < fields.length && fields[i]!.length > 0) i++;
  for (i += 1; i < fields.length && fields[i]!.length > 0;) i += Number(fields[i]!.toString('latin1')) + 3;
  return Math.min(i, fields.length);
}

/**
 * The -z output: the tree, the conflicted paths up to an empty field, then records of
 * `<count> <path>… <type> <message>`. A CONFLICT record names its paths' conflict types; an
 * "Auto-merging" one a path both sides changed that merged; other records are dropped.
 */
export function parseMergeTree(out: Buffer, clean: boolean): MergeOutcome {
  return parseMergeFields(splitZBytes(out), clean);
}

function parseMergeFields(fields: readonly Buffer[], clean: boolean): MergeOutcome {
  const types = new Map<string, Set<string>>();
  const both = new Set<string>();
  let i = 1;
  for (; i < fields.length && fields[i]!.length > 0; i++) types.set(repoPathText(fields[i]!), new Set());
  for (i += 1; i < fields.length && fields[i]!.length > 0;) {
    const count = Number(fields[i]!.toString('latin1'));
    if (!Number.isInteger(count) || count < 0) break;
    const paths = fields.slice(i + 1, i + 1 + count).map((f) => repoPathText(f));
    const type = fields[i + 1 + count]?.toString('utf8') ?? '';
    i += count + 3;
    if (type === 'Auto-merging' || type.startsWith('CONFLICT')) for (const path of paths) both.add(path);
    if (!type.startsWith('CONFLICT')) continue;
    for (const path of paths) types.get(path)?.add(type);
  }
  for (const path of types.keys()) both.add(path);
  const conflicts = [...types].map(([path, set]) => ({ path, types: [...set].sort() }));
  return { clean: clean && conflicts.length === 0, conflicts, bothChanged: [...both] };
}

/** The commit each name resolves to (undefined where none), in one `cat-file --batch-check`. */
export async function resolveCommits(cwd: string, names: readonly string[]): Promise<(string | undefined)[]> {
  const asked = names.map((n) => (n.includes('\n') ? '' : n));
  if (asked.length === 0) return [];
  const input = asked.map((n) => `${n}^{commit}\n`).join('');
  const out = await git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { cwd, input });
  const lines = out.split('\n');
  return asked.map((n, k) => {
    const match = /^([0-9a-f]{40,64}) commit$/.exec(lines[k] ?? '');
    return n !== '' && match ? match[1] : undefined;
  });
}

/** Paths that differ between two commits (renames as a deletion and an addition). */
export async function changedPaths(cwd: string, scratch: Scratch, from: string, to: string): Promise<string[]> {
  const args = ['diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', from, to, '--'];
  const out = (await gitRaw(args, { cwd, extraEnv: scratch.env })).stdout;
  return splitZBytes(out).map((f) => repoPathText(f));
}

/** Paths of a tree (for a worktree without commits: everything in it is new). */
export async function treePaths(cwd: string, scratch: Scratch, tree: string): Promise<string[]> {
  const out = (await gitRaw(['ls-tree', '-r', '-z', '--name-only', tree], { cwd, extraEnv: scratch.env })).stdout;
  return splitZBytes(out).map((f) => repoPathText(f));
}

/** Every local branch and remote-tracking ref: full name → commit, in one call. */
export async function branchTips(cwd: string): Promise<Map<string, string>> {
  const out = await git(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/remotes'], { cwd });
  const tips = new Map<string, string>();
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) tips.set(line.slice(space + 1), line.slice(0, space));
  }
  return tips;
}
