// The team's decision log, free of I/O: which decisions stand (not revoked by their
// author), which a reader may see (never a private developer's, except their own), which
// touch a path, what the checkpoint keeps, and the briefing's lines about them.
import type { Visibility } from '../schema/context.js';
import type { DecisionView, InterfaceView } from '../schema/decision.js';
import type { RecordOf } from '../schema/records.js';
import { escapeText as esc, firstLineExcerpt } from './escape.js';
import { matchGlob } from './glob.js';
import { compareCodeUnit } from './paths.js';

/** Earliest revoke of each record id by each author, as the fold keeps them (core/records.ts). */
export type RevokesByTarget = ReadonlyMap<string, ReadonlyMap<string, { at: string; id: string }>>;

/** The part of the fold's accumulator decisions are read from (structural: records.ts imports this module). */
export interface DecisionFold {
  decisions: ReadonlyMap<string, RecordOf<'decision'>>;
  decisionRevokes: RevokesByTarget;
}

/** How many decisions touching my files the briefing shows, and how many of the rest after. */
export const DECISIONS_SHOWN = 3;

/** Whether the record's own author revoked it (nobody else's revoke counts). */
export function revokedByAuthor(revokes: RevokesByTarget, record: { id: string; author: string }): boolean {
  return revokes.get(record.id)?.has(record.author) ?? false;
}

/** The checkpoint keeps a decision until its author revokes it; the revoke leaves with it. */
export const keepDecision = (r: RecordOf<'decision'>, acc: DecisionFold): boolean =>
  !revokedByAuthor(acc.decisionRevokes, r);

/** Newest first by (`at`, `id`). */
export const newestRecordFirst = (a: { at: string; id: string }, b: { at: string; id: string }): number =>
  compareCodeUnit(b.at, a.at) || compareCodeUnit(b.id, a.id);

export const decisionView = (r: RecordOf<'decision'>): DecisionView => ({
  id: r.id,
  author: r.author,
  at: r.at,
  ...r.decision,
});

/** Decisions that stand and that `reader` may see, newest first. */
export function visibleDecisions(
  acc: DecisionFold,
  reader: string,
  visibilityOf: (developer: string) => Visibility,
): DecisionView[] {
  return [...acc.decisions.values()]
    .filter((r) => !revokedByAuthor(acc.decisionRevokes, r))
    .filter((r) => r.author === reader || visibilityOf(r.author) !== 'private')
    .map(decisionView)
    .sort(newestRecordFirst);
}

/**
 * Whether a recorded path is about `path`: the same path, one a directory holding the
 * other, or a recorded glob matching it (as git's wildmatch reads it).
 */
export function pathConcerns(recorded: string, path: string): boolean {
  if (recorded === path) return true;
  if (path.startsWith(`${recorded}/`) || recorded.startsWith(`${path}/`)) return true;
  return /[*?[]/.test(recorded) && matchGlob(recorded, path, { pathname: true });
}

export const decisionTouches = (d: Pick<DecisionView, 'files'>, path: string): boolean =>
  d.files.some((f) => pathConcerns(f, path));

/** `decision list` filters: made at or after `since` (ISO), about `file`. */
export function filterDecisions(
  decisions: readonly DecisionView[],
  filter: { since?: string; file?: string },
): DecisionView[] {
  return decisions.filter(
    (d) =>
      (filter.since === undefined || compareCodeUnit(d.at, filter.since) >= 0) &&
      (filter.file === undefined || decisionTouches(d, filter.file)),
  );
}

/** Splits newest-first items into those touching any of `mine` and the rest, keeping the order. */
export function touchingFirst<T>(
  items: readonly T[],
  mine: ReadonlySet<string>,
  touches: (item: T, path: string) => boolean,
): { touching: T[]; rest: T[] } {
  const touching: T[] = [];
  const rest: T[] = [];
  for (const item of items) ([...mine].some((p) => touches(item, p)) ? touching : rest).push(item);
  return { touching, rest };
}

/** One briefing line of a decision: its text, who and when, and the files it is about. */
export function decisionLine(d: DecisionView, age: string): string {
  const files =
    d.files.length > 0
      ? ` [${d.files
          .slice(0, 3)
          .map((f) => esc(f))
          .join(', ')}]`
      : '';
  return `- decided: ${firstLineExcerpt(d.text, 160) ?? ''} — ${esc(d.author)}, ${age} ago${files}`;
}

/** The briefing's blocks about decisions and interfaces: those touching my files, and the rest. */
export interface TeamNoteBlocks {
  touching: string[];
  rest: string[];
}

/**
 * The newest decisions and interfaces (DECISIONS_SHOWN of each) touching my changed
 * files, then the newest of the rest; each block empty when there is nothing to say.
 */
export function teamNoteBlocks(
  decisions: readonly DecisionView[],
  interfaces: readonly InterfaceView[],
  mine: ReadonlySet<string>,
  ageOf: (iso: string) => string,
): TeamNoteBlocks {
  const d = touchingFirst(decisions, mine, decisionTouches);
  const i = touchingFirst(interfaces, mine, (x, p) => pathConcerns(x.file, p));
  const lines = (ds: readonly DecisionView[], is: readonly InterfaceView[]): string[] => [
    ...ds.slice(0, DECISIONS_SHOWN).map((x) => decisionLine(x, ageOf(x.at))),
    ...is.slice(0, DECISIONS_SHOWN).map((x) => interfaceLine(x, ageOf(x.at))),
  ];
  const touching = lines(d.touching, i.touching);
  const rest = lines(d.rest, i.rest);
  const hidden = decisions.length + interfaces.length - touching.length - rest.length;
  const more = hidden > 0 ? [`- … ${hidden} more: handoff decision list · handoff interface list`] : [];
  return {
    touching: touching.length > 0 ? ['Decisions and interfaces on your files:', ...touching] : [],
    rest: rest.length > 0 || more.length > 0 ? ['Team decisions and ready interfaces:', ...rest, ...more] : [],
  };
}

/** One briefing line of an interface: name, file, status when not ready, who and when. */
export function interfaceLine(i: InterfaceView, age: string): string {
  const status = i.status === 'ready' ? '' : ` [${i.status}]`;
  const about = i.description ? `: ${firstLineExcerpt(i.description, 120) ?? ''}` : '';
  return `- interface ${esc(i.name)} in ${esc(i.file)}${status} — ${esc(i.author)}, ${age} ago${about}`;
}
