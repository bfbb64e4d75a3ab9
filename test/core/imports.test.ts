import { describe, it, expect } from 'vitest';
import { importLanguage, languageOf } from '../../src/core/imports/languages.js';
import { PARSER_VERSION, parseImports } from '../../src/core/imports/parse.js';
import { configFilesWanted, createResolver } from '../../src/core/imports/resolve.js';

describe('languages', () => {
  it('maps import languages by extension', () => {
    expect(importLanguage('src/a.ts')).toBe('typescript');
    expect(importLanguage('src/a.d.ts')).toBe('typescript');
    expect(importLanguage('a.tsx')).toBe('typescript');
    expect(importLanguage('a.mts')).toBe('typescript');
    expect(importLanguage('a.cjs')).toBe('javascript');
    expect(importLanguage('a.jsx')).toBe('javascript');
    expect(importLanguage('pkg/mod.py')).toBe('python');
    expect(importLanguage('stubs/mod.pyi')).toBe('python');
    expect(importLanguage('cmd/main.go')).toBe('go');
    expect(importLanguage('src/lib.rs')).toBe('rust');
    expect(importLanguage('README.md')).toBeUndefined();
    expect(importLanguage('Makefile')).toBeUndefined();
    expect(importLanguage('.ts')).toBeUndefined();
    expect(importLanguage('dir.ts/file')).toBeUndefined();
  });

  it('gives display names for counting', () => {
    expect(languageOf('src/a.ts')).toBe('TypeScript');
    expect(languageOf('a.java')).toBe('Java');
    expect(languageOf('a.kt')).toBe('Kotlin');
    expect(languageOf('a.c')).toBe('C');
    expect(languageOf('a.hpp')).toBe('C++');
    expect(languageOf('a.cs')).toBe('C#');
    expect(languageOf('a.rb')).toBe('Ruby');
    expect(languageOf('a.php')).toBe('PHP');
    expect(languageOf('a.swift')).toBe('Swift');
    expect(languageOf('scripts/a.sh')).toBe('Shell');
    expect(languageOf('docs/A.MD')).toBe('Markdown');
    expect(languageOf('a.json')).toBe('JSON');
    expect(languageOf('.github/ci.yml')).toBe('YAML');
    expect(languageOf('Cargo.toml')).toBe('TOML');
    expect(languageOf('a.html')).toBe('HTML');
    expect(languageOf('a.css')).toBe('CSS');
    expect(languageOf('a.sql')).toBe('SQL');
    expect(languageOf('deploy/Dockerfile')).toBe('Dockerfile');
    expect(languageOf('Dockerfile.dev')).toBe('Dockerfile');
    expect(languageOf('Makefile')).toBe('Makefile');
    expect(languageOf('LICENSE')).toBeUndefined();
    expect(languageOf('a.unknownext')).toBeUndefined();
    expect(languageOf('.gitignore')).toBeUndefined();
  });
});

