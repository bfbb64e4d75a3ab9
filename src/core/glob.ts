// Glob patterns as git reads them: `wildmatch` (the matcher behind .gitignore and pathspecs)
// and the .gitignore PATTERN FORMAT on top of it (negation, anchoring, directory-only rules,
// last match wins, nothing re-included below an excluded directory). Patterns compile once
// to tokens and match by NFA simulation over UTF-8 bytes: O(pattern × path), no backtracking.
//
// Matching follows git's wildmatch.c byte for byte, quirks included, so that a pattern means
// here what it means in a .gitignore (test/core/glob-git.test.ts compares with real git).
import { BACKSLASH, BRACKET_CLOSE as CLOSE, BRACKET_OPEN as OPEN, QUESTION, SLASH, STAR } from './chars.js';

/** Bounds on an ignore list; anything beyond is refused rather than slowly matched. */
export const GLOB_LIMITS = { patterns: 1_000, patternBytes: 1_024 } as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Token kinds: a set of bytes (a literal is a one-byte set), a star that stays in a segment, a star that crosses. */
const enum Kind {
  Set = 0,
  Star = 1,
  GlobStar = 2,
}

interface Token {
  kind: Kind;
  /** Accepted bytes, 256 flags (the star's loop bytes for Star). */
  accepts: Uint8Array;
  /** `**` then `/` may also match nothing: epsilon from this token past the slash that follows. */
  skipsSlash?: boolean;
}

/** A compiled glob: call `matches` with the text's UTF-8 bytes. */
export interface CompiledGlob {
  matches(text: Uint8Array, from?: number, to?: number): boolean;
}

const NEVER: CompiledGlob = { matches: () => false };

function byteSet(pick: (b: number) => boolean): Uint8Array {
  const set = new Uint8Array(256);
  for (let b = 0; b < 256; b++) set[b] = pick(b) ? 1 : 0;
  return set;
}
const ANY = byteSet(() => true);
const NOT_SLASH = byteSet((b) => b !== SLASH);
// Built directly, not through byteSet: this runs in every process that loads the module.
const literals: Uint8Array[] = Array.from({ length: 256 }, (_, c) => {
  const set = new Uint8Array(256);
  set[c] = 1;
  return set;
});

