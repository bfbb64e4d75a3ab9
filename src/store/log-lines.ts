// Byte-level reading of append-only JSON-lines files: the complete lines after an
// offset (a torn last line is left out), and the single line that ends at an offset,
// which is how an open checks that a checkpoint's offset still belongs to its log.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const NEWLINE = 10;

/** Up to `length` bytes of an open file from `start` (fewer at its end). */
export function readAt(fd: number, start: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, bytes, read, length - read, start + read);
    if (n === 0) break;
    read += n;
  }
  return bytes.subarray(0, read);
}

/** Offset just past the last newline in the first `size` bytes of a file (0 if none). */
export function lastNewlineEnd(fd: number, size: number): number {
  const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const i = chunk.subarray(0, n).lastIndexOf(NEWLINE);
    if (i >= 0) return start + i + 1;
    end = start;
  }
  return 0;
}

/** Opens `path` for reading, or undefined when it does not exist. */
function openIfExists(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The complete lines of `path` from `offset` (without their newlines) and the offset just past the last one. */
export function completeLinesFrom(path: string, offset: number): { lines: string[]; end: number } {
  const fd = openIfExists(path);
  if (fd === undefined) return { lines: [], end: offset };
  let bytes: Buffer;
  try {
    bytes = readAt(fd, offset, Math.max(0, fstatSync(fd).size - offset));
  } finally {
    closeSync(fd);
  }
  const lastNewline = bytes.lastIndexOf(NEWLINE);
  if (lastNewline < 0) return { lines: [], end: offset };
  return { lines: bytes.subarray(0, lastNewline).toString('utf8').split('\n'), end: offset + lastNewline + 1 };
}

/**
 * The line of `path` that ends exactly at `offset` (without its newline): undefined when
 * the file is shorter, or `offset` is not just past a newline. Empty at offset 0.
 */
export function lineEndingAt(path: string, offset: number): string | undefined {
  const fd = openIfExists(path);
  if (fd === undefined) return offset === 0 ? '' : undefined;
  try {
    if (offset === 0) return '';
    if (offset > fstatSync(fd).size) return undefined;
    const start = lastNewlineEnd(fd, offset - 1);
    const line = readAt(fd, start, offset - start);
    if (line.length !== offset - start || line[line.length - 1] !== NEWLINE) return undefined;
    return line.subarray(0, -1).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
