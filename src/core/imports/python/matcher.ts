// Python import statements over the lexer's tokens. `import a.b` yields `a.b`;
// `from m import x` yields `m:x` — "the submodule m.x if there is one, else module m",
// which the resolver decides; `from m import *` yields `m`. Relative modules keep their
// dots (`from .. import x` → `..:x`).
import type { Tokens } from '../tokens.js';

/** A dotted name (`a.b.c`) starting at `k`: the name and the index after it. */
function dottedName(t: Tokens, k: number): [string, number] {
  let name = '';
  while (t.isWord(k) && t.text[k] !== 'import') {
    name += t.text[k];
    k++;
    if (!t.isPunct(k, '.') || !t.isWord(k + 1)) break;
    name += '.';
    k++;
  }
  return [name, k];
}

function atStatementStart(t: Tokens, k: number): boolean {
  return k === 0 || t.isPunct(k - 1, '\n') || t.isPunct(k - 1, ';') || t.isPunct(k - 1, ':');
}

export function matchPython(t: Tokens, out: Set<string>): void {
  for (let k = 0; k < t.n; k++) {
    if (t.isWord(k, 'from') && atStatementStart(t, k)) k = fromImport(t, k + 1, out) - 1;
    else if (t.isWord(k, 'import')) {
      let j = k + 1;
      for (;;) {
        const [name, after] = dottedName(t, j);
        if (name === '') break;
        out.add(name);
        j = after;
        if (t.isWord(j, 'as')) j += 2;
        if (!t.isPunct(j, ',')) break;
        j++;
      }
      k = j - 1;
    }
  }
}

/** `from <module> import <names>` after its `from`; returns the index after the statement. */
function fromImport(t: Tokens, j: number, out: Set<string>): number {
  let module = '';
  while (t.isPunct(j, '.')) {
    module += '.';
    j++;
  }
  const [name, after] = dottedName(t, j);
  module += name;
  j = after;
  if (module === '' || !t.isWord(j, 'import')) return j;
  j++;
  if (t.isPunct(j, '(')) j++;
  let names = 0;
  for (;;) {
    if (t.isPunct(j, '*')) {
      out.add(module);
      return j + 1;
    }
    if (!t.isWord(j)) break;
    out.add(`${module}:${t.text[j]}`);
    names++;
    j++;
    if (t.isWord(j, 'as')) j += 2;
    if (!t.isPunct(j, ',')) break;
    j++;
  }
  if (names === 0) out.add(module);
  return j;
}