describe('parseImports: TypeScript / JavaScript', () => {
  it('has a version for cache keys', () => {
    expect(PARSER_VERSION).toBe(4);
  });

  it('finds ESM imports, re-exports, CommonJS and dynamic imports in order, deduplicated', () => {
    const src = [
      `import x from 'a';`,
      `import {`,
      `  b,`,
      `  c as d,`,
      `} from "b";`,
      `import 'side-effect';`,
      `import type { T } from './types';`,
      `import * as ns from './ns.js'`,
      `import def, { e } from '@scope/pkg/sub'`,
      `export * from './all';`,
      `export * as named from './named';`,
      `export { x as y } from './reexport';`,
      `export type { U } from './type-reexport';`,
      `const fs = require('fs');`,
      `const lazy = await import('./lazy');`,
      `const withOptions = import('./json', { with: { type: 'json' } });`,
      `import again from 'a';`,
    ].join('\n');
    expect(parseImports('src/index.ts', src)).toEqual([
      'a',
      'b',
      'side-effect',
      './types',
      './ns.js',
      '@scope/pkg/sub',
      './all',
      './named',
      './reexport',
      './type-reexport',
      'fs',
      './lazy',
      './json',
    ]);
  });

  it('ignores comments, strings, templates and regexes', () => {
    const src = [
      `// import a from 'commented';`,
      `/* import b from 'block';`,
      `   require('block-require') */`,
      `const s = "import c from 'in-string'";`,
      `const t = 'require("in-single")';`,
      "const u = `import d from 'in-template' ${import('./in-substitution')} require('still-template')`;",
      "const nested = `${ { a: `import('deep-template')` }.a }`;",
      `const re = /import e from 'regex'/g;`,
      `const div = a / b; import f from './after-division';`,
      `import real from './real'; // trailing comment require('x')`,
    ].join('\n');
    expect(parseImports('a.js', src)).toEqual(['./in-substitution', './after-division', './real']);
  });

  it('ignores non-literal dynamic imports, members and other look-alikes', () => {
    const src = [
      `import(name);`,
      'import(`./tpl/${name}`);',
      `require(path.join('a', 'b'));`,
      `obj.require('member');`,
      `module.import('member2');`,
      `const meta = import.meta.url;`,
      `const o = { import: 1, export: 'x' };`,
      `export const from = 'nope';`,
      `export { local };`,
      `export default function f() { return 'x'; }`,
      `import fs = require('fs');`,
      `declare module 'ambient' {}`,
      `const spread = [...require('spread')];`,
    ].join('\n');
    expect(parseImports('a.ts', src)).toEqual(['fs', 'spread']);
  });

  it('does not let JSX apostrophes or a hashbang hide later imports', () => {
    const src = [
      `#!/usr/bin/env node`,
      `import React from 'react';`,
      `const el = <p>It's fine</p>;`,
      `import later from './later';`,
    ].join('\n');
    expect(parseImports('a.tsx', src)).toEqual(['react', './later']);
  });

  it('reads only the first 256 KiB and returns nothing for other languages', () => {
    const big = `import a from 'a';\n${' '.repeat(300 * 1024)}\nimport b from 'b';`;
    expect(parseImports('big.ts', big)).toEqual(['a']);
    expect(parseImports('notes.md', `import a from 'a'`)).toEqual([]);
    expect(parseImports('empty.ts', '')).toEqual([]);
  });
});

describe('parseImports: Python', () => {
  it('finds import and from-import forms', () => {
    const src = [
      `import os`,
      `import a.b.c`,
      `import x, y as z`,
      `from pkg.sub import thing, other as o`,
      `from pkg2 import (`,
      `    one,`,
      `    two,`,
      `)`,
      `from star import *`,
      `if TYPE_CHECKING:`,
      `    from typing_only import T`,
      `def f():`,
      `    import lazy.mod as lm; from inline import q`,
    ].join('\n');
    expect(parseImports('m.py', src)).toEqual([
      'os',
      'a.b.c',
      'x',
      'y',
      'pkg.sub:thing',
      'pkg.sub:other',
      'pkg2:one',
      'pkg2:two',
      'star',
      'typing_only:T',
      'lazy.mod',
      'inline:q',
    ]);
  });

  it('represents relative imports in dotted form, a from-import as module:name', () => {
    const src = [`from . import x, y`, `from ..pkg import mod`, `from .sibling import name`, `from .. import *`].join(
      '\n',
    );
    expect(parseImports('p/q/m.py', src)).toEqual(['.:x', '.:y', '..pkg:mod', '.sibling:name', '..']);
  });

  it('skips comments, strings, docstrings and raise/yield from', () => {
    const src = [
      `"""Module docstring.`,
      `import not_this`,
      `from nor import this`,
      `"""`,
      `# import commented`,
      `s = 'import quoted'`,
      `t = f"from x import y"`,
      `u = '\\\\'`,
      `import after_raw`,
      `'''escaped \\''' still inside`,
      `import still_inside`,
      `'''`,
      `def g():`,
      `    raise ValueError() from err`,
      `    yield from gen`,
      `import real`,
      `x = 1 + \\`,
      `    2`,
    ].join('\n');
    expect(parseImports('m.py', src)).toEqual(['after_raw', 'real']);
  });
});

describe('parseImports: Go', () => {
  it('finds single and grouped imports with aliases, skipping comments', () => {
    const src = [
      `// Package x does things. import "not/this"`,
      `package x`,
      ``,
      `import "fmt"`,
      `import str "strings"`,
      `import (`,
      `  "os"`,
      `  // "commented/out"`,
      `  alias "example.com/m/pkg/a"`,
      `  _ "example.com/m/pkg/side"`,
      `  . "example.com/m/pkg/dot"`,
      '  `example.com/m/raw`',
      `  /* "block/comment" */`,
      `)`,
      ``,
      `func main() { fmt.Println("import \\"nope\\"") }`,
      `var late = "import"`,
    ].join('\n');
    expect(parseImports('main.go', src)).toEqual([
      'fmt',
      'strings',
      'os',
      'example.com/m/pkg/a',
      'example.com/m/pkg/side',
      'example.com/m/pkg/dot',
      'example.com/m/raw',
    ]);
  });
});

