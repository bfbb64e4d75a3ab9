// The path filter (build output by manifest, not by folder name) and the Go tool's
// only/exclude scope, in process. Shapes come from issue 8: cli/cli's internal/build,
// ripgrep's crates with Cargo.toml, JS packages with dist/ beside package.json.
import { describe, expect, it } from 'vitest';
import { createPathFilter, manifestsAfter, manifestsIn } from '../../src/core/exclude.js';
import { goMatch, isBadGoPattern } from '../../src/core/go-match.js';
import { badExcludePattern, createScopeFilter, matchesGoPattern } from '../../src/core/scope.js';
import { parseProjectConfig } from '../../src/store/config.js';
import { UsageError } from '../../src/errors.js';

describe('build output beside its manifest', () => {
  const tree = [
    'go.mod',
    'internal/build/build.go',
    'pkg/cmd/out/out.go',
    'Cargo.toml',
    'target/debug/app.rs',
    'crates/core/Cargo.toml',
    'crates/core/target/release/x.rs',
    'crates/core/src/target/mod.rs',
    'web/package.json',
    'web/dist/bundle.js',
    'web/coverage/lcov.info',
    'web/out/page.js',
    'web/build/rollup.config.js',
    'web/src/build/plan.ts',
    'web/src/dist/helpers.ts',
    'py/pyproject.toml',
    'py/build/lib/x.py',
    'py/src/pkg/build.py',
    'docs/dist/guide.md',
  ];
  const filter = createPathFilter({ manifests: manifestsIn(tree) });
  it('keeps source folders named build, out, target or dist', () => {
    const sources = [
      'internal/build/build.go',
      'pkg/cmd/out/out.go',
      'crates/core/src/target/mod.rs',
      'web/src/build/plan.ts',
      'web/src/dist/helpers.ts',
      'web/build/rollup.config.js',
      'py/src/pkg/build.py',
      'docs/dist/guide.md',
    ];
    for (const p of sources) {
      expect(filter(p), p).toBe(true);
    }
  });
  it('drops the build output folder that sits beside a manifest', () => {
    const outputs = [
      'target/debug/app.rs',
      'crates/core/target/release/x.rs',
      'web/dist/bundle.js',
      'web/coverage/lcov.info',
      'web/out/page.js',
      'py/build/lib/x.py',
    ];
    for (const p of outputs) {
      expect(filter(p), p).toBe(false);
    }
  });
  it('still drops tool and dependency folders by name at any depth', () => {
    const tools = [
      'node_modules/x/index.js',
      'a/node_modules/b.js',
      '.codemap/cache/x.json',
      'src/__pycache__/a.py',
      'vendor/lib.go',
    ];
    for (const p of tools) {
      expect(filter(p), p).toBe(false);
    }
  });
  it('follows manifests added, renamed and deleted by the changes', () => {
    const base = ['Cargo.toml', 'web/package.json'];
    const after = manifestsAfter(base, [
      { path: 'crates/new/Cargo.toml', kind: 'added' },
      { path: 'web/package.json', kind: 'deleted' },
      { path: 'app/package.json', kind: 'renamed', from: 'Cargo.toml' },
    ]);
    expect(after).toEqual(['app/package.json', 'crates/new/Cargo.toml']);
    expect(manifestsAfter(base, [{ path: 'src/a.ts', kind: 'modified' }])).toBe(base);
  });
  it('keeps no manifest from inside a folder excluded by name', () => {
    expect(manifestsIn(['node_modules/x/package.json', 'a/.venv/lib/setup.py', 'package.json'])).toEqual([
      'package.json',
    ]);
  });
});

