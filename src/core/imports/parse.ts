// Raw import specifiers of one source file, in order of first appearance: each language
// has a lexer (comments and string contents dropped) and a matcher over its tokens;
// single-file components hand their script blocks to the TS/JS ones. No
// parser dependency, linear time, and only the first 256 KiB of a file is read so one
// generated giant cannot stall a cold run.
import { componentScripts } from './component/extract.js';
import { lexGo } from './go/lexer.js';
import { matchGo } from './go/matcher.js';
import { importLanguage } from './languages.js';
import { IMPORT_SCAN_BYTES } from './limits.js';
import { lexPython } from './python/lexer.js';
import { matchPython } from './python/matcher.js';
import { lexRust } from './rust/lexer.js';
import { matchRust } from './rust/matcher.js';
import { lexScript } from './script/lexer.js';
import { matchScript } from './script/matcher.js';

/**
 * Bump whenever the parse or resolution of some input changes, so cached parse results
 * and import graphs are rebuilt. 2: Python `from m import x` as `m:x`, Rust `#[path]`
 * modules, `/// <reference path>`, package.json / workspace / Cargo / import-root resolution.
 * 3: a changed file's import of a removed file is an edge to it; Go hubs per package, test hubs last.
 * 4: `.vue`, `.svelte` and `.astro` files import through their `<script>` elements and Astro frontmatter.
 */
export const PARSER_VERSION = 4;

export function parseImports(path: string, source: string): string[] {
  const language = importLanguage(path);
  if (language === undefined) return [];
  const src = source.length > IMPORT_SCAN_BYTES ? source.slice(0, IMPORT_SCAN_BYTES) : source;
  const out = new Set<string>();
  // No keyword pre-check (`src.includes('import')`): nearly every source file has one,
  // so it would only add a second pass.
  switch (language) {
    case 'typescript':
    case 'javascript':
      matchScript(lexScript(src), out);
      break;
    case 'vue':
    case 'svelte':
    case 'astro':
      // Each block lexed alone: an unterminated template in one cannot swallow the next.
      for (const block of componentScripts(src, language === 'astro')) {
        if ('src' in block) out.add(block.src);
        else matchScript(lexScript(block.code), out);
      }
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
