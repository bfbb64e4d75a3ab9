// The session-start briefing: the saved handoff, teammates' contexts (those touching my
// changed files first) and a hint line, within a byte budget. A file appears in one
// block at most; an empty briefing is the empty string, so the hook prints nothing.
// Every stored or repository string is escaped (escape.ts): the briefing reaches a
// terminal as text and the model as additionalContext, and neither may be forged.
import type { Artifact, RiskFile } from '../schema/artifact.js';
import type { ContextView } from '../schema/context.js';
import type { DecisionView, InterfaceView } from '../schema/decision.js';
import type { MessageView } from '../schema/message.js';
import { truncateToBytes } from './budget.js';
import { teamNoteBlocks } from './decisions.js';
import { escapeText as esc, firstLineExcerpt } from './escape.js';
import { riskCovers } from './graph.js';
import { messageBriefingBlocks } from './messages.js';
import { compareCodeUnit } from './paths.js';

export interface BriefingInput {
  artifact: Artifact | undefined;
  /** Why the saved handoff no longer matches the repository, when it does not. */
  staleReason: string | undefined;
  /** Active contexts of other developers, visible to me. */
  teammates: readonly ContextView[];
  now: Date;
  maxBytes: number;
  maxFiles?: number;
  maxTeammates?: number;
  /** Standing decisions and interfaces visible to me, newest first (core/decisions.ts ranks them). */
  decisions?: readonly DecisionView[];
  interfaces?: readonly InterfaceView[];
  /** Unread handoffs and requests addressed to me (api/message.ts briefingMessages): they lead the briefing. */
  messages?: { handoffs: readonly MessageView[]; requests: readonly MessageView[] };
}

/** A stale saved handoff older than this is left out of the briefing. */
export const RECENT_MS = 7 * 86_400_000;

export function ageOf(iso: string, now: Date): string {
  const mins = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
  if (Number.isNaN(mins)) return '?';
  if (mins < 60) return `${mins}m`;
  if (mins < 48 * 60) return `${Math.round(mins / 60)}h`;
  return `${Math.round(mins / 1440)}d`;
}

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

export function buildBriefing(input: BriefingInput): string {
  const maxFiles = input.maxFiles ?? 12;
  const maxTeammates = input.maxTeammates ?? 5;
  const blocks: string[][] = [];
  const shown = new Set<string>();
  const a = input.artifact;
  const mine = new Set<string>();
  if (input.messages) blocks.push(...messageBriefingBlocks(input.messages, input.now, ageOf));

  if (a) {
    const lines: string[] = [];
    const stale = input.staleReason ? ` (stale: ${esc(input.staleReason)}; run \`handoff\` to refresh)` : '';
    lines.push(
      `Handoff for ${esc(a.branch)} vs ${esc(a.base_ref)}, saved ${ageOf(a.generated_at, input.now)} ago${stale}.`,
    );
    const changed = a.delta.changed;
    for (const c of a.delta.changed) mine.add(c.path);
    if (changed.length > 0) {
      // A Go risk entry names a package folder and stands for each changed file of it.
      const risk = new Map<string, RiskFile>();
      for (const c of changed) {
        const r = a.delta.risk_files.find((x) => riskCovers(x, c.path));
        if (r) risk.set(c.path, r);
      }
      const ordered = [...changed].sort((x, y) => Number(risk.has(y.path)) - Number(risk.has(x.path)));
      lines.push(`Changed files (${a.delta.changed_total}):`);
      for (const c of ordered.slice(0, maxFiles)) {
        const r = risk.get(c.path);
        lines.push(`- ${esc(c.status)} ${esc(c.path)}${r ? ` — ${esc(r.reason)}` : ''}`);
        shown.add(c.path);
      }
      const more = a.delta.changed_total - Math.min(maxFiles, ordered.length);
      if (more > 0) lines.push(`- … ${more} more`);
    }
    const steps = a.delta.next_steps.slice(0, 4);
    const questions = a.delta.open_questions.slice(0, 3);
    if (steps.length > 0) lines.push('Next steps:', ...steps.map((s) => `- ${esc(s)}`));
    if (questions.length > 0) lines.push('Open questions:', ...questions.map((q) => `- ${esc(q)}`));
    // Worth a block only when there is work to hand over (or the saved one is outdated);
    // a clean worktree's generic guidance is not news at session start.
    const recent = input.now.getTime() - Date.parse(a.generated_at) < RECENT_MS || !input.staleReason;
    if (recent && (changed.length > 0 || a.delta.context !== undefined || input.staleReason)) blocks.push(lines);
  }

  if (input.teammates.length > 0) {
    const ranked = rankTeammates(input.teammates, mine);
    const lines = ['Teammates working here:'];
    for (const { ctx, overlap } of ranked.slice(0, maxTeammates)) {
      const stale = ctx.staleness?.stale ? ' [stale]' : '';
      lines.push(`- ${esc(ctx.title)} — ${esc(ctx.developer)}, ${ageOf(ctx.published_at, input.now)} ago${stale}`);
      if (overlap.length > 0) {
        const fresh = overlap.filter((f) => !shown.has(f));
        fresh.forEach((f) => shown.add(f));
        const named =
          fresh.length > 0
            ? `: ${fresh
                .slice(0, 3)
                .map((f) => esc(f))
                .join(', ')}`
            : '';
        lines.push(`  touches ${overlap.length} of your changed files${named}`);
      }
      const first = firstLineExcerpt(ctx.summary, 140);
      if (first) lines.push(`  ${first}`);
    }
    const others = ranked.length - Math.min(maxTeammates, ranked.length);
    if (others > 0) lines.push(`- … and ${others} more active contexts`);
    blocks.push(lines);
  }

  const notes = teamNoteBlocks(input.decisions ?? [], input.interfaces ?? [], mine, (at) => ageOf(at, input.now));
  if (notes.touching.length > 0) blocks.push(notes.touching);
  if (notes.rest.length > 0) blocks.push(notes.rest);

  if (blocks.length === 0) return '';
  const devs = [...new Set(input.teammates.map((t) => t.developer))];
  const firstFile = a?.delta.changed[0]?.path;
  const hint = [
    firstFile ? `handoff --detail ${esc(firstFile)}` : 'handoff',
    devs[0] ? `handoff context get --developer ${esc(devs[0])}` : 'handoff state',
  ];
  blocks.push([`More: ${hint.join(' · ')}`]);
  const text = blocks.map((b) => b.join('\n')).join('\n\n');
  return truncateToBytes(`${text}\n`, input.maxBytes).text;
}
