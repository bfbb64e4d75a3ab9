// Renders interfaces ready for others: `interface list` one entry each, with its status
// (ready, stale: the file changed since it was declared, gone: the file was deleted).
// Every stored string is escaped (core/escape.ts).
import { escapeBlock, escapeText as e } from '../core/escape.js';
import type { InterfaceView } from '../schema/decision.js';
import { relativeTime } from './context.js';
import { plainStyle, type Style } from './style.js';

export function renderInterface(i: InterfaceView, now: Date, s: Style = plainStyle): string[] {
  const status = i.status === 'ready' ? s.dim('ready') : s.warn(i.status.toUpperCase());
  const lines = [`${s.heading('-')} ${s.code(e(i.name))} in ${e(i.file)} · ${status} ${s.dim(`(${e(i.id)})`)}`];
  lines.push(s.dim(`  ${e(i.author)} · ${e(i.branch)} · declared ${relativeTime(i.at, now)} (${e(i.at)})`));
  if (i.description) lines.push(...escapeBlock(i.description, '  > '));
  return lines;
}

export function renderInterfaces(interfaces: readonly InterfaceView[], now: Date, s: Style = plainStyle): string {
  if (interfaces.length === 0) return 'No interfaces declared.\n';
  return `${interfaces.flatMap((i) => renderInterface(i, now, s)).join('\n')}\n`;
}
