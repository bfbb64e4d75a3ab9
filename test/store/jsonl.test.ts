// The capped JSON-lines append in-process: newest lines kept, a torn tail dropped, only
// the tail read (a sparse file of hundreds of MB costs nothing), and a symlink in the
// log's place replaced rather than followed; checksummed lines, the validated reader
// (a torn tail left out, a bad line named), appendAt and the one repair.
import {
  appendFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../fixtures/git-repo.js';
import * as z from 'zod';
import { loadHasher } from '../../src/core/hash.js';
import { appendAt, appendCappedLines, checkedLine, readLines, repairLines } from '../../src/store/jsonl.js';

const line = (i: number): string => JSON.stringify({ n: i, pad: 'x'.repeat(40) });
const numbers = (path: string): number[] => {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((l) => (JSON.parse(l) as { n: number }).n);
};
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('appendCappedLines', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = makeTempDir('handoff-jsonl-');
    log = join(dir, 'log.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const inPlace of [false, true]) {
    describe(inPlace ? 'in place' : 'by rename', () => {
      const opts = { keep: 10, inPlace, minLineBytes: 40 };

      it('keeps the newest lines, in order, across many appends', () => {
        for (let i = 0; i < 25; i++) appendCappedLines(log, [line(i)], opts);
        expect(numbers(log)).toEqual(range(15, 25));
        appendCappedLines(log, range(100, 130).map(line), opts);
        expect(numbers(log)).toEqual(range(120, 130));
      });

      it('drops a torn last line before appending', () => {
        writeFileSync(log, `${line(1)}\n${line(2)}\n{"n":3,"pad":"xx`);
        appendCappedLines(log, [line(4)], opts);
        expect(numbers(log)).toEqual([1, 2, 4]);
      });

      it('reads only the tail of a 600 MB sparse log: the garbage goes, the last whole lines stay', () => {
        writeFileSync(log, '');
        truncateSync(log, 600 * 1024 * 1024);
        appendFileSync(log, `\n${range(0, 20).map(line).join('\n')}\n`);
        appendCappedLines(log, [line(99)], opts);
        expect(numbers(log)).toEqual([...range(11, 20), 99]);
      });

      it('a log of zeros only (no newline within reach) is replaced by the new line', () => {
        writeFileSync(log, '');
        truncateSync(log, 64 * 1024 * 1024);
        appendCappedLines(log, [line(7)], opts);
        expect(numbers(log)).toEqual([7]);
      });

      it("a symlink in the log's place is replaced by a regular file; its target is untouched", () => {
        const outside = join(dir, 'outside');
        mkdirSync(outside);
        const target = join(outside, 'precious.txt');
        writeFileSync(target, 'precious\n');
        symlinkSync(target, log);
        appendCappedLines(log, [line(1)], opts);
        expect(readFileSync(target, 'utf8')).toBe('precious\n');
        expect(lstatSync(log).isFile()).toBe(true);
        expect(numbers(log)).toEqual([1]);
      });
    });
  }
});

describe('checksummed lines: reader, appendAt, repair', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = makeTempDir('handoff-jsonl-');
    log = join(dir, 'records.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const schema = z.object({ n: z.number() });

  it('reads complete valid lines from an offset, leaves a torn tail out, and appendAt drops it', async () => {
    const hasher = await loadHasher();
    const format = { schema, hasher, hint: 'run repair' };
    const first = checkedLine('{"n":1}', hasher);
    writeFileSync(log, `${first}${checkedLine('{"n":2}', hasher)}${checkedLine('{"n":3}', hasher).slice(0, 10)}`);
    const read = readLines(log, format);
    expect(read.values).toEqual([{ n: 1 }, { n: 2 }]);
    expect(readLines(log, format, Buffer.byteLength(first)).values).toEqual([{ n: 2 }]);
    const end = appendAt(log, read.end, checkedLine('{"n":4}', hasher));
    expect(readLines(log, format)).toMatchObject({ values: [{ n: 1 }, { n: 2 }, { n: 4 }], end });
  });

  it('a line failing its checksum or its schema is a corrupt file naming the line; repair drops it once', async () => {
    const hasher = await loadHasher();
    const format = { schema, hasher, hint: 'run repair' };
    const bad = checkedLine('{"n":2}', hasher).replace('{"n":2}', '{"n":3}');
    writeFileSync(log, `${checkedLine('{"n":1}', hasher)}${bad}${checkedLine('{"n":"x"}', hasher)}`);
    expect(() => readLines(log, format)).toThrow(/line 2 fails its checksum/);
    const now = new Date('2024-03-01T12:00:00.000Z');
    expect(repairLines(log, format, now)).toMatchObject({ bad: 2, kept: 1 });
    expect(readLines(log, format).values).toEqual([{ n: 1 }]);
    expect(readdirSync(dir).sort()).toEqual(['records.jsonl', 'records.jsonl.corrupt-2024-03-01T12-00-00-000Z']);
    expect(repairLines(log, format, now)).toBeUndefined();
  });
});
