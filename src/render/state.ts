// Renders `handoff state` for people: the contexts section as before (render/context.ts),
// then a section per kind of coordination record. Every stored string is escaped by the
// renderers each section uses.
import { escapeText as e, firstLineExcerpt } from '../core/escape.js';
import type { MessageView } from '../schema/message.js';
import type { TeamState } from '../schema/state.js';
import { relativeTime, renderState } from './context.js';
import { renderClaimLine } from './claim.js';
import { renderConflicts } from './conflicts.js';
import { renderDecision } from './decision.js';
import { renderInterface } from './interface.js';
import { plainStyle, type Style } from './style.js';

function section(title: string, lines: readonly string[], empty: string, s: Style): string {
  return [s.heading(`## ${title}`), ...(lines.length > 0 ? lines : [empty])].join('\n');
}

/** A request: who asked whom, what, how long ago; the reader's own say whom they wait for. */
function requestLine(m: MessageView, me: string | undefined, now: Date): string {
  const who = m.from === me ? `you asked ${m.to.map((t) => e(t)).join(', ')}` : `${e(m.from)} asks`;
  return `- ${e(m.type)}: ${who}: ${firstLineExcerpt(m.body, 140) ?? ''} · ${relativeTime(m.sent_at, now)} (${e(m.id)})`;
}

export function renderTeamState(state: TeamState, now: Date, s: Style = plainStyle): string {
  const more = state.decisions_total - state.decisions.length;
  const decisions = [
    ...state.decisions.flatMap((d) => renderDecision(d, now, s)),
    ...(more > 0 ? [s.dim(`… ${more} more: handoff decision list`)] : []),
  ];
  const requests = state.open_requests.map((m) => requestLine(m, state.me, now));
  const sections = [
    section('Open requests', requests, 'No open requests.', s),
    section('Recent decisions', decisions, 'No decisions.', s),
    section(
      'Interfaces',
      state.interfaces.flatMap((i) => renderInterface(i, now, s)),
      'No interfaces declared.',
      s,
    ),
    section(
      'Claims',
      state.claims.map((c) => renderClaimLine(c, now, s)),
      'No active claims.',
      s,
    ),
    section(
      'Conflicts',
      state.conflicts ? renderConflicts(state.conflicts, s).trimEnd().split('\n') : [],
      'No saved result: `handoff conflicts` checks now (the session-stop hook saves one).',
      s,
    ),
  ];
  return `${renderState(state.repo, state.contexts, now, s)}\n${sections.join('\n\n')}\n`;
}
