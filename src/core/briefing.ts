// The session-start briefing as data: typed sections, most relevant first, each holding
// the raw facts of its lines (render/briefing.ts escapes them and writes the text within
// the byte budget). Today: the saved handoff, teammates' contexts (those touching my
// changed files first) and the closing hint. A file is named in one section at most.
//
// A new kind of news (a handoff addressed to me, unread requests, claims overlapping my
// files, conflicts, decisions, interfaces) is one more member of `BriefingSection` with
// its `kind`, a priority in `SECTION_PRIORITY`, a builder here fed from BriefingInput,
// and its renderer in render/briefing.ts (a table keyed by kind, so TypeScript asks for it).
// Sections are ordered by priority, highest first; the byte budget cuts from the end, so
// the least relevant news is what a full briefing loses. The hint always closes it.
import type { Artifact, FileStub, RiskFile } from '../schema/artifact.js';
import type { ClaimView } from '../schema/claim.js';
import type { ConflictReport } from '../schema/conflicts.js';
import type { ContextView } from '../schema/context.js';
import type { DecisionView, InterfaceView } from '../schema/decision.js';
import type { MessageView } from '../schema/message.js';
import { riskCovers } from './graph.js';
import { compareCodeUnit } from './paths.js';

export interface BriefingInput {
  artifact: Artifact | undefined;
  /** Why the saved handoff no longer matches the repository, when it does not. */
  staleReason: string | undefined;
  /** Active contexts of other developers, visible to me. */
  teammates: readonly ContextView[];
  /** Others' active claims overlapping my changed files (api's othersClaimsOn). */
  claims?: readonly { path: string; claims: readonly ClaimView[] }[];
  /** The definite conflicts the stop hook last saved (never computed in the start budget). */
  conflicts?: ConflictReport;
  now: Date;
  maxFiles?: number;
  maxTeammates?: number;
  /** Standing decisions and interfaces visible to me, newest first (core/decisions.ts ranks them). */
  decisions?: readonly DecisionView[];
  interfaces?: readonly InterfaceView[];
  /** Unread handoffs and requests addressed to me (api/message.ts briefingMessages): they lead the briefing. */
  messages?: { handoffs: readonly MessageView[]; requests: readonly MessageView[] };
}

/**
 * How relevant each kind of section is: higher comes first. Leave gaps, so a new kind
 * slots in without renumbering (a handoff addressed to me would lead, above 100;
 * requests, conflicts and claims on my files between the handoff and teammates;
 * decisions and interfaces below teammates).
 */
export const SECTION_PRIORITY = {
  handoffs: 150,
  requests: 130,
  claims: 110,
  conflicts: 105,
  handoff: 100,
  teammates: 50,
  notes: 40,
  hint: 0,
} as const;

/** The saved handoff: where it stands and what is left to do. */
export interface HandoffSection {
  kind: 'handoff';
  priority: number;
  branch: string;
  baseRef: string;
  savedAt: string;
  staleReason?: string;
  /** Present when the handoff has changed files: the first ones, risky first. */
  changed?: { total: number; files: { status: FileStub['status']; path: string; risk?: string }[] };
  nextSteps: string[];
  openQuestions: string[];
}

/** One teammate's active context, with the files of mine it touches. */
export interface TeammateLine {
  title: string;
  developer: string;
  publishedAt: string;
  stale: boolean;
  /** How many of my changed files it touches. */
  overlap: number;
  /** Up to three of those files that no earlier section named. */
  named: string[];
  /** The whole summary; the renderer shows its first line. */
  summary: string;
}

export interface TeammatesSection {
  kind: 'teammates';
  priority: number;
  teammates: TeammateLine[];
  /** Active contexts left out beyond the shown ones. */
  more: number;
}

/** The closing line: where to read more (a changed file's detail, a teammate's contexts). */
export interface HintSection {
  kind: 'hint';
  priority: number;
  detailPath?: string;
  developer?: string;
}

/** Others' claims on my changed files: the one thing here that asks this session to hold back. */
export interface ClaimsSection {
  kind: 'claims';
  priority: number;
  claims: { path: string; claim: ClaimView }[];
}

