// The project config read once per use case (api/project-config.ts), on a real file: the
// reader reads lazily, returns the first read's result however the file changes after, and
// throws the first read's error to every step that asks.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, writeTree } from '../../fixtures/git-repo.js';
import { configOnce } from '../../src/api/project-config.js';
import { UsageError } from '../../src/errors.js';

describe('configOnce', () => {
  const dirs: string[] = [];
  const root = (): string => {
    const dir = makeTempDir();
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reads on the first call only, and keeps that read', () => {
    const dir = root();
    const read = configOnce(dir, join(dir, 'not-git'));
    writeTree(dir, { '.codemap/config.json': '{ "since": "2h" }\n' });
    const first = read();
    expect(first.config).toEqual({ since: '2h' });
    writeTree(dir, { '.codemap/config.json': '{ "since": "5h" }\n' });
    expect(read()).toBe(first);
  });

  it('throws the first read’s error to every caller, even once the file is fixed', () => {
    const dir = root();
    writeTree(dir, { '.codemap/config.json': '{ not json' });
    const read = configOnce(dir, join(dir, 'not-git'));
    let first: unknown;
    try {
      read();
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(UsageError);
    writeTree(dir, { '.codemap/config.json': '{}\n' });
    expect(() => read()).toThrow(first as Error);
  });
});
