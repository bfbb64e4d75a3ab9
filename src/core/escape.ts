// The one escape of every stored or repository-provided string an output prints (titles,
// summaries, handles, branches, paths): control characters, line separators and bidi
// controls become visible `\n`, `\x1b`, `\u202e` escapes, so no text can drive the
// terminal or start a forged line. Pure; lives in core because the briefing uses it too.
import { UNSAFE_CHAR, UNSAFE_IN_BLOCK, type TextShape } from '../schema/unsafe-chars.js';

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };
/** After a backslash, these would read as the start of an escape. */
const ESCAPE_LEADS = new Set(['\\', 'x', 'u', 'n', 't', 'r']);

function escapeChar(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0)!;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` safe to print. A `line` keeps nothing unsafe, newlines included; a `block` keeps
 * its newlines and tabs. Unambiguous: a backslash is doubled where it could be read as
 * the start of an escape, so every output decodes to exactly one input.
 */
export function escapeText(text: string, shape: TextShape = 'line'): string {
  const unsafe = shape === 'line' ? UNSAFE_CHAR : UNSAFE_IN_BLOCK;
  if (!text.includes('\\') && !unsafe.test(text)) return text;
  const chars = Array.from(text);
  let out = '';
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i]!;
    if (unsafe.test(char)) {
      out += escapeChar(char);
    } else if (char === '\\') {
      const next = chars[i + 1];
      out += next !== undefined && (ESCAPE_LEADS.has(next) || unsafe.test(next)) ? '\\\\' : '\\';
    } else {
      out += char;
    }
  }
  return out;
}

/**
 * A multi-line field as escaped lines, each starting with `prefix`: whatever the text
 * holds, none of its lines can pass for a heading or an entry of the output around it.
 */
export function escapeBlock(text: string, prefix: string): string[] {
  return escapeText(text, 'block')
    .split('\n')
    .map((line) => `${prefix}${line}`);
}

/** The first non-blank line of a multi-line field, cut to `max` characters, escaped. */
export function firstLineExcerpt(text: string, max: number): string | undefined {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '');
  if (first === undefined) return undefined;
  const chars = Array.from(first);
  return escapeText(chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : first);
}

/** The inverse of escapeText: `\\`, `\n`, `\t`, `\r`, `\xHH`, `\uHHHH` decoded; any other backslash is literal. */
export function unescapeText(text: string): string {
  return text.replace(/\\(\\|n|t|r|x[0-9a-f]{2}|u[0-9a-f]{4})/g, (_, esc: string) => {
    if (esc === '\\') return '\\';
    if (esc === 'n') return '\n';
    if (esc === 't') return '\t';
    if (esc === 'r') return '\r';
    return String.fromCharCode(parseInt(esc.slice(1), 16));
  });
}
