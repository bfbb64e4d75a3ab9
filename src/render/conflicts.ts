// Renders a conflicts report for people: one block per teammate/branch, definite conflicts
// first in each, then files both sides changed and overlaps with what their contexts touch.
// Every ref, handle, title and path is escaped (core/escape.ts).
import { clockTime } from '../core/claims.js';
import { ownerOf, pathList } from '../core/conflicts.js';
import { escapeText as e } from '../core/escape.js';
import type { ConflictEntry, ConflictReport } from '../schema/conflicts.js';
import { plainStyle, type Style } from './style.js';

const STATUS_TEXT: Record<ConflictEntry['status'], string> = {
  conflict: 'CONFLICT',
  clean: 'merges cleanly',
  missing: 'branch not found here (neither local nor remote-tracking)',
  unrelated: 'no common history (unrelated, shallow clone, or no commits yet)',
};

function entryLines(entry: ConflictEntry, s: Style): string[] {
  const who = entry.developers.length > 0 ? ` (${entry.developers.map((d) => e(d)).join(', ')})` : '';
  const status = entry.status === 'conflict' ? s.warn(STATUS_TEXT.conflict) : STATUS_TEXT[entry.status];
  const lines = [`${s.heading(`## ${e(entry.ref)}`)}${who}: ${status}`];
  for (const c of entry.contexts) lines.push(s.dim(`  context ${e(c.id)} by ${e(c.developer)}: ${e(c.title)}`));
  for (const c of entry.conflicts) {
    const types = c.types.length > 0 ? ` ${s.dim(`— ${c.types.map((t) => e(t)).join(', ')}`)}` : '';
    lines.push(`  conflict: ${e(c.path)}${types}`);
  }
  const paths = (list: readonly string[]): string => list.map((p) => e(p)).join(', ');
  if (entry.both_changed.length > 0) lines.push(`  both changed: ${paths(entry.both_changed)}`);
  if (entry.touched_overlap.length > 0) lines.push(`  in their files_touched: ${paths(entry.touched_overlap)}`);
  for (const c of entry.claimed_overlap) {
    const reason = c.reason !== undefined ? ` (${e(c.reason)})` : '';
    lines.push(
      `  claimed: ${e(c.path)} by ${e(c.holder)}${reason} under ${e(c.pattern)} until ${e(clockTime(c.expires_at))}`,
    );
  }
  return lines;
}

export function renderConflicts(report: ConflictReport, s: Style = plainStyle): string {
  const mine = `${e(report.branch)}${report.uncommitted ? ' with uncommitted work' : ''}`;
  if (report.others.length === 0) return `No other active branches to compare ${mine} with.\n`;
  const definite = report.others.filter((o) => o.status === 'conflict');
  const head =
    definite.length > 0
      ? `Definite conflicts of ${mine} with ${definite.length} of ${report.others.length} branch(es).`
      : `No definite conflicts of ${mine} with ${report.others.length} branch(es).`;
  return `${[head, '', ...report.others.flatMap((o) => [...entryLines(o, s), ''])].join('\n').trimEnd()}\n`;
}

/** One line per definite conflict, for the briefing and `state`: "conflicts with bob's feature/x in src/db.ts". */
export function conflictLines(report: ConflictReport): string[] {
  return report.others
    .filter((o) => o.status === 'conflict')
    .map((o) => e(`conflicts with ${ownerOf(o)} in ${pathList(o.conflicts.map((c) => c.path))}`));
}