describe("Go's path.Match", () => {
  // Cases from the semantics of Go's path.Match (stdlib match_test.go's shapes).
  const cases: [string, string, boolean][] = [
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*/b', 'a/c/b', false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['a[^a][^a][^a]b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['*x', 'xxx', true],
  ];
  it.each(cases)('%s matches %s: %s', (pattern, name, want) => {
    expect(goMatch(pattern, name)).toBe(want);
  });
  it('rejects malformed patterns as Go does (ErrBadPattern), matching nothing', () => {
    for (const p of ['[', '[^', '[^bc', 'a[', 'a\\', '[]a]', '[-]', '[x-]', '[a-b-c]', '*x[', 'a*[']) {
      expect(isBadGoPattern(p), p).toBe(true);
      expect(goMatch(p, 'a'), p).toBe(false);
    }
    for (const p of ['*', 'a*b', '[a-z]*', '\\*']) expect(isBadGoPattern(p), p).toBe(false);
  });
  it('does not backtrack: many stars against a long name stay linear per star', () => {
    expect(goMatch(`${'*a'.repeat(40)}b`, 'a'.repeat(4000))).toBe(false);
  });
});

describe('config only / exclude (the Go tool codemap semantics)', () => {
  it('matches a pattern as Go matchesPattern does', () => {
    expect(matchesGoPattern('ui/Assets.xcassets/icon.json', '.xcassets')).toBe(false);
    expect(matchesGoPattern('ui/Assets.xcassets', '.xcassets')).toBe(true);
    expect(matchesGoPattern('docs/reference/api.md', 'docs/reference')).toBe(true);
    expect(matchesGoPattern('a/docs/reference', 'docs/reference')).toBe(true);
    expect(matchesGoPattern('img/Logo.PNG', 'png')).toBe(true);
    expect(matchesGoPattern('src/foo_test.go', '*_test.go')).toBe(true);
    expect(matchesGoPattern('src/x/foo.go', 'src/*/foo.go')).toBe(true);
    expect(matchesGoPattern('src/x/foo.go', 'src/*')).toBe(false);
    expect(matchesGoPattern('vendored/x.go', 'vendor')).toBe(false);
  });
  it('keeps only the listed extensions, case-insensitively, with or without a dot', () => {
    const scope = createScopeFilter({ only: [' go', '.TS'], exclude: [] })!;
    for (const p of ['main.go', 'src/a.ts', 'src/B.TS']) expect(scope(p), p).toBe(true);
    for (const p of ['README.md', 'Makefile', 'src/a.tsx', 'go.mod']) expect(scope(p), p).toBe(false);
  });
  it('drops a folder matched by an exclude pattern with everything below it, as Go skips it', () => {
    const scope = createScopeFilter({ only: [], exclude: ['*test*', 'docs/reference', ' '] })!;
    expect(scope('pkg/tests/helpers/a.go')).toBe(false);
    expect(scope('pkg/a_test.go')).toBe(false);
    expect(scope('docs/reference/x/y.md')).toBe(false);
    expect(scope('docs/guide.md')).toBe(true);
    expect(scope('pkg/a.go')).toBe(true);
  });
  it('has no scope without rules', () => {
    expect(createScopeFilter({ only: [], exclude: ['  '] })).toBeUndefined();
  });
  it('validates both keys on read: wrong types and malformed globs exit 2 naming the key', () => {
    const fail = (text: string) => {
      try {
        parseProjectConfig(text, '/r/.codemap/config.json');
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as UsageError).line();
      }
      throw new Error('accepted');
    };
    expect(fail('{"only":"go"}')).toMatch(/^handoff: invalid value in \/r\/\.codemap\/config\.json at only: .* — /);
    expect(fail('{"exclude":[1]}')).toMatch(/at exclude\.0: /);
    expect(fail('{"exclude":["ok","a[b*"]}')).toMatch(/at exclude\.1: "a\[b\*" is not a valid glob — /);
    expect(fail('{"exclude":["ok","a[b*"]}').split('\n')).toHaveLength(1);
    expect(badExcludePattern(['[abc', 'x'])).toBe(-1);
    const parsed = parseProjectConfig('{"only":["go"],"exclude":["vendor"]}', 'c');
    expect(parsed).toEqual({ only: ['go'], exclude: ['vendor'] });
  });
});
