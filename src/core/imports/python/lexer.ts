// Python lexer: comments and (triple-quoted) strings dropped, logical newlines kept as
// `\n` tokens (a bracket spans lines, a backslash continues one) so the matcher knows
// where a statement starts.
import {
  BACKSLASH,
  BRACE_CLOSE,
  BRACE_OPEN,
  BRACKET_CLOSE,
  BRACKET_OPEN,
  CR,
  DOUBLE_QUOTE,
  HASH,
  LF,
  PAREN_CLOSE,
  PAREN_OPEN,
  SINGLE_QUOTE,
  SPACE,
} from '../../chars.js';
import { identEnd, isDigit, isIdentStart, lineEnd, PUNCT, quotedEnd, STR, Tokens, WORD } from '../tokens.js';

/** Index just past a triple-quoted string whose opening quotes end before `i`. */
function tripleQuotedEnd(src: string, i: number, quote: number): number {
  const close = quote === SINGLE_QUOTE ? "'''" : '"""';
  for (;;) {
    const k = src.indexOf(close, i);
    if (k < 0) return src.length;
    let slashes = 0;
    while (src.charCodeAt(k - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return k + 3;
    i = k + 1;
  }
}

export function lexPython(src: string): Tokens {
  const t = new Tokens();
  const n = src.length;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === LF) {
      if (depth === 0 && t.n > 0 && !t.isPunct(t.n - 1, '\n')) t.push(PUNCT, '\n');
      i++;
    } else if (c === BACKSLASH) i += src.charCodeAt(i + 1) === CR ? 3 : 2; // a line continuation
    else if (c <= SPACE) i++;
    else if (c === HASH) i = lineEnd(src, i);
    else if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
      if (src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === c) i = tripleQuotedEnd(src, i + 3, c);
      else i = quotedEnd(src, i + 1, c) + 1;
      t.push(STR, '');
    } else if (isIdentStart(c, false)) {
      const start = i;
      i = identEnd(src, i + 1, false);
      t.push(WORD, src.slice(start, i));
    } else if (isDigit(c)) {
      i = identEnd(src, i + 1, false);
    } else {
      if (c === PAREN_OPEN || c === BRACKET_OPEN || c === BRACE_OPEN) depth++;
      else if ((c === PAREN_CLOSE || c === BRACKET_CLOSE || c === BRACE_CLOSE) && depth > 0) depth--;
      t.push(PUNCT, src[i]!);
      i++;
    }
  }
  return t;
}
