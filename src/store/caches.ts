// The caches under `.codemap/cache/`: prefix + import graph by base tree id, parsed
// imports by blob id, and working-tree file facts by stat. All are disposable: a missing
// or invalid cache is a miss, and writes are atomic so a killed run leaves no torn file.
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
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
import { readCache, writeFileAtomic } from './atomic.js';
import { decodeGraph, encodeGraph } from './graph-file.js';

const PREFIX_CACHES_KEPT = 4;

export class CacheStore {
  constructor(readonly dir: string) {}

  private prefixPath(tree: string): string {
    return join(this.dir, `prefix-${tree}.json`);
  }

  private graphPath(tree: string): string {
    return join(this.dir, `graph-${tree}.bin`);
  }

  readPrefix(tree: string, configKey: string): { meta: PrefixCache; graph: ImportGraph } | undefined {
    const meta = readCache(this.prefixPath(tree), prefixCache);
    if (!meta || meta.tree !== tree || meta.config_key !== configKey) return undefined;
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.graphPath(tree));
    } catch {
      return undefined;
    }
    if (bytes.length !== meta.graph_bytes) return undefined;
    const graph = decodeGraph(bytes, meta.graph_files);
    return graph ? { meta, graph } : undefined;
  }

  /** Graph first, then the JSON that points at it: a run killed in between leaves a miss. */
  writePrefix(cache: Omit<PrefixCache, 'cache_version' | 'graph_files' | 'graph_bytes'>, graph: ImportGraph): void {
    const bytes = encodeGraph(graph);
    writeFileAtomic(this.graphPath(cache.tree), bytes);
    const meta: PrefixCache = { cache_version: CACHE_VERSION, ...cache, graph_files: graph.files.length, graph_bytes: bytes.length };
    writeFileAtomic(this.prefixPath(cache.tree), JSON.stringify(meta));
    this.prunePrefixes();
  }

  /** Keeps the few most recently written prefix caches (one per recent base). */
  private prunePrefixes(): void {
    try {
      const files = readdirSync(this.dir)
        .filter((f) => f.startsWith('prefix-') && f.endsWith('.json'))
        .map((f) => ({ f, t: statSync(join(this.dir, f)).mtimeMs }))
        .sort((a, b) => b.t - a.t);
      for (const { f } of files.slice(PREFIX_CACHES_KEPT)) {
        unlinkSync(join(this.dir, f));
        unlinkSync(join(this.dir, f.replace(/^prefix-(.*)\.json$/, 'graph-$1.bin')));
      }
    } catch {
      /* pruning is housekeeping; a race with another run is harmless */
    }
  }

  readSavedState(): SavedState | undefined {
    return readCache(join(this.dir, 'saved-state.json'), savedState);
  }

  writeSavedState(state: Omit<SavedState, 'cache_version'>): void {
    writeFileAtomic(join(this.dir, 'saved-state.json'), JSON.stringify({ cache_version: CACHE_VERSION, ...state }));
  }

  readImports(parserVersion: number): ImportsCache['entries'] {
    const cache = readCache(join(this.dir, 'imports.json'), importsCache);
    return cache && cache.parser_version === parserVersion ? cache.entries : {};
  }

  writeImports(parserVersion: number, entries: ImportsCache['entries']): void {
    writeFileAtomic(join(this.dir, 'imports.json'), JSON.stringify({ cache_version: CACHE_VERSION, parser_version: parserVersion, entries }));
  }

  readWorktree(parserVersion: number): Omit<FileHashCache, 'cache_version' | 'parser_version'> {
    const cache = readCache(join(this.dir, 'worktree.json'), fileHashCache);
    return cache && cache.parser_version === parserVersion
      ? { entries: cache.entries, resolution_key: cache.resolution_key, resolved: cache.resolved }
      : { entries: {}, resolution_key: '', resolved: {} };
  }

  writeWorktree(parserVersion: number, cache: Omit<FileHashCache, 'cache_version' | 'parser_version'>): void {
    writeFileAtomic(join(this.dir, 'worktree.json'), JSON.stringify({ cache_version: CACHE_VERSION, parser_version: parserVersion, ...cache }));
  }
}
