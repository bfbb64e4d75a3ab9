// Exit codes are named once (EXIT in src/errors.ts): a bare number where an exit status is
// set or an error is given its code would drift from the table the README documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('exit codes', () => {
  it('are never literal numbers in src/', () => {
    const literal = [
      /process\.exit\((?:[^)]*[?:])?\s*\d\s*[):]/, // process.exit(1), process.exit(x ? 0 : …)
      /process\.exitCode\s*=\s*\d/,
      /Error\([^;]*,\s*\d\s*[,)]/, // new HandoffError('…', 1, hint)
    ];
    const found = sources('src').flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${file}:${i + 1}`, line: line.trim() }))
        .filter(({ line }) => !line.startsWith('//') && !line.startsWith('*') && literal.some((re) => re.test(line))),
    );
    expect(found).toEqual([]);
  });
});
