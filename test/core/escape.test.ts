// The one display escape (core/escape.ts) as a pure function: what it escapes and how,
// what it leaves alone, that every output decodes back to exactly its input (so the
// escape is unambiguous), and that a multi-line field cannot start a line of its own.
import { describe, expect, it } from 'vitest';
import { escapeBlock, escapeText, firstLineExcerpt, unescapeText } from '../../src/core/escape.js';
import { oneLine } from '../../src/errors.js';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;

const decode = unescapeText;

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// prettier-ignore
const ALPHABET = [
  // printable, then C0/C1 controls and DEL, then separators, bidi controls and a lone surrogate
  '\\', 'x', 'u', 'n', 't', 'r', '1', 'b', 'f', ' ', '#', 'é', '😀', 'ש',
  '\n', '\t', '\r', '\x1b', '\x07', '\x08', '\x00', '\x7f', '\x85', '\x9b',
  '\u2028', '\u2029', '\u202e', '\u2066', '\u2069', '\ud800',
];

describe('escapeText', () => {
  it('escapes C0, DEL, C1, line separators, bidi controls and lone surrogates visibly', () => {
    expect(escapeText('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(escapeText('bell\x07 bs\x08 nul\x00 del\x7f')).toBe('bell\\x07 bs\\x08 nul\\x00 del\\x7f');
    expect(escapeText('one\ntwo\tthree\rfour')).toBe('one\\ntwo\\tthree\\rfour');
    expect(escapeText('csi\x9b31m nel\x85')).toBe('csi\\x9b31m nel\\x85');
    expect(escapeText('evil \u202egnp.exe')).toBe('evil \\u202egnp.exe');
    const bidi = '\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069';
    expect(escapeText(bidi)).toBe('\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069');
    expect(escapeText('ls\u2028ps\u2029')).toBe('ls\\u2028ps\\u2029');
    expect(escapeText('lone \ud800 high')).toBe('lone \\ud800 high');
  });

  it('leaves ordinary text alone: unicode, emoji, right-to-left letters, lone backslashes', () => {
    const ordinary = [
      'Fix the parser',
      'héllo wörld',
      '日本語のパス.ts',
      '😀 rocket',
      'שלום עולם',
      '## not a line start',
    ];
    for (const text of [...ordinary, 'back\\slash.txt', 'C:\\Program Files', 'regex \\d+ and \\s*']) {
      expect(escapeText(text)).toBe(text);
    }
  });

  it('doubles a backslash only where it could be read as the start of an escape', () => {
    expect(escapeText('a\\nb')).toBe('a\\\\nb');
    expect(escapeText('\\x1b literal')).toBe('\\\\x1b literal');
    expect(escapeText('\\u202e literal')).toBe('\\\\u202e literal');
    expect(escapeText('\\\\')).toBe('\\\\\\');
    expect(escapeText('end\\')).toBe('end\\');
    expect(escapeText('\\\x1b')).toBe('\\\\\\x1b');
    expect(escapeText('a\\\x1b')).not.toBe(escapeText('a\\x1b'));
  });

  it('is unambiguous: every output decodes to its input and holds nothing unsafe (line and block)', () => {
    const next = random(7);
    for (let n = 0; n < 2000; n += 1) {
      const length = Math.floor(next() * 12);
      let text = '';
      for (let i = 0; i < length; i += 1) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
      const line = escapeText(text);
      expect(decode(line), JSON.stringify(text)).toBe(text);
      expect(line).not.toMatch(UNSAFE);
      const block = escapeText(text, 'block');
      expect(decode(block), JSON.stringify(text)).toBe(text);
      expect(block).not.toMatch(UNSAFE_BUT_LAYOUT);
    }
  });

  it('a block keeps its newlines and tabs and escapes the rest', () => {
    expect(escapeText('one\n\ttwo\x1b\rthree', 'block')).toBe('one\n\ttwo\\x1b\\rthree');
  });
});

describe('escapeBlock and firstLineExcerpt', () => {
  it('prefixes every line, so a forged heading or entry never starts a line', () => {
    const lines = escapeBlock('first\n## Fake (01FAKE) alice@example.com\n- fake entry\x1b[2J', '> ');
    expect(lines).toEqual(['> first', '> ## Fake (01FAKE) alice@example.com', '> - fake entry\\x1b[2J']);
  });

  it('the first non-blank line, cut with an ellipsis, escaped, never splitting a surrogate pair', () => {
    expect(firstLineExcerpt('\n  \nsecond\x1b line\nthird', 100)).toBe('second\\x1b line');
    expect(firstLineExcerpt('\r\n', 100)).toBeUndefined();
    expect(firstLineExcerpt('abcdefghij', 5)).toBe('abcd…');
    expect(firstLineExcerpt('😀😀😀😀😀😀', 3)).toBe('😀😀…');
    expect(firstLineExcerpt('a\u2028b', 10)).toBe('a\\u2028b');
  });
});

describe('oneLine (every error line and doctor line)', () => {
  it('joins lines and escapes what could drive a terminal', () => {
    const line = oneLine('git failed:\n  fatal: bad\x1b]0;pwned\x07 path\u202e');
    expect(line).toBe('git failed: fatal: bad\\x1b]0;pwned\\x07 path\\u202e');
  });
});
