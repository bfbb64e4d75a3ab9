// The caches under `.codemap/cache/`: prefix + import graph by base tree id, parsed
// imports by blob id, and working-tree file facts by stat. All are disposable: a missing
// or invalid cache is a miss, and writes are atomic so a killed run leaves no torn file.
// A cache is trusted only as far as it is ours: one the repository tracks is neither read
// nor written, and a prefix that disagrees with the graph it was cached with is a miss.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import {
  CACHE_VERSION,
  fileHashCache,
  importsCache,
  prefixCache,
  savedState,
  type SavedState,
  type FileHashCache,
  type ImportsCache,
  type PrefixCache,
} from '../schema/cache.js';
import type { ImportGraph } from '../core/graph.js';
import { prefixMatchesGraph } from '../core/prefix.js';
import { READ_NO_FOLLOW, readCache, writeFileAtomic } from './atomic.js';
import { decodeGraph, encodeGraph } from './graph-file.js';

const PREFIX_CACHES_KEPT = 4;

export interface CacheStoreOptions {
  /** The worktree root the cache directory lies under (default: two levels up, `<root>/.codemap/cache`). */
  root?: string;
  /** File names in the cache directory that git tracks: never read, never written. */
  tracked?: ReadonlySet<string>;
}

export class CacheStore {
  private readonly root: string;
  private readonly tracked: ReadonlySet<string>;

  constructor(
    readonly dir: string,
    options: CacheStoreOptions = {},
  ) {
    this.root = options.root ?? dirname(dirname(dir));
    this.tracked = options.tracked ?? new Set();
  }

  private prefixPath(tree: string): string {
    return join(this.dir, `prefix-${tree}.json`);
  }

  private graphPath(tree: string): string {
    return join(this.dir, `graph-${tree}.bin`);
  }

  private read<S extends z.ZodType>(name: string, schema: S): z.infer<S> | undefined {
    return this.tracked.has(name) ? undefined : readCache(join(this.dir, name), schema);
  }

  private write(name: string, data: string | Buffer): void {
    if (!this.tracked.has(name)) writeFileAtomic(join(this.dir, name), data, { within: this.root });
  }

  readPrefix(tree: string, configKey: string): { meta: PrefixCache; graph: ImportGraph } | undefined {
    const meta = this.read(basename(this.prefixPath(tree)), prefixCache);
    if (!meta || meta.tree !== tree || meta.config_key !== configKey) return undefined;
    if (this.tracked.has(basename(this.graphPath(tree)))) return undefined;
    const bytes = readOwnBytes(this.graphPath(tree));
    if (bytes === undefined || bytes.length !== meta.graph_bytes) return undefined;
    const graph = decodeGraph(bytes, meta.graph_files);
    // The prefix must be the one this graph summarises (an edited file_count, hub or
    // base tree is a miss, and the prefix is rebuilt from the tree).
    return graph && prefixMatchesGraph(meta.prefix, tree, graph) ? { meta, graph } : undefined;
  }

  /** Graph first, then the JSON that points at it: a run killed in between leaves a miss. */
  writePrefix(cache: Omit<PrefixCache, 'cache_version' | 'graph_files' | 'graph_bytes'>, graph: ImportGraph): void {
    const bytes = encodeGraph(graph);
    this.write(basename(this.graphPath(cache.tree)), bytes);
    const meta: PrefixCache = {
      cache_version: CACHE_VERSION,
      ...cache,
      graph_files: graph.files.length,
      graph_bytes: bytes.length,
    };
    this.write(basename(this.prefixPath(cache.tree)), JSON.stringify(meta));
    this.prunePrefixes();
  }

  /** Keeps the few most recently written prefix caches (one per recent base). */
  private prunePrefixes(): void {
    try {
      const files = readdirSync(this.dir)
        .filter((f) => f.startsWith('prefix-') && f.endsWith('.json'))
        .map((f) => ({ f, t: statSync(join(this.dir, f)).mtimeMs }))
        .sort((a, b) => b.t - a.t);
      for (const { f } of files.slice(PREFIX_CACHES_KEPT).filter(({ f }) => !this.tracked.has(f))) {
        unlinkSync(join(this.dir, f));
        unlinkSync(join(this.dir, f.replace(/^prefix-(.*)\.json$/, 'graph-$1.bin')));
      }
    } catch {
      /* pruning is housekeeping; a race with another run is harmless */
    }
  }

  readSavedState(): SavedState | undefined {
    return this.read('saved-state.json', savedState);
  }

  writeSavedState(state: Omit<SavedState, 'cache_version'>): void {
    this.write('saved-state.json', JSON.stringify({ cache_version: CACHE_VERSION, ...state }));
  }

  readImports(parserVersion: number): ImportsCache['entries'] {
    const cache = this.read('imports.json', importsCache);
    return cache && cache.parser_version === parserVersion ? cache.entries : {};
  }

  writeImports(parserVersion: number, entries: ImportsCache['entries']): void {
    const cache = { cache_version: CACHE_VERSION, parser_version: parserVersion, entries };
    this.write('imports.json', JSON.stringify(cache));
  }

  readWorktree(parserVersion: number): Omit<FileHashCache, 'cache_version' | 'parser_version'> {
    const cache = this.read('worktree.json', fileHashCache);
    return cache && cache.parser_version === parserVersion
      ? { entries: cache.entries, resolution_key: cache.resolution_key, resolved: cache.resolved }
      : { entries: {}, resolution_key: '', resolved: {} };
  }

  writeWorktree(parserVersion: number, cache: Omit<FileHashCache, 'cache_version' | 'parser_version'>): void {
    this.write(
      'worktree.json',
      JSON.stringify({ cache_version: CACHE_VERSION, parser_version: parserVersion, ...cache }),
    );
  }
}

/** A cache file's bytes, or undefined when it is missing, a symlink or not a regular file. */
function readOwnBytes(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_NO_FOLLOW);
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}
