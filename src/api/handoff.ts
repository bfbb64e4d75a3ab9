// The programmatic surface shared by the CLI and the hooks: compute a handoff, save it,
// read the saved one, and load one changed file's detail. Plain data in and out; the
// caller passes cwd, clock and a warning sink, so nothing here reads process state.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { SCHEMA_VERSION, type AgentEntry, type Artifact, type FileDetail } from '../schema/artifact.js';
import type { ProjectConfig } from '../schema/config.js';
import { BYTE_BUDGET, listCapsFor, type ListCaps } from '../core/budget.js';
import { canonicalJson } from '../core/canonical-json.js';
import { buildDelta, toStub } from '../core/delta.js';
import type { MergedChange } from '../core/changes.js';
import { parseDuration } from '../core/duration.js';
import { createPathFilter, EXCLUSION_VERSION } from '../core/exclude.js';
import { ignoreListProblem } from '../core/glob.js';
import { createScopeFilter } from '../core/scope.js';
import { HUB_MIN_IMPORTERS } from '../core/graph.js';
import { loadHasher, type Hasher } from '../core/hash.js';
import { PARSER_VERSION } from '../core/imports/parse.js';
import { computeMetrics } from '../core/metrics.js';
import { isEscapedPath } from '../core/path-bytes.js';
import { unescapeText } from '../core/escape.js';
import { compareCodeUnit, normalizeRepoPath } from '../core/paths.js';
import { collectDelta, startDeltaQueries, startLocalQuery, type DeltaFacts } from '../collect/delta.js';
import { collectPrefix } from '../collect/prefix.js';
import { WorktreeFiles } from '../collect/worktree-files.js';
import { HandoffError, NotFoundError, UsageError } from '../errors.js';
import { EMPTY_TREE, mergeBase, openRepository, treeOf, type RepoInfo } from '../git/repo.js';
import { trackedNamesIn } from '../git/tracked.js';
import { readPreviousForSave, readLatest, readLatestIfValid, writeArtifacts } from '../store/artifacts.js';
import { writeSavedDetails } from '../store/saved-details.js';
import { CacheStore } from '../store/caches.js';
import { readProjectConfig } from '../store/config.js';
import { ensureExcluded } from '../store/exclude.js';
import { assertCodemapDir, CODEMAP_DIR, worktreeLayout, withWorktreeLock, type Layout } from '../store/layout.js';
import { formatJson, statKey, writeFileAtomic } from '../store/atomic.js';
import type { Context } from '../schema/context.js';
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

function capsFor(fileCount: number, config: ProjectConfig): ListCaps {
  const caps = listCapsFor(fileCount);
  const b = config.budgets ?? {};
  return {
    changed: b.max_changed ?? caps.changed,
    risk: b.max_risk ?? caps.risk,
    events: b.max_events ?? caps.events,
    hubs: b.max_hubs ?? caps.hubs,
  };
}

