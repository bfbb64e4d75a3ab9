// Repository facts the handoff needs, each one git call with machine-readable (-z)
// output. Everything returned is plain data; failures are GitError or HandoffError.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { HandoffError, UsageError } from '../errors.js';
import type { LayerChange } from '../core/changes.js';
import { catFileBatch, git, gitRaw, splitZ } from './git.js';

export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export interface RepoInfo {
  /** Absolute worktree root. */
  root: string;
  gitDir: string;
  commonDir: string;
  shallow: boolean;
  /** Short branch name; undefined when HEAD is detached. */
  branch: string | undefined;
  /** HEAD commit; undefined on an unborn branch (no commits yet). */
  head: string | undefined;
}

/** A directory given by the user that is missing or not a directory is bad input. */
function assertDirectory(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UsageError(`no such directory: ${dir}`, 'give a directory inside a git repository');
  }
  if (!isDir) throw new UsageError(`not a directory: ${dir}`, 'give a directory inside a git repository (use --detail <file> for one file)');
}

export async function openRepository(cwd: string): Promise<RepoInfo> {
  assertDirectory(cwd);
  // One call answers the common case (a branch or detached HEAD with commits); an
  // unborn branch or a non-repository falls through to the slower path below.
  const fast = await gitRaw(
    ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--is-shallow-repository', 'HEAD', '--symbolic-full-name', 'HEAD'],
    { cwd, okCodes: [128] },
  );
  const lines = fast.stdout.toString('utf8').trimEnd().split('\n');
  if (fast.code === 0 && lines.length === 6 && /^[0-9a-f]{40,64}$/.test(lines[4]!)) {
    const [root, gitDir, commonDir, shallow, head, symbolic] = lines as [string, string, string, string, string, string];
    const branch = symbolic.startsWith('refs/heads/') ? symbolic.slice('refs/heads/'.length) : undefined;
    return { root, gitDir, commonDir: resolve(cwd, commonDir), shallow: shallow === 'true', branch, head };
  }
  let out: string;
  try {
    out = await git(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--is-shallow-repository'], { cwd });
  } catch (error) {
    const text = (error as { stderr?: string }).stderr ?? '';
    if (/not a git repository/i.test(text)) {
      throw new UsageError(`not a git repository: ${cwd}`, 'run handoff inside a git repository, or pass -C <dir>');
    }
    if (/must be run in a work tree|bare repository/i.test(text)) {
      throw new UsageError(`no working tree at ${cwd} (bare repository?)`, 'run handoff inside a checkout');
    }
    throw error;
  }
  const [root, gitDir, commonDir, shallow] = out.trimEnd().split('\n');
  if (!root || !gitDir || !commonDir) throw new HandoffError(`could not read the repository layout at ${cwd}`);
  const [branchOut, headOut] = await Promise.all([
    gitRaw(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: root, okCodes: [1] }),
    gitRaw(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { cwd: root, okCodes: [1] }),
  ]);
  const branch = branchOut.code === 0 ? branchOut.stdout.toString('utf8').trim() : undefined;
  const head = headOut.code === 0 ? headOut.stdout.toString('utf8').trim() : undefined;
  return { root, gitDir, commonDir: resolve(cwd, commonDir), shallow: shallow === 'true', branch, head };
}

export async function verifyCommit(cwd: string, ref: string): Promise<string | undefined> {
  if (ref.startsWith('-')) return undefined;
  const res = await gitRaw(['rev-parse', '-q', '--verify', '--end-of-options', `${ref}^{commit}`], { cwd, okCodes: [1, 128] });
  return res.code === 0 ? res.stdout.toString('utf8').trim() : undefined;
}

/** Short names of local branches and origin's remote branches, in one call. */
export async function branchNames(cwd: string): Promise<Set<string>> {
  const out = await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes/origin'], { cwd });
  return new Set(out.split('\n').filter((l) => l !== ''));
}

/** `origin/main` when refs/remotes/origin/HEAD points there. */
export async function remoteDefaultBranch(cwd: string): Promise<string | undefined> {
  const res = await gitRaw(['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD'], { cwd, okCodes: [1, 128] });
  const name = res.stdout.toString('utf8').trim();
  return res.code === 0 && name ? name : undefined;
}

export async function mergeBase(cwd: string, a: string, b: string): Promise<string | undefined> {
  const res = await gitRaw(['merge-base', a, b], { cwd, okCodes: [1] });
  return res.code === 0 ? res.stdout.toString('utf8').trim() : undefined;
}

export async function treeOf(cwd: string, commit: string): Promise<string> {
  return (await git(['rev-parse', `${commit}^{tree}`], { cwd })).trim();
}

export interface TreeEntry {
  path: string;
  blob: string;
  /** git file mode: 100644, 100755, 120000 (symlink). */
  mode: string;
}

/** Every blob of a tree (submodules skipped), in git's order. */
export async function listTree(cwd: string, tree: string): Promise<TreeEntry[]> {
  const out = await git(['ls-tree', '-r', '-z', '--full-tree', tree], { cwd });
  const entries: TreeEntry[] = [];
  for (const record of splitZ(out)) {
    const tab = record.indexOf('\t');
    const [mode, type, blob] = record.slice(0, tab).split(' ');
    if (type !== 'blob' || !mode || !blob) continue;
    entries.push({ path: record.slice(tab + 1), blob, mode });
  }
  return entries;
}

const DIFF_KIND: Record<string, LayerChange['kind']> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'added', T: 'typechange' };

