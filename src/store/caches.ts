// The caches under `.codemap/cache/`: prefix + import graph by base tree id, parsed
// imports by blob id, and working-tree file facts by stat. All are disposable: a missing
// or invalid cache is a miss, and writes are atomic so a killed run leaves no torn file.
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  CACHE_VERSION,
  fileHashCache,
  importsCache,
  prefixCache,
  type FileHashCache,
  type ImportsCache,
  type PrefixCache,
} from '../schema/cache.js';
import { readCache, writeFileAtomic } from './atomic.js';

const PREFIX_CACHES_KEPT = 4;

export class CacheStore {
  constructor(readonly dir: string) {}

  private prefixPath(tree: string): string {
    return join(this.dir, `prefix-${tree}.json`);
  }

  readPrefix(tree: string, configKey: string): PrefixCache | undefined {
    const cache = readCache(this.prefixPath(tree), prefixCache);
    return cache && cache.tree === tree && cache.config_key === configKey ? cache : undefined;
  }

  writePrefix(cache: Omit<PrefixCache, 'cache_version'>): void {
    writeFileAtomic(this.prefixPath(cache.tree), JSON.stringify({ cache_version: CACHE_VERSION, ...cache }));
    this.prunePrefixes();
  }

  /** Keeps the few most recently written prefix caches (one per recent base). */
  private prunePrefixes(): void {
    try {
      const files = readdirSync(this.dir)
        .filter((f) => f.startsWith('prefix-') && f.endsWith('.json'))
        .map((f) => ({ f, t: statSync(join(this.dir, f)).mtimeMs }))
        .sort((a, b) => b.t - a.t);
      for (const { f } of files.slice(PREFIX_CACHES_KEPT)) unlinkSync(join(this.dir, f));
    } catch {
      /* pruning is housekeeping; a race with another run is harmless */
    }
  }

  readImports(parserVersion: number): ImportsCache['entries'] {
    const cache = readCache(join(this.dir, 'imports.json'), importsCache);
    return cache && cache.parser_version === parserVersion ? cache.entries : {};
  }

  writeImports(parserVersion: number, entries: ImportsCache['entries']): void {
    writeFileAtomic(join(this.dir, 'imports.json'), JSON.stringify({ cache_version: CACHE_VERSION, parser_version: parserVersion, entries }));
  }

  readFiles(parserVersion: number): FileHashCache['entries'] {
    const cache = readCache(join(this.dir, 'worktree.json'), fileHashCache);
    return cache && cache.parser_version === parserVersion ? cache.entries : {};
  }

  writeFiles(parserVersion: number, entries: FileHashCache['entries']): void {
    writeFileAtomic(join(this.dir, 'worktree.json'), JSON.stringify({ cache_version: CACHE_VERSION, parser_version: parserVersion, entries }));
  }
}
