// Step 2 of a handoff (api/handoff.ts): the facts, from git and the file system, through
// collect/. Resolves the base, lists the base tree and its imports (collect/prefix.ts) and
// what changed at each layer (collect/delta.ts), and writes back the caches they return.
// git queries start as early as their inputs are known, so they overlap the slower steps.
import type { Context } from '../schema/context.js';
import { canonicalJson } from '../core/canonical-json.js';
import { createPathFilter, EXCLUSION_VERSION, type PathFilter } from '../core/exclude.js';
import { loadHasher, type Hasher } from '../core/hash.js';
import { PARSER_VERSION } from '../core/imports/parse.js';
import { createScopeFilter } from '../core/scope.js';
import { capsFor } from '../core/artifact.js';
import {
  collectDelta,
  startDeltaQueries,
  startLocalQuery,
  type DeltaFacts,
  type DeltaQueries,
} from '../collect/delta.js';
import { collectPrefix, type PrefixResult } from '../collect/prefix.js';
import { WorktreeFiles } from '../collect/worktree-files.js';
import { EXIT, HandoffError } from '../errors.js';
import { EMPTY_TREE, mergeBase, treeOf } from '../git/repo.js';
import { trackedNamesIn } from '../git/tracked.js';
import { CacheStore } from '../store/caches.js';
import { ensureExcluded } from '../store/exclude.js';
import { CODEMAP_DIR, infoExcludePath } from '../store/layout.js';
import { resolveBaseRef, NO_BASE_WARNING, type BaseRef } from './base-ref.js';
import { ownActiveContext } from './context.js';
import type { HandoffOptions } from './handoff-options.js';

/** What the collect step hands to the build step. */
export interface Collected {
  base: BaseRef;
  /** The merge-base of HEAD and the base; undefined without a HEAD or a base commit. */
  baseCommit: string | undefined;
  prefix: PrefixResult;
  facts: DeltaFacts;
  /** Cache file names the repository tracks (never trusted, never written). */
  trackedCaches: ReadonlySet<string>;
  hasher: Hasher;
  /** The caller's own active context, for the handoff's link (none if the store cannot say). */
  ownContext: Context | undefined;
}

/** The config's path filters, and the key under which results depending on them are cached. */
interface Filters {
  filterFor: (manifests: Iterable<string>) => PathFilter;
  scope: PathFilter | undefined;
  configKey: string;
}

export async function collectHandoff(options: HandoffOptions): Promise<Collected> {
  const { repo, config } = options;
  const local = startLocalQuery(repo.root);
  const tracked = trackedNamesIn(repo.root, repo.head, `${CODEMAP_DIR}/cache`).catch(() => new Set<string>());
  const ownContext = ownActiveContext(repo, options.env, options.now, options.readConfig);
  const hasher = await loadHasher();
  const { base, baseCommit, tree } = await resolveBase(options);
  const queries = startDeltaQueries(repo.root, local, repo.head, baseCommit);
  excludeCodemapDir(options);
  const filters = pathFilters(options, hasher);
  const trackedCaches = await tracked;
  if (trackedCaches.size > 0) {
    const what = `the repository tracks ${trackedCaches.size} file(s) in ${CODEMAP_DIR}/cache/; they are not trusted, used or updated`;
    options.warn(`handoff: ${what} — untrack them: git rm -r --cached ${CODEMAP_DIR}/cache`);
  }
  const caches = new CacheStore(options.layout.cacheDir, { root: repo.root, tracked: trackedCaches });
  const prefix = await collectPrefix({
    root: repo.root,
    tree,
    filterFor: filters.filterFor,
    scope: filters.scope,
    maxHubs: (n) => capsFor(n, config.budgets).hubs,
    configKey: filters.configKey,
    caches,
  });
  const facts = await collectWorkingTree(options, { queries, tree, hasher, filters, prefix, caches });
  return { base, baseCommit, prefix, facts, trackedCaches, hasher, ownContext: await ownContext };
}

