// Builds the delta layer — the work in progress from the base commit to the working
// tree: changed-file stubs, risk files, a timeline and guidance. Pure: facts in, layer out.
import type { DeltaSnapshot, EventSummary, FileStub, RiskFile } from '../schema/artifact.js';
import type { ListCaps } from './budget.js';
import type { MergedChange } from './changes.js';
import { goPackageDir, HUB_MIN_IMPORTERS, RISK_MIN_IMPORTERS } from './graph.js';
import { deriveGuidance, type GuidanceFacts } from './guidance.js';
import { compareCodeUnit } from './paths.js';
import { omittedByStatus, orderRisk, selectChanged } from './rank.js';

export { selectChanged } from './rank.js';

export interface DeltaInput {
  baseCommit: string;
  baseRef: string;
  changes: readonly MergedChange[];
  /** Working-tree size and content hash of each changed file that exists. */
  facts: ReadonlyMap<string, { size: number; hash: string }>;
  /** Importers of each changed path, in the working-tree graph (deleted: base graph). */
  importers: ReadonlyMap<string, readonly string[]>;
  /** Renamed files still imported under their old path, and the Go packages touched (see RiskContext). */
  oldPathImporters?: RiskContext['oldPathImporters'];
  goPackages?: RiskContext['goPackages'];
  events: readonly EventSummary[];
  /** Last commit time (seconds) of each path committed on the branch, for ranking. */
  lastCommitted?: ReadonlyMap<string, number>;
  caps: ListCaps;
  situation: Omit<GuidanceFacts, 'changed' | 'risk' | 'baseRef'>;
}

export function riskReason(importers: number, deleted: boolean): string {
  if (deleted) return `deleted but still imported by ${importers} files`;
  return importers >= HUB_MIN_IMPORTERS ? `hub file imported by ${importers} files` : `imported by ${importers} files`;
}

/** What the working-tree graph tells about renames and Go packages, beside each path's importers. */
export interface RiskContext {
  /** By new path: files still importing the old path of a renamed file that is gone from there. */
  oldPathImporters?: ReadonlyMap<string, readonly string[]>;
  /** Go package folders the change touches, with how many package files each has now. */
  goPackages?: ReadonlyMap<string, number>;
}

interface PackageRisk {
  /** A changed (or moved-away) path of the package, whose importers are the package's. */
  member: string;
  changed: number;
  deleted: number;
}

/**
 * Changed files imported by 2 or more files. A renamed file still imported under its old
 * path is a risk by those broken importers. Go is summarised per package folder, since a
 * package is what Go imports: a deleted file of a package that still exists breaks nothing,
 * and a package whose files are all gone is "deleted but still imported".
 */
export function summarizeRisk(
  changes: readonly MergedChange[],
  importers: ReadonlyMap<string, readonly string[]>,
  context: RiskContext = {},
): RiskFile[] {
  const risk: RiskFile[] = [];
  const packages = new Map<string, PackageRisk>();
  const inPackage = (dir: string, member: string, deleted: boolean): void => {
    const p = packages.get(dir) ?? { member, changed: 0, deleted: 0 };
    p.changed += 1;
    if (deleted) p.deleted += 1;
    packages.set(dir, p);
  };
  const gone = (dir: string): boolean => context.goPackages?.get(dir) === 0;
  for (const change of changes) {
    const dir = goPackageDir(change.path);
    if (dir !== undefined) {
      inPackage(dir, change.path, change.status === 'deleted');
      const old = change.from === undefined ? undefined : goPackageDir(change.from);
      if (old !== undefined && old !== dir && gone(old)) inPackage(old, change.from!, false);
      continue;
    }
    const stale = context.oldPathImporters?.get(change.path)?.length ?? 0;
    if (change.from !== undefined && stale >= RISK_MIN_IMPORTERS) {
      const reason = `renamed from ${change.from} but still imported under the old path by ${stale} files`;
      risk.push({ path: change.path, importers: stale, is_hub: stale >= HUB_MIN_IMPORTERS, reason });
      continue;
    }
    const n = importers.get(change.path)?.length ?? 0;
    if (n < RISK_MIN_IMPORTERS) continue;
    risk.push({
      path: change.path,
      importers: n,
      is_hub: n >= HUB_MIN_IMPORTERS,
      reason: riskReason(n, change.status === 'deleted'),
    });
  }
  for (const [dir, p] of packages) {
    const n = importers.get(p.member)?.length ?? 0;
    if (n < RISK_MIN_IMPORTERS) continue;
    const reason = !gone(dir)
      ? `${n >= HUB_MIN_IMPORTERS ? 'hub package' : 'package'} imported by ${n} files`
      : p.deleted === p.changed
        ? `package deleted but still imported by ${n} files`
        : `package moved away but still imported under the old path by ${n} files`;
    risk.push({ path: dir === '' ? '.' : dir, importers: n, is_hub: n >= HUB_MIN_IMPORTERS, reason, files: p.changed });
  }
  return risk.sort((a, b) => b.importers - a.importers || compareCodeUnit(a.path, b.path));
}

export function toStub(change: MergedChange, facts: DeltaInput['facts']): FileStub {
  const fact = change.status === 'deleted' ? undefined : facts.get(change.path);
  return {
    path: change.path,
    status: change.status,
    ...(change.from !== undefined ? { from: change.from } : {}),
    size: fact?.size ?? 0,
    hash: fact?.hash ?? '',
  };
}

/** Chronological, then by path and op; the most recent `max` are kept. */
export function selectEvents(events: readonly EventSummary[], max: number): { kept: EventSummary[]; omitted: number } {
  const sorted = [...events].sort(
    (a, b) => compareCodeUnit(a.time, b.time) || compareCodeUnit(a.path, b.path) || compareCodeUnit(a.op, b.op),
  );
  const kept = sorted.slice(Math.max(0, sorted.length - max));
  return { kept, omitted: sorted.length - kept.length };
}

export function buildDelta(input: DeltaInput): DeltaSnapshot {
  const summary = summarizeRisk(input.changes, input.importers, input);
  const risk = orderRisk(summary, input.changes, input.oldPathImporters, input.goPackages);
  const selected = selectChanged(input.changes, risk, input.caps.changed, input.lastCommitted);
  const omitted = input.changes.length - selected.length;
  const keptRisk = risk.slice(0, input.caps.risk);
  const events = selectEvents(input.events, input.caps.events);
  const { nextSteps, openQuestions } = deriveGuidance({
    ...input.situation,
    baseRef: input.baseRef,
    changed: input.changes,
    risk,
    oldPathImporters: input.oldPathImporters,
    goPackages: input.goPackages,
  });
  return {
    base_commit: input.baseCommit,
    changed: selected.map((c) => toStub(c, input.facts)),
    changed_total: input.changes.length,
    changed_omitted: omitted,
    ...(omitted > 0 ? { changed_omitted_by_status: omittedByStatus(input.changes, selected) } : {}),
    risk_files: keptRisk,
    risk_omitted: risk.length - keptRisk.length,
    recent_events: events.kept,
    events_omitted: events.omitted,
    next_steps: nextSteps,
    open_questions: openQuestions,
  };
}
