// Collects the facts of the delta layer: what changed at each git layer since the base
// commit, working-tree facts of each changed file, the working-tree import graph around
// them, and the timeline. The pure builder in core/delta.ts turns these into the layer.
import type { EventSummary } from '../schema/artifact.js';
import { mergeChanges, type LayerChange, type MergedChange } from '../core/changes.js';
import type { PathFilter } from '../core/exclude.js';
import { GraphView, type ImportGraph } from '../core/graph.js';
import { createResolver } from '../core/imports/resolve.js';
import { commitsSince, diffCommits, workingChanges } from '../git/repo.js';
import type { WorktreeFiles, FileFacts } from './worktree-files.js';

export interface DeltaFacts {
  changes: MergedChange[];
  facts: Map<string, { size: number; hash: string }>;
  importers: Map<string, string[]>;
  events: EventSummary[];
  view: GraphView;
  /** Working-tree facts of every changed file that exists (for detail). */
  fileFacts: Map<string, FileFacts>;
}

export interface DeltaRequest {
  root: string;
  head: string | undefined;
  baseCommit: string | undefined;
  filter: PathFilter;
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
  const range = req.head && req.baseCommit && req.head !== req.baseCommit ? `${req.baseCommit}..${req.head}` : undefined;
  const [branch, local, commits] = await Promise.all([
    range && req.baseCommit && req.head ? diffCommits(req.root, req.baseCommit, req.head) : Promise.resolve([] as LayerChange[]),
    workingChanges(req.root),
    range ? commitsSince(req.root, range, Math.floor(cutoffMs / 1000)) : Promise.resolve([]),
  ]);

  const layered = [...branch, ...local].filter((c) => req.filter(c.path));
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

  const view = workingGraph(req, changes, fileFacts);
  const importers = view.importersOf(changes.map((c) => c.path));

  const events: EventSummary[] = [];
  for (const commit of commits) {
    for (const path of commit.paths) if (req.filter(path)) events.push({ time: isoSeconds(commit.time * 1000), op: 'commit', path });
  }
  const localPaths = new Set(local.map((c) => c.path));
  for (const change of changes) {
    const f = fileFacts.get(change.path);
    if (f && localPaths.has(change.path) && f.mtimeMs >= cutoffMs) events.push({ time: isoSeconds(f.mtimeMs), op: 'edit', path: change.path });
  }
  return { changes, facts, importers, events, view, fileFacts };
}

/** The base graph with the out-edges of changed files replaced by their working-tree imports. */
function workingGraph(req: DeltaRequest, changes: readonly MergedChange[], fileFacts: ReadonlyMap<string, FileFacts>): GraphView {
  const overrides = new Map<string, string[] | null>();
  if (changes.length === 0) return new GraphView(req.graph, overrides);
  const removed = new Set<string>();
  const added: string[] = [];
  const baseSet = new Set(req.graph.files);
  for (const c of changes) {
    if (c.status === 'deleted') removed.add(c.path);
    else if (!baseSet.has(c.path)) added.push(c.path);
    if (c.from !== undefined && !fileFacts.has(c.from)) removed.add(c.from);
  }
  const files = removed.size > 0 ? req.graph.files.filter((f) => !removed.has(f)) : [...req.graph.files];
  files.push(...added);
  const resolver = createResolver({ files, configs: req.configs });
  for (const c of changes) {
    if (c.status === 'deleted') {
      overrides.set(c.path, null);
      continue;
    }
    const specs = fileFacts.get(c.path)?.specifiers;
    const targets = new Set<string>();
    for (const spec of specs ?? []) for (const t of resolver.resolve(c.path, spec)) if (t !== c.path) targets.add(t);
    overrides.set(c.path, [...targets].sort());
  }
  for (const path of removed) if (!overrides.has(path)) overrides.set(path, null);
  return new GraphView(req.graph, overrides);
}