/** Work handed to me ("alice handed you <title> on <branch>"), unread: it leads the briefing. */
export interface HandoffsSection {
  kind: 'handoffs';
  priority: number;
  messages: MessageView[];
}

/** Unread requests (need_input, review) addressed to me. */
export interface RequestsSection {
  kind: 'requests';
  priority: number;
  messages: MessageView[];
}

/** Standing decisions and ready interfaces: those on my changed files first, then the newest of the rest. */
export interface NotesSection {
  kind: 'notes';
  priority: number;
  decisions: DecisionView[];
  interfaces: InterfaceView[];
  /** My changed files, which decide what is "on your files". */
  mine: string[];
}

/** Branches my work conflicts with, from the last saved `handoff conflicts` result. */
export interface ConflictsSection {
  kind: 'conflicts';
  priority: number;
  report: ConflictReport;
}

export type BriefingSection =
  | HandoffsSection
  | RequestsSection
  | ClaimsSection
  | ConflictsSection
  | HandoffSection
  | TeammatesSection
  | NotesSection
  | HintSection;

export interface Briefing {
  /** The time ages are counted from (ISO). */
  at: string;
  /** Most relevant first; empty when there is nothing to say (the hook then prints nothing). */
  sections: BriefingSection[];
}

/** A stale saved handoff older than this is left out of the briefing. */
export const RECENT_MS = 7 * 86_400_000;

/** Teammates' contexts ranked by how many of my changed files they touch, then newest. */
export function rankTeammates(
  teammates: readonly ContextView[],
  mine: ReadonlySet<string>,
): { ctx: ContextView; overlap: string[] }[] {
  return teammates
    .map((ctx) => ({ ctx, overlap: ctx.files_touched.filter((f) => mine.has(f)) }))
    .sort(
      (a, b) =>
        b.overlap.length - a.overlap.length ||
        compareCodeUnit(b.ctx.published_at, a.ctx.published_at) ||
        compareCodeUnit(a.ctx.id, b.ctx.id),
    );
}

/** The changed files to list: those with a risk first, each with its reason. */
function changedFiles(a: Artifact, maxFiles: number): HandoffSection['changed'] {
  const changed = a.delta.changed;
  if (changed.length === 0) return undefined;
  // A Go risk entry names a package folder and stands for each changed file of it.
  const risk = new Map<string, RiskFile>();
  for (const c of changed) {
    const r = a.delta.risk_files.find((x) => riskCovers(x, c.path));
    if (r) risk.set(c.path, r);
  }
  const ordered = [...changed].sort((x, y) => Number(risk.has(y.path)) - Number(risk.has(x.path)));
  const files = ordered.slice(0, maxFiles).map((c) => {
    const reason = risk.get(c.path)?.reason;
    return { status: c.status, path: c.path, ...(reason !== undefined ? { risk: reason } : {}) };
  });
  return { total: a.delta.changed_total, files };
}

/**
 * The saved handoff's section, or undefined when it is not news: worth a section only
 * when there is work to hand over (or the saved one is outdated); a clean worktree's
 * generic guidance is not news at session start, nor a stale handoff over a week old.
 */
function handoffSection(input: BriefingInput, changed: HandoffSection['changed']): HandoffSection | undefined {
  const a = input.artifact;
  if (!a) return undefined;
  const recent = input.now.getTime() - Date.parse(a.generated_at) < RECENT_MS || !input.staleReason;
  const worth = a.delta.changed.length > 0 || a.delta.context !== undefined || input.staleReason;
  if (!recent || !worth) return undefined;
  return {
    kind: 'handoff',
    priority: SECTION_PRIORITY.handoff,
    branch: a.branch,
    baseRef: a.base_ref,
    savedAt: a.generated_at,
    ...(input.staleReason ? { staleReason: input.staleReason } : {}),
    ...(changed ? { changed } : {}),
    nextSteps: a.delta.next_steps.slice(0, 4),
    openQuestions: a.delta.open_questions.slice(0, 3),
  };
}

