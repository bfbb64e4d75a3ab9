// The handoff's use cases: compute one (options, collect, build in core/artifact.ts, assemble), save it,
// read the saved one, and load one changed file's detail. Plain data in and out; the
// caller passes cwd, clock and a warning sink, so nothing here reads process state.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { SCHEMA_VERSION, type AgentEntry, type Artifact, type FileDetail } from '../schema/artifact.js';
import type { ProjectConfig } from '../schema/config.js';
import {
  assembleArtifact,
  capsFor,
  hashLayers,
  linkContext,
  withAgentHistory,
  type AssembleInput,
} from '../core/artifact.js';
import { BYTE_BUDGET } from '../core/budget.js';
import { canonicalJson } from '../core/canonical-json.js';
import { buildDelta } from '../core/delta.js';
import { buildDetail, closestPaths } from '../core/detail.js';
import type { MergedChange } from '../core/changes.js';
import { parseDuration } from '../core/duration.js';
import { createPathFilter, EXCLUSION_VERSION } from '../core/exclude.js';
import { ignoreListProblem } from '../core/glob.js';
import { createScopeFilter } from '../core/scope.js';
import { loadHasher, type Hasher } from '../core/hash.js';
import { PARSER_VERSION } from '../core/imports/parse.js';
import { isEscapedPath } from '../core/path-bytes.js';
import { unescapeText } from '../core/escape.js';
import { normalizeRepoPath } from '../core/paths.js';
import { collectDelta, startDeltaQueries, startLocalQuery, type DeltaFacts } from '../collect/delta.js';
import { collectPrefix } from '../collect/prefix.js';
import { WorktreeFiles } from '../collect/worktree-files.js';
import { EXIT, HandoffError, NotFoundError, UsageError } from '../errors.js';
import { EMPTY_TREE, mergeBase, openRepository, treeOf, type RepoInfo } from '../git/repo.js';
import { trackedNamesIn } from '../git/tracked.js';
import { readPreviousForSave, readLatest, readLatestIfValid, writeArtifacts } from '../store/artifacts.js';
import { writeSavedDetails } from '../store/saved-details.js';
import { CacheStore } from '../store/caches.js';
import { readProjectConfig } from '../store/config.js';
import { ensureExcluded } from '../store/exclude.js';
import {
  assertCodemapDir,
  CODEMAP_DIR,
  worktreeLayout,
  withWorktreeLock,
  type Layout,
  infoExcludePath,
} from '../store/layout.js';
import { formatJson, statKey, writeFileAtomic } from '../store/atomic.js';
import { conflictOpenQuestions } from './conflicts-saved.js';
import { ownActiveContext } from './context.js';
import { NO_BASE_QUESTION, NO_BASE_WARNING, resolveBaseRef } from './base-ref.js';

export { resolveBaseRef, TRIED_BASE_REFS, type BaseRef } from './base-ref.js';

export const DEFAULT_SINCE = '6h';

export interface HandoffRequest {
  /** Directory the command runs from (after -C). */
  cwd: string;
  /** Optional `[path]` argument: a directory inside the repository to describe. */
  path?: string;
  ref?: string;
  since?: string;
  now: Date;
  /** For the developer identity of the context link (HANDOFF_DEVELOPER). */
  env?: NodeJS.ProcessEnv;
  warn: (line: string) => void;
}

/** What `computeHandoff` keeps for a save or a detail; private to api (a symbol key: JSON leaves it out). */
export const INTERNALS: unique symbol = Symbol('handoff internals');

export interface HandoffInternals {
  repo: RepoInfo;
  layout: Layout;
  /** The working-tree graph and file facts behind the delta (for --detail and the hooks). */
  facts: DeltaFacts;
  /** Cache file names the repository tracks (never trusted, never written). */
  trackedCaches: ReadonlySet<string>;
  /** The built layers and their sums: what a save assembles, against the artifact then on disk. */
  parts: Omit<AssembleInput, 'now' | 'previous'>;
}

/**
 * A computed handoff: the artifact and the worktree root as plain data, plus an opaque handle
 * (under a symbol) that `saveHandoff` and `loadDetail` use and nothing outside api can reach.
 */
export interface HandoffResult {
  artifact: Artifact;
  /** Absolute root of the worktree the handoff describes. */
  root: string;
  readonly [INTERNALS]: HandoffInternals;
}

/** The changed files as a stop records them: each one's status, and the mtime of those that exist. */
export interface ChangedFileFacts {
  changes: { path: string; status: string }[];
  mtimes: Map<string, number>;
}

export function changedFilesOf(result: HandoffResult): ChangedFileFacts {
  const { facts } = result[INTERNALS];
  const mtimes = new Map([...facts.fileFacts].map(([path, f]) => [path, f.mtimeMs]));
  return { changes: facts.changes.map((c) => ({ path: c.path, status: c.status })), mtimes };
}