/** Files changed between two commits (committed on the branch since the base). */
export async function diffCommits(cwd: string, from: string, to: string): Promise<LayerChange[]> {
  const out = await git(['diff', '-z', '--name-status', '-M', '--no-ext-diff', '--no-textconv', from, to, '--'], { cwd });
  const fields = splitZ(out);
  const changes: LayerChange[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++] ?? '';
    const letter = code[0] ?? '';
    if (letter === 'R' || letter === 'C') {
      const src = fields[i++] ?? '';
      const dst = fields[i++] ?? '';
      changes.push(letter === 'R' ? { layer: 'branch', path: dst, kind: 'renamed', from: src } : { layer: 'branch', path: dst, kind: 'added' });
    } else {
      changes.push({ layer: 'branch', path: fields[i++] ?? '', kind: DIFF_KIND[letter] ?? 'modified' });
    }
  }
  return changes;
}

const STATUS_KIND: Record<string, LayerChange['kind']> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'added', T: 'typechange', U: 'modified' };

const STATUS_ARGS = ['status', '--porcelain=v2', '-z', '--untracked-files=all', '--ignore-submodules=all', '--renames'];

/** `git status --porcelain=v2 -z` as it is, for fingerprinting. */
export function statusRaw(cwd: string): Promise<string> {
  return git(STATUS_ARGS, { cwd });
}

/** Index and working-tree changes plus untracked files, from `git status --porcelain=v2 -z`. */
export function parseStatus(out: string): LayerChange[] {
  const fields = splitZ(out);
  const changes: LayerChange[] = [];
  for (let i = 0; i < fields.length; i++) {
    const record = fields[i] ?? '';
    const type = record[0];
    if (type === '?') {
      changes.push({ layer: 'untracked', path: record.slice(2), kind: 'added' });
      continue;
    }
    if (type !== '1' && type !== '2' && type !== 'u') continue;
    const parts = record.split(' ');
    const xy = parts[1] ?? '..';
    const sub = parts[2] ?? 'N...';
    // Fields before the path: 1 → 8, 2 → 9, u → 10; the path may itself hold spaces.
    const pathField = type === '1' ? 8 : type === '2' ? 9 : 10;
    const path = parts.slice(pathField).join(' ');
    const from = type === '2' ? fields[++i] : undefined;
    if (!sub.startsWith('N')) continue;
    const x = xy[0] ?? '.';
    const y = xy[1] ?? '.';
    if (type === 'u') {
      changes.push({ layer: 'modified', path, kind: 'modified' });
      continue;
    }
    if (x !== '.') {
      const kind = STATUS_KIND[x] ?? 'modified';
      changes.push(kind === 'renamed' && from !== undefined ? { layer: 'staged', path, kind, from } : { layer: 'staged', path, kind: kind === 'renamed' ? 'added' : kind });
    }
    if (y !== '.') changes.push({ layer: 'modified', path, kind: STATUS_KIND[y] ?? 'modified' });
  }
  return changes;
}

export interface CommitTouch {
  /** Committer time, seconds since the epoch. */
  time: number;
  paths: string[];
}

/** Commits in `range` (e.g. base..HEAD) committed since `sinceSeconds`, newest first. */
export async function commitsSince(cwd: string, range: string, sinceSeconds: number, max = 200): Promise<CommitTouch[]> {
  const out = await git(
    ['log', '-z', '--no-renames', '--name-only', '--format=%x1e%ct', `--since=${sinceSeconds}`, `--max-count=${max}`, range, '--'],
    { cwd },
  );
  const commits: CommitTouch[] = [];
  for (const chunk of out.split('\x1e')) {
    if (chunk === '') continue;
    const fields = chunk.split('\0');
    const time = Number(fields[0]);
    const paths = fields.slice(1).map((p, i) => (i === 0 && p.startsWith('\n') ? p.slice(1) : p)).filter((p) => p !== '');
    if (Number.isFinite(time)) commits.push({ time, paths });
  }
  return commits;
}

/** Where git keeps a per-repository file (`info/exclude` lives in the common dir). */
export async function gitPath(cwd: string, name: string): Promise<string> {
  return resolve(cwd, (await git(['rev-parse', '--git-path', name], { cwd })).trim());
}

/** A config value, or undefined when unset. */
export async function configValue(cwd: string, key: string): Promise<string | undefined> {
  const res = await gitRaw(['config', '--get', key], { cwd, okCodes: [1] });
  const value = res.stdout.toString('utf8').trim();
  return res.code === 0 && value !== '' ? value : undefined;
}

/** Blob id and contents of each (rev, path) pair that exists, keyed `rev:path`; one cat-file for all. */
export async function readFilesAt(cwd: string, pairs: readonly { rev: string; path: string }[], maxBytes = 64 << 20): Promise<Map<string, { blob: string; body: Buffer }>> {
  const asked = pairs.filter((p) => !p.path.includes('\n') && !p.rev.includes('\n')).map((p) => `${p.rev}:${p.path}`);
  const out = new Map<string, { blob: string; body: Buffer }>();
  await catFileBatch(cwd, asked, maxBytes, (oid, body, _size, index) => {
    const key = asked[index];
    if (key !== undefined) out.set(key, { blob: oid, body });
  });
  return out;
}

/** The blob ids git would store for working-tree files (clean filters applied), in order. */
export async function hashObjects(cwd: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const out = await git(['hash-object', '--stdin-paths'], { cwd, input: `${paths.join('\n')}\n` });
  return out.trim().split('\n');
}

/** Checked-out branch → worktree path, for every worktree of the clone. */
export async function worktreeBranches(cwd: string): Promise<Map<string, string>> {
  const out = await git(['worktree', 'list', '--porcelain', '-z'], { cwd });
  const map = new Map<string, string>();
  let path: string | undefined;
  for (const field of splitZ(out)) {
    if (field.startsWith('worktree ')) path = field.slice('worktree '.length);
    else if (field.startsWith('branch refs/heads/') && path) map.set(field.slice('branch refs/heads/'.length), path);
  }
  return map;
}