const between = (b: number, lo: string, hi: string): boolean => b >= lo.charCodeAt(0) && b <= hi.charCodeAt(0);
/** POSIX classes with git's ASCII-only ctype (bytes >= 0x80 are in no class). */
const CLASSES: Record<string, (b: number) => boolean> = {
  alnum: (b) => between(b, '0', '9') || between(b, 'A', 'Z') || between(b, 'a', 'z'),
  alpha: (b) => between(b, 'A', 'Z') || between(b, 'a', 'z'),
  blank: (b) => b === 0x20 || b === 0x09,
  cntrl: (b) => b < 0x20 || b === 0x7f,
  digit: (b) => between(b, '0', '9'),
  graph: (b) => b > 0x20 && b < 0x7f,
  lower: (b) => between(b, 'a', 'z'),
  print: (b) => b >= 0x20 && b < 0x7f,
  punct: (b) => b > 0x20 && b < 0x7f && !CLASSES.alnum!(b),
  space: (b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d,
  upper: (b) => between(b, 'A', 'Z'),
  xdigit: (b) => between(b, '0', '9') || between(b, 'A', 'F') || between(b, 'a', 'f'),
};

/**
 * A bracket expression starting at `pat[open]` (`[`), parsed as wildmatch does. Returns the
 * accepted bytes and the index of the closing `]`, or undefined when the bracket is
 * malformed (unterminated, unknown class), which makes git's whole match fail.
 */
function parseBracket(
  pat: Uint8Array,
  open: number,
  pathname: boolean,
): { set: Uint8Array; close: number } | undefined {
  const set = new Uint8Array(256);
  let k = open + 1;
  let c = pat[k];
  if (c === 0x5e) c = 0x21; // `[^…]` is `[!…]`
  const negated = c === 0x21;
  if (negated) c = pat[++k];
  let prev = 0;
  do {
    if (c === undefined) return undefined;
    if (c === BACKSLASH) {
      c = pat[++k];
      if (c === undefined) return undefined;
      set[c] = 1;
    } else if (c === 0x2d && prev !== 0 && pat[k + 1] !== undefined && pat[k + 1] !== CLOSE) {
      c = pat[++k]!;
      if (c === BACKSLASH) {
        c = pat[++k];
        if (c === undefined) return undefined;
      }
      for (let b = prev; b <= c; b++) set[b] = 1;
      c = 0;
    } else if (c === OPEN && pat[k + 1] === 0x3a) {
      const s = (k += 2);
      while (pat[k] !== undefined && pat[k] !== CLOSE) k++;
      if (pat[k] === undefined) return undefined;
      const len = k - s - 1;
      if (len < 0 || pat[k - 1] !== 0x3a) {
        // No `:]`: the `[` is an ordinary member and parsing resumes after it.
        k = s - 2;
        c = OPEN;
        set[OPEN] = 1;
        continue;
      }
      const name = String.fromCharCode(...pat.subarray(s, s + len));
      const test = Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
      if (!test) return undefined;
      for (let b = 0; b < 256; b++) if (test(b)) set[b] = 1;
      c = 0;
    } else {
      set[c] = 1;
    }
  } while (((prev = c), (c = pat[++k])) !== CLOSE);
  if (negated) for (let b = 0; b < 256; b++) set[b] = set[b] ? 0 : 1;
  if (pathname) set[SLASH] = 0;
  return { set, close: k };
}

/** Tokens of wildmatch pattern bytes, or undefined when git would never match it. */
function tokenize(pat: Uint8Array, pathname: boolean): Token[] | undefined {
  const tokens: Token[] = [];
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === BACKSLASH) {
      // A trailing backslash matches nothing (git compares it with the end of the text).
      if (i + 1 >= pat.length) return undefined;
      tokens.push({ kind: Kind.Set, accepts: literals[pat[++i]!]! });
    } else if (c === QUESTION) {
      tokens.push({ kind: Kind.Set, accepts: pathname ? NOT_SLASH : ANY });
    } else if (c === OPEN) {
      const bracket = parseBracket(pat, i, pathname);
      if (!bracket) return undefined;
      tokens.push({ kind: Kind.Set, accepts: bracket.set });
      i = bracket.close;
    } else if (c === STAR) {
      if (pat[i + 1] !== STAR) {
        tokens.push({ kind: Kind.Star, accepts: pathname ? NOT_SLASH : ANY });
        continue;
      }
      const first = i;
      while (pat[i + 1] === STAR) i++;
      const next = pat[i + 1];
      if (!pathname) {
        tokens.push({ kind: Kind.Star, accepts: ANY });
      } else if (
        (first === 0 || pat[first - 1] === SLASH) &&
        (next === undefined || next === SLASH || (next === BACKSLASH && pat[i + 2] === SLASH))
      ) {
        // `**` as a whole segment crosses slashes; `**` then `/` may also match no directory at all.
        tokens.push({ kind: Kind.GlobStar, accepts: ANY, ...(next === SLASH ? { skipsSlash: true } : {}) });
      } else {
        tokens.push({ kind: Kind.Star, accepts: NOT_SLASH });
      }
    } else {
      tokens.push({ kind: Kind.Set, accepts: literals[c]! });
    }
  }
  return tokens;
}

/** The NFA over `tokens`: states are token positions; stars loop and have an epsilon to the next. */
function simulate(tokens: readonly Token[]): CompiledGlob {
  const n = tokens.length;
  const kinds = Uint8Array.from(tokens, (t) => t.kind);
  const accepts = tokens.map((t) => t.accepts);
  const skips = Uint8Array.from(tokens, (t) => (t.skipsSlash ? 1 : 0));
  let current = new Int32Array(n + 1);
  let next = new Int32Array(n + 1);
  const seen = new Uint32Array(n + 1);
  let generation = 0;
  let size = 0;
  const nextGeneration = (): void => {
    if (++generation === 0xffffffff) {
      seen.fill(0);
      generation = 1;
    }
  };
  const add = (list: Int32Array, pos: number): void => {
    // Epsilon edges only go forward, so a simple worklist closes the set.
    for (let p = pos; p <= n;) {
      if (seen[p] === generation) return;
      seen[p] = generation;
      list[size++] = p;
      if (p === n || kinds[p] === Kind.Set) return;
      if (skips[p]) add(list, p + 2);
      p += 1;
    }
  };
  return {
    matches(text, from = 0, to = text.length) {
      nextGeneration();
      size = 0;
      add(current, 0);
      for (let i = from; i < to && size > 0; i++) {
        const byte = text[i]!;
        const count = size;
        nextGeneration();
        size = 0;
        for (let s = 0; s < count; s++) {
          const p = current[s]!;
          if (p === n || accepts[p]![byte] === 0) continue;
          add(next, kinds[p] === Kind.Set ? p + 1 : p);
        }
        [current, next] = [next, current];
      }
      for (let s = 0; s < size; s++) if (current[s] === n) return true;
      return false;
    },
  };
}

