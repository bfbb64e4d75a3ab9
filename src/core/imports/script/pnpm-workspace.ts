// The `packages` globs of a pnpm-workspace.yaml. Only this one list is read, so a YAML
// library (the `yaml` package adds ~300 KB to the bundle and ~30 ms of CPU to every
// start, hooks included) is not worth it: block (`- 'packages/*'`) and flow
// (`packages: [a, "b"]`) sequences of plain or quoted scalars, with comments. Anchors,
// aliases and multi-line scalars are not read; such a file yields fewer globs, never an error.

export function pnpmWorkspacePackages(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => /^packages\s*:/.test(line));
  if (start < 0) return [];
  const inline = stripComment(lines[start]!.replace(/^packages\s*:/, '')).trim();
  if (inline.startsWith('[')) {
    const close = inline.lastIndexOf(']');
    return inline
      .slice(1, close < 0 ? undefined : close)
      .split(',')
      .map(scalar)
      .filter((g): g is string => g !== undefined);
  }
  const globs: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const content = stripComment(line);
    if (content.trim() === '') continue;
    const item = /^\s*-\s+(.*)$/.exec(content) ?? /^\s*-()$/.exec(content);
    if (item === null) break; // the next key: the list is over
    const glob = scalar(item[1]!);
    if (glob !== undefined) globs.push(glob);
  }
  return globs;
}

/** A line without its `# comment` (a `#` inside quotes or a glob word stays). */
function stripComment(line: string): string {
  const match = /(^|\s)#/.exec(line.replace(/(["'])(?:(?!\1).)*\1/g, (q) => ' '.repeat(q.length)));
  return match === null ? line : line.slice(0, match.index);
}

function scalar(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const quote = value[0];
  if ((quote === "'" || quote === '"') && value.endsWith(quote) && value.length >= 2) return value.slice(1, -1);
  return value;
}
