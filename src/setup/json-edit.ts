// Byte-preserving edits of a user's JSON settings file, on jsonc-parser's syntax tree:
// insert or remove one property or array element and touch no other byte, so that an
// insertion followed by its removal gives the file back exactly (indentation, line ends,
// number spellings such as 1.0 or 12345678901234567890, and \u escapes all kept).
import {
  applyEdits,
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  type Edit,
  type JSONPath,
  type Node,
  type ParseError,
} from 'jsonc-parser';

export interface JsonStyle {
  /** One level of indentation: spaces or a tab, as the file uses. */
  unit: string;
  eol: string;
}

/** The file's own line end and indentation unit (two spaces when it shows none). */
export function detectStyle(text: string): JsonStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indents = [...text.matchAll(/\n([ \t]+)\S/g)].map((m) => m[1]!);
  if (indents.some((i) => i.startsWith('\t'))) return { unit: '\t', eol };
  const widths = indents.map((i) => i.length).filter((n) => n > 0);
  return { unit: ' '.repeat(widths.length > 0 ? Math.min(...widths) : 2), eol };
}

/** Strict JSON (no comments, no trailing commas): the tree, or the first error's description. */
export function parseStrict(text: string): { tree: Node } | { error: string } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    return { error: first ? `${printParseErrorCode(first.error)} at offset ${first.offset}` : 'empty document' };
  }
  return { tree };
}

function treeOf(text: string): Node {
  const parsed = parseStrict(text);
  if ('error' in parsed) throw new Error(`internal: edited JSON no longer parses (${parsed.error})`);
  return parsed.tree;
}

export function nodeAt(text: string, path: JSONPath): Node | undefined {
  return findNodeAtLocation(treeOf(text), path);
}

/** Leading whitespace of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

function render(value: unknown, style: JsonStyle, indent: string, compact: boolean): string {
  if (compact) return JSON.stringify(value);
  return JSON.stringify(value, null, style.unit).split('\n').join(`${style.eol}${indent}`);
}

/**
 * Adds `value` at the end of the object or array at `container` (as property `key` of an
 * object). A container written on one line gets a one-line addition; otherwise the new
 * entry takes its own line, indented like its siblings.
 */
export function appendTo(text: string, container: JSONPath, key: string | undefined, value: unknown): string {
  const parent = nodeAt(text, container);
  const wanted = key === undefined ? 'array' : 'object';
  if (!parent || parent.type !== wanted) {
    throw new Error(`internal: no ${wanted} at ${JSON.stringify(container)}`);
  }
  const style = detectStyle(text);
  const children = parent.children ?? [];
  const last = children.at(-1);
  const body = text.slice(parent.offset, parent.offset + parent.length);
  const compact = last ? !body.includes('\n') : !text.includes('\n');
  const head = key === undefined ? '' : `${JSON.stringify(key)}:${compact ? '' : ' '}`;
  let edit: Edit;
  if (last) {
    const indent = lineIndent(text, last.offset);
    const at = last.offset + last.length;
    const content = `,${compact ? '' : style.eol + indent}${head}${render(value, style, indent, compact)}`;
    edit = { offset: at, length: 0, content };
  } else {
    const outer = lineIndent(text, parent.offset);
    const indent = outer + style.unit;
    const entry = `${head}${render(value, style, indent, compact)}`;
    const inner = compact ? entry : `${style.eol}${indent}${entry}${style.eol}${outer}`;
    // An empty container's inside (`{}`, `{ }`) is replaced as a whole.
    edit = { offset: parent.offset + 1, length: parent.length - 2, content: inner };
  }
  return applyEdits(text, [edit]);
}

/**
 * Removes the property or element at `path` with exactly the bytes `appendTo` would have
 * added for it: the separator before it (or after it, when first), or the whole inside
 * of its container when it is the only entry.
 */
export function removeAt(text: string, path: JSONPath): string {
  const target = nodeAt(text, path);
  if (!target) return text;
  // A property's value node: the property node is its parent.
  const entry = typeof path.at(-1) === 'string' ? target.parent! : target;
  const container = entry.parent!;
  const siblings = container.children ?? [];
  const index = siblings.indexOf(entry);
  let edit: Edit;
  if (siblings.length === 1) edit = { offset: container.offset + 1, length: container.length - 2, content: '' };
  else if (index > 0) {
    const previous = siblings[index - 1]!;
    const from = previous.offset + previous.length;
    edit = { offset: from, length: entry.offset + entry.length - from, content: '' };
  } else edit = { offset: entry.offset, length: siblings[1]!.offset - entry.offset, content: '' };
  return applyEdits(text, [edit]);
}
