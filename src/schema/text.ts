// The text field types every record kind shares (contexts now; messages and decisions
// next): a single-line field holds no control character, line separator or bidi control
// (Trojan-source tricks); a multi-line field may also hold newlines and tabs. Rendering
// escapes the same characters (core/escape.ts), for records written before this check.
import * as z from 'zod';
import { UNSAFE_CHAR, UNSAFE_IN_BLOCK, type TextShape } from './unsafe-chars.js';

export { UNSAFE_CHAR, UNSAFE_IN_BLOCK, type TextShape };

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
