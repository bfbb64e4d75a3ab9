// TypeScript/JavaScript lexer: drops comments, regex literals and template text, keeps
// string contents (specifiers live there) and `/// <reference path>` directives. Regex
// versus division is decided from the previous token, as a parser would, near enough.
import {
  BACKSLASH,
  BACKTICK,
  BRACE_CLOSE,
  BRACE_OPEN,
  BRACKET_CLOSE,
  BRACKET_OPEN,
  DOLLAR,
  DOUBLE_QUOTE,
  LF,
  PAREN_CLOSE,
  SINGLE_QUOTE,
  SLASH,
  SPACE,
  STAR,
} from '../../chars.js';
import {
  blockCommentEnd,
  DIRECTIVE,
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

// Words after which a `/` starts a regular expression rather than a division.
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

const REFERENCE_PATH = /^\/\/\/\s*<reference\s+path\s*=\s*(["'])([^"'\n]+)\1/;

/** End of a regex literal starting at `i` (after its `/`), or -1 if none closes on this line. */
function regexEnd(src: string, i: number): number {
  const n = src.length;
  let inClass = false;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === LF) return -1;
    if (c === BACKSLASH) i += 2;
    else {
      if (c === BRACKET_OPEN) inClass = true;
      else if (c === BRACKET_CLOSE) inClass = false;
      else if (c === SLASH && !inClass) return i + 1;
      i++;
    }
  }
  return -1;
}

export function lexScript(src: string): Tokens {
  const t = new Tokens();
  const n = src.length;
  // Brace depth at each open `${`, so the `}` that resumes its template is recognised.
  const templateDepths: number[] = [];
  let depth = 0;
  let regexOk = true;
  // After a `/` found no closing `/` on its line, later ones there cannot start a regex
  // either (near enough): skipping them keeps a long minified line linear.
  let noRegexBefore = 0;
  let i = src.startsWith('#!') ? lineEnd(src, 0) : 0;

  // Skips template text from `i`; returns where code resumes (after `` ` `` or `${`).
  const templateText = (i: number): number => {
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === BACKSLASH) i += 2;
      else if (c === BACKTICK) {
        t.push(PUNCT, '`');
        regexOk = false;
        return i + 1;
      } else if (c === DOLLAR && src.charCodeAt(i + 1) === BRACE_OPEN) {
        templateDepths.push(depth);
        regexOk = true;
        return i + 2;
      } else i++;
    }
    return n;
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    if (c <= SPACE) i++;
    else if (c === SLASH) {
      const d = src.charCodeAt(i + 1);
      if (d === SLASH) {
        const end = lineEnd(src, i);
        if (src.charCodeAt(i + 2) === SLASH) {
          const reference = REFERENCE_PATH.exec(src.slice(i, end));
          if (reference) t.push(DIRECTIVE, reference[2]!);
        }
        i = end;
      } else if (d === STAR) i = blockCommentEnd(src, i + 2);
      else {
        const end = regexOk && i >= noRegexBefore ? regexEnd(src, i + 1) : -1;
        if (end > 0) {
          i = end;
          regexOk = false;
        } else {
          if (regexOk) noRegexBefore = lineEnd(src, i);
          t.push(PUNCT, '/');
          i++;
          regexOk = true;
        }
      }
    } else if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
      const end = quotedEnd(src, i + 1, c);
      t.push(STR, unescape(src.slice(i + 1, end)));
      i = end + 1;
      regexOk = false;
    } else if (c === BACKTICK) i = templateText(i + 1);
    else if (isIdentStart(c, true)) {
      const start = i;
      i = identEnd(src, i + 1, true);
      const word = src.slice(start, i);
      t.push(WORD, word);
      regexOk = word.length <= 10 && REGEX_AFTER_WORD.has(word);
    } else if (isDigit(c)) {
      i = identEnd(src, i + 1, true); // 0x1f, 1e9, 10n; a fraction lexes as `.` then digits
      regexOk = false;
    } else if (c === BRACE_CLOSE && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
      templateDepths.pop();
      i = templateText(i + 1);
    } else {
      if (c === BRACE_OPEN) depth++;
      else if (c === BRACE_CLOSE) depth--;
      t.push(PUNCT, src[i]!);
      regexOk = c !== PAREN_CLOSE && c !== BRACKET_CLOSE;
      i++;
    }
  }
  return t;
}
