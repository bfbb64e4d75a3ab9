// Schemas of the caches under `.codemap/cache/`. A cache that fails validation is
// treated as absent and rebuilt: caches never hold anything that cannot be recomputed.
import * as z from 'zod';
import { prefixSnapshot } from './artifact.js';

export const CACHE_VERSION = 2;

/**
 * Prefix by base tree id. The import graph it was computed from sits beside it in a
 * binary file (store/graph-file.ts); `graph_files` and `graph_bytes` tie the two together.
 */
export const prefixCache = z.object({
  cache_version: z.literal(CACHE_VERSION),
  /** Key of what the prefix depends on besides the tree: ignore, only/exclude, hub cap, rule and parser versions. */
  config_key: z.string(),
  tree: z.string(),
  prefix: prefixSnapshot,
  graph_files: z.number().int().nonnegative(),
  graph_bytes: z.number().int().nonnegative(),
  /** Config files import resolution depends on (tsconfig.json, go.mod), by path. */
  configs: z.record(z.string(), z.string()),
  /** Manifest files of the tree (package.json, Cargo.toml, …): the delta's filter needs them. */
  manifests: z.array(z.string()),
});
export type PrefixCache = z.infer<typeof prefixCache>;

/**
 * Import specifiers parsed from base-tree blobs, keyed by `<language>:<blob id>` (one blob may
 * sit at paths of two languages). Working-tree files keep theirs in the file cache below.
 */
export const importsCache = z.object({
  cache_version: z.literal(CACHE_VERSION),
  parser_version: z.number().int(),
  entries: z.record(z.string(), z.array(z.string())),
});
export type ImportsCache = z.infer<typeof importsCache>;

/**
 * What a working-tree file was when last read, reused while size + mtime + ctime + inode
 * match. The ctime catches a rewrite whose mtime was set back (`cp -p`, `touch -d`), as
 * git's index does.
 */
export const fileFacts = z.object({
  size: z.number(),
  mtime_ms: z.number(),
  ctime_ms: z.number(),
  ino: z.number(),
  /** xxhash64 of the bytes (of the link text for a symlink). */
  hash: z.string(),
  binary: z.boolean(),
  /** Import specifiers, or null for a file whose imports are not parsed. */
  specifiers: z.array(z.string()).nullable(),
});
export type CachedFileFacts = z.infer<typeof fileFacts>;

/**
 * Working-tree facts keyed by path. Entries were once positional 7-tuples; a cache of that
 * form fails validation and so reads as a miss (rebuilt by the next run).
 */
export const fileHashCache = z.object({
  cache_version: z.literal(CACHE_VERSION),
  parser_version: z.number().int(),
  entries: z.record(z.string(), fileFacts),
  /** Identity of the file set resolution ran against (base tree + added/removed paths). */
  resolution_key: z.string(),
  /** Resolved imports of changed files: path → [content hash, targets]. */
  resolved: z.record(z.string(), z.tuple([z.string(), z.array(z.string())])),
});
export type FileHashCache = z.infer<typeof fileHashCache>;

/** What the saved handoff was computed against, for a cheap staleness check at session start. */
export const savedState = z.object({
  cache_version: z.literal(CACHE_VERSION),
  combined_hash: z.string(),
  head: z.string(),
  /** size:mtime:ctime:ino of the index when the handoff was saved. */
  index: z.string(),
  /** xxhash64 of the `git status --porcelain=v2 -z` text the handoff was computed from. */
  status: z.string(),
});
export type SavedState = z.infer<typeof savedState>;
