// Rust module and use forms over the lexer's tokens: `mod m;` yields `mod:m`, or
// `modpath:<file>` when a `#[path = "<file>"]` attribute names its file; `use` trees are
// expanded to every leaf path and every group's prefix (`use a::{b, c}` → `a::b`, `a::c`, `a`);
// a qualified path in code (`grep::printer::Stats`) is a use of its module too.
import { LOWER_A, LOWER_Z } from '../../chars.js';
import { STR, type Tokens } from '../tokens.js';

export function matchRust(t: Tokens, out: Set<string>): void {
  // The value of the last `#[path = "…"]`, while only attributes and visibility follow it.
  let pathAttribute: string | undefined;
  for (let k = 0; k < t.n; k++) {
    if (t.isPunct(k, '#') && t.isPunct(k + 1, '[') && t.isWord(k + 2, 'path') && t.isPunct(k + 3, '=')) {
      if (t.kindAt(k + 4) === STR && t.isPunct(k + 5, ']')) {
        pathAttribute = t.text[k + 4];
        k += 5;
        continue;
      }
    }
    if (t.isWord(k, 'mod') && t.isWord(k + 1) && t.isPunct(k + 2, ';')) {
      out.add(pathAttribute ? `modpath:${pathAttribute}` : `mod:${t.text[k + 1]}`);
      pathAttribute = undefined;
      k += 2;
    } else if (t.isWord(k, 'use')) {
      pathAttribute = undefined;
      k = useTree(t, k + 1, '', out, 0) - 1;
    } else if (t.isPunct(k, ';') || t.isPunct(k, '{') || t.isPunct(k, '}')) {
      pathAttribute = undefined;
    } else if (t.isPunct(k + 1, '::') && t.isWord(k) && !t.isPunct(k - 1, '::') && isModuleHead(t.text[k]!)) {
      k = qualifiedPath(t, k, out) - 1;
    }
  }
}

/**
 * Heads of qualified paths in code (`grep::printer::Stats`, `crate::util::f()`) that can
 * name a module: lower-case by convention (`Vec::new` and `Self::X` are types), and not
 * the standard library, which never resolves.
 */
function isModuleHead(word: string): boolean {
  const c = word.charCodeAt(0);
  return c >= LOWER_A && c <= LOWER_Z && word !== 'std' && word !== 'core' && word !== 'alloc';
}

/** A path used in code (`a::b::C`) from its head at `k`; returns the index after it. */
function qualifiedPath(t: Tokens, k: number, out: Set<string>): number {
  let path = t.text[k]!;
  k++;
  while (t.isPunct(k, '::') && t.isWord(k + 1)) {
    path += `::${t.text[k + 1]}`;
    k += 2;
  }
  out.add(path);
  return k;
}

function joinRustPath(path: string, segment: string): string {
  if (path === '') return segment;
  return path === '::' ? `::${segment}` : `${path}::${segment}`;
}

/**
 * Expands one use tree at `k` under `prefix`, adding every leaf path and every group's
 * prefix. Returns the index after the tree.
 */
function useTree(t: Tokens, k: number, prefix: string, out: Set<string>, depth: number): number {
  if (depth > 16) return k; // hostile nesting must not exhaust the stack
  let path = prefix;
  if (path === '' && t.isPunct(k, '::')) {
    path = '::';
    k++;
  }
  for (;;) {
    if (t.isWord(k)) {
      const segment = t.text[k]!;
      // `{self, …}` names the prefix module itself.
      if (!(segment === 'self' && path !== '')) path = joinRustPath(path, segment);
      k++;
      if (t.isPunct(k, '::')) {
        k++;
        continue;
      }
      if (t.isWord(k, 'as')) k += 2;
      out.add(path);
      return k;
    }
    if (t.isPunct(k, '{')) {
      k++;
      while (k < t.n && !t.isPunct(k, '}')) {
        const next = useTree(t, k, path, out, depth + 1);
        if (next === k) return k;
        k = next;
        if (t.isPunct(k, ',')) k++;
        else if (!t.isPunct(k, '}')) return k;
      }
      if (path !== '' && path !== '::') out.add(path);
      return k + 1;
    }
    if (t.isPunct(k, '*')) {
      if (path !== '' && path !== '::') out.add(path);
      return k + 1;
    }
    return k;
  }
}
