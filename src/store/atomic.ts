// Durable file primitives: every write is temp file + fsync + rename in the same
// directory, so a reader sees the old bytes or the new ones, never a torn file; every
// read goes through a zod schema, and a file that fails it is a CorruptFileError.
// Writes never follow a symlink unless the caller opts in (setup, for the user's own
// dotfiles): a link committed into a repository must not redirect a write out of it.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { z } from 'zod';
import { CorruptFileError, UnsafePathError } from '../errors.js';

/** open(2) flags of an append that must not follow a symlink (a committed link would redirect it). */
export const APPEND_NO_FOLLOW = constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW;
/** Read without following a symlink or blocking on a FIFO. */
export const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** Read and write without following a symlink or blocking on a FIFO; created when missing. */
export const UPDATE_NO_FOLLOW = constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export interface WriteOptions {
  /**
   * Write to the file a symlink points at, keeping the link (a dotfiles-managed settings
   * file stays a link). Only `handoff setup` asks for this; every other write replaces a
   * symlink at `path` by a regular file (the rename swaps the link, never its target).
   */
  followSymlink?: boolean;
  /**
   * A trusted directory that `path` lies under: every directory between it and the file
   * must be a real directory (created when missing), never a symlink or a file.
   */
  within?: string;
}

export function writeFileAtomic(path: string, data: string | Buffer, options: WriteOptions = {}): void {
  const target = options.followSymlink ? resolveLink(path) : path;
  const dir = dirname(target);
  if (options.within !== undefined && !options.followSymlink) ensureDirWithin(options.within, dir);
  else mkdirSync(dir, { recursive: true });
  // Keep the mode of the file being replaced (a 0600 file stays 0600); a symlink we are
  // about to replace lends nothing, so its target is never even looked at.
  let mode = 0o644;
  try {
    const st = lstatSync(target);
    if (st.isFile()) mode = st.mode & 0o7777;
  } catch {
    /* a new file */
  }
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // O_EXCL: a link planted under the temp name fails the open instead of being followed.
  const fd = openSync(temp, 'wx', mode);
  try {
    // writeFileSync on a descriptor loops until every byte is written: a short write
    // (a full disk) throws instead of leaving a torn file to be renamed into place.
    writeFileSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDir(dir);
}

/** The file a path names, following symlinks; the path itself when it does not exist yet. */
function resolveLink(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
  } catch {
    return path;
  }
}

/**
 * What is wrong with `dir` as a place to write under `root`: the first component below
 * `root` that exists but is a symlink or not a directory, or undefined when all is well
 * (missing components are fine: they will be created).
 */
export function unsafeDirWithin(root: string, dir: string): UnsafePathError | undefined {
  let at = root;
  for (const part of componentsBelow(root, dir)) {
    at = join(at, part);
    let st;
    try {
      st = lstatSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (st.isSymbolicLink()) return new UnsafePathError(relative(root, at), root, 'a symlink');
    if (!st.isDirectory()) return new UnsafePathError(relative(root, at), root, 'a file');
  }
  return undefined;
}

/** Creates `dir` under `root` one level at a time, refusing any component that is a symlink or a file. */
export function ensureDirWithin(root: string, dir: string): void {
  let at = root;
  for (const part of componentsBelow(root, dir)) {
    at = join(at, part);
    try {
      mkdirSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const st = lstatSync(at);
    if (st.isSymbolicLink()) throw new UnsafePathError(relative(root, at), root, 'a symlink');
    if (!st.isDirectory()) throw new UnsafePathError(relative(root, at), root, 'a file');
  }
}

function componentsBelow(root: string, dir: string): string[] {
  const rel = relative(root, dir);
  if (rel === '') return [];
  if (rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`${dir} is not inside ${root}`);
  return rel.split(sep);
}

/** Appends every byte of `text` at `offset` of an open file and fsyncs it. */
export function writeAllAt(fd: number, text: string, offset: number | null): number {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length)
    done += writeSync(fd, bytes, done, bytes.length - done, offset === null ? null : offset + done);
  fsyncSync(fd);
  return bytes.length;
}

/** Makes the rename itself durable; not every platform can open a directory. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* best effort: the rename is already atomic */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface ReadOptions {
  /**
   * A file handoff itself writes (under `.codemap/`): a symlink there was planted, so it
   * is not followed (reading `~/.ssh/id_rsa` into an error message, or a link to
   * /dev/zero, is what a hostile repository would want) and reads as a corrupt file.
   */
  noFollow?: boolean;
  /** Label for errors (default: the path). */
  label?: string;
}

/**
 * The text of a regular file, or undefined when it does not exist (ENOENT, or ENOTDIR:
 * a component of the path is a file). A FIFO or a device is never read: it could block
 * or never end, so it is a CorruptFileError, as is a symlink under `noFollow`.
 */
export function readTextIfExists(path: string, options: ReadOptions = {}): string | undefined {
  const label = options.label ?? path;
  let fd: number;
  try {
    const flags = options.noFollow ? READ_NO_FOLLOW : constants.O_RDONLY | constants.O_NONBLOCK;
    fd = openSync(path, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'ELOOP' && options.noFollow) throw new CorruptFileError(label, 'a symlink, not followed');
    throw error;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new CorruptFileError(label, 'not a regular file');
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Parses and validates a JSON file; undefined when it does not exist. */
export function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  label = path,
  options: ReadOptions = {},
): z.infer<S> | undefined {
  const text = readTextIfExists(path, { ...options, label });
  if (text === undefined) return undefined;
  return parseJsonText(text, schema, label);
}

export function parseJsonText<S extends z.ZodType>(text: string, schema: S, label: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorruptFileError(label, `not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new CorruptFileError(label, `${issue?.message ?? 'schema mismatch'}${where}`);
  }
  return parsed.data;
}

/** A cache read: a missing, unreadable or invalid cache is simply a miss. */
export function readCache<S extends z.ZodType>(path: string, schema: S): z.infer<S> | undefined {
  try {
    return readJsonFile(path, schema, path, { noFollow: true });
  } catch {
    return undefined;
  }
}

/** Pretty JSON with a trailing newline; key order is the order the object was built in. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** size:mtime:ctime:ino of a path (not followed), or '-' when it does not exist: changes whenever git would look again. */
export function statKey(path: string): string {
  try {
    const st = lstatSync(path);
    return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  } catch {
    return '-';
  }
}

/**
 * Moves a file that failed validation aside as `<path>.corrupt-<time>` (never overwritten
 * in place, so nothing is lost); returns the new path.
 */
export function moveAside(path: string, now: Date): string {
  const target = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, target);
  return target;
}
