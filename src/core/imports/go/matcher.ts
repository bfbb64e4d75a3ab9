// Go import declarations over the lexer's tokens: single (`import "p"`, with an alias,
// `_` or `.`) and grouped; yields the import paths.
import { STR, type Tokens } from '../tokens.js';

export function matchGo(t: Tokens, out: Set<string>): void {
  const text = t.text;
  for (let k = 0; k < t.n; k++) {
    if (!t.isWord(k, 'import')) continue;
    if (t.isPunct(k + 1, '(')) {
      // Inside the group only aliases (`name`, `_`, `.`) and paths appear.
      let j = k + 2;
      for (; j < t.n && !t.isPunct(j, ')'); j++) if (t.kind[j] === STR) out.add(text[j]!);
      k = j;
    } else {
      const j = t.isWord(k + 1) || t.isPunct(k + 1, '.') ? k + 2 : k + 1;
      if (t.kindAt(j) === STR) out.add(text[j]!);
    }
  }
}