interface OpenedRepo {
  repo: RepoInfo;
  layout: Layout;
  config: ProjectConfig;
  /** Keys of the config file handoff does not read (see store/config.ts). */
  unusedKeys: string[];
}

async function openContext(cwd: string, path: string | undefined): Promise<OpenedRepo> {
  const start = path ? resolve(cwd, path) : cwd;
  const repo = await openRepository(start);
  const layout = worktreeLayout(repo.root);
  assertCodemapDir(layout);
  const { config, unused } = readProjectConfig(repo.root, repo.commonDir);
  return { repo, layout, config, unusedKeys: unused };
}

/** Step 1 of a handoff: the request (argv), its env and the project config, read once, as one frozen object. */
export interface HandoffOptions {
  readonly repo: RepoInfo;
  readonly layout: Layout;
  readonly config: Readonly<ProjectConfig>;
  /** --ref, else config base_ref, else the defaults (resolved later, against git). */
  readonly ref: string | undefined;
  /** The timeline window: --since, else config since, else DEFAULT_SINCE. */
  readonly sinceMs: number;
  readonly now: Date;
  readonly env: NodeJS.ProcessEnv;
  readonly warn: (line: string) => void;
}

export async function handoffOptions(req: HandoffRequest): Promise<HandoffOptions> {
  const { repo, layout, config, unusedKeys } = await openContext(req.cwd, req.path);
  const sinceText = req.since ?? config.since ?? DEFAULT_SINCE;
  const sinceMs = parseDuration(sinceText);
  if (sinceMs === undefined) {
    const where = req.since !== undefined ? '--since' : 'since in .codemap/config.json';
    throw new UsageError(`invalid ${where} duration "${sinceText}"`, 'use a duration such as 30m, 6h or 2d');
  }
  if (unusedKeys.length > 0) {
    const keys = unusedKeys.map((k) => JSON.stringify(k)).join(', ');
    const what = `.codemap/config.json: ignoring key(s) handoff does not read: ${keys}`;
    req.warn(`handoff: ${what} — fix the name or remove them (README: Config)`);
  }
  const ignoreProblem = ignoreListProblem(config.ignore ?? []);
  if (ignoreProblem)
    throw new UsageError(`"ignore" in .codemap/config.json holds ${ignoreProblem}`, 'shorten the ignore list');
  const env = req.env ?? {};
  return Object.freeze({
    repo,
    layout,
    config: Object.freeze(config),
    ref: req.ref,
    sinceMs,
    now: req.now,
    env,
    warn: req.warn,
  });
}

/**
 * A handoff in four steps: options (handoffOptions), collect (git and the file system, in
 * collect/; the new caches returned, written here), build (pure, core/delta.ts and
 * core/artifact.ts) and, in saveHandoff, the save.
 */