/** Teammates' section; `shown` holds the files named so far and gains those it names. */
function teammatesSection(
  input: BriefingInput,
  mine: ReadonlySet<string>,
  shown: Set<string>,
  maxTeammates: number,
): TeammatesSection | undefined {
  if (input.teammates.length === 0) return undefined;
  const ranked = rankTeammates(input.teammates, mine);
  const teammates = ranked.slice(0, maxTeammates).map(({ ctx, overlap }): TeammateLine => {
    const fresh = overlap.filter((f) => !shown.has(f));
    fresh.forEach((f) => shown.add(f));
    return {
      title: ctx.title,
      developer: ctx.developer,
      publishedAt: ctx.published_at,
      stale: ctx.staleness?.stale === true,
      overlap: overlap.length,
      named: fresh.slice(0, 3),
      summary: ctx.summary,
    };
  });
  return { kind: 'teammates', priority: SECTION_PRIORITY.teammates, teammates, more: ranked.length - teammates.length };
}

function messageSections(input: BriefingInput): BriefingSection[] {
  const news = input.messages;
  if (news === undefined) return [];
  const out: BriefingSection[] = [];
  if (news.handoffs.length > 0)
    out.push({ kind: 'handoffs', priority: SECTION_PRIORITY.handoffs, messages: [...news.handoffs] });
  if (news.requests.length > 0)
    out.push({ kind: 'requests', priority: SECTION_PRIORITY.requests, messages: [...news.requests] });
  return out;
}

function notesSection(input: BriefingInput, mine: ReadonlySet<string>): NotesSection | undefined {
  const decisions = [...(input.decisions ?? [])];
  const interfaces = [...(input.interfaces ?? [])];
  if (decisions.length === 0 && interfaces.length === 0) return undefined;
  return { kind: 'notes', priority: SECTION_PRIORITY.notes, decisions, interfaces, mine: [...mine] };
}

function conflictsSection(input: BriefingInput): ConflictsSection | undefined {
  const report = input.conflicts;
  if (report === undefined || !report.others.some((o) => o.status === 'conflict')) return undefined;
  return { kind: 'conflicts', priority: SECTION_PRIORITY.conflicts, report };
}

function claimsSection(input: BriefingInput): ClaimsSection | undefined {
  const claims = (input.claims ?? []).flatMap(({ path, claims }) => claims.map((claim) => ({ path, claim })));
  return claims.length > 0 ? { kind: 'claims', priority: SECTION_PRIORITY.claims, claims } : undefined;
}

/** The closing hint: the first changed file's detail and the first teammate's contexts. */
function hintSection(input: BriefingInput): HintSection {
  const detailPath = input.artifact?.delta.changed[0]?.path;
  const developer = input.teammates[0]?.developer;
  return {
    kind: 'hint',
    priority: SECTION_PRIORITY.hint,
    ...(detailPath !== undefined ? { detailPath } : {}),
    ...(developer !== undefined ? { developer } : {}),
  };
}

export function buildBriefing(input: BriefingInput): Briefing {
  const a = input.artifact;
  const mine = new Set((a?.delta.changed ?? []).map((c) => c.path));
  const changed = a ? changedFiles(a, input.maxFiles ?? 12) : undefined;
  const handoff = handoffSection(input, changed);
  // A teammate's line names only my changed files beyond the listed ones, whether or not
  // the handoff section is shown (the briefing's bytes are pinned by its tests).
  const shown = new Set((changed?.files ?? []).map((f) => f.path));
  const teammates = teammatesSection(input, mine, shown, input.maxTeammates ?? 5);
  const news: BriefingSection[] = [
    ...messageSections(input),
    claimsSection(input),
    conflictsSection(input),
    handoff,
    teammates,
    notesSection(input, mine),
  ].filter((s) => s !== undefined);
  // Stable: sections of equal priority keep the order they were built in.
  news.sort((x, y) => y.priority - x.priority);
  return { at: input.now.toISOString(), sections: news.length > 0 ? [...news, hintSection(input)] : [] };
}