describe('parseImports: Rust', () => {
  it('finds mod declarations and expands use trees', () => {
    const src = [
      `mod foo;`,
      `pub mod bar;`,
      `pub(crate) mod baz;`,
      `mod inline { fn f() {} }`,
      `#[cfg(test)]`,
      `mod tests {}`,
      `use crate::a::b::{c, d};`,
      `use super::x;`,
      `use self::y::z as w;`,
      `use std::collections::HashMap;`,
      `pub use crate::deep::{self, inner::{p, q}, r::*};`,
      `use ::external::thing;`,
      `use r#type::item;`,
    ].join('\n');
    expect(parseImports('src/lib.rs', src)).toEqual([
      'mod:foo',
      'mod:bar',
      'mod:baz',
      'crate::a::b::c',
      'crate::a::b::d',
      'crate::a::b',
      'super::x',
      'self::y::z',
      'std::collections::HashMap',
      'crate::deep',
      'crate::deep::inner::p',
      'crate::deep::inner::q',
      'crate::deep::inner',
      'crate::deep::r',
      '::external::thing',
      'type::item',
    ]);
  });

  it('skips comments, strings, raw strings and chars but keeps lifetimes harmless', () => {
    const src = [
      `// mod commented;`,
      `/* outer /* nested */ mod still_comment; */`,
      `const S: &str = "use crate::in_string;";`,
      `const R: &str = r#"mod in_raw; "quoted" "#;`,
      `const C: char = '"';`,
      `const Q: char = '\\'';`,
      `fn f<'a>(x: &'a str) -> &'a str { x }`,
      `mod real;`,
      `use crate::after;`,
    ].join('\n');
    expect(parseImports('src/main.rs', src)).toEqual(['mod:real', 'crate::after']);
  });
});

describe('configFilesWanted', () => {
  it('picks tsconfig/jsconfig/go.mod at any depth and shared tsconfig.*.json, sorted, outside node_modules', () => {
    expect(
      configFilesWanted([
        'web/tsconfig.json',
        'tsconfig.json',
        'go.mod',
        'tools/go.mod',
        'app/jsconfig.json',
        'node_modules/x/tsconfig.json',
        'tsconfig.base.json',
        'src/a.ts',
        'src/go.mod.bak',
        'src/tsconfig.ts',
      ]),
    ).toEqual([
      'app/jsconfig.json',
      'go.mod',
      'tools/go.mod',
      'tsconfig.base.json',
      'tsconfig.json',
      'web/tsconfig.json',
    ]);
  });
});

