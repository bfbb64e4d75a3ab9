// Collects the facts of the delta layer: what changed at each git layer since the base
// commit, working-tree facts of each changed file, the working-tree import graph around
// them, and the timeline. The pure builder in core/delta.ts turns these into the layer.
import type { EventSummary } from '../schema/artifact.js';
import { mergeChanges, type LayerChange, type MergedChange } from '../core/changes.js';
import { manifestsAfter, type PathFilter } from '../core/exclude.js';
import { GraphView, indexOfFile, type ImportGraph } from '../core/graph.js';
import type { Hasher } from '../core/hash.js';
import { compareCodeUnit } from '../core/paths.js';
import { createResolver, resolveImports, type Resolver } from '../core/imports/resolve.js';
import { commitsSince, diffCommits, parseStatus, statusBytes, type CommitTouch } from '../git/repo.js';
import type { WorktreeFiles, FileFacts } from './worktree-files.js';

export interface DeltaFacts {
  /** xxhash64 of the `git status` output the delta was computed from (as text; see statusRaw). */
  statusDigest: string;
  changes: MergedChange[];
  facts: Map<string, { size: number; hash: string }>;
  importers: Map<string, string[]>;
  events: EventSummary[];
  view: GraphView;
  /** Working-tree facts of every changed file that exists (for detail). */
  fileFacts: Map<string, FileFacts>;
}

/** The git queries of the delta, started as early as their inputs are known. */
export interface DeltaQueries {
  local: Promise<LocalStatus>;
  branch: Promise<LayerChange[]>;
  commits: Promise<CommitTouch[]>;
}

/** `git status` as parsed changes, and its raw bytes (whose digest marks a saved handoff's state). */
export interface LocalStatus {
  raw: Buffer;
  changes: LayerChange[];
}

/** `git status` needs nothing but the worktree: start it first, it is the slowest call. */
export function startLocalQuery(root: string): Promise<LocalStatus> {
  const local = statusBytes(root).then((raw) => ({ raw, changes: parseStatus(raw) }));
  local.catch(() => undefined);
  return local;
}

export function startDeltaQueries(root: string, local: Promise<LocalStatus>, head: string | undefined, baseCommit: string | undefined, cutoffMs: number): DeltaQueries {
  const range = head && baseCommit && head !== baseCommit ? `${baseCommit}..${head}` : undefined;
  const branch = range && baseCommit && head ? diffCommits(root, baseCommit, head) : Promise.resolve([]);
  const commits = range ? commitsSince(root, range, Math.floor(cutoffMs / 1000)) : Promise.resolve([]);
  branch.catch(() => undefined);
  commits.catch(() => undefined);
  return { local, branch, commits };
}

export interface ResolutionCache {
  key: string;
  resolved: Record<string, [string, string[]]>;
}