function literalBytes(tokens: readonly Token[]): Uint8Array | undefined {
  const out = new Uint8Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const byte = t.kind === Kind.Set ? literals.indexOf(t.accepts) : -1;
    if (byte < 0) return undefined;
    out[i] = byte;
  }
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array, at: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

/** Tokens that fit one 32-bit state word (positions 0..n, n <= 30) run bit-parallel. */
const WORD_TOKENS = 30;

/**
 * The same NFA, bit-parallel: bit i of the state is position i. A set token moves its bit
 * one up on an accepted byte, a star keeps it; then epsilon edges close the state.
 */
function simulateWord(tokens: readonly Token[]): CompiledGlob {
  const n = tokens.length;
  const accept = new Uint32Array(256);
  let stars = 0;
  let skips = 0;
  tokens.forEach((t, i) => {
    for (let b = 0; b < 256; b++) if (t.accepts[b]) accept[b]! |= 1 << i;
    if (t.kind !== Kind.Set) stars |= 1 << i;
    if (t.skipsSlash) skips |= 1 << i;
  });
  const final = 1 << n;
  const close = (state: number): number => {
    for (;;) {
      const next = state | ((state & stars) << 1) | ((state & skips) << 2);
      if (next === state) return state;
      state = next;
    }
  };
  const initial = close(1);
  return {
    matches(text, from = 0, to = text.length) {
      let state = initial;
      for (let i = from; i < to && state !== 0; i++) {
        const live = state & accept[text[i]!]!;
        state = close(((live & ~stars) << 1) | (live & stars));
      }
      return (state & final) !== 0;
    },
  };
}

/** A compiled matcher: a comparison when the pattern has no wildcard, else the NFA (one word when it fits). */
function build(tokens: readonly Token[] | undefined): CompiledGlob {
  if (!tokens) return NEVER;
  const literal = literalBytes(tokens);
  if (literal) {
    return {
      matches: (text, from = 0, to = text.length) => to - from === literal.length && equalBytes(literal, text, from),
    };
  }
  // `*.snap`: a star then literals is a suffix test (git's PATTERN_FLAG_ENDSWITH).
  const suffix =
    tokens[0]!.kind === Kind.Star && tokens[0]!.accepts === ANY ? literalBytes(tokens.slice(1)) : undefined;
  if (suffix) {
    const matches = (text: Uint8Array, from = 0, to = text.length): boolean =>
      to - from >= suffix.length && equalBytes(suffix, text, to - suffix.length);
    return { matches };
  }
  return tokens.length <= WORD_TOKENS ? simulateWord(tokens) : simulate(tokens);
}

/** The index of the first byte of `pat` that is special to wildmatch (`*?[\`), or its length. */
function literalPrefixLength(pat: Uint8Array): number {
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === STAR || c === QUESTION || c === OPEN || c === BACKSLASH) return i;
  }
  return pat.length;
}

/**
 * Compiles a wildmatch pattern. With `pathname` (the default, as in .gitignore paths and
 * `git ls-files` pathspecs) `*`, `?` and brackets never match `/`, and `**` as a whole
 * segment matches across directories. As git does, a literal prefix is compared first and
 * the rest matched as a pattern of its own (which decides whether a `**` stands at the start).
 */
export function compileGlob(pattern: string, options: { pathname?: boolean } = {}): CompiledGlob {
  const pat = encoder.encode(pattern);
  if (options.pathname === false) return build(tokenize(pat, false));
  const prefix = pat.subarray(0, literalPrefixLength(pat));
  if (prefix.length === 0) return build(tokenize(pat, true));
  const rest = build(tokenize(pat.subarray(prefix.length), true));
  return {
    matches(text, from = 0, to = text.length) {
      if (to - from < prefix.length || !equalBytes(prefix, text, from)) return false;
      return rest.matches(text, from + prefix.length, to);
    },
  };
}

/** Whether `text` matches the wildmatch `pattern` (compile once with compileGlob on hot paths). */
export function matchGlob(pattern: string, text: string, options: { pathname?: boolean } = {}): boolean {
  return compileGlob(pattern, options).matches(encoder.encode(text));
}

/** One .gitignore line, parsed. */
export interface IgnoreRule {
  source: string;
  negative: boolean;
  /** A trailing `/`: the rule matches directories only (and so everything below them). */
  dirOnly: boolean;
  /** No `/` in the pattern: matched against the last component at any depth. */
  basename: boolean;
  glob: CompiledGlob;
}

