// Raw import specifiers of one source file (TS/JS, Python, Go, Rust), in order of first
// appearance. Each language has a small lexer that drops comments and string contents,
// then a pattern pass over its tokens: no parser dependency, linear time, and only the
// first 256 KiB of a file is read so one generated giant cannot stall a cold run.
import { importLanguage } from './languages.js';

/** Bump whenever the output for some input changes, so cached parse results are dropped. */
export const PARSER_VERSION = 1;

const MAX_SOURCE_CHARS = 256 * 1024;

const WORD = 0;
const STR = 1;
const PUNCT = 2;

/**
 * Parallel arrays rather than token objects, and one buffer reused by every call
 * (parsing is synchronous): a cold run lexes ~100k files. Entries from `n` on are stale.
 */
interface Tokens {
  kind: number[];
  text: string[];
  n: number;
}

const buffer: Tokens = { kind: [], text: [], n: 0 };

function emptyTokens(): Tokens {
  buffer.n = 0;
  return buffer;
}

export function parseImports(path: string, source: string): string[] {
  const language = importLanguage(path);
  if (language === undefined) return [];
  const src = source.length > MAX_SOURCE_CHARS ? source.slice(0, MAX_SOURCE_CHARS) : source;
  const out = new Set<string>();
  // No keyword pre-check (`src.includes('import')`): nearly every source file has one,
  // so it would only add a second pass.
  switch (language) {
    case 'typescript':
    case 'javascript':
      matchScript(lexScript(src), out);
      break;
    case 'python':
      matchPython(lexPython(src), out);
      break;
    case 'go':
      matchGo(lexGo(src), out);
      break;
    case 'rust':
      matchRust(lexRust(src), out);
      break;
  }
  out.delete('');
  return [...out];
}

// ---------------------------------------------------------------------------- lexing

function isIdentStart(c: number, dollar: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127 || (dollar && c === 36);
}

function identEnd(src: string, i: number, dollar: boolean): number {
  for (;;) {
    const c = src.charCodeAt(i);
    if (isIdentStart(c, dollar) || (c >= 48 && c <= 57)) i++;
    else return i;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Index of the next newline (or the end), where a line comment stops. */
function lineEnd(src: string, i: number): number {
  const j = src.indexOf('\n', i);
  return j < 0 ? src.length : j;
}

/** Index just past the end of a block comment opened before `i`. */
function blockCommentEnd(src: string, i: number): number {
  const j = src.indexOf('*/', i);
  return j < 0 ? src.length : j + 2;
}

/**
 * Index of the quote closing a single-line string opened before `i`, or of the newline
 * or end where an unterminated one gives up — so a stray apostrophe (JSX text, a
 * misread lifetime) swallows at most the rest of its line.
 */
function quotedEnd(src: string, i: number, quote: number): number {
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === quote || c === 10) return i;
    i += c === 92 ? 2 : 1;
  }
  return n;
}

function unescape(raw: string): string {
  return raw.includes('\\') ? raw.replace(/\\(.)/g, '$1') : raw;
}

function push(t: Tokens, kind: number, text: string): void {
  t.kind[t.n] = kind;
  t.text[t.n] = text;
  t.n++;
}

function kindAt(t: Tokens, k: number): number {
  return k >= 0 && k < t.n ? t.kind[k]! : -1;
}

function isPunct(t: Tokens, k: number, p: string): boolean {
  return kindAt(t, k) === PUNCT && t.text[k] === p;
}

function isWord(t: Tokens, k: number, w?: string): boolean {
  return kindAt(t, k) === WORD && (w === undefined || t.text[k] === w);
}

// Words after which a `/` starts a regular expression rather than a division.
const REGEX_AFTER_WORD = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else',
  'yield', 'await',
]);

/** End of a regex literal starting at `i` (after its `/`), or -1 if none closes on this line. */
function regexEnd(src: string, i: number): number {
  const n = src.length;
  let inClass = false;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 10) return -1;
    if (c === 92) i += 2;
    else {
      if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
      else if (c === 47 && !inClass) return i + 1;
      i++;
    }
  }
  return -1;
}

