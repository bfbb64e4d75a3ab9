// Facts about changed files in the working tree: size, xxhash64 of the bytes, whether
// they are binary, and their import specifiers. Reused from a stat-keyed cache while
// size + mtime + ctime + inode are unchanged, so a warm run reads no file it has seen before.
import { closeSync, lstatSync, openSync, readFileSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Hasher } from '../core/hash.js';
import { looksBinary } from '../core/exclude.js';
import { importLanguage } from '../core/imports/languages.js';
import { parseImports } from '../core/imports/parse.js';
import type { FileHashCache } from '../schema/cache.js';
import { IMPORT_SCAN_BYTES } from './prefix.js';

export interface FileFacts {
  size: number;
  hash: string;
  binary: boolean;
  mtimeMs: number;
  /** Import specifiers for a source file; null otherwise. */
  specifiers: string[] | null;
}

const CHUNK = 1 << 20;
/** Files above this are hashed in chunks rather than read whole. */
const WHOLE_READ_LIMIT = 16 << 20;

/** Entries modified this recently are not cached: a same-tick rewrite would go unseen. */
const RACY_MS = 2_000;

export class WorktreeFiles {
  readonly fresh: FileHashCache['entries'] = {};

  constructor(
    private readonly root: string,
    private readonly hasher: Hasher,
    private readonly cache: FileHashCache['entries'],
    private readonly nowMs: number,
  ) {}

  /** Undefined when the path does not exist (or is not a file or symlink). */
  facts(path: string): FileFacts | undefined {
    const full = join(this.root, path);
    let st: Stats;
    try {
      st = lstatSync(full);
    } catch {
      return undefined;
    }
    if (!st.isFile() && !st.isSymbolicLink()) return undefined;
    const hit = this.cache[path];
    if (hit && hit[0] === st.size && hit[1] === st.mtimeMs && hit[2] === st.ctimeMs && hit[3] === st.ino) {
      this.fresh[path] = hit;
      return { size: hit[0], hash: hit[4], binary: hit[5] === 1, mtimeMs: hit[1], specifiers: hit[6] };
    }
    const facts = st.isSymbolicLink() ? this.symlinkFacts(full, st) : this.fileFacts(path, full, st);
    if (st.mtimeMs < this.nowMs - RACY_MS && st.ctimeMs < this.nowMs - RACY_MS) {
      this.fresh[path] = [facts.size, st.mtimeMs, st.ctimeMs, st.ino, facts.hash, facts.binary ? 1 : 0, facts.specifiers];
    }
    return facts;
  }

  private symlinkFacts(full: string, st: Stats): FileFacts {
    return { ...linkHash(full, this.hasher), binary: false, mtimeMs: st.mtimeMs, specifiers: null };
  }

  private fileFacts(path: string, full: string, st: Stats): FileFacts {
    if (st.size <= WHOLE_READ_LIMIT) {
      const bytes = readFileSync(full);
      const binary = looksBinary(bytes);
      const lang = importLanguage(path);
      const specifiers = !binary && lang ? parseImports(path, bytes.subarray(0, IMPORT_SCAN_BYTES).toString('utf8')) : null;
      return { size: bytes.length, hash: this.hasher.bytes(bytes), binary, mtimeMs: st.mtimeMs, specifiers };
    }
    let binary = false;
    let head: Buffer | undefined;
    const { size, hash } = streamHash(full, this.hasher, (first) => {
      binary = looksBinary(first);
      head = Buffer.from(first.subarray(0, IMPORT_SCAN_BYTES));
    });
    const lang = importLanguage(path);
    const specifiers = !binary && lang && head ? parseImports(path, head.toString('utf8')) : null;
    return { size, hash, binary, mtimeMs: st.mtimeMs, specifiers };
  }
}

/** A symlink is described by its target text, as git stores it; it is never followed. */
function linkHash(full: string, hasher: Hasher): { size: number; hash: string } {
  const target = Buffer.from(readlinkSync(full, 'utf8'), 'utf8');
  return { size: target.length, hash: hasher.bytes(target) };
}

/** Hashes a file in chunks, handing the first chunk to `onFirst` (binary sniffing, imports). */
function streamHash(full: string, hasher: Hasher, onFirst: (chunk: Buffer) => void): { size: number; hash: string } {
  const stream = hasher.stream();
  const buffer = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(full, 'r');
  let size = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = buffer.subarray(0, n);
      if (size === 0) onFirst(chunk);
      stream.update(chunk);
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { size, hash: stream.digest() };
}

/**
 * xxhash64 of a working-tree path as the handoff describes it — a file's bytes, a
 * symlink's target text — without the cache or the import parsing; undefined when the
 * path is missing or neither.
 */
export function contentHash(full: string, hasher: Hasher): string | undefined {
  let st: Stats;
  try {
    st = lstatSync(full);
  } catch {
    return undefined;
  }
  if (st.isSymbolicLink()) return linkHash(full, hasher).hash;
  if (!st.isFile()) return undefined;
  return st.size <= WHOLE_READ_LIMIT ? hasher.bytes(readFileSync(full)) : streamHash(full, hasher, () => {}).hash;
}
