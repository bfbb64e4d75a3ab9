// The session-start briefing as text: each section of core/briefing.ts's data written by
// its kind's renderer, sections apart by a blank line, the whole cut at a line boundary
// to the byte budget. Every stored or repository string is escaped (core/escape.ts): the
// briefing reaches a terminal as text and the model as additionalContext.
import { BYTE_BUDGET, truncateToBytes } from '../core/budget.js';
import type { Briefing, BriefingSection } from '../core/briefing.js';
import { claimSentence } from '../core/claims.js';
import { teamNoteBlocks } from '../core/decisions.js';
import { escapeText as esc, firstLineExcerpt } from '../core/escape.js';
import { conflictLines } from './conflicts.js';
import { messageBriefingBlocks } from './message.js';

/** A short age ("5m", "3h", "2d") of `iso` at `now`. */
export function ageOf(iso: string, now: Date): string {
  const mins = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
  if (Number.isNaN(mins)) return '?';
  if (mins < 60) return `${mins}m`;
  if (mins < 48 * 60) return `${Math.round(mins / 60)}h`;
  return `${Math.round(mins / 1440)}d`;
}

type Renderer<K extends BriefingSection['kind']> = (
  section: Extract<BriefingSection, { kind: K }>,
  now: Date,
) => string[];

function handoffLines(s: Extract<BriefingSection, { kind: 'handoff' }>, now: Date): string[] {
  const stale = s.staleReason ? ` (stale: ${esc(s.staleReason)}; run \`handoff\` to refresh)` : '';
  const lines = [`Handoff for ${esc(s.branch)} vs ${esc(s.baseRef)}, saved ${ageOf(s.savedAt, now)} ago${stale}.`];
  if (s.changed) {
    lines.push(`Changed files (${s.changed.total}):`);
    for (const f of s.changed.files)
      lines.push(`- ${esc(f.status)} ${esc(f.path)}${f.risk ? ` — ${esc(f.risk)}` : ''}`);
    const more = s.changed.total - s.changed.files.length;
    if (more > 0) lines.push(`- … ${more} more`);
  }
  if (s.nextSteps.length > 0) lines.push('Next steps:', ...s.nextSteps.map((x) => `- ${esc(x)}`));
  if (s.openQuestions.length > 0) lines.push('Open questions:', ...s.openQuestions.map((q) => `- ${esc(q)}`));
  return lines;
}

function teammatesLines(s: Extract<BriefingSection, { kind: 'teammates' }>, now: Date): string[] {
  const lines = ['Teammates working here:'];
  for (const t of s.teammates) {
    const stale = t.stale ? ' [stale]' : '';
    lines.push(`- ${esc(t.title)} — ${esc(t.developer)}, ${ageOf(t.publishedAt, now)} ago${stale}`);
    if (t.overlap > 0) {
      const named = t.named.length > 0 ? `: ${t.named.map((f) => esc(f)).join(', ')}` : '';
      lines.push(`  touches ${t.overlap} of your changed files${named}`);
    }
    const first = firstLineExcerpt(t.summary, 140);
    if (first) lines.push(`  ${first}`);
  }
  if (s.more > 0) lines.push(`- … and ${s.more} more active contexts`);
  return lines;
}

/** Each handoff to me as its own paragraph: who handed what, on which branch, and how to read it. */
function handoffsLines(s: Extract<BriefingSection, { kind: 'handoffs' }>, now: Date): string[] {
  return messageBriefingBlocks({ handoffs: s.messages, requests: [] }, now, ageOf)
    .map((block) => block.join('\n'))
    .join('\n\n')
    .split('\n');
}

function requestsLines(s: Extract<BriefingSection, { kind: 'requests' }>, now: Date): string[] {
  return messageBriefingBlocks({ handoffs: [], requests: s.messages }, now, ageOf).flat();
}

/** Decisions and interfaces on my files, then the rest, each its own paragraph. */
function notesLines(s: Extract<BriefingSection, { kind: 'notes' }>, now: Date): string[] {
  const notes = teamNoteBlocks(s.decisions, s.interfaces, new Set(s.mine), (at) => ageOf(at, now));
  return [notes.touching, notes.rest]
    .filter((b) => b.length > 0)
    .map((b) => b.join('\n'))
    .join('\n\n')
    .split('\n');
}

/** Definite conflicts with other branches (escaped by conflictLines), at most five, and where to see them all. */
function conflictsLines(s: Extract<BriefingSection, { kind: 'conflicts' }>, now: Date): string[] {
  const lines = conflictLines(s.report).map((l) => `- ${l}`);
  const more = lines.length > 5 ? [`- … ${lines.length - 5} more`] : [];
  const head = `Definite conflicts with other branches (checked ${ageOf(s.report.checked_at, now)} ago):`;
  return [head, ...lines.slice(0, 5), ...more, '  See: handoff conflicts'];
}

/** At most five claims, one line each, then how many more. */
function claimsLines(s: Extract<BriefingSection, { kind: 'claims' }>): string[] {
  const lines = s.claims.slice(0, 5).map(({ path, claim }) => `- ${esc(claimSentence(path, claim))}`);
  const more = s.claims.length > 5 ? [`- … ${s.claims.length - 5} more (handoff claim list)`] : [];
  return ['Claims by others overlapping your changed files:', ...lines, ...more];
}

function hintLines(s: Extract<BriefingSection, { kind: 'hint' }>): string[] {
  const hint = [
    s.detailPath ? `handoff --detail ${esc(s.detailPath)}` : 'handoff',
    s.developer ? `handoff context get --developer ${esc(s.developer)}` : 'handoff state',
  ];
  return [`More: ${hint.join(' · ')}`];
}

/** One renderer per section kind: a new kind does not type-check until it has one. */
const RENDERERS: { [K in BriefingSection['kind']]: Renderer<K> } = {
  handoffs: handoffsLines,
  requests: requestsLines,
  claims: claimsLines,
  conflicts: conflictsLines,
  notes: notesLines,
  handoff: handoffLines,
  teammates: teammatesLines,
  hint: hintLines,
};

function sectionLines<K extends BriefingSection['kind']>(
  section: Extract<BriefingSection, { kind: K }>,
  now: Date,
): string[] {
  return (RENDERERS[section.kind] as Renderer<K>)(section, now);
}

/** The briefing's text, at most `maxBytes` UTF-8 bytes; the empty string when it has no sections. */
export function renderBriefing(briefing: Briefing, maxBytes: number = BYTE_BUDGET.briefing): string {
  if (briefing.sections.length === 0) return '';
  const now = new Date(briefing.at);
  const text = briefing.sections.map((s) => sectionLines(s, now).join('\n')).join('\n\n');
  return truncateToBytes(`${text}\n`, maxBytes).text;
}
