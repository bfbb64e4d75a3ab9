// Renders the decision log for people: `decision list` one entry per decision, its
// rationale quoted line by line. Every stored string is escaped (core/escape.ts).
import { escapeBlock, escapeText as e } from '../core/escape.js';
import type { DecisionView } from '../schema/decision.js';
import { relativeTime } from './context.js';
import { plainStyle, type Style } from './style.js';

export function renderDecision(d: DecisionView, now: Date, s: Style = plainStyle): string[] {
  const lines = [`${s.heading('-')} ${e(d.text, 'line')} ${s.dim(`(${e(d.id)})`)}`];
  const where = [e(d.author), e(d.branch), `${relativeTime(d.at, now)} (${e(d.at)})`];
  if (d.task) where.push(`task ${e(d.task)}`);
  lines.push(s.dim(`  ${where.join(' · ')}`));
  if (d.why) lines.push(...escapeBlock(d.why, '  > why: '));
  if (d.files.length > 0) lines.push(`  files: ${d.files.map((f) => e(f)).join(', ')}`);
  return lines;
}

export function renderDecisions(decisions: readonly DecisionView[], now: Date, s: Style = plainStyle): string {
  if (decisions.length === 0) return 'No decisions.\n';
  return `${decisions.flatMap((d) => renderDecision(d, now, s)).join('\n')}\n`;
}
