// JSON-lines files, the one mechanism behind the store's record log, its event log and
// the metrics log: checksummed lines, append at an offset (dropping a torn tail), a
// capped append, a validated reader and one repair. A capped append reads only the
// tail — backwards, in chunks, never more than `maxTailBytes` — so a log grown to
// gigabytes (or a sparse file) costs what its last lines cost. No symlink is followed.
import { closeSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import type { z } from 'zod';
import type { Hasher } from '../core/hash.js';
import { CorruptFileError } from '../errors.js';
import {
  APPEND_NO_FOLLOW,
  moveAside,
  parseJsonText,
  READ_NO_FOLLOW,
  readTextIfExists,
  UPDATE_NO_FOLLOW,
  writeAllAt,
  writeFileAtomic,
} from './atomic.js';
import { completeLinesFrom, readAt } from './log-lines.js';

/** A checksummed line is `<xxhash64 of json, 16 hex> <json>`. */
export const SUM_LENGTH = 16;

export const checkedLine = (json: string, hasher: Hasher): string => `${hasher.text(json)} ${json}\n`;

/** The checksum a checked line starts with. */
export const sumOf = (line: string): string => line.slice(0, SUM_LENGTH);

/** A line read back: a schema-valid value, else a CorruptFileError naming the file, the line and `hint`. */
export interface LineFormat<S extends z.ZodType> {
  schema: S;
  /** Checksummed lines (the record log); without it, plain JSON lines (events, metrics). */
  hasher?: Hasher;
  hint?: string;
}

/** `lineNo` counts from `offset` (a tail read), so the message names where the tail starts. */
export function decodeLine<S extends z.ZodType>(
  line: string,
  format: LineFormat<S>,
  where: { path: string; lineNo: number; offset?: number },
): z.infer<S> {
  const offset = where.offset ?? 0;
  const at = offset === 0 ? `line ${where.lineNo}` : `line ${where.lineNo} after byte ${offset}`;
  let json = line;
  if (format.hasher) {
    const space = line.indexOf(' ');
    json = line.slice(space + 1);
    if (space !== SUM_LENGTH || format.hasher.text(json) !== line.slice(0, space)) {
      throw new CorruptFileError(where.path, `${at} fails its checksum`, format.hint);
    }
  }
  try {
    return parseJsonText(json, format.schema, `${where.path} ${at}`);
  } catch (error) {
    if (error instanceof CorruptFileError) throw new CorruptFileError(error.file, error.reason, format.hint);
    throw error;
  }
}

/** Complete, valid lines of `path` from `offset` (a torn last line is not returned), and where they end. */
export function readLines<S extends z.ZodType>(
  path: string,
  format: LineFormat<S>,
  offset = 0,
): { values: z.infer<S>[]; end: number; lastSum?: string } {
  const { lines, end } = completeLinesFrom(path, offset);
  const nonEmpty = format.hasher ? lines : lines.filter((l) => l.trim() !== '');
  const values = nonEmpty.map((line, i) => decodeLine(line, format, { path, lineNo: i + 1, offset }));
  const last = format.hasher ? nonEmpty.at(-1) : undefined;
  return { values, end, ...(last !== undefined ? { lastSum: sumOf(last) } : {}) };
}

/** Appends `text` at `at` (dropping a torn tail left by a killed writer) and fsyncs; returns the new end. */
export function appendAt(path: string, at: number, text: string): number {
  const fd = openSync(path, APPEND_NO_FOLLOW);
  try {
    if (fstatSync(fd).size > at) ftruncateSync(fd, at);
    return at + writeAllAt(fd, text, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * Drops the lines of `path` that fail `format` (a torn tail included): the original is
 * moved aside and the valid lines written back. Returns what it did, or undefined when
 * every line was valid (or there is no file).
 */
export function repairLines<S extends z.ZodType>(
  path: string,
  format: LineFormat<S>,
  now: Date,
): { bad: number; kept: number; movedTo: string } | undefined {
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  const good: string[] = [];
  let bad = 0;
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      decodeLine(line, format, { path, lineNo: i + 1 });
      good.push(line);
    } catch {
      bad += 1;
    }
  }
  if (bad === 0) return undefined;
  const movedTo = moveAside(path, now);
  writeFileAtomic(path, good.map((l) => `${l}\n`).join(''));
  return { bad, kept: good.length, movedTo };
}

const CHUNK_BYTES = 64 * 1024;

export interface CappedLogOptions {
  /** Lines kept: the newest ones. */
  keep: number;
  /**
   * Append in place (cheap; a line torn by a kill is dropped by the next append) instead
   * of rewriting the log by rename on every append (always whole, for readers that
   * cannot skip a torn line). Either way a trim to `keep` lines is a rewrite by rename.
   */
  inPlace?: boolean;
  /**
   * No line we write is shorter than this: a log under `keep * minLineBytes` bytes cannot
   * hold more than `keep` lines, so an in-place append to it does not count them.
   */
  minLineBytes?: number;
  /** Bytes of tail read at most (default 4 KiB a line); older bytes are dropped. */
  maxTailBytes?: number;
  /** A trusted directory the log lies under (see WriteOptions.within). */
  within?: string;
}

/** Appends `lines` (no newlines inside) to the log at `path`, keeping the newest `keep`. */
export function appendCappedLines(path: string, lines: readonly string[], options: CappedLogOptions): void {
  const { keep } = options;
  const fresh = lines
    .slice(-keep)
    .map((l) => `${l}\n`)
    .join('');
  const within = options.within !== undefined ? { within: options.within } : {};
  const rewrite = (old: Buffer): void =>
    writeFileAtomic(path, Buffer.concat([old, Buffer.from(fresh, 'utf8')]), within);
  const fd = openLog(path, options.inPlace === true);
  if (fd === 'absent' || fd === 'foreign') {
    // Foreign: a symlink, a FIFO or a device where the log should be. It is replaced by
    // a regular file (the rename swaps the entry; what it pointed at is never touched).
    rewrite(Buffer.alloc(0));
    return;
  }
  let old: Buffer;
  try {
    const size = fstatSync(fd).size;
    const wantOld = Math.max(0, keep - Math.min(lines.length, keep));
    const countLines = !options.inPlace || size > wantOld * (options.minLineBytes ?? 1);
    const tail = readTail(fd, size, wantOld, options.maxTailBytes ?? keep * 4096, countLines);
    if (options.inPlace && !tail.trim) {
      if (tail.end < size) ftruncateSync(fd, tail.end);
      writeAllAt(fd, fresh, tail.end);
      return;
    }
    old = tail.bytes;
  } finally {
    closeSync(fd);
  }
  rewrite(old);
}

/** The open log (created when appending in place), or why there is none to read. */
function openLog(path: string, inPlace: boolean): number | 'absent' | 'foreign' {
  let fd: number;
  try {
    fd = openSync(path, inPlace ? UPDATE_NO_FOLLOW : READ_NO_FOLLOW, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK' || code === 'ENXIO') return 'foreign';
    if (code === 'ENOENT' && !inPlace) return 'absent';
    throw error;
  }
  if (fstatSync(fd).isFile()) return fd;
  closeSync(fd);
  return 'foreign';
}

interface Tail {
  /** End of the last complete line (a torn last line lies beyond it). */
  end: number;
  /** Whether older lines (or bytes past the read limit) must be dropped: the log needs a rewrite. */
  trim: boolean;
  /** The newest `want` complete lines, when they were counted. */
  bytes: Buffer;
}

/**
 * Reads backwards from the end until `want` complete lines are found (or, when
 * `countLines` is false, until the end of the last complete line is), reading at most
 * `limit` bytes. Lines cut by the limit are dropped whole.
 */
function readTail(fd: number, size: number, want: number, limit: number, countLines: boolean): Tail {
  const floor = Math.max(0, size - limit);
  const chunks: Buffer[] = [];
  let pos = size;
  let end = -1;
  let start = -1;
  let newlines = 0;
  // The n-th newline from the end closes the n-th newest line: the newest `want` lines
  // start just after newline number want + 1.
  scan: while (pos > floor) {
    const from = Math.max(floor, pos - CHUNK_BYTES);
    const chunk = readAt(fd, from, pos - from);
    chunks.push(chunk);
    pos = from;
    for (let i = chunk.length - 1; i >= 0; i--) {
      if (chunk[i] !== 10) continue;
      newlines += 1;
      if (newlines === 1) end = from + i + 1;
      if (!countLines) break scan;
      if (newlines === want + 1) {
        start = from + i + 1;
        break scan;
      }
    }
  }
  const none = Buffer.alloc(0);
  // No complete line at all: an empty log, torn bytes only, or garbage longer than the
  // limit (a sparse file of zeros).
  if (end < 0) return { end: 0, trim: size > limit, bytes: none };
  if (!countLines) return { end, trim: false, bytes: none };
  const read = Buffer.concat(chunks.reverse());
  const slice = (from: number): Buffer => read.subarray(from - pos, end - pos);
  if (start >= 0) return { end, trim: true, bytes: slice(start) };
  // At most `want` lines, all read: nothing to drop.
  if (pos === 0) return { end, trim: false, bytes: slice(0) };
  // The limit cut the scan: keep only the lines that lie wholly inside what was read.
  return { end, trim: true, bytes: slice(pos + read.indexOf(10) + 1) };
}