export async function computeHandoff(req: HandoffRequest): Promise<HandoffResult> {
  const ctx = await openContext(req.cwd, req.path);
  const sinceText = req.since ?? ctx.config.since ?? DEFAULT_SINCE;
  const sinceMs = parseDuration(sinceText);
  if (sinceMs === undefined) {
    const where = req.since !== undefined ? '--since' : 'since in .codemap/config.json';
    throw new UsageError(`invalid ${where} duration "${sinceText}"`, 'use a duration such as 30m, 6h or 2d');
  }
  const { repo, layout, config } = ctx;
  if (ctx.unusedKeys.length > 0) {
    const keys = ctx.unusedKeys.map((k) => JSON.stringify(k)).join(', ');
    const what = `.codemap/config.json: ignoring key(s) handoff does not read: ${keys}`;
    req.warn(`handoff: ${what} — fix the name or remove them (README: Config)`);
  }
  const ignoreProblem = ignoreListProblem(config.ignore ?? []);
  if (ignoreProblem) throw new UsageError(`"ignore" in .codemap/config.json holds ${ignoreProblem}`, 'shorten the ignore list');
  const local = startLocalQuery(repo.root);
  const tracked = trackedNamesIn(repo.root, repo.head, `${CODEMAP_DIR}/cache`).catch(() => new Set<string>());
  const ownContext = ownActiveContext(repo, req.env ?? {}, req.now);
  const hasher = await loadHasher();

  const base = await resolveBaseRef(repo, req.ref, config);
  if (base.source === 'fallback' && repo.head) {
    req.warn(NO_BASE_WARNING);
  }
  let baseCommit: string | undefined;
  if (repo.head && base.commit) {
    baseCommit = await mergeBase(repo.root, repo.head, base.commit);
    if (baseCommit === undefined) {
      const hint = repo.shallow
        ? 'the clone is shallow: run `git fetch --unshallow` (or --deepen) and retry'
        : `the histories are unrelated; pass a --ref that shares history with HEAD`;
      throw new HandoffError(`no merge-base between HEAD and ${base.name}`, 1, hint);
    }
  }
  const tree = baseCommit ? await treeOf(repo.root, baseCommit) : EMPTY_TREE;
  const queries = startDeltaQueries(repo.root, local, repo.head, baseCommit);

  // Caches live in .codemap/ too: exclude it before the first write so a run never
  // leaves the tree it describes dirty, --no-save included.
  try {
    ensureExcluded(join(repo.commonDir, 'info', 'exclude'));
  } catch (error) {
    req.warn(`handoff: could not update .git/info/exclude: ${(error as Error).message}`);
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
    req.warn(`handoff: ${what} — untrack them: git rm -r --cached ${CODEMAP_DIR}/cache`);
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
    maxHubs: (n) => capsFor(n, config).hubs,
    configKey,
    caches,
  });
  const caps = capsFor(prefixResult.prefix.file_count, config);

  const worktreeCache = caches.readWorktree(PARSER_VERSION);
  const files = new WorktreeFiles(repo.root, hasher, worktreeCache.entries, req.now.getTime());
  // Resolutions hold only for the file set the config chose (ignore, only/exclude, build
  // output): keyed by the config too, so changing the filters resolves changed files again.
  const scoped = `${configKey}:`;
  const cachedKey = worktreeCache.resolution_key;
  const key = cachedKey.startsWith(scoped) ? cachedKey.slice(scoped.length) : '';
  const resolution = { key, resolved: worktreeCache.resolved };
  const facts = await collectDelta({
    root: repo.root,
    queries,
    tree,
    hasher,
    resolution,
    filterFor,
    scope,
    manifests: prefixResult.manifests,
    graph: prefixResult.graph,
    configs: prefixResult.configs,
    files,
    nowMs: req.now.getTime(),
    sinceMs,
  });
  try {
    const fresh = { entries: files.fresh, resolution_key: scoped + resolution.key, resolved: resolution.resolved };
    caches.writeWorktree(PARSER_VERSION, fresh);
  } catch (error) {
    req.warn(`handoff: could not write the file cache: ${(error as Error).message}`);
  }

  const branchName = repo.branch ?? 'HEAD';
  const delta = buildDelta({
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
  linkContext(delta, await ownContext);
  if (base.source === 'fallback') {
    delta.open_questions.unshift(NO_BASE_QUESTION);
  }

  const prefixJson = canonicalJson(prefixResult.prefix);
  const deltaJson = canonicalJson(delta);
  const prefixHash = hasher.text(prefixJson);
  const deltaHash = hasher.text(canonicalJson(hashedDelta(delta)));
  const combinedHash = hasher.text(`${prefixHash}:${deltaHash}`);

  const previous = readLatestIfValid(layout);
  const artifact = assembleArtifact({
    now: req.now,
    previous,
    branch: branchName,
    baseRef: base.name,
    head: repo.head ?? '',
    prefix: prefixResult.prefix,
    delta,
    hashes: { prefix_hash: prefixHash, delta_hash: deltaHash, combined_hash: combinedHash },
    bytes: { prefix: Buffer.byteLength(prefixJson), delta: Buffer.byteLength(deltaJson) },
  });
  return { artifact, root: repo.root, [INTERNALS]: { repo, layout, facts, trackedCaches } };
}

/**
 * The part of the delta its hash covers: everything but the timeline. Event times are
 * file mtimes and a window on the clock — machine and moment, not repository state —
 * so they are carried in the artifact but kept out of the hash.
 */
export function hashedDelta(delta: Artifact['delta']): Omit<Artifact['delta'], 'recent_events' | 'events_omitted'> {
  const { recent_events: _events, events_omitted: _omitted, ...rest } = delta;
  return rest;
}

/** The developer's own published context feeds the handoff's guidance. */
function linkContext(delta: Artifact['delta'], own: Context | undefined): void {
  if (!own) return;
  delta.context = { id: own.id, title: own.title, summary: own.summary };
  delta.next_steps.push(...own.next_actions.map((a) => `From your context "${own.title}": ${a}`));
  delta.open_questions.push(...own.blockers.map((b) => `Blocker from your context "${own.title}": ${b}`));
}

interface AssembleInput {
  now: Date;
  previous: Artifact | undefined;
  branch: string;
  baseRef: string;
  head: string;
  prefix: Artifact['prefix'];
  delta: Artifact['delta'];
  hashes: { prefix_hash: string; delta_hash: string; combined_hash: string };
  bytes: { prefix: number; delta: number };
}

/** Builds the artifact in its fixed key order; keeps generated_at when nothing changed. */
export function assembleArtifact(input: AssembleInput): Artifact {
  const { previous, hashes, delta } = input;
  const unchanged = previous !== undefined && previous.prefix_hash === hashes.prefix_hash && previous.delta_hash === hashes.delta_hash;
  const artifact: Artifact = {
    schema_version: SCHEMA_VERSION,
    generated_at: unchanged ? previous.generated_at : input.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    root: '.',
    branch: input.branch,
    base_ref: input.baseRef,
    head: input.head,
    prefix: input.prefix,
    delta,
    prefix_hash: hashes.prefix_hash,
    delta_hash: hashes.delta_hash,
    combined_hash: hashes.combined_hash,
    metrics: computeMetrics(previous, hashes, input.bytes),
    changed_files: delta.changed.map((c) => c.path),
    risk_files: delta.risk_files,
    recent_events: delta.recent_events,
    next_steps: delta.next_steps,
    open_questions: delta.open_questions,
  };
  if (previous?.agent_history) artifact.agent_history = previous.agent_history;
  return reorder(artifact);
}

/** agent_history sits after metrics, as in schema_version 1. */
function reorder(a: Artifact): Artifact {
  const { changed_files, risk_files, recent_events, next_steps, open_questions, agent_history, ...head } = a;
  return { ...head, ...(agent_history ? { agent_history } : {}), changed_files, risk_files, recent_events, next_steps, open_questions };
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
    const a = result.artifact;
    let artifact = assembleArtifact({
      now,
      previous,
      branch: a.branch,
      baseRef: a.base_ref,
      head: a.head,
      prefix: a.prefix,
      delta: a.delta,
      hashes: { prefix_hash: a.prefix_hash, delta_hash: a.delta_hash, combined_hash: a.combined_hash },
      bytes: { prefix: a.metrics.prefix_bytes, delta: a.metrics.delta_bytes },
    });
    if (history) artifact = reorder({ ...artifact, agent_history: history(previous?.agent_history ?? []) });
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
  const saved = { schema_version: SCHEMA_VERSION as typeof SCHEMA_VERSION, combined_hash: artifact.combined_hash, files };
  return writeSavedDetails(result.layout, saved);
}

/** Rewrites only the agent history of the saved artifact (nothing else changed). */
export async function updateAgentHistory(layout: Layout, history: (previous: AgentEntry[]) => AgentEntry[]): Promise<boolean> {
  return withWorktreeLock(layout, () => {
    const current = readLatest(layout);
    if (!current) return false;
    const updated = reorder({ ...current, agent_history: history(current.agent_history ?? []) });
    writeFileAtomic(layout.latest, formatJson(updated), { within: layout.root });
    return true;
  });
}

export async function readSavedHandoff(cwd: string, path?: string): Promise<{ artifact: Artifact; layout: Layout }> {
  const { layout } = await openContext(cwd, path);
  const artifact = readLatest(layout);
  if (!artifact) throw new NotFoundError('no saved handoff in this worktree', 'run `handoff` first to compute and save one');
  return { artifact, layout };
}

/**
 * Normalises a --detail argument (relative to cwd or root, `./`, backslashes) to a
 * repository path; a path outside the repository is a usage error.
 */
export function detailPaths(input: string, cwd: string, root: string): string[] {
  // A name as the output prints it (terminal escapes such as `\\xff`, `\x1b`) names the same file.
  const printed = unescapeText(input);
  const candidates = [...candidatePaths(input, cwd, root), ...(printed === input ? [] : candidatePaths(printed, cwd, root))];
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
    const near = closestPaths(candidates[0] ?? requested, all.map((c) => c.path));
    const hint = near.length > 0 ? `closest changed paths: ${near.join(', ')}` : 'no files changed in this worktree';
    throw new NotFoundError(`${requested} is not a changed file in this handoff`, hint);
  }
  return detailOf(result, change);
}