/** git's trim_trailing_spaces: unescaped trailing spaces go, `\ ` stays. */
function trimTrailingSpaces(line: string): string {
  let lastSpace = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ') {
      if (lastSpace < 0) lastSpace = i;
    } else if (c === '\\') {
      i++;
      if (i >= line.length) return line;
      lastSpace = -1;
    } else {
      lastSpace = -1;
    }
  }
  return lastSpace < 0 ? line : line.slice(0, lastSpace);
}

/** Parses one .gitignore line; undefined for a blank line or a comment. */
export function parseIgnoreRule(line: string): IgnoreRule | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  let pattern = trimTrailingSpaces(line);
  const negative = pattern.startsWith('!');
  if (negative) pattern = pattern.slice(1);
  const dirOnly = pattern.endsWith('/');
  if (dirOnly) pattern = pattern.slice(0, -1);
  const basename = !pattern.includes('/');
  // A leading slash only anchors; the rest is matched against the whole path.
  if (!basename && pattern.startsWith('/')) pattern = pattern.slice(1);
  const glob = compileGlob(pattern, { pathname: !basename });
  return { source: line, negative, dirOnly, basename, glob };
}

/**
 * What is wrong with an ignore list, or undefined: too many patterns, a pattern too long,
 * or a line break or NUL inside one (a .gitignore line cannot hold them).
 */
export function ignoreListProblem(lines: readonly string[]): string | undefined {
  if (lines.length > GLOB_LIMITS.patterns) return `${lines.length} patterns (at most ${GLOB_LIMITS.patterns})`;
  for (const line of lines) {
    const size = encoder.encode(line).length;
    if (size > GLOB_LIMITS.patternBytes) return `a pattern longer than ${GLOB_LIMITS.patternBytes} bytes`;
    if (/[\n\r\0]/.test(line)) return `a pattern with a line break or NUL (${JSON.stringify(line.slice(0, 40))})`;
  }
  return undefined;
}

/** Directory verdicts remembered per matcher; cleared past this many to bound memory. */
const DIR_MEMO_LIMIT = 100_000;

/**
 * A .gitignore as a whole: `ignores(path)` is true when git would ignore the file at the
 * repository-relative POSIX `path` — the last matching rule decides, and a file below an
 * ignored directory stays ignored whatever a later `!` rule says.
 */
export class IgnoreMatcher {
  private readonly rules: IgnoreRule[];
  private readonly dirs = new Map<string, boolean>();
  /** Reused for each path's UTF-8 bytes (matching is synchronous, so one buffer serves). */
  private scratch = new Uint8Array(1024);

  constructor(lines: readonly string[]) {
    this.rules = lines.map(parseIgnoreRule).filter((r): r is IgnoreRule => r !== undefined);
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** Whether the file (or, with `isDir`, the directory) at `path` is ignored. */
  ignores(path: string, isDir = false): boolean {
    if (this.rules.length === 0) return false;
    if (this.scratch.length < path.length * 3) this.scratch = new Uint8Array(path.length * 3);
    const bytes = this.scratch.subarray(0, encoder.encodeInto(path, this.scratch).written);
    const parentEnd = bytes.lastIndexOf(SLASH);
    // An ASCII path's byte offsets are its string offsets: memo keys need no decoding.
    const ascii = bytes.length === path.length ? path : undefined;
    if (parentEnd > 0 && this.dirIgnored(bytes, parentEnd, ascii)) return true;
    return this.lastMatch(bytes, bytes.length, isDir);
  }

  /** The directory `bytes[0, end)` or one above it is ignored (memoised by the directory's path). */
  private dirIgnored(bytes: Uint8Array, end: number, ascii: string | undefined): boolean {
    const key = ascii !== undefined ? ascii.slice(0, end) : decoder.decode(bytes.subarray(0, end));
    const known = this.dirs.get(key);
    if (known !== undefined) return known;
    const parentEnd = bytes.lastIndexOf(SLASH, end - 1);
    const verdict = (parentEnd > 0 && this.dirIgnored(bytes, parentEnd, ascii)) || this.lastMatch(bytes, end, true);
    if (this.dirs.size >= DIR_MEMO_LIMIT) this.dirs.clear();
    this.dirs.set(key, verdict);
    return verdict;
  }

  private lastMatch(bytes: Uint8Array, end: number, isDir: boolean): boolean {
    const base = end > 0 ? bytes.lastIndexOf(SLASH, end - 1) + 1 : 0;
    for (let r = this.rules.length - 1; r >= 0; r--) {
      const rule = this.rules[r]!;
      if (rule.dirOnly && !isDir) continue;
      if (rule.glob.matches(bytes, rule.basename ? base : 0, end)) return !rule.negative;
    }
    return false;
  }
}
