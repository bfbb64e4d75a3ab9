// Repository facts the handoff needs, each one git call with machine-readable (-z)
// output. Everything returned is plain data; failures are GitError or HandoffError.
// Paths are parsed from git's bytes and named as core/path-bytes.ts says (non-UTF-8
// bytes escaped), and nothing assumes a path is free of spaces, tabs or newlines.
import { isUtf8 } from 'node:buffer';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { HandoffError, UsageError } from '../errors.js';
import type { LayerChange } from '../core/changes.js';
import { isEscapedPath, repoPathBytes, repoPathText } from '../core/path-bytes.js';
import { catFileBatch, git, gitRaw, splitZ, splitZBytes } from './git.js';

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
  if (!isDir)
    throw new UsageError(
      `not a directory: ${dir}`,
      'give a directory inside a git repository (use --detail <file> for one file)',
    );
}

/** rev-parse prints one value per line; only the final newline is git's (a path may end in spaces). */
function outputLines(stdout: Buffer): string[] {
  const text = stdout.toString('utf8');
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** One rev-parse value on its own: the answer whatever newlines the path holds. */
async function revParseOne(cwd: string, ...options: string[]): Promise<string> {
  const text = (await gitRaw(['rev-parse', ...options], { cwd })).stdout.toString('utf8');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

const LAYOUT_VALUES = ['--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--is-shallow-repository'];

export async function openRepository(cwd: string): Promise<RepoInfo> {
  assertDirectory(cwd);
  // One call answers the common case (a branch or detached HEAD with commits); an
  // unborn branch, a non-repository, or paths holding a newline (more lines than
  // values) fall through to the slower path below.
  const fast = await gitRaw(
    [
      'rev-parse',
      '--show-toplevel',
      '--absolute-git-dir',
      '--git-common-dir',
      '--is-shallow-repository',
      'HEAD',
      '--symbolic-full-name',
      'HEAD',
    ],
    { cwd, okCodes: [128] },
  );
  const lines = outputLines(fast.stdout);
  if (fast.code === 0 && lines.length === 6 && /^[0-9a-f]{40,64}$/.test(lines[4]!)) {
    const [root, gitDir, commonDir, shallow, head, symbolic] = lines as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const branch = symbolic.startsWith('refs/heads/') ? symbolic.slice('refs/heads/'.length) : undefined;
    return { root, gitDir, commonDir: resolve(cwd, commonDir), shallow: shallow === 'true', branch, head };
  }
  let out: Buffer;
  try {
    out = (await gitRaw(['rev-parse', ...LAYOUT_VALUES], { cwd })).stdout;
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
  let values = outputLines(out);
  if (values.length !== 4) {
    values = await Promise.all(LAYOUT_VALUES.map((o) => revParseOne(cwd, o)));
  }
  const [root, gitDir, commonDir, shallow] = values;
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
  const res = await gitRaw(['rev-parse', '-q', '--verify', '--end-of-options', `${ref}^{commit}`], {
    cwd,
    okCodes: [1, 128],
  });
  return res.code === 0 ? res.stdout.toString('utf8').trim() : undefined;
}

/** Short names of local branches and origin's remote branches, in one call. */
export async function branchNames(cwd: string): Promise<Set<string>> {
  const out = await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes/origin'], { cwd });
  return new Set(out.split('\n').filter((l) => l !== ''));
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
  const out = (await gitRaw(['ls-tree', '-r', '-z', '--full-tree', tree], { cwd })).stdout;
  const pathOf = pathDecoder(out);
  const entries: TreeEntry[] = [];
  for (const record of splitZBytes(out)) {
    const tab = record.indexOf(9);
    if (tab < 0) continue;
    const [mode, type, blob] = record.toString('latin1', 0, tab).split(' ');
    if (type !== 'blob' || !mode || !blob) continue;
    entries.push({ path: pathOf(record.subarray(tab + 1)), blob, mode });
  }
  return entries;
}

/**
 * Path text for the fields of one git output. When the whole output is plain (valid
 * UTF-8, no `\x`), so is every field and decoding is all it takes: the hot path.
 */
function pathDecoder(whole: Buffer): (field: Buffer) => string {
  return isUtf8(whole) && whole.indexOf('\\x') < 0 ? (field) => field.toString('utf8') : repoPathText;
}

const DIFF_KIND: Record<string, LayerChange['kind']> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'added',
  T: 'typechange',
};

/** Files changed between two commits (committed on the branch since the base). */
export async function diffCommits(cwd: string, from: string, to: string): Promise<LayerChange[]> {
  const args = ['diff', '-z', '--name-status', '-M', '--no-ext-diff', '--no-textconv', from, to, '--'];
  const out = (await gitRaw(args, { cwd })).stdout;
  const pathOf = pathDecoder(out);
  const fields = splitZBytes(out);
  const next = (i: number): string => (fields[i] ? pathOf(fields[i]) : '');
  const changes: LayerChange[] = [];
  for (let i = 0; i < fields.length;) {
    const letter = String.fromCharCode(fields[i++]?.[0] ?? 0);
    if (letter === 'R' || letter === 'C') {
      const src = next(i++);
      const dst = next(i++);
      changes.push(
        letter === 'R'
          ? { layer: 'branch', path: dst, kind: 'renamed', from: src }
          : { layer: 'branch', path: dst, kind: 'added' },
      );
    } else {
      changes.push({ layer: 'branch', path: next(i++), kind: DIFF_KIND[letter] ?? 'modified' });
    }
  }
  return changes;
}

/** `git status` letters: the diff's, plus `U` (unmerged), which is work in progress. */
const STATUS_KIND: Record<string, LayerChange['kind']> = { ...DIFF_KIND, U: 'modified' };

const STATUS_ARGS = ['status', '--porcelain=v2', '-z', '--untracked-files=all', '--ignore-submodules=all', '--renames'];

/** `git status --porcelain=v2 -z` as text, for fingerprinting (non-UTF-8 bytes decode lossily). */
export async function statusRaw(cwd: string): Promise<string> {
  return (await statusBytes(cwd)).toString('utf8');
}

/** `git status --porcelain=v2 -z` as git wrote it: parse and digest these bytes. */
export async function statusBytes(cwd: string): Promise<Buffer> {
  return (await gitRaw(STATUS_ARGS, { cwd })).stdout;
}

/** Byte offset just past the `n`th space of a record (its header fields are ASCII). */
function afterSpaces(record: Buffer, n: number): number {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = record.indexOf(32, at + 1);
    if (at < 0) return record.length;
  }
  return at + 1;
}

/** Index and working-tree changes plus untracked files, from `git status --porcelain=v2 -z`. */
export function parseStatus(out: Buffer | string): LayerChange[] {
  const bytes = typeof out === 'string' ? Buffer.from(out, 'utf8') : out;
  const pathOf = pathDecoder(bytes);
  const fields = splitZBytes(bytes);
  const changes: LayerChange[] = [];
  for (let i = 0; i < fields.length; i++) {
    const record = fields[i]!;
    const type = String.fromCharCode(record[0] ?? 0);
    if (type === '?') {
      changes.push({ layer: 'untracked', path: pathOf(record.subarray(2)), kind: 'added' });
      continue;
    }
    if (type !== '1' && type !== '2' && type !== 'u') continue;
    // Fields before the path: 1 → 8, 2 → 9, u → 10; the path may itself hold spaces.
    const pathStart = afterSpaces(record, type === '1' ? 8 : type === '2' ? 9 : 10);
    const parts = record.toString('latin1', 0, pathStart).split(' ');
    const xy = parts[1] ?? '..';
    const sub = parts[2] ?? 'N...';
    const path = pathOf(record.subarray(pathStart));
    const fromField = type === '2' ? fields[++i] : undefined;
    const from = fromField ? pathOf(fromField) : undefined;
    if (!sub.startsWith('N')) continue;
    const x = xy[0] ?? '.';
    const y = xy[1] ?? '.';
    if (type === 'u') {
      changes.push({ layer: 'modified', path, kind: 'modified' });
      continue;
    }
    if (x !== '.') {
      const kind = STATUS_KIND[x] ?? 'modified';
      changes.push(
        kind === 'renamed' && from !== undefined
          ? { layer: 'staged', path, kind, from }
          : { layer: 'staged', path, kind: kind === 'renamed' ? 'added' : kind },
      );
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

/**
 * The newest `max` commits of `range` (e.g. base..HEAD), newest first, whatever their age:
 * the timeline keeps those inside its window, and the ranking takes each path's last
 * commit time from all of them (a path not among them was last committed before any).
 */
export async function branchCommits(cwd: string, range: string, max = 200): Promise<CommitTouch[]> {
  // Each commit is `\0<time>\0` then `\n<path>\0<path>\0…`: a path is never empty, so an
  // empty field marks the next commit whatever bytes the paths hold.
  const args = ['log', '-z', '--no-renames', '--name-only', '--format=%x00%ct', `--max-count=${max}`];
  const out = (await gitRaw([...args, range, '--'], { cwd })).stdout;
  const pathOf = pathDecoder(out);
  const fields = splitZBytes(out);
  const commits: CommitTouch[] = [];
  let current: CommitTouch | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field.length === 0) {
      const time = Number(fields[++i]?.toString('latin1'));
      current = Number.isFinite(time) ? { time, paths: [] } : undefined;
      if (current) commits.push(current);
      continue;
    }
    if (!current) continue;
    // git puts one newline before the first path; a path may itself start with one.
    const path = current.paths.length === 0 && field[0] === 10 ? field.subarray(1) : field;
    if (path.length > 0) current.paths.push(pathOf(path));
  }
  return commits;
}

/** Where git keeps a per-repository file (`info/exclude` lives in the common dir). */
export async function gitPath(cwd: string, name: string): Promise<string> {
  return resolve(cwd, await revParseOne(cwd, '--git-path', name));
}

/**
 * Several config values in one git call (a spawn costs about as much as reading the whole
 * store): each key's last non-empty value, as `git config --get` gives it; unset keys are
 * absent. Keys are given as git prints them (section and name lower-case) and matched whole.
 */
export async function configValues(cwd: string, keys: readonly string[]): Promise<Map<string, string>> {
  const pattern = `^(${keys.map((k) => k.replace(/[.^$*+?()[\]{}|\\]/g, '\\$&')).join('|')})$`;
  const res = await gitRaw(['config', '-z', '--get-regexp', pattern], { cwd, okCodes: [1] });
  const values = new Map<string, string>();
  if (res.code !== 0) return values;
  for (const entry of res.stdout.toString('utf8').split('\0')) {
    const newline = entry.indexOf('\n');
    if (newline < 0) continue;
    const key = keys.find((k) => k === entry.slice(0, newline));
    const value = entry.slice(newline + 1).trim();
    if (key !== undefined && value !== '') values.set(key, value);
  }
  return values;
}

/** Blob id and contents of each (rev, path) pair that exists, keyed `rev:path`; one cat-file for all. */
export async function readFilesAt(
  cwd: string,
  pairs: readonly { rev: string; path: string }[],
  maxBytes = 64 << 20,
): Promise<Map<string, { blob: string; body: Buffer }>> {
  const kept = pairs.filter((p) => !p.path.includes('\n') && !p.rev.includes('\n'));
  const asked = kept.map((p) => `${p.rev}:${p.path}`);
  const names = kept.map((p) =>
    isEscapedPath(p.path) ? Buffer.concat([Buffer.from(`${p.rev}:`), repoPathBytes(p.path)]) : `${p.rev}:${p.path}`,
  );
  const out = new Map<string, { blob: string; body: Buffer }>();
  await catFileBatch(cwd, names, maxBytes, (oid, body, _size, index) => {
    const key = asked[index];
    if (key !== undefined) out.set(key, { blob: oid, body });
  });
  return out;
}

/** The blob ids git would store for working-tree files (clean filters applied), in order. */
export async function hashObjects(cwd: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const nl = Buffer.from('\n');
  const input = Buffer.concat(paths.flatMap((p) => [repoPathBytes(p), nl]));
  const out = await git(['hash-object', '--stdin-paths'], { cwd, input });
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
