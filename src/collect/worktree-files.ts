// Facts about changed files in the working tree: size, xxhash64 of the bytes, whether
// they are binary, and their import specifiers. Reused from a stat-keyed cache while
// size + mtime + ctime + inode are unchanged, so a warm run reads no file it has seen before.
// The worktree is live: a file that vanishes or changes type while it is read is looked
// at again, and is missing (so `deleted`) if it stays gone — never a crash.
import * as nodeFs from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { Hasher } from '../core/hash.js';
import { isEscapedPath, repoPathBytes } from '../core/path-bytes.js';
import { looksBinary } from '../core/exclude.js';
import { importLanguage } from '../core/imports/languages.js';
import { IMPORT_SCAN_BYTES } from '../core/imports/limits.js';
import { parseImports } from '../core/imports/parse.js';
import type { FileHashCache } from '../schema/cache.js';

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

/** Looks at a path that changed under us this many times before calling it missing. */
const VANISH_RETRIES = 3;

/** Errors that mean the path is gone or is no longer what lstat said, not that reading failed. */
const VANISHED = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EINVAL', 'ELOOP']);

/** The synchronous fs calls this module makes; a seam to force a race in tests. */
export type FileReader = Pick<
  typeof nodeFs,
  'lstatSync' | 'readFileSync' | 'readlinkSync' | 'openSync' | 'readSync' | 'closeSync'
>;

/** Where a repository path lives on disk: a Buffer path when its text is escaped bytes. */
export function worktreePath(root: string, path: string): string | Buffer {
  return isEscapedPath(path) ? Buffer.concat([Buffer.from(`${root}/`, 'utf8'), repoPathBytes(path)]) : join(root, path);
}

function vanished(error: unknown): boolean {
  return VANISHED.has((error as NodeJS.ErrnoException)?.code ?? '');
}

export class WorktreeFiles {
  readonly fresh: FileHashCache['entries'] = {};

  constructor(
    private readonly root: string,
    private readonly hasher: Hasher,
    private readonly cache: FileHashCache['entries'],
    private readonly nowMs: number,
    private readonly fs: FileReader = nodeFs,
  ) {}

  /** Undefined when the path does not exist (or is not a file or symlink), or vanished while read. */
  facts(path: string): FileFacts | undefined {
    const full = worktreePath(this.root, path);
    for (let attempt = 0; attempt < VANISH_RETRIES; attempt++) {
      try {
        return this.factsOnce(path, full);
      } catch (error) {
        if (!vanished(error)) throw error;
      }
    }
    return undefined;
  }

  private factsOnce(path: string, full: string | Buffer): FileFacts | undefined {
    let st: Stats;
    try {
      st = this.fs.lstatSync(full);
    } catch {
      return undefined;
    }
    if (!st.isFile() && !st.isSymbolicLink()) return undefined;
    const hit = this.cache[path];
    const unchanged = hit && hit.size === st.size && hit.mtime_ms === st.mtimeMs && hit.ctime_ms === st.ctimeMs;
    if (hit && unchanged && hit.ino === st.ino) {
      this.fresh[path] = hit;
      return { size: hit.size, hash: hit.hash, binary: hit.binary, mtimeMs: hit.mtime_ms, specifiers: hit.specifiers };
    }
    const facts = st.isSymbolicLink() ? this.symlinkFacts(full, st) : this.fileFacts(path, full, st);
    if (st.mtimeMs < this.nowMs - RACY_MS && st.ctimeMs < this.nowMs - RACY_MS) {
      const { size, hash, binary, specifiers } = facts;
      this.fresh[path] = { size, mtime_ms: st.mtimeMs, ctime_ms: st.ctimeMs, ino: st.ino, hash, binary, specifiers };
    }
    return facts;
  }

  private symlinkFacts(full: string | Buffer, st: Stats): FileFacts {
    return { ...linkHash(full, this.hasher, this.fs), binary: false, mtimeMs: st.mtimeMs, specifiers: null };
  }

  private fileFacts(path: string, full: string | Buffer, st: Stats): FileFacts {
    if (st.size <= WHOLE_READ_LIMIT) {
      const bytes = this.fs.readFileSync(full);
      const binary = looksBinary(bytes);
      const lang = importLanguage(path);
      const specifiers =
        !binary && lang ? parseImports(path, bytes.subarray(0, IMPORT_SCAN_BYTES).toString('utf8')) : null;
      return { size: bytes.length, hash: this.hasher.bytes(bytes), binary, mtimeMs: st.mtimeMs, specifiers };
    }
    let binary = false;
    let head: Buffer | undefined;
    const { size, hash } = streamHash(full, this.hasher, this.fs, (first) => {
      binary = looksBinary(first);
      head = Buffer.from(first.subarray(0, IMPORT_SCAN_BYTES));
    });
    const lang = importLanguage(path);
    const specifiers = !binary && lang && head ? parseImports(path, head.toString('utf8')) : null;
    return { size, hash, binary, mtimeMs: st.mtimeMs, specifiers };
  }
}

/** A symlink is described by its target bytes, as git stores them; it is never followed. */
function linkHash(full: string | Buffer, hasher: Hasher, fs: FileReader): { size: number; hash: string } {
  const target = fs.readlinkSync(full, { encoding: 'buffer' });
  return { size: target.length, hash: hasher.bytes(target) };
}

/** Hashes a file in chunks, handing the first chunk to `onFirst` (binary sniffing, imports). */
function streamHash(
  full: string | Buffer,
  hasher: Hasher,
  fs: FileReader,
  onFirst: (chunk: Buffer) => void,
): { size: number; hash: string } {
  const stream = hasher.stream();
  const buffer = Buffer.allocUnsafe(CHUNK);
  const fd = fs.openSync(full, 'r');
  let size = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = buffer.subarray(0, n);
      if (size === 0) onFirst(chunk);
      stream.update(chunk);
      size += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { size, hash: stream.digest() };
}

/**
 * xxhash64 of a working-tree path as the handoff describes it — a file's bytes, a
 * symlink's target text — without the cache or the import parsing; undefined when the
 * path is missing or neither.
 */
export function contentHash(full: string | Buffer, hasher: Hasher): string | undefined {
  for (let attempt = 0; attempt < VANISH_RETRIES; attempt++) {
    try {
      let st: Stats;
      try {
        st = nodeFs.lstatSync(full);
      } catch {
        return undefined;
      }
      if (st.isSymbolicLink()) return linkHash(full, hasher, nodeFs).hash;
      if (!st.isFile()) return undefined;
      if (st.size <= WHOLE_READ_LIMIT) return hasher.bytes(nodeFs.readFileSync(full));
      return streamHash(full, hasher, nodeFs, () => {}).hash;
    } catch (error) {
      if (!vanished(error)) throw error;
    }
  }
  return undefined;
}
