// The build and its loader (scripts/bundle.mjs, bin/load.js): one CommonJS file per entry,
// compiled with a V8 code cache made at build time, used only beside the very bytes it was
// made from. V8 alone checks only the source's length, so a stale cache of a same-length
// bundle would run the old code; the build id both files carry is what prevents that.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, Scratch } from '../e2e/helpers.js';

const scratch = new Scratch();
afterEach(() => scratch.cleanup());

interface Loaded {
  exports: { start: (entry: URL) => Promise<void> };
  script: { cachedDataRejected?: boolean };
  id: string | undefined;
}
const { loadBundle } = createRequire(import.meta.url)(join(PROJECT_ROOT, 'bin', 'load.js')) as {
  loadBundle: (file: string, options?: { useCache?: boolean }) => Loaded;
};

/** An entry whose start prints `word`: bundled, two builds differ in that word only. */
const entry = (word: string): string =>
  `export function start(): Promise<void> { process.stdout.write(${JSON.stringify(word)}); return Promise.resolve(); }\n`;

/** Builds `entries` (name → source text) into a fresh folder with the real bundle(), in a child process. */
function build(dir: string, entries: Record<string, string>): string {
  const out = join(dir, 'out');
  const points: Record<string, string> = {};
  for (const [name, text] of Object.entries(entries)) {
    writeFileSync(join(dir, `${name}.ts`), text);
    points[name] = join(dir, `${name}.ts`);
  }
  const script = `import { bundle } from ${JSON.stringify(join(PROJECT_ROOT, 'scripts', 'bundle.mjs'))};
await bundle(${JSON.stringify(points)}, ${JSON.stringify(out)});`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  return out;
}

/** Runs the bundle at `file` through the loader in a fresh process; its stdout. */
function run(file: string): string {
  const script = `require(${JSON.stringify(join(PROJECT_ROOT, 'bin', 'load.js'))}).runBundle(${JSON.stringify(file)}, __filename);`;
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

describe('the bundle and its code cache', { tags: ['slow'] }, () => {
  it('the built CLI is one ASCII CommonJS file whose code cache V8 accepts', () => {
    const file = join(PROJECT_ROOT, 'dist', 'handoff.cjs');
    const bytes = readFileSync(file);
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    // Strict as a whole, as the ES module build was (a banner before esbuild's own directive
    // once left the top level, commander included, in sloppy mode).
    expect(bytes.toString('latin1', 0, 13)).toBe('"use strict";');
    const loaded = loadBundle(file);
    expect(loaded.id).toMatch(/^[0-9a-f]{16}$/);
    expect(readFileSync(`${file}.cache`).toString('latin1', 0, 16)).toBe(loaded.id);
    expect(loaded.script.cachedDataRejected).toBe(false);
    expect(typeof loaded.exports.start).toBe('function');
  });

  it('a cache made from other bytes of the same length is never used', () => {
    const old = build(scratch.dir(), { cli: entry('AAAA') });
    const fresh = build(scratch.dir(), { cli: entry('BBBB') });
    const [oldFile, freshFile] = [join(old, 'cli.cjs'), join(fresh, 'cli.cjs')];
    expect(readFileSync(oldFile).length).toBe(readFileSync(freshFile).length);
    expect(run(oldFile)).toBe('AAAA');
    // The stale cache beside the new bundle: the ids differ, so it is not even offered to V8.
    copyFileSync(`${oldFile}.cache`, `${freshFile}.cache`);
    const loaded = loadBundle(freshFile);
    expect(loaded.script.cachedDataRejected).toBeUndefined();
    expect(run(freshFile)).toBe('BBBB');
  });

  it('runs without a cache, or with a corrupt header, compiling as usual', () => {
    const out = build(scratch.dir(), { cli: entry('plain') });
    const file = join(out, 'cli.cjs');
    writeFileSync(`${file}.cache`, 'not a cache at all');
    expect(run(file)).toBe('plain');
    expect(loadBundle(file).script.cachedDataRejected).toBeUndefined();
  });

  it('a rebuild keeps unchanged files, replaces the cache of a changed bundle, and removes what it no longer makes', () => {
    const dir = scratch.dir();
    const out = build(dir, { cli: entry('one') });
    const inodes = (): number[] => ['cli.cjs', 'cli.cjs.cache'].map((f) => statSync(join(out, f)).ino);
    const first = inodes();
    build(dir, { cli: entry('one') });
    expect(inodes(), 'an unchanged bundle and its cache are left as they are').toEqual(first);
    mkdirSync(join(out, 'chunks'));
    writeFileSync(join(out, 'chunks', 'chunk-OLD.js'), 'old layout\n');
    writeFileSync(join(out, 'handoff.js'), 'old entry\n');
    build(dir, { cli: entry('two') });
    expect(inodes()[1], 'the changed bundle gets a new cache').not.toBe(first[1]);
    expect(existsSync(join(out, 'chunks'))).toBe(false);
    expect(existsSync(join(out, 'handoff.js'))).toBe(false);
    const loaded = loadBundle(join(out, 'cli.cjs'));
    expect(loaded.script.cachedDataRejected).toBe(false);
    expect(run(join(out, 'cli.cjs'))).toBe('two');
  });
});
