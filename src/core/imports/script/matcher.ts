// TypeScript/JavaScript import forms over the lexer's tokens: static `import … from`,
// side-effect `import 'm'`, `export … from`, `import()`/`require()` with a literal
// argument, and `/// <reference path>` (relative to the file, as the compiler reads it).
import { DIRECTIVE, PUNCT, STR, WORD, type Tokens } from '../tokens.js';

export function matchScript(t: Tokens, out: Set<string>): void {
  const text = t.text;
  for (let k = 0; k < t.n; k++) {
    const kind = t.kind[k];
    if (kind === DIRECTIVE) {
      const path = text[k]!;
      out.add(path.startsWith('./') || path.startsWith('../') ? path : `./${path}`);
      continue;
    }
    if (kind !== WORD) continue;
    const word = text[k];
    if (word !== 'import' && word !== 'export' && word !== 'require') continue;
    // `x.require(...)` and `obj.import` are members; `...require(...)` is a spread.
    if (t.isPunct(k - 1, '.') && !t.isPunct(k - 2, '.')) continue;
    if (t.isPunct(k + 1, '(')) {
      // import('a') and require('a'), literal argument only; a second import() argument is allowed.
      if (word !== 'export' && t.kindAt(k + 2) === STR && (t.isPunct(k + 3, ')') || t.isPunct(k + 3, ','))) {
        out.add(text[k + 2]!);
      }
    } else if (word === 'import' && t.kindAt(k + 1) === STR) out.add(text[k + 1]!);
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
      if (word === 'from' && t.kindAt(k + 1) === STR) return text[k + 1];
      if (word === 'import' || word === 'export') return undefined;
    } else if (kind !== PUNCT || !(text[k] === ',' || text[k] === '{' || text[k] === '}' || text[k] === '*')) {
      return undefined;
    }
  }
  return undefined;
}