function lexScript(src: string): Tokens {
  const t = emptyTokens();
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
      if (c === 92) i += 2;
      else if (c === 96) {
        push(t, PUNCT, '`');
        regexOk = false;
        return i + 1;
      } else if (c === 36 && src.charCodeAt(i + 1) === 123) {
        templateDepths.push(depth);
        regexOk = true;
        return i + 2;
      } else i++;
    }
    return n;
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    if (c <= 32) i++;
    else if (c === 47) {
      const d = src.charCodeAt(i + 1);
      if (d === 47) i = lineEnd(src, i);
      else if (d === 42) i = blockCommentEnd(src, i + 2);
      else {
        const end = regexOk && i >= noRegexBefore ? regexEnd(src, i + 1) : -1;
        if (end > 0) {
          i = end;
          regexOk = false;
        } else {
          if (regexOk) noRegexBefore = lineEnd(src, i);
          push(t, PUNCT, '/');
          i++;
          regexOk = true;
        }
      }
    } else if (c === 39 || c === 34) {
      const end = quotedEnd(src, i + 1, c);
      push(t, STR, unescape(src.slice(i + 1, end)));
      i = end + 1;
      regexOk = false;
    } else if (c === 96) i = templateText(i + 1);
    else if (isIdentStart(c, true)) {
      const start = i;
      i = identEnd(src, i + 1, true);
      const word = src.slice(start, i);
      push(t, WORD, word);
      regexOk = word.length <= 10 && REGEX_AFTER_WORD.has(word);
    } else if (isDigit(c)) {
      i = identEnd(src, i + 1, true); // 0x1f, 1e9, 10n; a fraction lexes as `.` then digits
      regexOk = false;
    } else if (c === 125 && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
      templateDepths.pop();
      i = templateText(i + 1);
    } else {
      if (c === 123) depth++;
      else if (c === 125) depth--;
      push(t, PUNCT, src[i]!);
      regexOk = c !== 41 && c !== 93;
      i++;
    }
  }
  return t;
}

/** Python: comments and (triple-quoted) strings dropped; logical newlines kept as `\n`. */
function lexPython(src: string): Tokens {
  const t = emptyTokens();
  const n = src.length;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 10) {
      if (depth === 0 && t.n > 0 && !isPunct(t, t.n - 1, '\n')) push(t, PUNCT, '\n');
      i++;
    } else if (c === 92) i += src.charCodeAt(i + 1) === 13 ? 3 : 2; // a line continuation
    else if (c <= 32) i++;
    else if (c === 35) i = lineEnd(src, i);
    else if (c === 39 || c === 34) {
      if (src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === c) {
        const close = c === 39 ? "'''" : '"""';
        let j = i + 3;
        for (;;) {
          const k = src.indexOf(close, j);
          if (k < 0) {
            j = n;
            break;
          }
          let slashes = 0;
          while (src.charCodeAt(k - 1 - slashes) === 92) slashes++;
          j = k + 1;
          if (slashes % 2 === 0) {
            j = k + 3;
            break;
          }
        }
        i = j;
      } else i = quotedEnd(src, i + 1, c) + 1;
      push(t, STR, '');
    } else if (isIdentStart(c, false)) {
      const start = i;
      i = identEnd(src, i + 1, false);
      push(t, WORD, src.slice(start, i));
    } else if (isDigit(c)) {
      i = identEnd(src, i + 1, false);
    } else {
      if (c === 40 || c === 91 || c === 123) depth++;
      else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
      push(t, PUNCT, src[i]!);
      i++;
    }
  }
  return t;
}

// Go's grammar puts every import before the first top-level declaration.
const GO_DECLARATIONS = new Set(['func', 'type', 'var', 'const']);

function lexGo(src: string): Tokens {
  const t = emptyTokens();
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c <= 32) i++;
    else if (c === 47 && src.charCodeAt(i + 1) === 47) i = lineEnd(src, i);
    else if (c === 47 && src.charCodeAt(i + 1) === 42) i = blockCommentEnd(src, i + 2);
    else if (c === 34 || c === 39) {
      const end = quotedEnd(src, i + 1, c);
      if (c === 34) push(t, STR, unescape(src.slice(i + 1, end)));
      i = end + 1;
    } else if (c === 96) {
      const end = src.indexOf('`', i + 1);
      push(t, STR, src.slice(i + 1, end < 0 ? n : end));
      i = end < 0 ? n : end + 1;
    } else if (isIdentStart(c, false) || isDigit(c)) {
      const start = i;
      i = identEnd(src, i + 1, false);
      const word = src.slice(start, i);
      if (GO_DECLARATIONS.has(word)) break;
      push(t, WORD, word);
    } else {
      push(t, PUNCT, src[i]!);
      i++;
    }
  }
  return t;
}

