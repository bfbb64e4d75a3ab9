// Short, data-derived guidance for the next session: what to do before merge and what
// looks off. Every line names its numbers and files, so it can be acted on directly.
import type { RiskFile } from '../schema/artifact.js';
import type { MergedChange } from './changes.js';

export interface GuidanceFacts {
  baseRef: string;
  branch: string;
  changed: readonly MergedChange[];
  risk: readonly RiskFile[];
  changedOmitted: number;
  detached: boolean;
  shallow: boolean;
  /** HEAD equals the base commit: nothing committed on this branch yet. */
  atBase: boolean;
  /** The branch is the base ref's own branch (working on main itself). */
  onBaseBranch: boolean;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function deriveGuidance(facts: GuidanceFacts): { nextSteps: string[]; openQuestions: string[] } {
  const next: string[] = [];
  const questions: string[] = [];
  const count = (status: MergedChange['status']): number => facts.changed.filter((c) => c.status === status).length;

  for (const r of facts.risk.slice(0, 3)) {
    const deleted = facts.changed.some((c) => c.path === r.path && c.status === 'deleted');
    next.push(
      deleted
        ? `Fix the ${plural(r.importers, 'file')} that still import deleted ${r.path}.`
        : `Review the ${plural(r.importers, 'dependent')} of ${r.path} before merge.`,
    );
  }
  const staged = count('staged');
  const modified = count('modified');
  const untracked = count('untracked');
  const local = staged + modified + untracked;
  if (local > 0) {
    const parts = [staged && `${staged} staged`, modified && `${modified} modified`, untracked && `${untracked} untracked`].filter(Boolean);
    next.push(`Commit or stash the ${plural(local, 'uncommitted change')} (${parts.join(', ')}) before switching branches.`);
  }
  if (facts.changed.length > 0) next.push(`Run the tests that cover the ${plural(facts.changed.length, 'changed file')}.`);

  if (facts.changed.length === 0) questions.push(`No changed files vs ${facts.baseRef}: is the base ref right?`);
  if (facts.detached) questions.push('HEAD is detached: which branch should this work land on?');
  if (facts.onBaseBranch && facts.changed.length > 0) {
    questions.push(`Work is on ${facts.branch}, the base branch itself: should it move to a feature branch?`);
  }
  if (facts.changedOmitted > 0) {
    questions.push(`${plural(facts.changed.length, 'file')} changed vs ${facts.baseRef}: is this one change, or should it be split?`);
  }
  if (facts.shallow) questions.push('This is a shallow clone: is the merge-base with the base ref inside the fetched history?');
  return { nextSteps: next, openQuestions: questions };
}
