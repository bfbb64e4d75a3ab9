// Character codes the lexers and glob matchers compare against, by name: they walk text
// with charCodeAt, and `c === SLASH` says what `c === 47` hides.

export const TAB = 9;
export const LF = 10;
export const FF = 12;
export const CR = 13;
export const SPACE = 32;
export const BANG = 33;
export const DOUBLE_QUOTE = 34;
export const HASH = 35;
export const DOLLAR = 36;
export const SINGLE_QUOTE = 39;
export const PAREN_OPEN = 40;
export const PAREN_CLOSE = 41;
export const STAR = 42;
export const DASH = 45;
export const DOT = 46;
export const SLASH = 47;
export const DIGIT_0 = 48;
export const DIGIT_9 = 57;
export const COLON = 58;
export const EQUALS = 61;
export const GREATER_THAN = 62;
export const QUESTION = 63;
export const UPPER_A = 65;
export const UPPER_Z = 90;
export const BRACKET_OPEN = 91;
export const BACKSLASH = 92;
export const BRACKET_CLOSE = 93;
export const CARET = 94;
export const UNDERSCORE = 95;
export const BACKTICK = 96;
export const LOWER_A = 97;
export const LOWER_Z = 122;
export const BRACE_OPEN = 123;
export const BRACE_CLOSE = 125;
/** Above this, a code unit is not ASCII: the lexers take it as part of an identifier. */
export const ASCII_MAX = 127;
export const HIGH_SURROGATE_FIRST = 0xd800;
export const HIGH_SURROGATE_LAST = 0xdbff;
