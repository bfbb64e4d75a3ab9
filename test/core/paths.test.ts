// The one home of the repository path helpers (core/paths.ts), and the exclusion and
// language rules that depend on its extension semantics.
import { describe, expect, it } from 'vitest';
import { createPathFilter } from '../../src/core/exclude.js';
import { importLanguage } from '../../src/core/imports/languages.js';
import { baseName, dirOf, extensionOf } from '../../src/core/paths.js';

describe('path helpers', () => {
  it('split a POSIX repository path', () => {
    expect(dirOf('a/b/c.ts')).toBe('a/b');
    expect(dirOf('c.ts')).toBe('');
    expect(baseName('a/b/c.ts')).toBe('c.ts');
    expect(baseName('c.ts')).toBe('c.ts');
  });

  it('take the lower-cased extension of the file name only; a dotfile has none', () => {
    expect(extensionOf('src/App.TSX')).toBe('tsx');
    expect(extensionOf('a.d/Makefile')).toBe('');
    expect(extensionOf('a/.bashrc')).toBe('');
    expect(extensionOf('archive.tar.gz')).toBe('gz');
    expect(extensionOf('trailing.')).toBe('');
  });

  it('drive the binary/log exclusions and the import languages as before', () => {
    const keep = createPathFilter();
    expect(keep('img/Logo.PNG')).toBe(false);
    expect(keep('build.log')).toBe(false);
    expect(keep('x.png/readme.md')).toBe(true);
    expect(keep('.png')).toBe(true);
    expect(importLanguage('src/a.TS')).toBe('typescript');
    expect(importLanguage('dir.ts/README')).toBeUndefined();
  });
});
