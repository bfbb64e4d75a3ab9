// Go lexer: comments dropped, interpreted and raw string contents kept (import paths),
// and it stops at the first top-level declaration, since Go's grammar puts every
// import before it.
import { BACKTICK, DOUBLE_QUOTE, SINGLE_QUOTE, SLASH, SPACE, STAR } from '../../chars.js';
import {
  blockCommentEnd,
  identEnd,
  isDigit,
  isIdentStart,
  lineEnd,
  PUNCT,
  quotedEnd,
  STR,
  Tokens,
  unescape,
  WORD,
} from '../tokens.js';

const GO_DECLARATIONS = new Set(['func', 'type', 'var', 'const']);

export function lexGo(src: string): Tokens {
  const t = new Tokens();
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c <= SPACE) i++;
    else if (c === SLASH && src.charCodeAt(i + 1) === SLASH) i = lineEnd(src, i);
    else if (c === SLASH && src.charCodeAt(i + 1) === STAR) i = blockCommentEnd(src, i + 2);
    else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const end = quotedEnd(src, i + 1, c);
      if (c === DOUBLE_QUOTE) t.push(STR, unescape(src.slice(i + 1, end)));
      i = end + 1;
    } else if (c === BACKTICK) {
      const end = src.indexOf('`', i + 1);
      t.push(STR, src.slice(i + 1, end < 0 ? n : end));
      i = end < 0 ? n : end + 1;
    } else if (isIdentStart(c, false) || isDigit(c)) {
      const start = i;
      i = identEnd(src, i + 1, false);
      const word = src.slice(start, i);
      if (GO_DECLARATIONS.has(word)) break;
      t.push(WORD, word);
    } else {
      t.push(PUNCT, src[i]!);
      i++;
    }
  }
  return t;
}
