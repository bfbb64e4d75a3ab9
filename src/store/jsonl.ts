// Capped JSON-lines logs (the metrics log, the store's event log): append whole lines
// and keep only the newest `keep`. Only the tail is read — backwards, in chunks, from the
// end, never more than `maxTailBytes` — so a log grown to gigabytes (or a sparse file)
// costs what its last lines cost. The log is never followed through a symlink.
import { closeSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import { READ_NO_FOLLOW, UPDATE_NO_FOLLOW, writeAllAt, writeFileAtomic } from './atomic.js';
import { readAt } from './log-lines.js';

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
  const fresh = lines.slice(-keep).map((l) => `${l}\n`).join('');
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

