// The handoff's use cases, as a pipeline read top to bottom: options (api/handoff-options.ts),
// collect (api/handoff-collect.ts), build (pure, in core/) and save (under the lock);
// also reading the saved one and one changed file's detail. Plain data in and out; the
// caller passes cwd, clock and a warning sink, so nothing here reads process state.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { SCHEMA_VERSION, type AgentEntry, type Artifact, type FileDetail } from '../schema/artifact.js';
import {
  assembleArtifact,
  capsFor,
  hashLayers,
  linkContext,
  withAgentHistory,
  type AssembleInput,
} from '../core/artifact.js';
import { BYTE_BUDGET } from '../core/budget.js';
import { claimSentence } from '../core/claims.js';
import { buildDelta } from '../core/delta.js';
import { buildDetail, closestPaths } from '../core/detail.js';
import type { MergedChange } from '../core/changes.js';
import type { Hasher } from '../core/hash.js';
import { isEscapedPath } from '../core/path-bytes.js';
import { unescapeText } from '../core/escape.js';
import { normalizeRepoPath } from '../core/paths.js';
import type { DeltaFacts } from '../collect/delta.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { RepoInfo } from '../git/repo.js';
import { readPreviousForSave, readLatest, readLatestIfValid, writeArtifacts } from '../store/artifacts.js';
import { writeSavedDetails } from '../store/saved-details.js';
import { CacheStore } from '../store/caches.js';
import { withWorktreeLock, type Layout } from '../store/layout.js';
import { formatJson, statKey, writeFileAtomic } from '../store/atomic.js';
import { NO_BASE_QUESTION } from './base-ref.js';
import { othersClaimsOn } from './claim-hooks.js';
import { conflictOpenQuestions } from './conflicts-saved.js';
import { collectHandoff, type Collected } from './handoff-collect.js';
import { handoffOptions, openContext, type HandoffOptions, type HandoffRequest } from './handoff-options.js';

export { resolveBaseRef, TRIED_BASE_REFS, type BaseRef } from './base-ref.js';
export { DEFAULT_SINCE, handoffOptions, type HandoffOptions, type HandoffRequest } from './handoff-options.js';

/** What `computeHandoff` keeps for a save or a detail; private to api (a symbol key: JSON leaves it out). */
export const INTERNALS: unique symbol = Symbol('handoff internals');

/** The built layers and their sums: what a save assembles, against the artifact then on disk. */
type BuiltParts = Omit<AssembleInput, 'now' | 'previous'>;

export interface HandoffInternals {
  repo: RepoInfo;
  layout: Layout;
  /** The working-tree graph and file facts behind the delta (for --detail and the hooks). */
  facts: DeltaFacts;
  /** Cache file names the repository tracks (never trusted, never written). */
  trackedCaches: ReadonlySet<string>;
  parts: BuiltParts;
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

/**
 * A handoff in four steps: options (the request, env and config as one frozen object),
 * collect (git and the file system; the new caches written back), build (pure, in core/)
 * and, in saveHandoff, the save. The artifact here is assembled against the saved one
 * as it is now, for a caller that does not save (`--no-save`, `--json`).
 */
export async function computeHandoff(req: HandoffRequest): Promise<HandoffResult> {
  const options = await handoffOptions(req);
  const collected = await collectHandoff(options);
  const coordination = await coordinationOf(options, collected);
  const parts = { ...buildHandoff(options, collected), coordination };
  const { repo, layout } = options;
  const artifact = assembleArtifact({ now: options.now, previous: readLatestIfValid(layout), ...parts });
  const internals = { repo, layout, facts: collected.facts, trackedCaches: collected.trackedCaches, parts };
  return { artifact, root: repo.root, [INTERNALS]: internals };
}

/**
 * Other sessions' claims on my changed files and the definite conflicts the stop hook last
 * saved: open questions added outside the hashed
 * layers (they are not repository state, so the delta hash does not move with them).
 */
async function coordinationOf(options: HandoffOptions, collected: Collected): Promise<string[]> {
  const changed = collected.facts.changes.map((c) => c.path);
  const [claimed, conflicting] = await Promise.all([
    othersClaimsOn(options.repo, options.env, options.now, changed),
    conflictOpenQuestions(options.repo, options.env, options.now),
  ]);
  return [...claimed.flatMap(({ path, claims }) => claims.map((c) => claimSentence(path, c))), ...conflicting];
}

/** Step 3, build: the delta from the facts (core/delta.ts), its context link, the layers' sums. Pure. */
function buildHandoff(options: HandoffOptions, collected: Collected): BuiltParts {
  const { repo } = options;
  const { base, facts, prefix } = collected;
  const branchName = repo.branch ?? 'HEAD';
  const built = buildDelta({
    baseCommit: collected.baseCommit ?? '',
    baseRef: base.name,
    changes: facts.changes,
    facts: facts.fileFacts,
    importers: facts.importers,
    oldPathImporters: facts.oldPathImporters,
    goPackages: facts.goPackages,
    events: facts.events,
    lastCommitted: facts.lastCommitted,
    caps: capsFor(prefix.prefix.file_count, options.config.budgets),
    situation: {
      branch: branchName,
      detached: repo.branch === undefined && repo.head !== undefined,
      shallow: repo.shallow,
      onBaseBranch: repo.branch !== undefined && (repo.branch === base.name || `origin/${repo.branch}` === base.name),
    },
  });
  const delta = linkContext(built, collected.ownContext);
  if (base.source === 'fallback') delta.open_questions.unshift(NO_BASE_QUESTION);
  const sums = hashLayers(prefix.prefix, delta, collected.hasher);
  return { branch: branchName, baseRef: base.name, head: repo.head ?? '', prefix: prefix.prefix, delta, ...sums };
}

/**
 * Step 4, save, under the worktree lock: assembled once, against the artifact on disk at
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