/** Rust: nested block comments, raw strings, char literals versus lifetimes; `::` is one token. */
function lexRust(src: string): Tokens {
  const t = emptyTokens();
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c <= 32) i++;
    else if (c === 47 && src.charCodeAt(i + 1) === 47) i = lineEnd(src, i);
    else if (c === 47 && src.charCodeAt(i + 1) === 42) {
      let nesting = 1;
      i += 2;
      while (i < n && nesting > 0) {
        const d = src.charCodeAt(i);
        if (d === 47 && src.charCodeAt(i + 1) === 42) {
          nesting++;
          i += 2;
        } else if (d === 42 && src.charCodeAt(i + 1) === 47) {
          nesting--;
          i += 2;
        } else i++;
      }
    } else if (c === 34) {
      i = quotedEndMultiline(src, i + 1) + 1;
      push(t, STR, '');
    } else if (c === 39) {
      // 'x' and '\n' are chars; 'a (no closing quote two code points on) is a lifetime.
      const d = src.charCodeAt(i + 1);
      const width = d >= 0xd800 && d <= 0xdbff ? 2 : 1;
      if (d === 92) i = quotedEnd(src, i + 3, 39) + 1;
      else if (src.charCodeAt(i + 1 + width) === 39) i += 2 + width;
      else i++;
    } else if (isIdentStart(c, false)) {
      const start = i;
      i = identEnd(src, i + 1, false);
      const word = src.slice(start, i);
      if ((word === 'r' || word === 'br' || word === 'cr') && (src[i] === '#' || src[i] === '"')) {
        let hashes = 0;
        while (src.charCodeAt(i + hashes) === 35) hashes++;
        if (src.charCodeAt(i + hashes) === 34) {
          const end = src.indexOf('"' + '#'.repeat(hashes), i + hashes + 1);
          i = end < 0 ? n : end + 1 + hashes;
          push(t, STR, '');
          continue;
        }
        if (word === 'r' && hashes === 1 && isIdentStart(src.charCodeAt(i + 1), false)) {
          const rawStart = i + 1; // r#type: a raw identifier
          i = identEnd(src, rawStart, false);
          push(t, WORD, src.slice(rawStart, i));
          continue;
        }
      }
      push(t, WORD, word);
    } else if (isDigit(c)) {
      i = identEnd(src, i + 1, false);
    } else if (c === 58 && src.charCodeAt(i + 1) === 58) {
      push(t, PUNCT, '::');
      i += 2;
    } else {
      push(t, PUNCT, src[i]!);
      i++;
    }
  }
  return t;
}

/** Rust strings may span lines; only an escaped quote does not close one. */
function quotedEndMultiline(src: string, i: number): number {
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 34) return i;
    i += c === 92 ? 2 : 1;
  }
  return n;
}

// -------------------------------------------------------------------------- matching

function matchScript(t: Tokens, out: Set<string>): void {
  const text = t.text;
  for (let k = 0; k < t.n; k++) {
    if (t.kind[k] !== WORD) continue;
    const word = text[k];
    if (word !== 'import' && word !== 'export' && word !== 'require') continue;
    // `x.require(...)` and `obj.import` are members; `...require(...)` is a spread.
    if (isPunct(t, k - 1, '.') && !isPunct(t, k - 2, '.')) continue;
    if (isPunct(t, k + 1, '(')) {
      // import('a') and require('a'), literal argument only; a second import() argument is allowed.
      if (word !== 'export' && kindAt(t, k + 2) === STR && (isPunct(t, k + 3, ')') || isPunct(t, k + 3, ','))) {
        out.add(text[k + 2]!);
      }
    } else if (word === 'import' && kindAt(t, k + 1) === STR) out.add(text[k + 1]!);
    else if (word !== 'require') {
      const specifier = fromClause(t, k + 1);
      if (specifier !== undefined) out.add(specifier);
    }
  }
}

/** The module of `import … from 'm'` / `export … from 'm'`, scanning only what such a clause may hold. */
function fromClause(t: Tokens, k: number): string | undefined {
  const text = t.text;
  for (; k < t.n; k++) {
    const kind = t.kind[k];
    if (kind === WORD) {
      const word = text[k];
      if (word === 'from' && kindAt(t, k + 1) === STR) return text[k + 1];
      if (word === 'import' || word === 'export') return undefined;
    } else if (kind !== PUNCT || !(text[k] === ',' || text[k] === '{' || text[k] === '}' || text[k] === '*')) {
      return undefined;
    }
  }
  return undefined;
}

