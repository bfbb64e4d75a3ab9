// Output budgets: list caps that shrink as repositories grow, and byte caps for text
// that cut at a line boundary and say so, so a reader always knows something is missing.

export interface ListCaps {
  changed: number;
  risk: number;
  events: number;
  hubs: number;
}

export const BYTE_BUDGET = { markdown: 20_000, briefing: 3_000, detail: 12_000 } as const;

export function listCapsFor(fileCount: number): ListCaps {
  if (fileCount < 2_000) return { changed: 60, risk: 15, events: 25, hubs: 15 };
  if (fileCount < 20_000) return { changed: 40, risk: 10, events: 15, hubs: 10 };
  return { changed: 25, risk: 8, events: 10, hubs: 8 };
}

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes at a line boundary, ending with a
 * visible truncation line that itself fits in the budget.
 */
export function truncateToBytes(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  const lines = text.split('\n');
  const kept: string[] = [];
  let used = 0;
  const notice = (n: number): string => `… truncated: ${n} more lines over the ${maxBytes}-byte budget`;
  const reserve = Buffer.byteLength(notice(lines.length), 'utf8') + 1;
  for (const line of lines) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (used + size + reserve > maxBytes) break;
    kept.push(line);
    used += size;
  }
  kept.push(notice(lines.length - kept.length));
  return { text: kept.join('\n') + '\n', truncated: true };
}
