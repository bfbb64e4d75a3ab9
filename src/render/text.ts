// Small text helpers shared by the renderers: sizes are human-readable, hashes are short.
// Every stored or repository string goes through escapeText (core/escape.ts) instead.
import { escapeText } from '../core/escape.js';

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A hash shortened for display; escaped, since a committed artifact may hold anything. */
export const short = (hash: string): string => (hash ? escapeText(hash.slice(0, 12)) : '—');