describe('resolve: TypeScript / JavaScript', () => {
  const files = [
    'src/a.ts',
    'src/b.tsx',
    'src/c.js',
    'src/types.d.ts',
    'src/decl.d.ts',
    'src/data.json',
    'src/util/index.ts',
    'src/esm/mod.mts',
    'src/lib/helpers.ts',
    'src/lib/compiled.js',
    'src/lib/compiled.ts',
    'src/components/Button/index.tsx',
    'lib/shared/log.ts',
    'packages/web/tsconfig.json',
    'packages/web/src/app.ts',
    'packages/web/src/ui/card.tsx',
    'packages/web/src/env.ts',
    'tsconfig.json',
  ];
  const configs = {
    'tsconfig.json': `{
      // comments and trailing commas are allowed
      "compilerOptions": {
        "baseUrl": ".",
        "paths": {
          "@lib/*": ["src/lib/*", "lib/shared/*",],
          "@util": ["src/util"],
          "@components/*": ["src/components/*"], /* block */
        },
      },
    }`,
    'packages/web/tsconfig.json': `{ "compilerOptions": { "paths": { "~/*": ["./src/*"] } } }`,
  };
  const resolver = createResolver({ files, configs });

  it('resolves relative specifiers with extension guessing and index files', () => {
    expect(resolver.resolve('src/a.ts', './b')).toEqual(['src/b.tsx']);
    expect(resolver.resolve('src/a.ts', './c')).toEqual(['src/c.js']);
    expect(resolver.resolve('src/a.ts', './types')).toEqual(['src/types.d.ts']);
    expect(resolver.resolve('src/a.ts', './data.json')).toEqual(['src/data.json']);
    expect(resolver.resolve('src/a.ts', './util')).toEqual(['src/util/index.ts']);
    expect(resolver.resolve('src/lib/helpers.ts', '../a')).toEqual(['src/a.ts']);
    expect(resolver.resolve('src/lib/helpers.ts', '..')).toEqual([]);
    expect(resolver.resolve('src/a.ts', './components/Button')).toEqual(['src/components/Button/index.tsx']);
    expect(resolver.resolve('src/a.ts', './missing')).toEqual([]);
    expect(resolver.resolve('src/a.ts', '../../outside')).toEqual([]);
  });

  it('maps emitted .js/.mjs names to TypeScript sources, preferring a real file', () => {
    expect(resolver.resolve('src/b.tsx', './a.js')).toEqual(['src/a.ts']);
    expect(resolver.resolve('src/a.ts', './b.js')).toEqual(['src/b.tsx']);
    expect(resolver.resolve('src/a.ts', './esm/mod.mjs')).toEqual(['src/esm/mod.mts']);
    expect(resolver.resolve('src/a.ts', './decl.js')).toEqual(['src/decl.d.ts']);
    expect(resolver.resolve('src/a.ts', './lib/compiled.js')).toEqual(['src/lib/compiled.js']);
    expect(resolver.resolve('src/a.ts', './a.js')).toEqual([]); // never the importing file
  });

  it('applies tsconfig paths and baseUrl of the nearest config', () => {
    expect(resolver.resolve('src/a.ts', '@lib/helpers')).toEqual(['src/lib/helpers.ts']);
    expect(resolver.resolve('src/a.ts', '@lib/log')).toEqual(['lib/shared/log.ts']); // second target
    expect(resolver.resolve('src/a.ts', '@util')).toEqual(['src/util/index.ts']);
    expect(resolver.resolve('src/a.ts', '@components/Button')).toEqual(['src/components/Button/index.tsx']);
    expect(resolver.resolve('src/lib/helpers.ts', 'src/a')).toEqual(['src/a.ts']); // baseUrl
    expect(resolver.resolve('src/a.ts', 'react')).toEqual([]);
    expect(resolver.resolve('src/a.ts', '@lib/nope')).toEqual([]);
    // The nested config wins for its files; its paths are relative to it (no baseUrl).
    expect(resolver.resolve('packages/web/src/app.ts', '~/ui/card')).toEqual(['packages/web/src/ui/card.tsx']);
    expect(resolver.resolve('packages/web/src/app.ts', '@lib/helpers')).toEqual([]);
    expect(resolver.resolve('src/a.ts', '~/ui/card')).toEqual([]);
  });

  it('follows a relative extends among the given configs and tolerates broken ones', () => {
    const r = createResolver({
      files: [
        'tsconfig.json',
        'tsconfig.base.json',
        'app/tsconfig.json',
        'app/src/main.ts',
        'app/src/core/x.ts',
        'libs/ui/tsconfig.json',
        'libs/ui/src/button.ts',
        'broken/tsconfig.json',
        'broken/a.ts',
        'broken/b.ts',
      ],
      configs: {
        'tsconfig.json': `{ "compilerOptions": { "baseUrl": "app/src" } }`,
        'tsconfig.base.json': `{ "compilerOptions": { "paths": { "@ui/*": ["libs/ui/src/*"] } } }`,
        'app/tsconfig.json': `{ "extends": "../tsconfig.json", "compilerOptions": { "strict": true } }`,
        'libs/ui/tsconfig.json': `{ "extends": "../../tsconfig.base", "compilerOptions": {} }`,
        'broken/tsconfig.json': `{ not json`,
      },
    });
    expect(r.resolve('app/src/main.ts', 'core/x')).toEqual(['app/src/core/x.ts']);
    // Inherited paths stay relative to the config that declares them.
    expect(r.resolve('libs/ui/src/button.ts', '@ui/button')).toEqual([]); // itself
    expect(r.resolve('app/src/main.ts', '@ui/button')).toEqual([]); // app's chain has no paths
    expect(r.resolve('libs/ui/src/index.ts', '@ui/button')).toEqual(['libs/ui/src/button.ts']);
    expect(r.resolve('broken/a.ts', './b')).toEqual(['broken/b.ts']);
    // An unparseable config is skipped: the next one up applies.
    expect(r.resolve('broken/a.ts', 'core/x')).toEqual(['app/src/core/x.ts']);
  });
});

