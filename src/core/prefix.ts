// Builds the prefix layer — the project's stable shape at the base commit: file count,
// languages and import hubs (core/hubs.ts). Pure: the caller supplies the files and parsed imports.
import type { PrefixSnapshot } from '../schema/artifact.js';
import { canonicalJson } from './canonical-json.js';
import { graphFromLists, importerCounts, type ImportGraph } from './graph.js';
import { rankHubs } from './hubs.js';
import { languageOf } from './imports/languages.js';
import { resolveImports, type Resolver } from './imports/resolve.js';
import { compareCodeUnit } from './paths.js';

export interface PrefixInput {
  tree: string;
  /** Included files of the base tree, sorted by code unit. */
  files: readonly string[];
  /** Raw import specifiers per file (absent: not a source file). */
  specifiers: ReadonlyMap<string, readonly string[]>;
  resolver: Resolver;
  maxHubs: number;
}

export function buildImportGraph(
  files: readonly string[],
  specifiers: ReadonlyMap<string, readonly string[]>,
  resolver: Resolver,
): ImportGraph {
  const index = new Map<string, number>();
  files.forEach((f, i) => index.set(f, i));
  const lists = files.map((file) => {
    const specs = specifiers.get(file);
    if (!specs || specs.length === 0) return [];
    const targets: number[] = [];
    for (const target of resolveImports(resolver, file, specs)) {
      const t = index.get(target);
      if (t !== undefined) targets.push(t);
    }
    return targets.sort((a, b) => a - b);
  });
  return graphFromLists(files, lists);
}

export function countLanguages(files: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const file of files) {
    const lang = languageOf(file) ?? 'Other';
    counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  const out: Record<string, number> = {};
  for (const key of [...counts.keys()].sort(compareCodeUnit)) out[key] = counts.get(key)!;
  return out;
}

export function buildPrefix(input: PrefixInput): { prefix: PrefixSnapshot; graph: ImportGraph } {
  const graph = buildImportGraph(input.files, input.specifiers, input.resolver);
  const hubs = rankHubs(graph, importerCounts(graph));
  const kept = hubs.slice(0, input.maxHubs);
  return {
    prefix: {
      base_tree: input.tree,
      file_count: input.files.length,
      languages: countLanguages(input.files),
      hubs: kept,
      hubs_omitted: hubs.length - kept.length,
    },
    graph,
  };
}

/**
 * Whether `prefix` is what buildPrefix makes of `graph` at `tree`: the same tree and
 * file count, languages that add up to it, and the hubs the graph's importer counts give
 * (in order, the top ones kept). Cheap — only the paths of files with 3 or more importers
 * are decoded — so a warm run can afford it on every cached prefix: an edited cache is a
 * miss, not a displayed lie.
 */
export function prefixMatchesGraph(prefix: PrefixSnapshot, tree: string, graph: ImportGraph): boolean {
  if (prefix.base_tree !== tree || prefix.file_count !== graph.files.length) return false;
  let languages = 0;
  for (const n of Object.values(prefix.languages)) languages += n;
  if (languages !== prefix.file_count) return false;
  const hubs = rankHubs(graph, importerCounts(graph));
  if (prefix.hubs.length + prefix.hubs_omitted !== hubs.length) return false;
  return prefix.hubs.every((hub, i) => canonicalJson(hub) === canonicalJson(hubs[i]));
}
