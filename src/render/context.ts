// Renders contexts for people: `context get` in full, `state` compactly, `list --all` as
// an audit table. Times are shown both relative ("2h ago") and absolute. Every stored
// string is escaped (core/escape.ts) and a summary is quoted line by line, so no record
// can drive the terminal or print a line that passes for another entry.
import { escapeBlock, escapeText as e, firstLineExcerpt } from '../core/escape.js';
import type { ContextView } from '../schema/context.js';
import { plainStyle, type Style } from './style.js';

export function relativeTime(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (Number.isNaN(ms)) return 'at an unknown time';
  const future = ms < 0;
  const abs = Math.abs(ms);
  const [n, unit] =
    abs < 60_000
      ? [Math.round(abs / 1000), 's']
      : abs < 3_600_000
        ? [Math.round(abs / 60_000), 'm']
        : abs < 86_400_000
          ? [Math.round(abs / 3_600_000), 'h']
          : [Math.round(abs / 86_400_000), 'd'];
  return future ? `in ${n}${unit}` : `${n}${unit} ago`;
}

export function staleMark(c: ContextView): string {
  const s = c.staleness;
  if (!s?.stale) return '';
  const files = s.changed_files.map((f) => `${e(f.path)} ${e(f.change)}`).join(', ');
  return `STALE since ${e(s.stale_since ?? '?')}: ${files}`;
}

/** A summary as quoted lines: `> ` opens each, so none can start a heading or an entry. */
export const SUMMARY_PREFIX = '> ';

export function renderContextFull(c: ContextView, now: Date, s: Style = plainStyle): string {
  const lines = [
    `${s.heading(`## ${e(c.title)}`)} ${s.dim(`(${e(c.id)})`)}`,
    [
      `${e(c.developer)}${c.role ? ` (${e(c.role)})` : ''} · ${e(c.repo)} · ${e(c.branch)}`,
      `published ${relativeTime(c.published_at, now)} (${e(c.published_at)})`,
      `expires ${relativeTime(c.expires_at, now)}`,
    ].join(' · '),
  ];
  const stale = staleMark(c);
  if (stale) lines.push(s.warn(stale));
  if (c.summary) lines.push('', ...escapeBlock(c.summary, SUMMARY_PREFIX));
  if (c.files_touched.length) lines.push('', `Files: ${c.files_touched.map((f) => e(f)).join(', ')}`);
  if (c.next_actions.length) lines.push('Next:', ...c.next_actions.map((a) => `  - ${e(a)}`));
  if (c.blockers.length) lines.push('Blockers:', ...c.blockers.map((b) => `  - ${e(b)}`));
  if (c.task_ids.length) lines.push(`Tasks: ${c.task_ids.map((t) => e(t)).join(', ')}`);
  if (c.session_id) lines.push(s.dim(`session ${e(c.session_id)}`));
  return `${lines.join('\n')}\n`;
}

export function renderContexts(contexts: readonly ContextView[], now: Date, s: Style = plainStyle): string {
  if (contexts.length === 0) return 'No active contexts.\n';
  return contexts.map((c) => renderContextFull(c, now, s)).join('\n');
}

export function renderState(repo: string, contexts: readonly ContextView[], now: Date, s: Style = plainStyle): string {
  const lines = [s.heading(`# Team state — ${e(repo)}`), ''];
  if (contexts.length === 0) lines.push('No active published contexts.');
  for (const c of contexts) {
    const stale = c.staleness?.stale ? ` · ${s.warn('stale')}` : '';
    const role = c.role ? ` (${e(c.role)})` : '';
    lines.push(`- ${s.code(e(c.developer))}${role}: ${e(c.title)}${stale}`);
    const firstLine = firstLineExcerpt(c.summary, 160);
    if (firstLine) lines.push(`  ${firstLine}`);
    const where = `${e(c.repo)} · ${e(c.branch)} · ${relativeTime(c.published_at, now)} (${e(c.published_at)})`;
    const counts = [
      `${c.files_touched.length} files`,
      `${c.next_actions.length} next actions`,
      `${c.blockers.length} blockers`,
    ];
    lines.push(s.dim(`  ${where} · ${counts.join(' · ')}`));
  }
  lines.push('', s.dim('Full context: handoff context get --developer <handle>'));
  return `${lines.join('\n')}\n`;
}

export function renderAudit(contexts: readonly ContextView[], s: Style = plainStyle): string {
  if (contexts.length === 0) return 'No stored contexts.\n';
  const lines = contexts.map((c) =>
    [e(c.id), c.status.padEnd(10), e(c.published_at), e(c.developer), e(c.branch), e(c.title)].join('  '),
  );
  return `${s.dim('id                          status      published             developer  branch  title')}\n${lines.join('\n')}\n`;
}
