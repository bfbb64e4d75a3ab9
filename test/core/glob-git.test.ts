// The glob module against the real thing: for handwritten and generated .gitignore lists,
// every path in a temporary repository is ignored by IgnoreMatcher exactly when
// `git check-ignore --no-index` says git ignores it. Also: pathological patterns match in
// linear time (checked by work done, not by the clock).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseGitEnv, makeTempDir } from '../../fixtures/git-repo.js';
import { compileGlob, IgnoreMatcher, ignoreListProblem, matchGlob } from '../../src/core/glob.js';

const PATHS = [
  'a',
  'b',
  'ab',
  'ba',
  'aab',
  'a.ts',
  'b.ts',
  'x.snap',
  '.hidden',
  '#c',
  '!bang',
  ' lead',
  'trail ',
  'file(1).ts',
  'file1.ts',
  'fileA.ts',
  '[ab]',
  'star*',
  'q?',
  'back\\slash',
  'é.txt',
  'e.txt',
  'ÿ',
  'foo/bar',
  'foo/x/bar',
  'foo/x/y/bar',
  'foox/y/bar',
  'foo/a.ts',
  'foo/baz/a.ts',
  'foo/bar.ts/inner',
  'src/a.ts',
  'src/b/a.ts',
  'src/b/c/d.ts',
  'src/ab/x.snap',
  'src/build/out.js',
  'lib/src/a.ts',
  'a-dir/a',
  'a-dir/b/a',
  'b-dir/ab/b',
  'x/y/z/w.md',
  'x/a/b/c',
  'doc/a b.md',
  'doc/ab/ab.md',
  'gen/keep.ts',
  'gen/drop.ts',
  'gen/sub/keep.ts',
  'Upper/CASE.TS',
  'upper/case.ts',
  '9/8/7',
];

/** A repository holding PATHS, ignoring nothing but .git/info/exclude (set per check). */
function makeRepo(): string {
  const dir = makeTempDir('handoff-glob-');
  const git = (...args: string[]): void => {
    const res = spawnSync('git', args, { cwd: dir, env: baseGitEnv(), encoding: 'utf8' });
    if (res.status !== 0) throw new Error(res.stderr);
  };
  git('init', '-q');
  git('config', 'core.excludesFile', '/dev/null');
  for (const p of PATHS) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), 'x');
  }
  return dir;
}

function gitIgnored(dir: string, patterns: readonly string[]): Set<string> {
  writeFileSync(join(dir, '.git', 'info', 'exclude'), `${patterns.join('\n')}\n`);
  const res = spawnSync('git', ['check-ignore', '--no-index', '--stdin', '-z'], {
    cwd: dir,
    env: baseGitEnv(),
    input: `${PATHS.join('\0')}\0`,
  });
  if (res.status !== 0 && res.status !== 1) throw new Error(`git check-ignore: ${res.stderr.toString()}`);
  return new Set(
    res.stdout
      .toString('utf8')
      .split('\0')
      .filter((p) => p !== ''),
  );
}

function ours(patterns: readonly string[]): Set<string> {
  const matcher = new IgnoreMatcher(patterns);
  return new Set(PATHS.filter((p) => matcher.ignores(p)));
}

