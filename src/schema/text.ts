// The text field types every record kind shares (contexts now; messages and decisions
// next): a single-line field holds no control character, line separator or bidi control
// (Trojan-source tricks); a multi-line field may also hold newlines and tabs. Rendering
// escapes the same characters (core/escape.ts), for records written before this check.
import { z } from 'zod';

const C1_DEL_SEPARATORS_BIDI = '\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';

/**
 * Characters no output may print raw: C0 controls, DEL, C1 controls, the line and paragraph
 * separators, bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
 * Lone surrogates are listed too: they cannot be printed faithfully as UTF-8.
 */
export const UNSAFE_CHAR = new RegExp(`[\\u0000-\\u001f${C1_DEL_SEPARATORS_BIDI}]|\\p{Cs}`, 'u');
/** The same set, but newline and tab, which a multi-line field may hold. */
export const UNSAFE_IN_BLOCK = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${C1_DEL_SEPARATORS_BIDI}]|\\p{Cs}`, 'u');

export type TextShape = 'line' | 'block';

/** `U+001B` for a code point, as error messages name a rejected character. */
export function codePointName(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first character a field of this shape may not hold, with its position, or undefined. */
export function firstUnsafeChar(text: string, shape: TextShape): { char: string; index: number } | undefined {
  const match = (shape === 'line' ? UNSAFE_CHAR : UNSAFE_IN_BLOCK).exec(text);
  return match ? { char: match[0], index: match.index } : undefined;
}

function unsafeMessage(text: string, shape: TextShape): string | undefined {
  const found = firstUnsafeChar(text, shape);
  if (!found) return undefined;
  const what = found.char === '\n' ? 'a line break' : `the character ${codePointName(found.char)}`;
  const rule =
    shape === 'line'
      ? 'a one-line field takes no line breaks, control characters or bidi controls'
      : 'a multi-line field takes newlines and tabs, but no other control characters or bidi controls';
  return `holds ${what} at position ${found.index + 1}: ${rule}`;
}

export interface TextLimits {
  min?: number;
  max?: number;
}

function withLength(schema: z.ZodString, limits: TextLimits): z.ZodString {
  let s = schema;
  if (limits.min !== undefined) {
    s = s.min(limits.min, { message: limits.min === 1 ? 'is empty' : `needs at least ${limits.min} characters` });
  }
  if (limits.max !== undefined) s = s.max(limits.max, { message: `is longer than ${limits.max} characters` });
  return s;
}

/** A one-line text field (title, handle, branch, list item), trimmed. */
export function singleLineText(limits: TextLimits = {}): z.ZodString {
  const base = z.string().trim();
  return withLength(base, limits).check((ctx) => {
    const message = unsafeMessage(ctx.value, 'line');
    if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });
}

/** A multi-line text field (summary, message body): CRLF becomes LF, then newlines and tabs are allowed. */
export function multiLineText(limits: TextLimits = {}): z.ZodString {
  const base = z
    .string()
    .overwrite((s) => s.replace(/\r\n/g, '\n'))
    .trim();
  return withLength(base, limits).check((ctx) => {
    const message = unsafeMessage(ctx.value, 'block');
    if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });
}

/** Developer handles are labels printed everywhere: one line, 1–200 characters. */
export const HANDLE_LIMITS = { min: 1, max: 200 } as const;
export const developerHandle = singleLineText(HANDLE_LIMITS);
