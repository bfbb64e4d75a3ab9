// Go's `path.Match` (shell file name patterns), ported so that an `exclude` pattern of
// `.codemap/config.json` means here exactly what it means to the Go tool codemap:
// `*` any run of non-`/` characters, `?` one non-`/` character, `[a-z]` / `[^a-z]`
// classes, `\` escapes. Works on code points; matching is O(pattern × name), no backtracking.
import {
  BACKSLASH,
  BRACKET_CLOSE as CLOSE,
  BRACKET_OPEN as OPEN,
  CARET,
  DASH,
  QUESTION,
  SLASH,
  STAR,
} from './chars.js';

type Codes = readonly number[];

class BadPattern extends Error {}

function codes(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0)!);
  return out;
}

/** Splits off the leading stars and the chunk up to the next star outside a class. */
function scanChunk(p: Codes, at: number): { star: boolean; start: number; end: number } {
  let i = at;
  let star = false;
  while (i < p.length && p[i] === STAR) {
    i++;
    star = true;
  }
  const start = i;
  let inRange = false;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === BACKSLASH) {
      if (i + 1 < p.length) i++;
    } else if (c === OPEN) inRange = true;
    else if (c === CLOSE) inRange = false;
    else if (c === STAR && !inRange) break;
  }
  return { star, start, end: i };
}

/** One class bound: a character or an escaped one. Returns the index after it. */
function classChar(p: Codes, i: number, end: number): { c: number; next: number } {
  if (i >= end || p[i] === DASH || p[i] === CLOSE) throw new BadPattern();
  if (p[i] === BACKSLASH) {
    i++;
    if (i >= end) throw new BadPattern();
  }
  const next = i + 1;
  if (next >= end) throw new BadPattern();
  return { c: p[i]!, next };
}

/**
 * Matches the chunk p[start, end) at the front of s[from...]; returns the index in s after
 * it, or -1. After a mismatch it keeps reading the chunk so a malformed one always throws.
 */
function matchChunk(p: Codes, start: number, end: number, s: Codes, from: number): number {
  let failed = false;
  let i = start;
  let j = from;
  while (i < end) {
    if (!failed && j >= s.length) failed = true;
    const c = p[i];
    if (c === OPEN) {
      const r = failed ? -1 : s[j++]!;
      i++;
      let negated = false;
      if (i < end && p[i] === CARET) {
        negated = true;
        i++;
      }
      let match = false;
      let ranges = 0;
      for (;;) {
        if (i < end && p[i] === CLOSE && ranges > 0) {
          i++;
          break;
        }
        const lo = classChar(p, i, end);
        let hi = lo;
        i = lo.next;
        if (p[i] === DASH) {
          hi = classChar(p, i + 1, end);
          i = hi.next;
        }
        if (lo.c <= r && r <= hi.c) match = true;
        ranges++;
      }
      if (match === negated) failed = true;
    } else if (c === QUESTION) {
      if (!failed) {
        if (s[j] === SLASH) failed = true;
        j++;
      }
      i++;
    } else {
      if (c === BACKSLASH) {
        i++;
        if (i >= end) throw new BadPattern();
      }
      if (!failed) {
        if (p[i] !== s[j]) failed = true;
        j++;
      }
      i++;
    }
  }
  return failed ? -1 : j;
}

function matchCodes(p: Codes, s: Codes): boolean {
  let at = 0;
  let pos = 0;
  chunks: while (at < p.length) {
    const { star, start, end } = scanChunk(p, at);
    at = end;
    const last = at >= p.length;
    if (star && start === end) {
      for (let k = pos; k < s.length; k++) if (s[k] === SLASH) return false;
      return true;
    }
    const t = matchChunk(p, start, end, s, pos);
    if (t >= 0 && (t === s.length || !last)) {
      pos = t;
      continue;
    }
    if (star) {
      for (let k = pos; k < s.length && s[k] !== SLASH; k++) {
        const u = matchChunk(p, start, end, s, k + 1);
        if (u < 0 || (last && u < s.length)) continue;
        pos = u;
        continue chunks;
      }
    }
    assertWellFormed(p, at);
    return false;
  }
  return pos === s.length;
}

function assertWellFormed(p: Codes, from: number): void {
  for (let at = from; at < p.length;) {
    const { start, end } = scanChunk(p, at);
    matchChunk(p, start, end, [], 0);
    at = end;
  }
}

/** Go's `path.Match(pattern, name)`; a malformed pattern matches nothing (Go returns ErrBadPattern). */
export function goMatch(pattern: string, name: string): boolean {
  try {
    return matchCodes(codes(pattern), codes(name));
  } catch (error) {
    if (error instanceof BadPattern) return false;
    throw error;
  }
}

/** True when Go's `path.Match` would report ErrBadPattern for this pattern. */
export function isBadGoPattern(pattern: string): boolean {
  try {
    assertWellFormed(codes(pattern), 0);
    return false;
  } catch (error) {
    if (error instanceof BadPattern) return true;
    throw error;
  }
}