/** A small deterministic PRNG (mulberry32), so a failure names a reproducible case. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ (t + t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '*',
  '*',
  '**',
  '?',
  'a',
  'b',
  'a',
  '/',
  '/',
  '.ts',
  'foo',
  'bar',
  'src',
  'x',
  '[ab]',
  '[!a]',
  '[a-c]',
  '[]a]',
  '\\*',
  '\\',
  '[[:alpha:]]',
  '[[:digit:]]',
  '[[:punct:]]',
  '[^b]',
  '(1)',
  ' ',
  'é',
  '[',
  '-',
  '.',
  'gen',
  'keep',
];

function randomPattern(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  let p = '';
  const pieces = 1 + Math.floor(next() * 5);
  for (let i = 0; i < pieces; i++) p += pick(PIECES);
  const r = next();
  if (r < 0.15) p = `!${p}`;
  else if (r < 0.25) p = `/${p}`;
  if (next() < 0.15) p = `${p}/`;
  if (next() < 0.05) p = `${p}  `;
  return p;
}

describe('ignore globs agree with git check-ignore', { tags: ['slow'] }, () => {
  const dir = makeRepo();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const handwritten: string[][] = [
    ['file(1).ts'],
    ['file?.ts'],
    ['file[0-9].ts'],
    ['*.ts'],
    ['*.snap'],
    ['/a'],
    ['a'],
    ['a/'],
    ['foo/bar'],
    ['foo/**/bar'],
    ['**/bar'],
    ['foo/**'],
    ['foo**/bar'],
    ['foo/*/bar'],
    ['**/a.ts'],
    ['src/'],
    ['/src/b/'],
    ['src/**/*.ts'],
    ['gen/', '!gen/keep.ts'],
    ['gen/*', '!gen/keep.ts'],
    ['gen/**', '!gen/sub/'],
    ['*', '!*/', '!*.ts'],
    ['\\#c'],
    ['#c'],
    ['\\!bang'],
    ['!bang'],
    ['trail\\ '],
    ['trail '],
    [' lead'],
    ['star\\*'],
    ['q\\?'],
    ['\\[ab]'],
    ['[ab]'],
    ['[!a]'],
    ['[^a]*'],
    ['?'],
    ['??'],
    ['é*'],
    ['?.txt'],
    ['[[:alpha:]]'],
    ['[[:bogus:]]'],
    ['[a'],
    ['back\\'],
    ['back\\\\slash'],
    ['**'],
    ['/**'],
    ['**/'],
    ['a/**/'],
    ['x/**/c'],
    ['x/**/**/c'],
    ['*/a'],
    ['*/*/a'],
    ['Upper/'],
    ['upper/CASE.TS'],
    ['***/bar'],
    ['foo/***'],
    ['a*b'],
    ['*a*a*a*a*a*a*a*a*b'],
    ['[]a]*'],
    ['[a-]*'],
    ['doc/a b.md'],
    ['doc/*b*/'],
    ['/'],
    ['!'],
    ['!*'],
    ['*', '!foo', 'foo/bar'],
    ['9/'],
    ['*/8/'],
    ['[[:digit:]]/**'],
  ];
  it.each(handwritten.map((p) => [JSON.stringify(p), p] as const))('%s', (_name, patterns) => {
    expect([...ours(patterns)].sort()).toEqual([...gitIgnored(dir, patterns)].sort());
  });

  it('on 300 generated pattern lists', () => {
    const next = prng(7);
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const patterns = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomPattern(next));
      const expected = [...gitIgnored(dir, patterns)].sort();
      const actual = [...ours(patterns)].sort();
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        failures.push(`${JSON.stringify(patterns)}: git ${JSON.stringify(expected)} ours ${JSON.stringify(actual)}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});

describe('glob matching cost', () => {
  it('a catastrophic pattern is answered without backtracking', () => {
    // Exponential for a backtracking matcher: stars before a b that never comes.
    const star = `${'*a'.repeat(60)}*b`;
    const text = 'a'.repeat(200);
    expect(matchGlob(star, text, { pathname: false })).toBe(false);
    expect(matchGlob(star, `${text}b`, { pathname: false })).toBe(true);
    expect(matchGlob(`${'**/a/'.repeat(30)}b`, `${'a/'.repeat(100)}c`)).toBe(false);
    expect(new IgnoreMatcher([star, '(((a+)+)+)+b']).ignores(`dir/${text}`)).toBe(false);
  });

  it('compiles a general wildmatch for other callers', () => {
    const glob = compileGlob('src/**/*.ts');
    const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(glob.matches(bytes('src/a.ts'))).toBe(true);
    expect(glob.matches(bytes('src/x/y/a.ts'))).toBe(true);
    expect(glob.matches(bytes('lib/a.ts'))).toBe(false);
    expect(matchGlob('*.ts', 'a/b.ts')).toBe(false);
    expect(matchGlob('*.ts', 'a/b.ts', { pathname: false })).toBe(true);
  });

  it('refuses absurd ignore lists', () => {
    expect(ignoreListProblem(['*.ts', 'dist/'])).toBeUndefined();
    expect(ignoreListProblem(Array.from({ length: 1001 }, (_, i) => `f${i}`))).toMatch(/1001 patterns/);
    expect(ignoreListProblem(['a'.repeat(1025)])).toMatch(/longer than 1024 bytes/);
    expect(ignoreListProblem(['a\nb'])).toMatch(/line break/);
  });
});