export async function computeHandoff(req: HandoffRequest): Promise<HandoffResult> {
  const options = await handoffOptions(req);
  const { repo, layout, config, sinceMs } = options;
  const local = startLocalQuery(repo.root);
  const tracked = trackedNamesIn(repo.root, repo.head, `${CODEMAP_DIR}/cache`).catch(() => new Set<string>());
  const ownContext = ownActiveContext(repo, options.env, options.now);
  // Definite conflicts the stop hook last saved: open questions outside the hashed layers (not repository state).
  const conflicting = conflictOpenQuestions(repo, options.env, options.now);
  const hasher = await loadHasher();

  const base = await resolveBaseRef(repo, options.ref, config);
  if (base.source === 'fallback' && repo.head) {
    options.warn(NO_BASE_WARNING);
  }
  let baseCommit: string | undefined;
  if (repo.head && base.commit) {
    baseCommit = await mergeBase(repo.root, repo.head, base.commit);
    if (baseCommit === undefined) {
      const hint = repo.shallow
        ? 'the clone is shallow: run `git fetch --unshallow` (or --deepen) and retry'
        : `the histories are unrelated; pass a --ref that shares history with HEAD`;
      throw new HandoffError(`no merge-base between HEAD and ${base.name}`, EXIT.failure, hint);
    }
  }
  const tree = baseCommit ? await treeOf(repo.root, baseCommit) : EMPTY_TREE;
  const queries = startDeltaQueries(repo.root, local, repo.head, baseCommit);

  // Caches live in .codemap/ too: exclude it before the first write so a run never
  // leaves the tree it describes dirty, --no-save included.
  try {
    ensureExcluded(infoExcludePath(repo.commonDir));
  } catch (error) {
    options.warn(`handoff: could not update .git/info/exclude: ${(error as Error).message}`);
  }
  const ignore = config.ignore ?? [];
  const only = config.only ?? [];
  const exclude = config.exclude ?? [];
  // The manifests come from each collector's own listing (base tree, then changed paths).
  const filterFor = (manifests: Iterable<string>) => createPathFilter({ ignore, manifests });
  const scope = createScopeFilter({ only, exclude });
  const trackedCaches = await tracked;
  if (trackedCaches.size > 0) {
    const what = `the repository tracks ${trackedCaches.size} file(s) in ${CODEMAP_DIR}/cache/; they are not trusted, used or updated`;
    options.warn(`handoff: ${what} — untrack them: git rm -r --cached ${CODEMAP_DIR}/cache`);
  }
  const caches = new CacheStore(layout.cacheDir, { root: repo.root, tracked: trackedCaches });
  const maxHubs = config.budgets?.max_hubs ?? null;
  const keyParts = { ignore, only, exclude, exclusion: EXCLUSION_VERSION, max_hubs: maxHubs, parser: PARSER_VERSION };
  const configKey = hasher.text(canonicalJson(keyParts));
  const prefixResult = await collectPrefix({
    root: repo.root,
    tree,
    filterFor,
    scope,
    maxHubs: (n) => capsFor(n, config.budgets).hubs,
    configKey,
    caches,
  });
  const caps = capsFor(prefixResult.prefix.file_count, config.budgets);

  const worktreeCache = caches.readWorktree(PARSER_VERSION);
  const files = new WorktreeFiles(repo.root, hasher, worktreeCache.entries, options.now.getTime());
  // Resolutions hold only for the file set the config chose (ignore, only/exclude, build
  // output): keyed by the config too, so changing the filters resolves changed files again.
  const scoped = `${configKey}:`;
  const cachedKey = worktreeCache.resolution_key;
  const key = cachedKey.startsWith(scoped) ? cachedKey.slice(scoped.length) : '';
  const { facts, resolution } = await collectDelta({
    root: repo.root,
    queries,
    tree,
    hasher,
    resolution: { key, resolved: worktreeCache.resolved },
    filterFor,
    scope,
    manifests: prefixResult.manifests,
    graph: prefixResult.graph,
    configs: prefixResult.configs,
    files,
    nowMs: options.now.getTime(),
    sinceMs,
  });
  try {
    const fresh = { entries: files.fresh, resolution_key: scoped + resolution.key, resolved: resolution.resolved };
    caches.writeWorktree(PARSER_VERSION, fresh);
  } catch (error) {
    options.warn(`handoff: could not write the file cache: ${(error as Error).message}`);
  }

  const branchName = repo.branch ?? 'HEAD';
  const built = buildDelta({
    baseCommit: baseCommit ?? '',
    baseRef: base.name,
    changes: facts.changes,
    facts: facts.fileFacts,
    importers: facts.importers,
    oldPathImporters: facts.oldPathImporters,
    goPackages: facts.goPackages,
    events: facts.events,
    lastCommitted: facts.lastCommitted,
    caps,
    situation: {
      branch: branchName,
      detached: repo.branch === undefined && repo.head !== undefined,
      shallow: repo.shallow,
      onBaseBranch: repo.branch !== undefined && (repo.branch === base.name || `origin/${repo.branch}` === base.name),
    },
  });
  const delta = linkContext(built, await ownContext);
  if (base.source === 'fallback') {
    delta.open_questions.unshift(NO_BASE_QUESTION);
  }

  const sums = hashLayers(prefixResult.prefix, delta, hasher);
  const parts = {
    branch: branchName,
    baseRef: base.name,
    head: repo.head ?? '',
    prefix: prefixResult.prefix,
    delta,
    coordination: await conflicting,
    ...sums,
  };
  const artifact = assembleArtifact({ now: options.now, previous: readLatestIfValid(layout), ...parts });
  return { artifact, root: repo.root, [INTERNALS]: { repo, layout, facts, trackedCaches, parts } };
}

/**
 * Saves under the worktree lock: metrics are recomputed against the artifact on disk at
 * that moment, so concurrent runs each log an honest reuse figure.
 */
export async function saveHandoff(
  result: HandoffResult,
  now: Date,
  warn: (line: string) => void,
  history?: (previous: AgentEntry[]) => AgentEntry[],
): Promise<{ artifact: Artifact; written: string[] }> {
  const internals = result[INTERNALS];
  const { layout } = internals;
  return withWorktreeLock(layout, async () => {
    const previous = readPreviousForSave(layout, now, warn);
    // Assembled from the built layers against the artifact on disk now, not taken apart from the computed one.
    let artifact = assembleArtifact({ now, previous, ...internals.parts });
    if (history) artifact = withAgentHistory(artifact, history(previous?.agent_history ?? []));
    // Before the artifact, so a reader of latest finds details at least as new (it checks the hash).
    const details = saveDetails(internals, artifact);
    const written = [...writeArtifacts(layout, artifact), details];
    try {
      new CacheStore(layout.cacheDir, { root: layout.root, tracked: internals.trackedCaches }).writeSavedState({
        combined_hash: artifact.combined_hash,
        head: artifact.head,
        index: statKey(join(internals.repo.gitDir, 'index')),
        status: internals.facts.statusDigest,
      });
    } catch {
      /* only the session-start staleness check uses it; it falls back to HEAD and file hashes */
    }
    return { artifact, written };
  });
}

