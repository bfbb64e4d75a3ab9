// The token stream every language's lexer fills and its matcher reads, and the scanning
// helpers the lexers share (identifiers, comments, quoted strings). A stream is created
// per parse: parallel arrays rather than token objects keep a cold run over ~100k files cheap.
import {
  BACKSLASH,
  DIGIT_0,
  DIGIT_9,
  DOLLAR,
  LF,
  LOWER_A,
  LOWER_Z,
  ASCII_MAX,
  UNDERSCORE,
  UPPER_A,
  UPPER_Z,
} from '../chars.js';

export const WORD = 0;
export const STR = 1;
export const PUNCT = 2;
/** A directive found in a comment (`/// <reference path>`): its text is the specifier. */
export const DIRECTIVE = 3;

export class Tokens {
  readonly kind: number[] = [];
  readonly text: string[] = [];
  n = 0;

  push(kind: number, text: string): void {
    this.kind[this.n] = kind;
    this.text[this.n] = text;
    this.n++;
  }

  kindAt(k: number): number {
    return k >= 0 && k < this.n ? this.kind[k]! : -1;
  }

  isPunct(k: number, p: string): boolean {
    return this.kindAt(k) === PUNCT && this.text[k] === p;
  }

  isWord(k: number, w?: string): boolean {
    return this.kindAt(k) === WORD && (w === undefined || this.text[k] === w);
  }
}

export function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

/** Letters, `_`, any non-ASCII code unit, and `$` where the language allows it. */
export function isIdentStart(c: number, dollar: boolean): boolean {
  return (
    (c >= LOWER_A && c <= LOWER_Z) ||
    (c >= UPPER_A && c <= UPPER_Z) ||
    c === UNDERSCORE ||
    c > ASCII_MAX ||
    (dollar && c === DOLLAR)
  );
}

export function identEnd(src: string, i: number, dollar: boolean): number {
  for (;;) {
    const c = src.charCodeAt(i);
    if (isIdentStart(c, dollar) || isDigit(c)) i++;
    else return i;
  }
}

/** Index of the next newline (or the end), where a line comment stops. */
export function lineEnd(src: string, i: number): number {
  const j = src.indexOf('\n', i);
  return j < 0 ? src.length : j;
}

/** Index just past the end of a block comment opened before `i`. */
export function blockCommentEnd(src: string, i: number): number {
  const j = src.indexOf('*/', i);
  return j < 0 ? src.length : j + 2;
}

/**
 * Index of the quote closing a single-line string opened before `i`, or of the newline
 * or end where an unterminated one gives up — so a stray apostrophe (JSX text, a
 * misread lifetime) swallows at most the rest of its line.
 */
export function quotedEnd(src: string, i: number, quote: number): number {
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === quote || c === LF) return i;
    i += c === BACKSLASH ? 2 : 1;
  }
  return n;
}

/** Index of the closing `quote` of a string that may span lines; only an escaped quote does not close it. */
export function quotedEndMultiline(src: string, i: number, quote: number): number {
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === quote) return i;
    i += c === BACKSLASH ? 2 : 1;
  }
  return n;
}

export function unescape(raw: string): string {
  return raw.includes('\\') ? raw.replace(/\\(.)/g, '$1') : raw;
}
