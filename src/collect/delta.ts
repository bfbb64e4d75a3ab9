// Collects the facts of the delta layer: what changed at each git layer since the base
// commit, working-tree facts of each changed file, the working-tree import graph around
// them, and the timeline. The pure builder in core/delta.ts turns these into the layer.
import type { EventSummary } from '../schema/artifact.js';
import { mergeChanges, type LayerChange, type MergedChange } from '../core/changes.js';
import { manifestsAfter, type PathFilter } from '../core/exclude.js';
import { goPackageDir, GraphView, indexOfFile, type ImportGraph } from '../core/graph.js';
import type { Hasher } from '../core/hash.js';
import { compareCodeUnit } from '../core/paths.js';
import { createResolver, resolveImports, type Resolver } from '../core/imports/resolve.js';
import { branchCommits, diffCommits, parseStatus, statusBytes, type CommitTouch } from '../git/repo.js';
import type { WorktreeFiles, FileFacts } from './worktree-files.js';

export interface DeltaFacts {
  /** xxhash64 of the `git status` output the delta was computed from (as text; see statusRaw). */
  statusDigest: string;
  changes: MergedChange[];
  /** Importers of each changed path, and of the gone old path of each rename, in the working-tree graph. */
  importers: Map<string, string[]>;
  /** Files still importing the old path of a renamed file that no longer exists there, by new path. */
  oldPathImporters: Map<string, string[]>;
  /** Go package folders the change touches, with how many package files each has now. */
  goPackages: Map<string, number>;
  events: EventSummary[];
  /** Last commit time (seconds) of each path among the branch's newest commits, for ranking. */
  lastCommitted: Map<string, number>;
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

export function startDeltaQueries(
  root: string,
  local: Promise<LocalStatus>,
  head: string | undefined,
  baseCommit: string | undefined,
): DeltaQueries {
  const range = head && baseCommit && head !== baseCommit ? `${baseCommit}..${head}` : undefined;
  const branch = range && baseCommit && head ? diffCommits(root, baseCommit, head) : Promise.resolve([]);
  // Not limited to the timeline's window: ranking needs when each path was last committed.
  const commits = range ? branchCommits(root, range) : Promise.resolve([]);
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
  /** Resolved imports of changed files from the last run (read only: the new state is returned). */
  resolution: Readonly<ResolutionCache>;
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

/** The delta's facts, and the resolution cache to keep for the next run (the caller writes it). */
export interface CollectedDelta {
  facts: DeltaFacts;
  resolution: ResolutionCache;
}

export async function collectDelta(req: DeltaRequest): Promise<CollectedDelta> {
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
  const { view, resolution } = workingGraph(req, inScope(changes, req.scope), fileFacts);
  const goPackages = new Map<string, number>();
  for (const c of changes) {
    for (const path of c.from === undefined ? [c.path] : [c.path, c.from]) {
      const dir = goPackageDir(path);
      if (dir !== undefined && !goPackages.has(dir)) goPackages.set(dir, view.goPackageFiles(dir).length);
    }
  }
  const moved = changes.filter(
    (c) => c.from !== undefined && !view.exists(c.from) && !goPackageStillThere(c.from, goPackages),
  );
  const importers = view.importersOf([...changes.map((c) => c.path), ...moved.map((c) => c.from!)]);
  const oldPathImporters = new Map<string, string[]>();
  for (const c of moved) {
    const stale = importers.get(c.from!) ?? [];
    if (stale.length > 0) oldPathImporters.set(c.path, stale);
  }

  const events: EventSummary[] = [];
  const lastCommitted = new Map<string, number>();
  const cutoffSeconds = Math.floor(cutoffMs / 1000);
  for (const commit of commits) {
    for (const path of commit.paths) {
      if (!filter(path)) continue;
      lastCommitted.set(path, Math.max(lastCommitted.get(path) ?? commit.time, commit.time));
      if (commit.time >= cutoffSeconds) events.push({ time: isoSeconds(commit.time * 1000), op: 'commit', path });
    }
  }
  const localPaths = new Set(local.map((c) => c.path));
  for (const change of changes) {
    const f = fileFacts.get(change.path);
    if (f && localPaths.has(change.path) && f.mtimeMs >= cutoffMs)
      events.push({ time: isoSeconds(f.mtimeMs), op: 'edit', path: change.path });
  }
  // Digested as text, exactly as session-start digests `statusRaw`, so the two agree even
  // when a non-UTF-8 name makes the decoding lossy.
  const statusDigest = req.hasher.text(status.raw.toString('utf8'));
  const facts = {
    statusDigest,
    changes,
    importers,
    oldPathImporters,
    goPackages,
    events,
    lastCommitted,
    view,
    fileFacts,
  };
  return { facts, resolution };
}

/** A Go file's old path is still importable while its package keeps other files. */
function goPackageStillThere(path: string, goPackages: ReadonlyMap<string, number>): boolean {
  const dir = goPackageDir(path);
  return dir !== undefined && (goPackages.get(dir) ?? 0) > 0;
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
function workingGraph(
  req: DeltaRequest,
  changes: readonly MergedChange[],
  fileFacts: ReadonlyMap<string, FileFacts>,
): { view: GraphView; resolution: ResolutionCache } {
  const overrides = new Map<string, string[] | null>();
  if (changes.length === 0)
    return { view: new GraphView(req.graph, overrides), resolution: { key: req.resolution.key, resolved: {} } };
  const removed = new Set<string>();
  const added: string[] = [];
  for (const c of changes) {
    if (c.status === 'deleted') removed.add(c.path);
    else if (indexOfFile(req.graph.files, c.path) < 0) added.push(c.path);
    if (c.from !== undefined && !fileFacts.has(c.from)) removed.add(c.from);
  }
  const key = req.hasher.text(
    JSON.stringify([req.tree, req.configs, added.sort(compareCodeUnit), [...removed].sort(compareCodeUnit)]),
  );
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
      resolver ??= workingResolver(req, added, removed);
      targets = resolveImports(resolver, c.path, f?.specifiers ?? []);
    }
    if (f) resolved[c.path] = [f.hash, targets];
    overrides.set(c.path, targets);
  }
  for (const path of removed) if (!overrides.has(path)) overrides.set(path, null);
  return { view: new GraphView(req.graph, overrides), resolution: { key, resolved } };
}

/**
 * Resolves against the working tree, except that an import naming a removed file (deleted,
 * or the old path of a rename) is an edge to it: a broken import is what the risk reports.
 * Each specifier is resolved twice — over the working tree's files and over those plus the
 * removed ones — and the second answer wins only when it is removed files alone. So an
 * import that still resolves the same way is untouched, while one the working tree would
 * send elsewhere as a fallback (Rust's `crate::gone` to lib.rs, Python's `from pkg import
 * gone` to pkg/__init__.py) points at the removed file it names. A Go import of a package
 * that keeps other files resolves to those: the package still exists.
 */
function workingResolver(req: DeltaRequest, added: readonly string[], removed: ReadonlySet<string>): Resolver {
  const base = req.graph.files.toArray();
  const current = createResolver({ files: [...base.filter((p) => !removed.has(p)), ...added], configs: req.configs });
  if (removed.size === 0) return current;
  // Removed files include ones the base never had (added on the branch, deleted since).
  const withRemoved = createResolver({ files: [...new Set([...base, ...added, ...removed])], configs: req.configs });
  return {
    resolve(fromPath, specifier) {
      const now = current.resolve(fromPath, specifier);
      const before = withRemoved.resolve(fromPath, specifier);
      return before.length > 0 && before.every((p) => removed.has(p)) && !sameList(before, now) ? before : now;
    },
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