/**
 * The detail of each changed file the artifact lists, for `--latest --detail`: computed now,
 * from the graph this save already holds, so reading it later recomputes nothing. A file
 * whose detail cannot be loaded is left out (served from the artifact's stub instead). A
 * failed write fails the save, as for the artifacts: the previous pair stays as it was.
 */
function saveDetails(result: HandoffInternals, artifact: Artifact): string {
  const byPath = new Map(result.facts.changes.map((c) => [c.path, c]));
  const files: FileDetail[] = [];
  for (const stub of artifact.delta.changed) {
    const change = byPath.get(stub.path);
    if (change) files.push(detailOf(result, change));
  }
  const saved = {
    schema_version: SCHEMA_VERSION as typeof SCHEMA_VERSION,
    combined_hash: artifact.combined_hash,
    files,
  };
  return writeSavedDetails(result.layout, saved);
}

/** Rewrites only the agent history of the saved artifact (nothing else changed). */
export async function updateAgentHistory(
  layout: Layout,
  history: (previous: AgentEntry[]) => AgentEntry[],
): Promise<boolean> {
  return withWorktreeLock(layout, () => {
    const current = readLatest(layout);
    if (!current) return false;
    const updated = withAgentHistory(current, history(current.agent_history ?? []));
    writeFileAtomic(layout.latest, formatJson(updated), { within: layout.root });
    return true;
  });
}

export async function readSavedHandoff(cwd: string, path?: string): Promise<{ artifact: Artifact; layout: Layout }> {
  const { layout } = await openContext(cwd, path);
  const artifact = readLatest(layout);
  if (!artifact)
    throw new NotFoundError('no saved handoff in this worktree', 'run `handoff` first to compute and save one');
  return { artifact, layout };
}

/**
 * Normalises a --detail argument (relative to cwd or root, `./`, backslashes) to a
 * repository path; a path outside the repository is a usage error.
 */
export function detailPaths(input: string, cwd: string, root: string): string[] {
  // A name as the output prints it (terminal escapes such as `\\xff`, `\x1b`) names the same file.
  const printed = unescapeText(input);
  const candidates = [
    ...candidatePaths(input, cwd, root),
    ...(printed === input ? [] : candidatePaths(printed, cwd, root)),
  ];
  if (candidates.length === 0) throw new UsageError(`${input} is outside the repository`, `give a path inside ${root}`);
  return [...new Set(candidates)];
}

function candidatePaths(input: string, cwd: string, root: string): string[] {
  const slashed = input.replace(/\\/g, '/');
  const candidates: string[] = [];
  const fromCwd = relative(root, resolve(cwd, slashed)).split('\\').join('/');
  if (!isAbsolute(slashed)) {
    const rootRelative = normalizeRepoPath(slashed);
    if (rootRelative !== undefined) candidates.push(rootRelative);
  }
  if (!fromCwd.startsWith('..') && !isAbsolute(fromCwd)) candidates.unshift(fromCwd);
  // A non-UTF-8 name as the handoff stores it (`f\xff.txt`): its backslashes are escapes.
  if (isEscapedPath(input) && !isAbsolute(input)) candidates.unshift(input);
  return candidates;
}

export function loadDetail(handoff: HandoffResult, requested: string, cwd: string): FileDetail {
  const result = handoff[INTERNALS];
  const candidates = detailPaths(requested, cwd, result.repo.root);
  const all = result.facts.changes;
  const change = candidates.map((c) => all.find((x) => x.path === c)).find((x) => x !== undefined);
  if (!change) {
    const near = closestPaths(
      candidates[0] ?? requested,
      all.map((c) => c.path),
    );
    const hint = near.length > 0 ? `closest changed paths: ${near.join(', ')}` : 'no files changed in this worktree';
    throw new NotFoundError(`${requested} is not a changed file in this handoff`, hint);
  }
  return detailOf(result, change);
}

/** One changed file's detail, from the facts the handoff was computed from. */
function detailOf(result: HandoffInternals, change: MergedChange): FileDetail {
  const { facts } = result;
  const view = facts.view;
  return buildDetail(change, {
    importers: facts.importers,
    oldPathImporters: facts.oldPathImporters,
    files: facts.fileFacts,
    events: facts.events,
    importsOf: (path) => view.importsOf(path),
  });
}

export { closestPaths };
export { BYTE_BUDGET, type Hasher };
