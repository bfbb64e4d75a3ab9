// Resolution on project shapes taken from real repositories (issue 8): Python import
// roots (flask, pytest), package.json imports/exports and workspaces (svelte, vitest),
// Cargo workspaces and #[path] modules (ripgrep). Pure: file lists and config texts in.
import { describe, expect, it } from 'vitest';
import { parseImports } from '../../src/core/imports/parse.js';
import { configFilesWanted, createResolver, resolveImports } from '../../src/core/imports/resolve.js';
import { pnpmWorkspacePackages } from '../../src/core/imports/script/pnpm-workspace.js';

/** What `from` imports, parsed from `source` and resolved like a real run. */
function importsOf(r: ReturnType<typeof createResolver>, from: string, source: string): string[] {
  return resolveImports(r, from, parseImports(from, source));
}

describe('Python: absolute imports resolve against import roots, never a package folder', () => {
  // flask: src layout, a package module named like the standard library's `typing`/`json`.
  const files = [
    'pyproject.toml',
    'src/flask/__init__.py',
    'src/flask/app.py',
    'src/flask/typing.py',
    'src/flask/helpers.py',
    'src/flask/json/__init__.py',
    'src/flask/json/provider.py',
    'tests/conftest.py',
    'tests/test_basic.py',
    'tests/test_apps/blueprintapp/__init__.py',
    'examples/tutorial/pyproject.toml',
    'examples/tutorial/flaskr/__init__.py',
    'examples/tutorial/flaskr/db.py',
    'examples/tutorial/tests/test_db.py',
    'scripts/release.py',
    'scripts/helpers.py',
  ];
  const configs = { 'pyproject.toml': '[project]\nname = "Flask"\n' };
  const r = createResolver({ files, configs });

  it("flask's `import typing as t` is the standard library, not src/flask/typing.py", () => {
    expect(importsOf(r, 'src/flask/app.py', 'import typing as t\nimport json\nfrom . import typing as ft\n')).toEqual([
      'src/flask/typing.py',
    ]);
    expect(r.resolve('src/flask/app.py', 'typing')).toEqual([]);
    expect(r.resolve('src/flask/json/provider.py', 'json')).toEqual([]);
    expect(r.resolve('src/flask/app.py', 'flask.typing')).toEqual(['src/flask/typing.py']);
  });

  it('finds packages from tests, examples and scripts the way sys.path would', () => {
    expect(r.resolve('tests/test_basic.py', 'flask')).toEqual(['src/flask/__init__.py']);
    const provider = ['src/flask/json/provider.py'];
    expect(importsOf(r, 'tests/test_basic.py', 'from flask.json import provider')).toEqual(provider);
    // A script's own folder is on sys.path when it is not a package.
    expect(r.resolve('tests/test_basic.py', 'conftest')).toEqual(['tests/conftest.py']);
    expect(r.resolve('scripts/release.py', 'helpers')).toEqual(['scripts/helpers.py']);
    expect(r.resolve('src/flask/app.py', 'helpers')).toEqual([]); // Python 3: no implicit relative import
    expect(r.resolve('examples/tutorial/tests/test_db.py', 'flaskr.db')).toEqual(['examples/tutorial/flaskr/db.py']);
    expect(r.resolve('tests/test_basic.py', 'blueprintapp')).toEqual(['tests/test_apps/blueprintapp/__init__.py']);
  });

  it('a from-import counts the submodule it names, else the package (its __init__.py)', () => {
    expect(importsOf(r, 'tests/test_basic.py', 'from flask import json, Flask')).toEqual([
      'src/flask/__init__.py', // Flask is defined there
      'src/flask/json/__init__.py',
    ]);
    expect(importsOf(r, 'tests/test_basic.py', 'from flask import json')).toEqual(['src/flask/json/__init__.py']);
    // Consistent with `from flask.json.provider import X`: the module, not the packages above it.
    const provider = ['src/flask/json/provider.py'];
    expect(importsOf(r, 'tests/test_basic.py', 'from flask.json.provider import X')).toEqual(provider);
    expect(importsOf(r, 'src/flask/json/provider.py', 'from .. import helpers\nfrom . import *')).toEqual([
      'src/flask/helpers.py',
      'src/flask/json/__init__.py',
    ]);
  });

  it("pytest's src layout: `import warnings` in src/_pytest is not src/_pytest/warnings.py", () => {
    const pytest = createResolver({
      files: [
        'pyproject.toml',
        'src/pytest/__init__.py',
        'src/_pytest/__init__.py',
        'src/_pytest/warnings.py',
        'src/_pytest/pathlib.py',
        'src/_pytest/stash.py',
        'src/_pytest/main.py',
        'src/py.py',
        'testing/conftest.py',
        'testing/test_warnings.py',
      ],
      configs: { 'pyproject.toml': '[tool.setuptools.packages.find]\nwhere = ["src"]\n' },
    });
    const main = [
      'import warnings',
      'import pathlib',
      'from pathlib import Path',
      'from _pytest import stash',
      'from _pytest.pathlib import x',
    ].join('\n');
    expect(importsOf(pytest, 'src/_pytest/main.py', main)).toEqual(['src/_pytest/pathlib.py', 'src/_pytest/stash.py']);
    const test = 'import pytest\nimport warnings\nfrom _pytest.warnings import y';
    expect(importsOf(pytest, 'testing/test_warnings.py', test)).toEqual([
      'src/_pytest/warnings.py',
      'src/pytest/__init__.py',
    ]);
    expect(pytest.resolve('testing/test_warnings.py', 'py')).toEqual(['src/py.py']);
  });

  it('reads package folders from pyproject.toml and setup.cfg (namespace packages need them)', () => {
    const ns = createResolver({
      files: [
        'pyproject.toml',
        'lib/acme/plugins/tool.py',
        'tools/setup.cfg',
        'tools/code/widgets/gear.py',
        'apps/main.py',
      ],
      configs: {
        'pyproject.toml': '[tool.setuptools.packages.find]\nwhere = ["lib"]\n',
        'tools/setup.cfg': '[metadata]\nname = tools\n\n[options]\npackage_dir =\n    =code\n',
      },
    });
    expect(ns.resolve('apps/main.py', 'acme.plugins.tool')).toEqual(['lib/acme/plugins/tool.py']);
    expect(ns.resolve('apps/main.py', 'widgets.gear')).toEqual(['tools/code/widgets/gear.py']);
  });
});

