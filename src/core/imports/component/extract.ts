// The script blocks of a single-file component (.vue, .svelte, .astro), so the TS/JS
// lexer can read their imports: every `<script>` element as an HTML tokenizer splits it
// out (its text, or its `src`), and Astro's `---` frontmatter. A linear scan, not a
// parser: a full Vue/Svelte/Astro compiler is far too heavy for counting imports.
import {
  BANG,
  CR,
  DOUBLE_QUOTE,
  EQUALS,
  FF,
  GREATER_THAN,
  LF,
  LOWER_A,
  LOWER_Z,
  QUESTION,
  SINGLE_QUOTE,
  SLASH,
  SPACE,
  TAB,
  UPPER_A,
  UPPER_Z,
} from '../../chars.js';

/** One script block in file order: its code, or the file its `src` attribute names. */
export type ScriptBlock = { code: string } | { src: string };

const BYTE_ORDER_MARK = 0xfeff;
// Elements whose text is not markup, so a `<script>` inside them is text. `title` and
// `textarea` are RCDATA, `style` raw text; `script` itself is handled on its own.
const TEXT_ELEMENTS = new Set(['style', 'textarea', 'title']);

function isHtmlSpace(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR || c === FF;
}

function isAsciiLetter(c: number): boolean {
  return (c >= LOWER_A && c <= LOWER_Z) || (c >= UPPER_A && c <= UPPER_Z);
}

/**
 * The script blocks of `source`, in file order; `frontmatter` for Astro. Script elements
 * are read whatever their attributes (`setup`, `lang="ts"`, `context="module"`, `module`,
 * `type`); a `src` attribute makes the element an import of that file and its text is
 * ignored, as a browser does.
 */
export function componentScripts(source: string, frontmatter: boolean): ScriptBlock[] {
  const blocks: ScriptBlock[] = [];
  let i = 0;
  if (frontmatter) {
    const fence = frontmatterAt(source);
    if (fence !== undefined) {
      blocks.push({ code: fence.code });
      i = fence.end;
    }
  }
  const n = source.length;
  while (i < n) {
    const lt = source.indexOf('<', i);
    if (lt < 0) break;
    const c = source.charCodeAt(lt + 1);
    if (c === BANG && source.startsWith('--', lt + 2)) {
      // Searching from the first dash also ends `<!-->` and `<!--->` where HTML does.
      const end = source.indexOf('-->', lt + 2);
      i = end < 0 ? n : end + 3;
    } else if (c === BANG || c === QUESTION) {
      // `<!DOCTYPE …>`, `<![CDATA[…]]>`, `<?xml …?>`: bogus comments, ended by the first `>`.
      const end = source.indexOf('>', lt + 2);
      i = end < 0 ? n : end + 1;
    } else if (isAsciiLetter(c)) {
      i = element(source, lt + 1, blocks);
    } else i = lt + 1; // `a < b` in text, or an end tag: nothing to read
  }
  return blocks;
}

/** Reads the element whose name starts at `i` (after `<`); returns where markup resumes. */
function element(source: string, i: number, blocks: ScriptBlock[]): number {
  const n = source.length;
  let j = i;
  while (j < n) {
    const c = source.charCodeAt(j);
    if (isHtmlSpace(c) || c === SLASH || c === GREATER_THAN) break;
    j++;
  }
  // Case-sensitive, unlike HTML: in Svelte and Astro `<Script>` is a component.
  const name = source.slice(i, j);
  const tag = startTag(source, j);
  if (tag.end > n) return n; // a start tag the text cuts off is dropped, as HTML does
  if (name !== 'script') {
    const isText = TEXT_ELEMENTS.has(name) && !tag.selfClosing;
    return isText ? afterEndTag(source, endTagAt(source, tag.end, name)) : tag.end;
  }
  if (tag.src !== undefined && tag.src !== '') blocks.push({ src: tag.src });
  if (tag.selfClosing) return tag.end;
  const close = endTagAt(source, tag.end, 'script');
  if (tag.src === undefined) blocks.push({ code: source.slice(tag.end, close) });
  return afterEndTag(source, close);
}

