// Rust lexer: nested block comments, raw strings, char literals versus lifetimes, raw
// identifiers; `::` is one token. String contents are dropped except the value of a
// `path = "…"` attribute, which names a module's file.
import {
  BACKSLASH,
  COLON,
  DOUBLE_QUOTE,
  HASH,
  HIGH_SURROGATE_FIRST,
  HIGH_SURROGATE_LAST,
  SINGLE_QUOTE,
  SLASH,
  SPACE,
  STAR,
} from '../../chars.js';
import {
  identEnd,
  isDigit,
  isIdentStart,
  lineEnd,
  PUNCT,
  quotedEnd,
  quotedEndMultiline,
  STR,
  Tokens,
  unescape,
  WORD,
} from '../tokens.js';

function nestedCommentEnd(src: string, i: number): number {
  const n = src.length;
  let nesting = 1;
  while (i < n && nesting > 0) {
    const d = src.charCodeAt(i);
    if (d === SLASH && src.charCodeAt(i + 1) === STAR) {
      nesting++;
      i += 2;
    } else if (d === STAR && src.charCodeAt(i + 1) === SLASH) {
      nesting--;
      i += 2;
    } else i++;
  }
  return i;
}

export function lexRust(src: string): Tokens {
  const t = new Tokens();
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c <= SPACE) i++;
    else if (c === SLASH && src.charCodeAt(i + 1) === SLASH) i = lineEnd(src, i);
    else if (c === SLASH && src.charCodeAt(i + 1) === STAR) i = nestedCommentEnd(src, i + 2);
    else if (c === DOUBLE_QUOTE) {
      const end = quotedEndMultiline(src, i + 1, DOUBLE_QUOTE);
      const isPathValue = t.isPunct(t.n - 1, '=') && t.isWord(t.n - 2, 'path');
      t.push(STR, isPathValue ? unescape(src.slice(i + 1, end)) : '');
      i = end + 1;
    } else if (c === SINGLE_QUOTE) {
      // 'x' and '\n' are chars; 'a (no closing quote two code points on) is a lifetime.
      const d = src.charCodeAt(i + 1);
      const width = d >= HIGH_SURROGATE_FIRST && d <= HIGH_SURROGATE_LAST ? 2 : 1;
      if (d === BACKSLASH) i = quotedEnd(src, i + 3, SINGLE_QUOTE) + 1;
      else if (src.charCodeAt(i + 1 + width) === SINGLE_QUOTE) i += 2 + width;
      else i++;
    } else if (isIdentStart(c, false)) {
      const start = i;
      i = identEnd(src, i + 1, false);
      const word = src.slice(start, i);
      const next = src.charCodeAt(i);
      if ((word === 'r' || word === 'br' || word === 'cr') && (next === HASH || next === DOUBLE_QUOTE)) {
        let hashes = 0;
        while (src.charCodeAt(i + hashes) === HASH) hashes++;
        if (src.charCodeAt(i + hashes) === DOUBLE_QUOTE) {
          const end = src.indexOf('"' + '#'.repeat(hashes), i + hashes + 1);
          i = end < 0 ? n : end + 1 + hashes;
          t.push(STR, '');
          continue;
        }
        if (word === 'r' && hashes === 1 && isIdentStart(src.charCodeAt(i + 1), false)) {
          const rawStart = i + 1; // r#type: a raw identifier
          i = identEnd(src, rawStart, false);
          t.push(WORD, src.slice(rawStart, i));
          continue;
        }
      }
      t.push(WORD, word);
    } else if (isDigit(c)) {
      i = identEnd(src, i + 1, false);
    } else if (c === COLON && src.charCodeAt(i + 1) === COLON) {
      t.push(PUNCT, '::');
      i += 2;
    } else {
      t.push(PUNCT, src[i]!);
      i++;
    }
  }
  return t;
}