describe('resolve: Python', () => {
  const files = [
    'app/__init__.py',
    'app/main.py',
    'app/models.py',
    'app/services/__init__.py',
    'app/services/billing.py',
    'src/mylib/__init__.py',
    'src/mylib/core.py',
    'tests/test_core.py',
    'packages/tool/tool/__init__.py',
    'packages/tool/tool/cli.py',
    'packages/tool/tool/helpers.py',
    'typings/stub.pyi',
  ];
  const r = createResolver({ files });

  it('resolves absolute modules and packages from the root, src/ and ancestor roots', () => {
    expect(r.resolve('app/main.py', 'app.models')).toEqual(['app/models.py']);
    expect(r.resolve('app/main.py', 'app.services')).toEqual(['app/services/__init__.py']);
    expect(r.resolve('app/main.py', 'app.services.billing')).toEqual(['app/services/billing.py']);
    expect(r.resolve('app/main.py', 'app.models.User')).toEqual([]); // a class, not a module
    expect(r.resolve('tests/test_core.py', 'mylib.core')).toEqual(['src/mylib/core.py']);
    expect(r.resolve('tests/test_core.py', 'mylib')).toEqual(['src/mylib/__init__.py']);
    expect(r.resolve('packages/tool/tool/cli.py', 'tool.helpers')).toEqual(['packages/tool/tool/helpers.py']);
    expect(r.resolve('app/main.py', 'typings.stub')).toEqual(['typings/stub.pyi']);
    expect(r.resolve('app/main.py', 'os')).toEqual([]);
    expect(r.resolve('app/main.py', 'os.path')).toEqual([]);
  });

  it('resolves relative dotted forms from the importing module package', () => {
    expect(r.resolve('app/main.py', '.models')).toEqual(['app/models.py']);
    expect(r.resolve('app/main.py', '.')).toEqual(['app/__init__.py']);
    expect(r.resolve('app/services/billing.py', '..models')).toEqual(['app/models.py']);
    expect(r.resolve('app/services/billing.py', '..')).toEqual(['app/__init__.py']);
    expect(r.resolve('app/services/billing.py', '.')).toEqual(['app/services/__init__.py']);
    expect(r.resolve('app/services/__init__.py', '.billing')).toEqual(['app/services/billing.py']);
    expect(r.resolve('app/services/__init__.py', '.')).toEqual([]); // itself
    expect(r.resolve('app/main.py', '....too.high')).toEqual([]);
  });

  it('resolves what parseImports yields end to end: a from-import names the submodule, not its package', () => {
    // Before parser version 2 this also counted app/__init__.py and app/services/__init__.py.
    const specs = parseImports('app/services/billing.py', 'from .. import models\nfrom ..services import billing');
    const resolved = specs.flatMap((s) => r.resolve('app/services/billing.py', s));
    expect([...new Set(resolved)].sort()).toEqual(['app/models.py']);
  });
});

describe('resolve: Go', () => {
  const files = [
    'go.mod',
    'cmd/server/main.go',
    'internal/store/store.go',
    'internal/store/sql.go',
    'internal/store/store_test.go',
    'internal/store/sub/deep.go',
    'tools/go.mod',
    'tools/gen/gen.go',
    'web/readme.md',
  ];
  const configs = {
    'go.mod': `// the main module\nmodule example.com/app\n\ngo 1.22\n`,
    'tools/go.mod': `module "example.com/app/tools" // nested\n`,
  };
  const r = createResolver({ files, configs });

  it('maps module-prefixed imports to the non-test files of the package directory', () => {
    expect(r.resolve('cmd/server/main.go', 'example.com/app/internal/store')).toEqual([
      'internal/store/sql.go',
      'internal/store/store.go',
    ]);
    expect(r.resolve('cmd/server/main.go', 'example.com/app/internal/store/sub')).toEqual([
      'internal/store/sub/deep.go',
    ]);
    expect(r.resolve('internal/store/store.go', 'example.com/app/internal/store')).toEqual(['internal/store/sql.go']);
  });

  it('lets a nested module own its tree and ignores foreign paths', () => {
    expect(r.resolve('cmd/server/main.go', 'example.com/app/tools/gen')).toEqual(['tools/gen/gen.go']);
    expect(r.resolve('cmd/server/main.go', 'fmt')).toEqual([]);
    expect(r.resolve('cmd/server/main.go', 'github.com/other/lib')).toEqual([]);
    expect(r.resolve('cmd/server/main.go', 'example.com/application')).toEqual([]);
    expect(r.resolve('cmd/server/main.go', 'example.com/app/web')).toEqual([]);
    expect(createResolver({ files }).resolve('cmd/server/main.go', 'example.com/app/internal/store')).toEqual([]);
  });
});

