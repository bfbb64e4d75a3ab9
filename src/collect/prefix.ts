// Collects the prefix layer for a base tree: a warm run reads it (and the import graph)
// from the cache by tree id; a cold run lists the tree, reads only blobs whose imports
// are not cached yet through one `cat-file --batch`, and caches the result. The files it
// describes pass the path filter (built from the tree's own manifests) and the config's
// scope; project files that resolution reads need only pass the path filter.
import type { PrefixSnapshot } from '../schema/artifact.js';
import { manifestsIn, type PathFilter } from '../core/exclude.js';
import type { ImportGraph } from '../core/graph.js';
import { importLanguage } from '../core/imports/languages.js';
import { IMPORT_SCAN_BYTES } from '../core/imports/limits.js';
import { PARSER_VERSION, parseImports } from '../core/imports/parse.js';
import { configFilesWanted, createResolver } from '../core/imports/resolve.js';
import { compareCodeUnit } from '../core/paths.js';
import { buildPrefix } from '../core/prefix.js';
import { catFileBatch } from '../git/git.js';
import { EMPTY_TREE, listTree } from '../git/repo.js';
import type { CacheStore } from '../store/caches.js';

export interface PrefixResult {
  prefix: PrefixSnapshot;
  graph: ImportGraph;
  /** Contents of the project files resolution depends on (tsconfig, package.json, go.mod, Cargo.toml, …), by path. */
  configs: Record<string, string>;
  /** Manifest files of the base tree (package.json, Cargo.toml, …): where build output lies. */
  manifests: readonly string[];
}

export interface PrefixRequest {
  root: string;
  tree: string;
  /** The path filter, given the manifest files present. */
  filterFor: (manifests: readonly string[]) => PathFilter;
  /** The config's `only` / `exclude` (core/scope.ts), if any. */
  scope?: PathFilter;
  maxHubs: (fileCount: number) => number;
  configKey: string;
  caches: CacheStore;
}

export async function collectPrefix(req: PrefixRequest): Promise<PrefixResult> {
  const cached = req.caches.readPrefix(req.tree, req.configKey);
  if (cached) {
    const { prefix, configs, manifests } = cached.meta;
    return { prefix, graph: cached.graph, configs, manifests };
  }
  const entries = req.tree === EMPTY_TREE ? [] : await listTree(req.root, req.tree);
  const manifests = manifestsIn(entries.map((e) => e.path));
  const filter = req.filterFor(manifests);
  const described = entries.filter((e) => filter(e.path)).sort((a, b) => compareCodeUnit(a.path, b.path));
  const scope = req.scope;
  const included = scope ? described.filter((e) => scope(e.path)) : described;
  const files = included.map((e) => e.path);

  const importCache = req.caches.readImports(PARSER_VERSION);
  const specifiers = new Map<string, string[]>();
  const wanted = new Map<string, { path: string; key: string }[]>();
  for (const entry of included) {
    const lang = importLanguage(entry.path);
    if (!lang || entry.mode === '120000') continue;
    const key = `${lang}:${entry.blob}`;
    const hit = importCache[key];
    if (hit) specifiers.set(entry.path, hit);
    else wanted.set(entry.blob, [...(wanted.get(entry.blob) ?? []), { path: entry.path, key }]);
  }

  // As Go does for JS workspaces: `only: ["ts"]` still reads package.json and tsconfig.json.
  const configPaths = new Set(configFilesWanted(described.map((e) => e.path)));
  const configBlobs = new Map<string, string[]>();
  for (const entry of described) {
    if (configPaths.has(entry.path)) configBlobs.set(entry.blob, [...(configBlobs.get(entry.blob) ?? []), entry.path]);
  }
  const configs: Record<string, string> = {};
  const blobsToRead = [...new Set([...wanted.keys(), ...configBlobs.keys()])];
  await catFileBatch(req.root, blobsToRead, IMPORT_SCAN_BYTES, (oid, head) => {
    const text = head.toString('utf8');
    for (const { path, key } of wanted.get(oid) ?? []) {
      const specs = parseImports(path, text);
      importCache[key] = specs;
      specifiers.set(path, specs);
    }
    for (const path of configBlobs.get(oid) ?? []) configs[path] = text;
  });

  const resolver = createResolver({ files, configs });
  const { prefix, graph } = buildPrefix({
    tree: req.tree,
    files,
    specifiers,
    resolver,
    maxHubs: req.maxHubs(files.length),
  });
  if (wanted.size > 0) req.caches.writeImports(PARSER_VERSION, pruneImportCache(importCache, included));
  req.caches.writePrefix({ config_key: req.configKey, tree: req.tree, prefix, configs, manifests }, graph);
  return { prefix, graph, configs, manifests };
}

/** Keeps the current tree's entries, plus older ones while the cache stays under twice that size. */
function pruneImportCache(
  cache: Record<string, string[]>,
  current: readonly { path: string; blob: string }[],
): Record<string, string[]> {
  const keep = new Set<string>();
  for (const e of current) {
    const lang = importLanguage(e.path);
    if (lang) keep.add(`${lang}:${e.blob}`);
  }
  const out: Record<string, string[]> = {};
  let extra = 0;
  for (const [key, value] of Object.entries(cache)) {
    if (keep.has(key)) out[key] = value;
    else if (extra < keep.size) {
      out[key] = value;
      extra += 1;
    }
  }
  return out;
}