/** A dotted name (`a.b.c`) starting at `k`: the name and the index after it. */
function dottedName(t: Tokens, k: number): [string, number] {
  let name = '';
  while (isWord(t, k) && t.text[k] !== 'import') {
    name += t.text[k];
    k++;
    if (!isPunct(t, k, '.') || !isWord(t, k + 1)) break;
    name += '.';
    k++;
  }
  return [name, k];
}

function matchPython(t: Tokens, out: Set<string>): void {
  for (let k = 0; k < t.n; k++) {
    const atStatementStart = k === 0 || isPunct(t, k - 1, '\n') || isPunct(t, k - 1, ';') || isPunct(t, k - 1, ':');
    if (isWord(t, k, 'from') && atStatementStart) {
      let j = k + 1;
      let module = '';
      while (isPunct(t, j, '.')) {
        module += '.';
        j++;
      }
      const [name, after] = dottedName(t, j);
      module += name;
      j = after;
      if (module === '' || !isWord(t, j, 'import')) continue;
      j++;
      if (isPunct(t, j, '(')) j++;
      // `from ..pkg import mod` names both the submodule `..pkg.mod` and the package `..pkg`.
      for (;;) {
        if (isPunct(t, j, '*')) {
          j++;
          break;
        }
        if (!isWord(t, j)) break;
        out.add(module.endsWith('.') ? module + t.text[j] : `${module}.${t.text[j]}`);
        j++;
        if (isWord(t, j, 'as')) j += 2;
        if (!isPunct(t, j, ',')) break;
        j++;
      }
      out.add(module);
      k = j - 1;
    } else if (isWord(t, k, 'import')) {
      let j = k + 1;
      for (;;) {
        const [name, after] = dottedName(t, j);
        if (name === '') break;
        out.add(name);
        j = after;
        if (isWord(t, j, 'as')) j += 2;
        if (!isPunct(t, j, ',')) break;
        j++;
      }
      k = j - 1;
    }
  }
}

function matchGo(t: Tokens, out: Set<string>): void {
  const text = t.text;
  for (let k = 0; k < t.n; k++) {
    if (!isWord(t, k, 'import')) continue;
    if (isPunct(t, k + 1, '(')) {
      // Inside the group only aliases (`name`, `_`, `.`) and paths appear.
      let j = k + 2;
      for (; j < t.n && !isPunct(t, j, ')'); j++) if (t.kind[j] === STR) out.add(text[j]!);
      k = j;
    } else {
      const j = isWord(t, k + 1) || isPunct(t, k + 1, '.') ? k + 2 : k + 1;
      if (kindAt(t, j) === STR) out.add(text[j]!);
    }
  }
}

function matchRust(t: Tokens, out: Set<string>): void {
  for (let k = 0; k < t.n; k++) {
    if (isWord(t, k, 'mod') && isWord(t, k + 1) && isPunct(t, k + 2, ';')) {
      out.add(`mod:${t.text[k + 1]}`);
      k += 2;
    } else if (isWord(t, k, 'use')) {
      k = useTree(t, k + 1, '', out, 0) - 1;
    }
  }
}

function joinRustPath(path: string, segment: string): string {
  if (path === '') return segment;
  return path === '::' ? `::${segment}` : `${path}::${segment}`;
}

/**
 * Expands one use tree at `k` under `prefix`, adding every leaf path and every group's
 * prefix (`use a::{b, c}` → `a::b`, `a::c`, `a`). Returns the index after the tree.
 */
function useTree(t: Tokens, k: number, prefix: string, out: Set<string>, depth: number): number {
  if (depth > 16) return k; // hostile nesting must not exhaust the stack
  let path = prefix;
  if (path === '' && isPunct(t, k, '::')) {
    path = '::';
    k++;
  }
  for (;;) {
    if (isWord(t, k)) {
      const segment = t.text[k]!;
      // `{self, …}` names the prefix module itself.
      if (!(segment === 'self' && path !== '')) path = joinRustPath(path, segment);
      k++;
      if (isPunct(t, k, '::')) {
        k++;
        continue;
      }
      if (isWord(t, k, 'as')) k += 2;
      out.add(path);
      return k;
    }
    if (isPunct(t, k, '{')) {
      k++;
      while (k < t.n && !isPunct(t, k, '}')) {
        const next = useTree(t, k, path, out, depth + 1);
        if (next === k) return k;
        k = next;
        if (isPunct(t, k, ',')) k++;
        else if (!isPunct(t, k, '}')) return k;
      }
      if (path !== '' && path !== '::') out.add(path);
      return k + 1;
    }
    if (isPunct(t, k, '*')) {
      if (path !== '' && path !== '::') out.add(path);
      return k + 1;
    }
    return k;
  }
}
