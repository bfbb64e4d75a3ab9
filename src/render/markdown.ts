// Renders a handoff artifact (or one layer) as markdown for people at a terminal,
// within the 20,000-byte budget, cut at a line boundary with a visible notice. Paths,
// refs and stored texts are escaped (core/escape.ts): a file name may hold ESC or a newline.
import type { Artifact, DeltaSnapshot, FileDetail, HubSummary, PrefixSnapshot } from '../schema/artifact.js';
import { BYTE_BUDGET, truncateToBytes } from '../core/budget.js';
import { plainStyle, type Style } from './style.js';
import { escapeText as e, firstLineExcerpt } from '../core/escape.js';
import { humanSize, short } from './text.js';

export function renderPrefix(prefix: PrefixSnapshot, prefixHash: string, s: Style = plainStyle): string[] {
  const lines = [s.heading(`## Prefix — project shape at the base`) + ' ' + s.dim(`(${short(prefixHash)})`), ''];
  const langs = Object.entries(prefix.languages)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name, n]) => `${e(name)} ${n}`);
  lines.push(`- ${prefix.file_count} files${langs.length ? `: ${langs.join(', ')}` : ''}`);
  if (prefix.hubs.length === 0) {
    lines.push('- No hubs (no file is imported by 3 or more files).');
  } else {
    // Test-support hubs come after the source ones (core/hubs.ts), under their own heading.
    const source = prefix.hubs.filter((h) => h.test !== true);
    const tests = prefix.hubs.filter((h) => h.test === true);
    const hubLine = (hub: HubSummary): string =>
      `  - ${s.code(e(hub.path))}${filesNote(hub.files, 'file')} — imported by ${hub.importers} files`;
    if (source.length > 0) lines.push('- Hubs (most imported):', ...source.map(hubLine));
    if (tests.length > 0) lines.push('- Test-support hubs (most imported):', ...tests.map(hubLine));
    if (prefix.hubs_omitted > 0) lines.push(`  - … ${prefix.hubs_omitted} more hubs not shown`);
  }
  return lines;
}

export function renderDelta(delta: DeltaSnapshot, deltaHash: string, baseRef: string, s: Style = plainStyle): string[] {
  const heading = s.heading(`## Delta — work in progress vs ${e(baseRef)}`);
  const lines = [`${heading} ${s.dim(`(${short(deltaHash)})`)}`, ''];
  if (delta.context) {
    const { title, id } = delta.context;
    lines.push(s.heading('### Your published context'), `- ${e(title)} ${s.dim(`(${e(id)})`)}`);
    const first = firstLineExcerpt(delta.context.summary, 160);
    if (first) lines.push(`  ${first}`);
    lines.push('');
  }
  lines.push(s.heading(`### Changed files (${delta.changed.length} of ${delta.changed_total})`));
  if (delta.changed.length === 0) lines.push('- none');
  for (const c of delta.changed) {
    const from = c.from !== undefined ? ` ← ${e(c.from)}` : '';
    const size = c.status === 'deleted' ? '' : ` (${humanSize(c.size)})`;
    lines.push(`- \`${e(c.status)}\` ${s.code(e(c.path))}${from}${size}`);
  }
  if (delta.changed_omitted > 0) {
    lines.push(`- … ${delta.changed_omitted} more changed files not shown${omittedStatuses(delta)}`);
  }
  lines.push('', s.heading('### Risk'));
  if (delta.risk_files.length === 0) lines.push('- No changed file is imported by 2 or more files.');
  for (const r of delta.risk_files) {
    lines.push(`- ${s.warn(e(r.path))}${filesNote(r.files, 'changed file')} — ${e(r.reason)}`);
  }
  if (delta.risk_omitted > 0) lines.push(`- … ${delta.risk_omitted} more risk files not shown`);
  lines.push('', s.heading('### Timeline'));
  if (delta.recent_events.length === 0) lines.push('- No commits or edits in the lookback window.');
  for (const ev of delta.recent_events) lines.push(`- ${e(ev.time)} ${e(ev.op)} ${e(ev.path)}`);
  if (delta.events_omitted > 0) lines.push(`- … ${delta.events_omitted} earlier events not shown`);
  lines.push('', s.heading('### Next steps'));
  if (delta.next_steps.length === 0) lines.push('- none');
  delta.next_steps.forEach((step, i) => lines.push(`${i + 1}. ${e(step)}`));
  lines.push('', s.heading('### Open questions'));
  if (delta.open_questions.length === 0) lines.push('- none');
  for (const q of delta.open_questions) lines.push(`- ${e(q)}`);
  return lines;
}