describe('TS/JS: package.json imports and exports, workspace packages, reference paths', () => {
  it("svelte's #compiler/* subpath imports, with conditions, from the nearest package.json", () => {
    const svelte = createResolver({
      files: [
        'package.json',
        'pnpm-workspace.yaml',
        'packages/svelte/package.json',
        'packages/svelte/src/compiler/index.js',
        'packages/svelte/src/compiler/private.d.ts',
        'packages/svelte/src/compiler/utils/builders.js',
        'packages/svelte/src/compiler/phases/3-transform/client/visitors/IfBlock.js',
        'packages/svelte/src/internal/client/types.d.ts',
        'packages/svelte/src/internal/client/constants.js',
        'packages/svelte/src/internal/client/render.js',
        'packages/svelte/src/internal/shared/utils.js',
        'packages/svelte/tests/runtime/test.ts',
        'packages/svelte/tsconfig.json',
      ],
      configs: {
        'package.json': '{ "name": "svelte-monorepo", "private": true }',
        'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - playgrounds/*\n",
        'packages/svelte/package.json': JSON.stringify({
          name: 'svelte',
          type: 'module',
          exports: {
            '.': { types: './types/index.d.ts', default: './src/index-client.js' },
            './compiler': {
              types: './types/index.d.ts',
              require: './compiler/index.js',
              default: './src/compiler/index.js',
            },
            './internal/*': './src/internal/*.js',
          },
          imports: {
            '#client': './src/internal/client/types.d.ts',
            '#client/constants': './src/internal/client/constants.js',
            '#compiler': { types: './src/compiler/private.d.ts', default: './src/compiler/index.js' },
            '#compiler/builders': './src/compiler/utils/builders.js',
          },
        }),
        'packages/svelte/tsconfig.json': '{ "compilerOptions": { "allowJs": true } }',
      },
    });
    const visitor = 'packages/svelte/src/compiler/phases/3-transform/client/visitors/IfBlock.js';
    const source = "import * as b from '#compiler/builders';\nimport { x } from '#compiler';\n";
    expect(importsOf(svelte, visitor, source)).toEqual([
      'packages/svelte/src/compiler/index.js',
      'packages/svelte/src/compiler/utils/builders.js',
    ]);
    expect(svelte.resolve('packages/svelte/src/internal/client/render.js', '#client')).toEqual([
      'packages/svelte/src/internal/client/types.d.ts',
    ]);
    expect(svelte.resolve('packages/svelte/src/internal/client/render.js', '#client/constants')).toEqual([
      'packages/svelte/src/internal/client/constants.js',
    ]);
    expect(svelte.resolve('packages/svelte/src/internal/client/render.js', '#missing')).toEqual([]);
    // Self-reference through the package's own exports, a pattern and a missing subpath.
    expect(svelte.resolve('packages/svelte/tests/runtime/test.ts', 'svelte/compiler')).toEqual([
      'packages/svelte/src/compiler/index.js',
    ]);
    expect(svelte.resolve('packages/svelte/tests/runtime/test.ts', 'svelte/internal/shared/utils')).toEqual([
      'packages/svelte/src/internal/shared/utils.js',
    ]);
    expect(svelte.resolve('packages/svelte/tests/runtime/test.ts', 'svelte/nope')).toEqual([]);
  });

  // vitest: pnpm workspace; `vitest` builds dist/index.js from src/public/index.ts, which
  // only the workspace root's tsconfig.base.json says; @vitest/utils maps dist/ to src/.
  const vitestFiles = [
    'package.json',
    'pnpm-workspace.yaml',
    'tsconfig.base.json',
    'packages/vitest/package.json',
    'packages/vitest/index.cjs',
    'packages/vitest/index.d.cts',
    'packages/vitest/src/public/index.ts',
    'packages/vitest/src/public/node.ts',
    'packages/vitest/src/runtime/moduleRunner/moduleEvaluator.ts',
    'packages/vitest/src/node/core.ts',
    'packages/utils/package.json',
    'packages/utils/src/index.ts',
    'packages/utils/src/helpers.ts',
    'packages/legacy/package.json',
    'packages/legacy/lib/main.js',
    'test/browser/tsconfig.json',
    'test/browser/specs/runner.test.ts',
    'test/core/test/basic.test.ts',
    'test/core/test/globals.d.ts',
    'test/core/package.json',
  ];
  const vitestConfigs: Record<string, string> = {
    'package.json': '{ "name": "@vitest/monorepo", "private": true }',
    'pnpm-workspace.yaml': 'catalogMode: prefer\npackages:\n  - docs\n  - packages/*\n  - test/*\n',
    'tsconfig.base.json': `{
      "compilerOptions": {
        "paths": {
          "vitest": ["./packages/vitest/src/public/index.ts"],
          "vitest/*": ["./packages/vitest/src/public/*"],
        },
      },
    }`,
    'packages/vitest/package.json': JSON.stringify({
      name: 'vitest',
      exports: {
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './index.d.cts', default: './index.cjs' },
        },
        './node': { import: { types: './dist/node.d.ts', default: './dist/node.js' } },
      },
      imports: {
        '#module-evaluator': {
          __vitest_source__: './src/runtime/moduleRunner/moduleEvaluator.ts',
          types: './dist/module-evaluator.d.ts',
          default: './dist/module-evaluator.js',
        },
      },
    }),
    'packages/utils/package.json': JSON.stringify({
      name: '@vitest/utils',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './*': './dist/*.js' },
    }),
    'packages/legacy/package.json': '{ "name": "legacy-pkg", "main": "lib/main.js" }',
    'test/browser/tsconfig.json': '{ "compilerOptions": { "types": ["node"] } }',
    'test/core/package.json': '{ "name": "@vitest/test-core", "private": true }',
  };

  it("vitest's workspace package name resolves to its source, where the nearest tsconfig does not map it", () => {
    const r = createResolver({ files: vitestFiles, configs: vitestConfigs });
    expect(importsOf(r, 'test/browser/specs/runner.test.ts', "import { expect, test } from 'vitest'")).toEqual([
      'packages/vitest/src/public/index.ts',
    ]);
    expect(r.resolve('test/core/test/basic.test.ts', 'vitest')).toEqual(['packages/vitest/src/public/index.ts']);
    expect(r.resolve('test/core/test/basic.test.ts', 'vitest/node')).toEqual(['packages/vitest/src/public/node.ts']);
    // dist/ outputs map to their src/ counterparts.
    expect(r.resolve('test/core/test/basic.test.ts', '@vitest/utils')).toEqual(['packages/utils/src/index.ts']);
    expect(r.resolve('packages/vitest/src/node/core.ts', '@vitest/utils/helpers')).toEqual([
      'packages/utils/src/helpers.ts',
    ]);
    expect(r.resolve('packages/vitest/src/node/core.ts', '#module-evaluator')).toEqual([
      'packages/vitest/src/runtime/moduleRunner/moduleEvaluator.ts',
    ]);
    // Entry fields when there are no exports; unknown packages stay unresolved.
    expect(r.resolve('test/core/test/basic.test.ts', 'legacy-pkg')).toEqual(['packages/legacy/lib/main.js']);
    expect(r.resolve('test/core/test/basic.test.ts', 'vite')).toEqual([]);
    expect(r.resolve('test/core/test/basic.test.ts', '@vitest/monorepo')).toEqual([]); // the root is no member
  });

  it('reads npm/yarn `workspaces` in package.json, with negated globs', () => {
    const files = [
      'package.json',
      'libs/a/package.json',
      'libs/a/src/index.ts',
      'libs/skip/package.json',
      'libs/skip/src/index.ts',
      'apps/web/main.ts',
    ];
    const npm = createResolver({
      files,
      configs: {
        'package.json': '{ "workspaces": ["libs/*", "!libs/skip"] }',
        'libs/a/package.json': '{ "name": "@acme/a", "main": "dist/index.js" }',
        'libs/skip/package.json': '{ "name": "skip", "main": "src/index.ts" }',
      },
    });
    expect(npm.resolve('apps/web/main.ts', '@acme/a')).toEqual(['libs/a/src/index.ts']);
    expect(npm.resolve('apps/web/main.ts', 'skip')).toEqual([]);
    const yarn = createResolver({
      files,
      configs: {
        'package.json': '{ "workspaces": { "packages": ["libs/**"] } }',
        'libs/a/package.json': '{ "name": "@acme/a", "types": "./dist/index.d.ts" }',
      },
    });
    expect(yarn.resolve('apps/web/main.ts', '@acme/a')).toEqual(['libs/a/src/index.ts']);
  });

  it('keeps per-folder tsconfig paths first and follows /// <reference path>', () => {
    const r = createResolver({
      files: [...vitestFiles, 'packages/vitest/tsconfig.json', 'packages/vitest/src/paths.ts'],
      configs: {
        ...vitestConfigs,
        'packages/vitest/tsconfig.json': '{ "compilerOptions": { "paths": { "vitest": ["./src/paths.ts"] } } }',
      },
    });
    expect(r.resolve('packages/vitest/src/node/core.ts', 'vitest')).toEqual(['packages/vitest/src/paths.ts']);
    const source = '/// <reference path="globals.d.ts" />\n/// <reference types="node" />\nexport {};\n';
    expect(parseImports('test/core/test/basic.test.ts', source)).toEqual(['./globals.d.ts']);
    expect(importsOf(r, 'test/core/test/basic.test.ts', source)).toEqual(['test/core/test/globals.d.ts']);
  });

  it('reads the packages list of pnpm-workspace.yaml, block or flow, around other keys and comments', () => {
    const vitest = [
      'catalogMode: prefer',
      'trustPolicyExclude:',
      "  - '@wdio/types@9.29.1'",
      'packages:',
      '  # the libraries',
      '  - packages/*',
      "  - 'examples/*' # and examples",
      '  - "test/#odd/*"',
      '  -',
      '',
      "  - '!**/fixtures/**'",
      'catalog:',
      '  - not/this',
    ].join('\n');
    expect(pnpmWorkspacePackages(vitest)).toEqual(['packages/*', 'examples/*', 'test/#odd/*', '!**/fixtures/**']);
    expect(pnpmWorkspacePackages('packages: [\'a/*\', "b", c] # flow\n')).toEqual(['a/*', 'b', 'c']);
    expect(pnpmWorkspacePackages('onlyBuiltDependencies:\n  - esbuild\n')).toEqual([]);
    expect(pnpmWorkspacePackages('packages:\n')).toEqual([]);
  });

  it('asks for the package.json and workspace files it reads', () => {
    expect(configFilesWanted(vitestFiles)).toEqual([
      'package.json',
      'packages/legacy/package.json',
      'packages/utils/package.json',
      'packages/vitest/package.json',
      'pnpm-workspace.yaml',
      'test/browser/tsconfig.json',
      'test/core/package.json',
      'tsconfig.base.json',
    ]);
  });
});