interface StartTag {
  /** Just past the closing `>`; past the end of the text when the tag never closes. */
  end: number;
  selfClosing: boolean;
  src?: string;
}

/**
 * The attributes of a start tag from `i` (after its name) to its `>`, the way HTML's
 * tokenizer reads them: a quote opens a value only right after `=`, so
 * `generic="T extends Map<K, V>"` keeps its `>`, and a stray quote elsewhere is text.
 */
function startTag(source: string, i: number): StartTag {
  const n = source.length;
  let src: string | undefined;
  for (;;) {
    while (i < n && isHtmlSpace(source.charCodeAt(i))) i++;
    if (i >= n) return { end: n + 1, selfClosing: false, src };
    let c = source.charCodeAt(i);
    if (c === GREATER_THAN) return { end: i + 1, selfClosing: false, src };
    if (c === SLASH) {
      // HTML ignores `/>` on a script; the component compilers honour it (no body).
      if (source.charCodeAt(i + 1) === GREATER_THAN) return { end: i + 2, selfClosing: true, src };
      i++;
      continue;
    }
    const nameStart = i;
    i++; // a first `=` belongs to the name
    while (i < n) {
      c = source.charCodeAt(i);
      if (isHtmlSpace(c) || c === SLASH || c === GREATER_THAN || c === EQUALS) break;
      i++;
    }
    const name = source.slice(nameStart, i);
    while (i < n && isHtmlSpace(source.charCodeAt(i))) i++;
    if (source.charCodeAt(i) !== EQUALS) continue;
    i++;
    while (i < n && isHtmlSpace(source.charCodeAt(i))) i++;
    c = source.charCodeAt(i);
    let value: string;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const close = source.indexOf(c === DOUBLE_QUOTE ? '"' : "'", i + 1);
      if (close < 0) return { end: n + 1, selfClosing: false, src };
      value = source.slice(i + 1, close);
      i = close + 1;
    } else {
      const start = i;
      while (i < n) {
        c = source.charCodeAt(i);
        if (isHtmlSpace(c) || c === GREATER_THAN) break;
        i++;
      }
      value = source.slice(start, i);
    }
    if (name.toLowerCase() === 'src') src = value.trim();
  }
}

/**
 * Where the text of a `name` element opened before `i` ends: at the first `</name`
 * followed by a space, `/` or `>`, in any case — inside a string or a comment of the
 * script too, as browsers, Vue and Svelte all end it there. The end of the text when absent.
 */
function endTagAt(source: string, i: number, name: string): number {
  const n = source.length;
  for (let k = source.indexOf('</', i); k >= 0; k = source.indexOf('</', k + 2)) {
    const after = k + 2 + name.length;
    if (source.slice(k + 2, after).toLowerCase() !== name) continue;
    const c = source.charCodeAt(after);
    if (after >= n || isHtmlSpace(c) || c === SLASH || c === GREATER_THAN) return k;
  }
  return n;
}

function afterEndTag(source: string, k: number): number {
  const end = source.indexOf('>', k);
  return end < 0 ? source.length : end + 1;
}

/**
 * Astro's frontmatter: the code between a `---` that opens the file (after blank space)
 * and the next line that starts with `---`; to the end of the text when that is missing.
 */
function frontmatterAt(source: string): { code: string; end: number } | undefined {
  let i = 0;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (!isHtmlSpace(c) && c !== BYTE_ORDER_MARK) break;
    i++;
  }
  if (!source.startsWith('---', i)) return undefined;
  const start = i + 3;
  for (let k = source.indexOf('---', start); k >= 0; k = source.indexOf('---', k + 3)) {
    let b = k - 1;
    while (b >= start && (source.charCodeAt(b) === SPACE || source.charCodeAt(b) === TAB)) b--;
    if (b >= start && source.charCodeAt(b) === LF) return { code: source.slice(start, k), end: k + 3 };
  }
  return { code: source.slice(start), end: source.length };
}