/** The base ref, the merge-base of HEAD with it, and the tree the prefix describes. */
async function resolveBase(options: HandoffOptions): Promise<{ base: BaseRef; baseCommit?: string; tree: string }> {
  const { repo } = options;
  const base = await resolveBaseRef(repo, options.ref, options.config);
  if (base.source === 'fallback' && repo.head) options.warn(NO_BASE_WARNING);
  if (!repo.head || !base.commit) return { base, tree: EMPTY_TREE };
  const baseCommit = await mergeBase(repo.root, repo.head, base.commit);
  if (baseCommit === undefined) {
    const hint = repo.shallow
      ? 'the clone is shallow: run `git fetch --unshallow` (or --deepen) and retry'
      : `the histories are unrelated; pass a --ref that shares history with HEAD`;
    throw new HandoffError(`no merge-base between HEAD and ${base.name}`, EXIT.failure, hint);
  }
  return { base, baseCommit, tree: await treeOf(repo.root, baseCommit) };
}

/**
 * Caches live in .codemap/ too: exclude it before the first write so a run never leaves
 * the tree it describes dirty, --no-save included.
 */
function excludeCodemapDir(options: HandoffOptions): void {
  try {
    ensureExcluded(infoExcludePath(options.repo.commonDir));
  } catch (error) {
    options.warn(`handoff: could not update .git/info/exclude: ${(error as Error).message}`);
  }
}

function pathFilters(options: HandoffOptions, hasher: Hasher): Filters {
  const { config } = options;
  const ignore = config.ignore ?? [];
  const only = config.only ?? [];
  const exclude = config.exclude ?? [];
  const maxHubs = config.budgets?.max_hubs ?? null;
  const keyParts = { ignore, only, exclude, exclusion: EXCLUSION_VERSION, max_hubs: maxHubs, parser: PARSER_VERSION };
  return {
    // The manifests come from each collector's own listing (base tree, then changed paths).
    filterFor: (manifests) => createPathFilter({ ignore, manifests }),
    scope: createScopeFilter({ only, exclude }),
    configKey: hasher.text(canonicalJson(keyParts)),
  };
}

interface WorkingTreeInput {
  queries: DeltaQueries;
  tree: string;
  hasher: Hasher;
  filters: Filters;
  prefix: PrefixResult;
  caches: CacheStore;
}

/** What changed against the base, from the file cache; the refreshed file cache is written back. */
async function collectWorkingTree(options: HandoffOptions, input: WorkingTreeInput): Promise<DeltaFacts> {
  const { repo } = options;
  const { caches, filters, hasher, prefix } = input;
  const worktreeCache = caches.readWorktree(PARSER_VERSION);
  const files = new WorktreeFiles(repo.root, hasher, worktreeCache.entries, options.now.getTime());
  // Resolutions hold only for the file set the config chose (ignore, only/exclude, build
  // output): keyed by the config too, so changing the filters resolves changed files again.
  const scoped = `${filters.configKey}:`;
  const cachedKey = worktreeCache.resolution_key;
  const key = cachedKey.startsWith(scoped) ? cachedKey.slice(scoped.length) : '';
  const { facts, resolution } = await collectDelta({
    root: repo.root,
    queries: input.queries,
    tree: input.tree,
    hasher,
    resolution: { key, resolved: worktreeCache.resolved },
    filterFor: filters.filterFor,
    scope: filters.scope,
    manifests: prefix.manifests,
    graph: prefix.graph,
    configs: prefix.configs,
    files,
    nowMs: options.now.getTime(),
    sinceMs: options.sinceMs,
  });
  try {
    const fresh = { entries: files.fresh, resolution_key: scoped + resolution.key, resolved: resolution.resolved };
    caches.writeWorktree(PARSER_VERSION, fresh);
  } catch (error) {
    options.warn(`handoff: could not write the file cache: ${(error as Error).message}`);
  }
  return facts;
}
