// Schemas of the caches under `.codemap/cache/`. A cache that fails validation is
// treated as absent and rebuilt: caches never hold anything that cannot be recomputed.
import { z } from 'zod';
import { prefixSnapshot } from './artifact.js';

export const CACHE_VERSION = 1;

/** Prefix by base tree id, with the import graph it was computed from. */
export const prefixCache = z.object({
  cache_version: z.literal(CACHE_VERSION),
  /** Key of the config parts the prefix depends on (ignore globs, hub cap). */
  config_key: z.string(),
  tree: z.string(),
  prefix: prefixSnapshot,
  /** Repository files of the base tree after exclusions, sorted by code unit. */
  files: z.array(z.string()),
  /** Blob id per file, parallel to `files`. */
  blobs: z.array(z.string()),
  /** imports[i] = indexes into `files` that files[i] imports. */
  imports: z.array(z.array(z.number().int().nonnegative())),
});
export type PrefixCache = z.infer<typeof prefixCache>;

/** Import specifiers parsed from a blob, keyed by blob id (or `xx:<hash>` for working-tree bytes). */
export const importsCache = z.object({
  cache_version: z.literal(CACHE_VERSION),
  parser_version: z.number().int(),
  entries: z.record(z.string(), z.array(z.string())),
});
export type ImportsCache = z.infer<typeof importsCache>;

/** Working-tree content hashes keyed by path, valid while size + mtime + inode match. */
export const fileHashCache = z.object({
  cache_version: z.literal(CACHE_VERSION),
  entries: z.record(z.string(), z.tuple([z.number(), z.number(), z.number(), z.string()])),
});
export type FileHashCache = z.infer<typeof fileHashCache>;
