// Builds the delta layer — the work in progress from the base commit to the working
// tree: changed-file stubs, risk files, a timeline and guidance. Pure: facts in, layer out.
import type { DeltaSnapshot, EventSummary, FileStub, RiskFile } from '../schema/artifact.js';
import type { ListCaps } from './budget.js';
import type { MergedChange } from './changes.js';
import { HUB_MIN_IMPORTERS, RISK_MIN_IMPORTERS } from './graph.js';
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

export function summarizeRisk(changes: readonly MergedChange[], importers: ReadonlyMap<string, readonly string[]>): RiskFile[] {
  const risk: RiskFile[] = [];
  for (const change of changes) {
    const n = importers.get(change.path)?.length ?? 0;
    if (n < RISK_MIN_IMPORTERS) continue;
    risk.push({ path: change.path, importers: n, is_hub: n >= HUB_MIN_IMPORTERS, reason: riskReason(n, change.status === 'deleted') });
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
  const risk = orderRisk(summarizeRisk(input.changes, input.importers), input.changes);
  const selected = selectChanged(input.changes, risk, input.caps.changed, input.lastCommitted);
  const omitted = input.changes.length - selected.length;
  const keptRisk = risk.slice(0, input.caps.risk);
  const events = selectEvents(input.events, input.caps.events);
  const { nextSteps, openQuestions } = deriveGuidance({
    ...input.situation,
    baseRef: input.baseRef,
    changed: input.changes,
    risk,
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