/** One changed file's detail; its importers were found with every other changed file's, in one pass. */
function detailOf(result: HandoffInternals, change: MergedChange): FileDetail {
  const importers = result.facts.importers.get(change.path) ?? [];
  const stub = toStub(change, result.facts.fileFacts);
  const detail: FileDetail = {
    path: stub.path,
    status: stub.status,
    size: stub.size,
    hash: stub.hash,
    importers,
    imports: result.facts.view.importsOf(change.path),
    recent_events: result.facts.events.filter((e) => e.path === change.path).sort((a, b) => compareCodeUnit(a.time, b.time)),
    is_hub: importers.length >= HUB_MIN_IMPORTERS,
  };
  if (stub.from !== undefined) detail.from = stub.from;
  const stale = result.facts.oldPathImporters.get(change.path);
  if (stale !== undefined) detail.still_importing_old_path = stale;
  return detail;
}

/** Up to three changed paths nearest to `wanted`: same file name first, then edit distance. */
export function closestPaths(wanted: string, paths: readonly string[]): string[] {
  const name = wanted.slice(wanted.lastIndexOf('/') + 1);
  const scored = paths.map((p) => {
    const base = p.slice(p.lastIndexOf('/') + 1);
    return { p, score: (base === name ? 0 : 1000) + editDistance(wanted, p) };
  });
  scored.sort((a, b) => a.score - b.score || compareCodeUnit(a.p, b.p));
  return scored.slice(0, 3).map((s) => s.p);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export { BYTE_BUDGET, type Hasher };