describe('resolve: Rust', () => {
  const files = [
    'Cargo.toml',
    'src/lib.rs',
    'src/config.rs',
    'src/net/mod.rs',
    'src/net/tcp.rs',
    'src/net/tcp/frame.rs',
    'src/util.rs',
    'src/util/strings.rs',
    'src/bin/tool.rs',
    'src/bin/helper.rs',
    'tests/it.rs',
    'tests/common/mod.rs',
  ];
  const r = createResolver({ files });

  it('resolves mod declarations from crate roots, mod.rs and plain module files', () => {
    expect(r.resolve('src/lib.rs', 'mod:config')).toEqual(['src/config.rs']);
    expect(r.resolve('src/lib.rs', 'mod:net')).toEqual(['src/net/mod.rs']);
    expect(r.resolve('src/net/mod.rs', 'mod:tcp')).toEqual(['src/net/tcp.rs']);
    expect(r.resolve('src/net/tcp.rs', 'mod:frame')).toEqual(['src/net/tcp/frame.rs']);
    expect(r.resolve('src/util.rs', 'mod:strings')).toEqual(['src/util/strings.rs']);
    expect(r.resolve('tests/it.rs', 'mod:common')).toEqual(['tests/common/mod.rs']);
    expect(r.resolve('src/bin/tool.rs', 'mod:helper')).toEqual(['src/bin/helper.rs']);
    expect(r.resolve('src/lib.rs', 'mod:missing')).toEqual([]);
  });

  it('resolves crate::, super:: and self:: paths to the longest module file', () => {
    expect(r.resolve('src/net/tcp.rs', 'crate::config::Config')).toEqual(['src/config.rs']);
    expect(r.resolve('src/config.rs', 'crate::net::tcp::frame::Frame')).toEqual(['src/net/tcp/frame.rs']);
    expect(r.resolve('src/config.rs', 'crate::net')).toEqual(['src/net/mod.rs']);
    expect(r.resolve('src/config.rs', 'crate::VERSION')).toEqual(['src/lib.rs']);
    expect(r.resolve('src/net/tcp.rs', 'super::Listener')).toEqual(['src/net/mod.rs']);
    expect(r.resolve('src/net/tcp/frame.rs', 'super::super::tcp')).toEqual(['src/net/tcp.rs']);
    expect(r.resolve('src/net/mod.rs', 'super::util::strings::trim')).toEqual(['src/util/strings.rs']);
    expect(r.resolve('src/net/tcp.rs', 'self::frame::Frame')).toEqual(['src/net/tcp/frame.rs']);
    expect(r.resolve('src/lib.rs', 'net::tcp')).toEqual(['src/net/tcp.rs']); // uniform path
    expect(r.resolve('src/lib.rs', 'std::io')).toEqual([]);
    expect(r.resolve('src/lib.rs', 'serde::Deserialize')).toEqual([]);
    expect(r.resolve('src/lib.rs', '::config')).toEqual([]);
    expect(r.resolve('src/lib.rs', 'crate::Thing')).toEqual([]); // itself
  });
});

describe('resolve: general', () => {
  it('returns nothing for unknown importer languages and is sorted and distinct', () => {
    const r = createResolver({ files: ['a.md', 'b.ts'], configs: {} });
    expect(r.resolve('a.md', './b')).toEqual([]);
    expect(r.resolve('b.ts', '')).toEqual([]);
  });

  it('resolves 100k synthetic specifiers on a 100k-file repository', () => {
    const files: string[] = [];
    for (let i = 0; i < 100_000; i++) files.push(`pkg${i % 100}/mod${Math.floor(i / 100)}/file${i}.ts`);
    const r = createResolver({ files, configs: { 'tsconfig.json': '{"compilerOptions":{"baseUrl":"."}}' } });
    let resolved = 0;
    for (let i = 0; i < 100_000; i++) {
      const from = files[i]!;
      const target = files[(i * 7919) % files.length]!;
      const spec = i % 3 === 0 ? target.replace(/\.ts$/, '') : i % 3 === 1 ? 'react' : `./file${i}.js`;
      resolved += r.resolve(from, spec).length;
    }
    expect(resolved).toBeGreaterThan(33_000);
  });
});