export interface DeltaRequest {
  root: string;
  queries: DeltaQueries;
  tree: string;
  hasher: Hasher;
  /** Resolved imports of changed files from the last run; refreshed in place. */
  resolution: ResolutionCache;
  /** The path filter, given the manifest files present. */
  filterFor: (manifests: readonly string[]) => PathFilter;
  /** The config's `only` / `exclude`: changes outside it are listed but add no import edges. */
  scope?: PathFilter;
  /** Manifest files of the base tree; the changes add and remove their own. */
  manifests: readonly string[];
  graph: ImportGraph;
  configs: Record<string, string>;
  files: WorktreeFiles;
  nowMs: number;
  sinceMs: number;
}

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export async function collectDelta(req: DeltaRequest): Promise<DeltaFacts> {
  const cutoffMs = req.nowMs - req.sinceMs;
  const [branch, status, commits] = await Promise.all([req.queries.branch, req.queries.local, req.queries.commits]);
  const local = status.changes;

  const all = [...branch, ...local];
  const filter = req.filterFor(manifestsAfter(req.manifests, all));
  const layered = all.filter((c) => filter(c.path));
  const fileFacts = new Map<string, FileFacts>();
  for (const path of new Set(layered.map((c) => c.path))) {
    const f = req.files.facts(path);
    if (f) fileFacts.set(path, f);
  }
  // Binary files are left out like any other excluded file.
  const kept = layered.filter((c) => !fileFacts.get(c.path)?.binary);
  const changes = mergeChanges(kept, (p) => fileFacts.has(p));

  const facts = new Map<string, { size: number; hash: string }>();
  for (const [path, f] of fileFacts) facts.set(path, { size: f.size, hash: f.hash });

  const view = workingGraph(req, inScope(changes, req.scope), fileFacts);
  const importers = view.importersOf(changes.map((c) => c.path));

  const events: EventSummary[] = [];
  for (const commit of commits) {
    for (const path of commit.paths) if (filter(path)) events.push({ time: isoSeconds(commit.time * 1000), op: 'commit', path });
  }
  const localPaths = new Set(local.map((c) => c.path));
  for (const change of changes) {
    const f = fileFacts.get(change.path);
    if (f && localPaths.has(change.path) && f.mtimeMs >= cutoffMs) events.push({ time: isoSeconds(f.mtimeMs), op: 'edit', path: change.path });
  }
  // Digested as text, exactly as session-start digests `statusRaw`, so the two agree even
  // when a non-UTF-8 name makes the decoding lossy.
  const statusDigest = req.hasher.text(status.raw.toString('utf8'));
  return { statusDigest, changes, facts, importers, events, view, fileFacts };
}

/**
 * The changes the graph sees: those inside the config's scope, as the base graph holds
 * only files inside it. A file renamed out of the scope leaves the graph like a deleted one.
 */
function inScope(changes: readonly MergedChange[], scope: PathFilter | undefined): readonly MergedChange[] {
  if (!scope) return changes;
  const out: MergedChange[] = [];
  for (const c of changes) {
    if (scope(c.path)) out.push(c);
    else if (c.from !== undefined && scope(c.from)) out.push({ path: c.from, status: 'deleted' });
  }
  return out;
}

/**
 * The base graph with the out-edges of changed files replaced by their working-tree
 * imports. Resolution needs an index of every file, so its results are cached per
 * (file set, content hash): a rerun with the same changes builds no resolver at all.
 */
function workingGraph(req: DeltaRequest, changes: readonly MergedChange[], fileFacts: ReadonlyMap<string, FileFacts>): GraphView {
  const overrides = new Map<string, string[] | null>();
  if (changes.length === 0) {
    req.resolution.resolved = {};
    return new GraphView(req.graph, overrides);
  }
  const removed = new Set<string>();
  const added: string[] = [];
  for (const c of changes) {
    if (c.status === 'deleted') removed.add(c.path);
    else if (indexOfFile(req.graph.files, c.path) < 0) added.push(c.path);
    if (c.from !== undefined && !fileFacts.has(c.from)) removed.add(c.from);
  }
  const key = req.hasher.text(JSON.stringify([req.tree, req.configs, added.sort(compareCodeUnit), [...removed].sort(compareCodeUnit)]));
  const previous = req.resolution.key === key ? req.resolution.resolved : {};
  const resolved: Record<string, [string, string[]]> = {};
  let resolver: Resolver | undefined;
  for (const c of changes) {
    if (c.status === 'deleted') {
      overrides.set(c.path, null);
      continue;
    }
    const f = fileFacts.get(c.path);
    const hit = previous[c.path];
    let targets: string[];
    if (f && hit && hit[0] === f.hash) {
      targets = hit[1];
    } else {
      resolver ??= createResolver({ files: [...req.graph.files.toArray().filter((p) => !removed.has(p)), ...added], configs: req.configs });
      targets = resolveImports(resolver, c.path, f?.specifiers ?? []);
    }
    if (f) resolved[c.path] = [f.hash, targets];
    overrides.set(c.path, targets);
  }
  for (const path of removed) if (!overrides.has(path)) overrides.set(path, null);
  req.resolution.key = key;
  req.resolution.resolved = resolved;
  return new GraphView(req.graph, overrides);
}
