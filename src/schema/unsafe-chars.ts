// The characters no output may print raw, as plain regular expressions without zod, so the
// escape every error line uses (core/escape.ts) costs a hook's main thread nothing to load.
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
