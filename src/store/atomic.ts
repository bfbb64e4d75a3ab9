// Durable file primitives: every write is temp file + fsync + rename in the same
// directory, so a reader sees the old bytes or the new ones, never a torn file; every
// read goes through a zod schema, and a file that fails it is a CorruptFileError.
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { CorruptFileError } from '../errors.js';

export function writeFileAtomic(path: string, data: string | Buffer): void {
  // Write through a symlink to its target (a dotfiles-managed settings file stays a
  // link), and keep the mode of the file being replaced (a 0600 file stays 0600).
  const target = resolveLink(path);
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  let mode = 0o644;
  try {
    mode = statSync(target).mode & 0o7777;
  } catch {
    /* a new file */
  }
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'w', mode);
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

/** Appends every byte of `text` at `offset` of an open file and fsyncs it. */
export function writeAllAt(fd: number, text: string, offset: number | null): number {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, offset === null ? null : offset + done);
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

export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Parses and validates a JSON file we own; undefined when it does not exist. */
export function readJsonFile<S extends z.ZodType>(path: string, schema: S, label = path): z.infer<S> | undefined {
  const text = readTextIfExists(path);
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
    return readJsonFile(path, schema);
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