/** ` (14 files)` after a Go package's folder; nothing for a file. */
function filesNote(n: number | undefined, what: string): string {
  return n === undefined ? '' : ` (${n} ${what}${n === 1 ? '' : 's'})`;
}

export type Layer = 'both' | 'prefix' | 'delta';

export function renderArtifact(
  a: Artifact,
  layer: Layer = 'both',
  s: Style = plainStyle,
  budget: number = BYTE_BUDGET.markdown,
): string {
  const lines = [
    s.heading(`# Handoff: ${e(a.branch)} → ${e(a.base_ref)}`),
    '',
    s.dim(
      [
        `base ${short(a.delta.base_commit)}`,
        `head ${short(a.head)}`,
        `generated ${e(a.generated_at)}`,
        `reuse ${Math.round(a.metrics.reuse_ratio * 100)}%`,
      ].join(' · '),
    ),
    '',
  ];
  if (layer !== 'delta') lines.push(...renderPrefix(a.prefix, a.prefix_hash, s), '');
  if (layer !== 'prefix') lines.push(...renderDelta(a.delta, a.delta_hash, a.base_ref, s), '');
  // Open questions about other sessions (claims on my files) live outside the hashed delta.
  const others = a.open_questions.slice(a.delta.open_questions.length);
  if (layer !== 'prefix' && others.length > 0) {
    lines.push(s.heading('### Other sessions'), ...others.map((q) => `- ${e(q)}`), '');
  }
  return truncateToBytes(lines.join('\n'), budget).text;
}

export function renderDetail(d: FileDetail, s: Style = plainStyle, budget: number = BYTE_BUDGET.detail): string {
  const lines = [s.heading(`# ${e(d.path)}`), ''];
  lines.push(`- status: \`${e(d.status)}\`${d.from !== undefined ? ` (from ${e(d.from)})` : ''}`);
  lines.push(`- size: ${humanSize(d.size)} · hash: ${e(d.hash) || '—'}${d.is_hub ? ' · hub' : ''}`);
  lines.push('', s.heading(`## Imported by (${d.importers.length})`));
  if (d.importers.length === 0) lines.push('- none');
  for (const p of d.importers) lines.push(`- ${e(p)}`);
  if (d.still_importing_old_path !== undefined && d.from !== undefined) {
    const stale = d.still_importing_old_path;
    lines.push('', s.heading(`## Still importing the old path ${e(d.from)} (${stale.length})`));
    for (const p of stale) lines.push(`- ${s.warn(e(p))}`);
  }
  lines.push('', s.heading(`## Imports (${d.imports.length})`));
  if (d.imports.length === 0) lines.push('- none');
  for (const p of d.imports) lines.push(`- ${e(p)}`);
  lines.push('', s.heading('## Recent events'));
  if (d.recent_events.length === 0) lines.push('- none in the lookback window');
  for (const ev of d.recent_events) lines.push(`- ${e(ev.time)} ${e(ev.op)}`);
  return truncateToBytes(lines.join('\n') + '\n', budget).text;
}

/** ` (20 branch, 3 modified)`: the statuses a capped changed list left out, most first. */
function omittedStatuses(delta: DeltaSnapshot): string {
  const counts = Object.entries(delta.changed_omitted_by_status ?? {}).filter(([, n]) => n !== undefined && n > 0);
  if (counts.length === 0) return '';
  counts.sort((a, b) => b[1]! - a[1]! || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return ` (${counts.map(([status, n]) => `${n} ${e(status)}`).join(', ')})`;
}
