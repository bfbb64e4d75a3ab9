// Short, data-derived guidance for the next session: what to do before merge and what
// looks off. Every line names its numbers and files, so it can be acted on directly.
import type { RiskFile } from '../schema/artifact.js';
import { isLocal, type MergedChange } from './changes.js';

/**
 * A change this large is worth asking about splitting: a fixed size of the change itself,
 * so the question never depends on the display caps or on the repository's size.
 */
export const SPLIT_QUESTION_MIN_CHANGED = 50;

/** Statuses of uncommitted work, in the order the next-step line names them. */
const LOCAL_STATUSES: readonly MergedChange['status'][] = ['staged', 'modified', 'untracked', 'deleted', 'renamed'];

export interface GuidanceFacts {
  baseRef: string;
  branch: string;
  changed: readonly MergedChange[];
  risk: readonly RiskFile[];
  detached: boolean;
  shallow: boolean;
  /** The branch is the base ref's own branch (working on main itself). */
  onBaseBranch: boolean;
  /** By new path: files still importing the old path of a rename (see RiskContext). */
  oldPathImporters?: ReadonlyMap<string, readonly string[]>;
  /** Go package folders the change touches, with how many package files each has now. */
  goPackages?: ReadonlyMap<string, number>;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function deriveGuidance(facts: GuidanceFacts): { nextSteps: string[]; openQuestions: string[] } {
  const next: string[] = [];
  const questions: string[] = [];

  for (const r of facts.risk.slice(0, 3)) next.push(riskStep(r, facts));
  // Every path `git status` reports counts, local deletes and renames included.
  const local = facts.changed.filter(isLocal);
  if (local.length > 0) {
    const parts = LOCAL_STATUSES.map((status) => [status, local.filter((c) => c.status === status).length] as const)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${n} ${status}`);
    const what = `${plural(local.length, 'uncommitted change')} (${parts.join(', ')})`;
    next.push(`Commit or stash the ${what} before switching branches.`);
  }
  if (facts.changed.length > 0)
    next.push(`Run the tests that cover the ${plural(facts.changed.length, 'changed file')}.`);

  if (facts.changed.length === 0) questions.push(`No changed files vs ${facts.baseRef}: is the base ref right?`);
  if (facts.detached) questions.push('HEAD is detached: which branch should this work land on?');
  if (facts.onBaseBranch && facts.changed.length > 0) {
    questions.push(`Work is on ${facts.branch}, the base branch itself: should it move to a feature branch?`);
  }
  if (facts.changed.length >= SPLIT_QUESTION_MIN_CHANGED) {
    questions.push(
      `${plural(facts.changed.length, 'file')} changed vs ${facts.baseRef}: is this one change, or should it be split?`,
    );
  }
  if (facts.shallow)
    questions.push('This is a shallow clone: is the merge-base with the base ref inside the fetched history?');
  return { nextSteps: next, openQuestions: questions };
}

/** The next step for one risk entry: a broken import is fixed, a dependent is reviewed. */
function riskStep(r: RiskFile, facts: GuidanceFacts): string {
  const files = plural(r.importers, 'file');
  const change = facts.changed.find((c) => c.path === r.path);
  if (change?.status === 'deleted') return `Fix the ${files} that still import deleted ${r.path}.`;
  if (change?.from !== undefined && (facts.oldPathImporters?.get(r.path)?.length ?? 0) > 0) {
    return `Fix the ${files} that still import ${change.from}, renamed to ${r.path}.`;
  }
  if (r.files !== undefined && facts.goPackages?.get(r.path === '.' ? '' : r.path) === 0) {
    return `Fix the ${files} that still import package ${r.path}, which no longer has any files.`;
  }
  return `Review the ${plural(r.importers, 'dependent')} of ${r.path} before merge.`;
}