describe('Rust: workspace crates and #[path] modules', () => {
  // ripgrep: the root package's binary lives in crates/core; crates are path dependencies
  // and workspace members; a member's name has a dash that code spells with `_`.
  const files = [
    'Cargo.toml',
    'crates/core/main.rs',
    'crates/core/flags/mod.rs',
    'crates/core/flags/parse.rs',
    'crates/core/index/mod.rs',
    'crates/core/index/enabled.rs',
    'crates/core/index/disabled.rs',
    'crates/grep/Cargo.toml',
    'crates/grep/src/lib.rs',
    'crates/cli/Cargo.toml',
    'crates/cli/src/lib.rs',
    'crates/cli/src/wtr.rs',
    'crates/globset/Cargo.toml',
    'crates/globset/src/lib.rs',
    'crates/globset/src/glob.rs',
    'crates/other/Cargo.toml',
    'crates/other/src/lib.rs',
  ];
  const configs = {
    'Cargo.toml': [
      '[package]',
      'name = "ripgrep"',
      'edition.workspace = true',
      '[[bin]]',
      'path = "crates/core/main.rs"',
      'name = "rg"',
      '[workspace]',
      'members = ["crates/globset", "crates/grep", "crates/cli"]',
      '[workspace.dependencies]',
      'globset = { path = "crates/globset" }',
      '[dependencies]',
      'grep = { version = "0.4.1", path = "crates/grep" }',
      'anyhow = "1.0.75"',
    ].join('\n'),
    'crates/grep/Cargo.toml': '[package]\nname = "grep"\n[dependencies]\ngrep-cli = { path = "../cli" }\n',
    'crates/cli/Cargo.toml': '[package]\nname = "grep-cli"\n[dependencies]\nglobset = { workspace = true }\n',
    'crates/globset/Cargo.toml': '[package]\nname = "globset"\n',
    'crates/other/Cargo.toml': '[package]\nname = "other"\n',
  };
  const r = createResolver({ files, configs });

  it("`use grep::…` in crates/core resolves to crates/grep's library root", () => {
    const source = 'use grep::{printer, searcher::Searcher};\nuse anyhow::Result;\n';
    expect(importsOf(r, 'crates/core/flags/parse.rs', source)).toEqual(['crates/grep/src/lib.rs']);
    // A member's dashed name, spelled with `_`; workspace = true; modules inside the crate.
    expect(r.resolve('crates/core/main.rs', 'grep_cli::wtr::StandardStream')).toEqual(['crates/cli/src/wtr.rs']);
    expect(r.resolve('crates/cli/src/lib.rs', 'globset::glob::Glob')).toEqual(['crates/globset/src/glob.rs']);
    expect(r.resolve('crates/grep/src/lib.rs', 'grep_cli')).toEqual(['crates/cli/src/lib.rs']);
    // Not a dependency and not a member: unresolved.
    expect(r.resolve('crates/core/main.rs', 'other::Thing')).toEqual([]);
    // A local module wins over a crate of the same name.
    expect(r.resolve('crates/core/main.rs', 'flags::parse')).toEqual(['crates/core/flags/parse.rs']);
  });

  it('counts qualified paths in code (`grep::printer::Stats` without a `use`), not types or std', () => {
    const source = [
      'fn show(stats: &grep::printer::Stats) -> Vec<u8> {',
      '    let enc = grep::searcher::Encoding::new("utf-16");',
      '    let v = Vec::new(); let s = Self::X; std::fs::read("x");',
      '    crate::flags::parse::run(); v',
      '}',
    ].join('\n');
    expect(parseImports('crates/core/main.rs', source)).toEqual([
      'grep::printer::Stats',
      'grep::searcher::Encoding::new',
      'crate::flags::parse::run',
    ]);
    expect(importsOf(r, 'crates/core/main.rs', source)).toEqual([
      'crates/core/flags/parse.rs',
      'crates/grep/src/lib.rs',
    ]);
  });

  it('follows #[path = "…"] mod declarations, relative to the declaring file', () => {
    const source = [
      '#[cfg(not(feature = "index"))]',
      '#[path = "disabled.rs"]',
      'mod imp;',
      '#[cfg(feature = "index")]',
      '#[path = "enabled.rs"]',
      'pub(crate) mod imp;',
      'mod plain;',
    ].join('\n');
    expect(parseImports('crates/core/index/mod.rs', source)).toEqual([
      'modpath:disabled.rs',
      'modpath:enabled.rs',
      'mod:plain',
    ]);
    expect(importsOf(r, 'crates/core/index/mod.rs', source)).toEqual([
      'crates/core/index/disabled.rs',
      'crates/core/index/enabled.rs',
    ]);
    expect(r.resolve('crates/core/index/mod.rs', 'modpath:../../../../outside.rs')).toEqual([]);
  });
});
