// End to end: hubs, risk files and --detail for each language the import graph reads,
// on real repositories holding TypeScript/JavaScript (with .vue and .svelte components), Python, Go and Rust.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, fileDetail, type Artifact } from '../../src/schema/artifact.js';
import { FIXED_NOW, runJson, Scratch, type GitRepo } from './helpers.js';

const env = { HANDOFF_NOW: FIXED_NOW };

const TREE = {
  // TypeScript / JavaScript: .js specifier naming a .ts source, extension guessing,
  // CommonJS, re-export, dynamic import, index files and tsconfig paths.
  'tsconfig.json':
    '{\n  // comments and trailing commas are allowed\n  "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] }, },\n}\n',
  'src/ts/hub.ts': 'export const hub = 1;\n',
  'src/ts/a.ts': "import { hub } from './hub.js';\nexport const a = hub;\n",
  'src/ts/b.ts': "import { hub } from './hub';\nexport const b = hub;\n",
  'src/ts/c.js': "const { hub } = require('./hub');\nmodule.exports = hub;\n",
  'src/ts/d.ts': "export * from './hub.js';\n",
  'src/ts/e.ts': "export const load = () => import('./hub.js');\n",
  'src/lib/util/index.ts': 'export const util = 1;\n',
  'src/ts/f.ts': "import { util } from '@lib/util';\nexport const f = util;\n",
  'src/ts/g.ts': "import { util } from '../lib/util';\nexport const g = util;\n",
  'src/ts/h.ts':
    "// import { nope } from './hub.js' is a comment, not an import\nimport { util } from '@lib/util/index.js';\nexport const h = util;\n",
  // Python: absolute, from-import, package-relative and parent-relative.
  'py/pkg/__init__.py': '',
  'py/pkg/core.py': 'VALUE = 1\n',
  'py/app/a.py': 'from pkg import core\n',
  'py/app/b.py': 'import pkg.core as c\n',
  'py/pkg/c.py': 'from . import core\n',
  'py/pkg/sub/__init__.py': '',
  'py/pkg/sub/d.py': 'from ..core import VALUE\n"""import pkg.nothing — a docstring, not an import"""\n',
  // Go: the module's packages, resolved through go.mod.
  'go.mod': 'module example.com/m\n\ngo 1.22\n',
  'internal/util/util.go': 'package util\n\nfunc Util() int { return 1 }\n',
  'internal/util/util_test.go': 'package util\n',
  'cmd/a/main.go': 'package main\n\nimport "example.com/m/internal/util"\n\nfunc main() { util.Util() }\n',
  'cmd/b/main.go':
    'package main\n\nimport (\n\t"fmt"\n\tu "example.com/m/internal/util"\n)\n\nfunc main() { fmt.Println(u.Util()) }\n',
  'cmd/c/main.go': 'package main\n\nimport _ "example.com/m/internal/util"\n\nfunc main() {}\n',
  // Rust: mod declarations and crate:: / super:: paths.
  'rs/Cargo.toml': '[package]\nname = "r"\n',
  'rs/src/lib.rs': 'mod shared;\nmod a;\nmod b;\n',
  'rs/src/shared.rs': 'pub fn thing() {}\n',
  'rs/src/a.rs': 'use crate::shared::thing;\n',
  'rs/src/b.rs': 'use super::shared;\n',
};

describe('handoff: import graph per language', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let result: Artifact;

  beforeAll(() => {
    repo = scratch.repo(TREE);
    repo.git('checkout', '-q', '-b', 'feature');
    // Touch each language's hub so it is a changed file, hence a risk file.
    repo.write({
      'src/ts/hub.ts': 'export const hub = 2;\n',
      'src/lib/util/index.ts': 'export const util = 2;\n',
      'py/pkg/core.py': 'VALUE = 2\n',
      'internal/util/util.go': 'package util\n\nfunc Util() int { return 2 }\n',
      'rs/src/shared.rs': 'pub fn thing() { }\n',
    });
    repo.commit('touch hubs');
    result = runJson(artifact, ['--json', '--no-save'], { cwd: repo.dir, env });
  });
  afterAll(() => scratch.cleanup());

  const hub = (path: string): number | undefined => result.prefix.hubs.find((h) => h.path === path)?.importers;
  const risk = (path: string): number | undefined => result.delta.risk_files.find((r) => r.path === path)?.importers;

  it('finds every language and counts it', () => {
    expect(result.prefix.languages).toMatchObject({ TypeScript: expect.any(Number), Python: 7, Go: 5, Rust: 4 });
  });

  it('TypeScript/JavaScript: .js → .ts, extension guessing, require, export-from, dynamic import', () => {
    expect(hub('src/ts/hub.ts')).toBe(5);
    expect(risk('src/ts/hub.ts')).toBe(5);
  });

  it('TypeScript: tsconfig paths, index files and relative directories', () => {
    expect(hub('src/lib/util/index.ts')).toBe(3);
  });

  it('Python: absolute, from-import, relative and parent-relative imports', () => {
    expect(hub('py/pkg/core.py')).toBe(4);
  });

  it('Go: packages of the go.mod module, one hub per package (test files are not the package)', () => {
    const util = result.prefix.hubs.find((h) => h.path === 'internal/util');
    expect(util).toEqual({ path: 'internal/util', importers: 3, files: 1 });
    expect(hub('internal/util/util.go')).toBeUndefined();
    expect(hub('internal/util/util_test.go')).toBeUndefined();
    expect(result.delta.risk_files.find((r) => r.path === 'internal/util')).toMatchObject({ importers: 3, files: 1 });
  });

  it('Rust: mod declarations, crate:: and super:: paths', () => {
    expect(hub('rs/src/shared.rs')).toBe(3);
  });

  it('--detail lists the importers and imports of a changed file', () => {
    const detail = runJson(fileDetail, ['--detail', 'py/pkg/core.py', '--json'], { cwd: repo.dir, env });
    expect(detail.importers).toEqual(['py/app/a.py', 'py/app/b.py', 'py/pkg/c.py', 'py/pkg/sub/d.py']);
    expect(detail.is_hub).toBe(true);
    const go = runJson(fileDetail, ['--detail', 'internal/util/util.go', '--json'], { cwd: repo.dir, env });
    expect(go.importers).toEqual(['cmd/a/main.go', 'cmd/b/main.go', 'cmd/c/main.go']);
  });

  it('follows the working tree: a new importer counts, a removed import stops counting', () => {
    repo.write({ 'src/ts/new.ts': "import { hub } from './hub.js';\n", 'src/ts/a.ts': 'export const a = 0;\n' });
    const now = runJson(artifact, ['--json', '--no-save'], { cwd: repo.dir, env });
    expect(now.delta.risk_files.find((r) => r.path === 'src/ts/hub.ts')?.importers).toBe(5);
    const detail = runJson(fileDetail, ['--detail', 'src/ts/hub.ts', '--json'], { cwd: repo.dir, env });
    expect(detail.importers).toEqual(['src/ts/b.ts', 'src/ts/c.js', 'src/ts/d.ts', 'src/ts/e.ts', 'src/ts/new.ts']);
    // The prefix describes the base commit and does not move.
    expect(now.prefix_hash).toBe(result.prefix_hash);
  });
});

// Shapes of real repositories whose imports the resolver got wrong (issue 8): flask's
// stdlib `typing` inside src/flask, svelte's `#compiler/*` subpath imports, vitest's
// workspace package name, ripgrep's workspace crates and `#[path]` modules.
const MONOREPO = {
  // flask: src layout; only the package-relative imports reach src/flask/typing.py.
  'pyproject.toml': '[project]\nname = "Flask"\n',
  'src/flask/__init__.py': 'from .app import Flask\n',
  'src/flask/typing.py': 'import typing as t\nResponseValue = t.Any\n',
  'src/flask/app.py': 'import typing as t\nfrom . import typing as ft\n',
  'src/flask/ctx.py': 'import typing as t\n',
  'src/flask/helpers.py': 'import typing as t\nimport json\n',
  'src/flask/views.py': 'import typing as t\nfrom . import typing as ft\n',
  'src/flask/wrappers.py': 'from .typing import ResponseValue\n',
  'tests/test_basic.py': 'import typing as t\nimport flask\n',
  // svelte: a pnpm workspace whose package maps #compiler/* in package.json "imports".
  'package.json': '{ "name": "monorepo", "private": true }\n',
  'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n",
  'packages/svelte/package.json': JSON.stringify({
    name: 'svelte',
    imports: {
      '#compiler/builders': './src/compiler/utils/builders.js',
      '#compiler': { types: './x.d.ts', default: './src/compiler/index.js' },
    },
  }),
  'packages/svelte/src/compiler/index.js': "export * as b from '#compiler/builders';\n",
  'packages/svelte/src/compiler/utils/builders.js': 'export const id = (n) => n;\n',
  'packages/svelte/src/compiler/phases/IfBlock.js': "import * as b from '#compiler/builders';\n",
  'packages/svelte/src/compiler/phases/EachBlock.js': "import * as b from '#compiler/builders';\n",
  'packages/svelte/src/compiler/phases/Component.js': "import * as b from '#compiler/builders';\nimport '#compiler';\n",
  // vitest: test packages import the workspace package `vitest` (exports → dist → src).
  'packages/vitest/package.json': JSON.stringify({
    name: 'vitest',
    exports: { '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' } } },
  }),
  'packages/vitest/src/index.ts': 'export const test = 1;\n',
  'packages/examples/package.json': '{ "name": "examples" }\n',
  'packages/examples/basic.test.ts': "import { test } from 'vitest';\n",
  'packages/examples/other.test.ts': "import { test } from 'vitest';\n",
  'packages/examples/third.test.js': "const { test } = require('vitest');\n",
  // ripgrep: crates/core (the root package's binary) uses the grep crate.
  'Cargo.toml':
    '[package]\nname = "ripgrep"\n[[bin]]\npath = "crates/core/main.rs"\nname = "rg"\n' +
    '[workspace]\nmembers = ["crates/grep"]\n[dependencies]\ngrep = { version = "0.4", path = "crates/grep" }\n',
  'crates/grep/Cargo.toml': '[package]\nname = "grep"\n',
  'crates/grep/src/lib.rs': 'pub mod printer {}\n',
  'crates/core/main.rs': 'mod search;\nmod flags;\nuse grep::printer;\n',
  'crates/core/search.rs': 'use grep::printer::Standard;\n',
  'crates/core/flags/mod.rs': '#[path = "parse_impl.rs"]\nmod parse;\nuse grep::printer;\n',
  'crates/core/flags/parse_impl.rs': 'use grep::printer;\n',
};

describe('handoff: import graph on monorepo shapes from real repositories', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let result: Artifact;

  beforeAll(() => {
    repo = scratch.repo(MONOREPO);
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({
      'src/flask/typing.py': 'import typing as t\nResponseValue = t.Optional[t.Any]\n',
      'packages/svelte/src/compiler/utils/builders.js': 'export const id = (node) => node;\n',
      'packages/vitest/src/index.ts': 'export const test = 2;\n',
      'crates/grep/src/lib.rs': 'pub mod printer { }\n',
    });
    repo.commit('touch hubs');
    result = runJson(artifact, ['--json', '--no-save'], { cwd: repo.dir, env });
  });
  afterAll(() => scratch.cleanup());

  const hub = (path: string): number | undefined => result.prefix.hubs.find((h) => h.path === path)?.importers;
  const importers = (path: string): string[] =>
    runJson(fileDetail, ['--detail', path, '--json'], { cwd: repo.dir, env }).importers;

  it('Python: `import typing` inside src/flask is the standard library (was 5 importers, now 3)', () => {
    expect(hub('src/flask/typing.py')).toBe(3);
    expect(importers('src/flask/typing.py')).toEqual([
      'src/flask/app.py',
      'src/flask/views.py',
      'src/flask/wrappers.py',
    ]);
  });

  it('TypeScript/JavaScript: #compiler/* subpath imports (was 0 importers, now 4)', () => {
    expect(hub('packages/svelte/src/compiler/utils/builders.js')).toBe(4);
    const builders = 'packages/svelte/src/compiler/utils/builders.js';
    expect(result.delta.risk_files.find((r) => r.path === builders)?.importers).toBe(4);
  });

  it('TypeScript/JavaScript: a workspace package name reaches its src/ entry (was 0 importers, now 3)', () => {
    expect(importers('packages/vitest/src/index.ts')).toEqual([
      'packages/examples/basic.test.ts',
      'packages/examples/other.test.ts',
      'packages/examples/third.test.js',
    ]);
  });

  it('Rust: `use grep::…` across workspace crates and #[path] modules (was 0 importers, now 4)', () => {
    expect(hub('crates/grep/src/lib.rs')).toBe(4);
    expect(importers('crates/grep/src/lib.rs')).toEqual([
      'crates/core/flags/mod.rs',
      'crates/core/flags/parse_impl.rs',
      'crates/core/main.rs',
      'crates/core/search.rs',
    ]);
  });
});

// Single-file components import like TS/JS (their <script> elements): vitest's `.vue` test
// components import the workspace package `vitest`, svelte's test components import the
// runtime by relative `.js` path and each other by `.svelte` name.
const COMPONENTS = {
  'package.json': '{ "name": "@vitest/monorepo", "private": true }\n',
  'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - 'test/*'\n",
  'tsconfig.base.json': '{ "compilerOptions": { "paths": { "vitest": ["./packages/vitest/src/public/index.ts"] } } }\n',
  'packages/vitest/package.json': JSON.stringify({
    name: 'vitest',
    exports: { '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' } } },
  }),
  'packages/vitest/src/public/index.ts': 'export const test = 1;\n',
  'test/core/package.json': '{ "name": "@vitest/test-core", "private": true }\n',
  'test/core/test/basic.test.ts': "import { test } from 'vitest';\n",
  'test/core/test/Hello.vue':
    "<script setup lang=\"ts\">\nimport { test } from 'vitest'\nimport Other from './Other.vue'\n</script>\n" +
    '<template>\n  <Other />\n</template>\n',
  'test/core/test/Other.vue': '<template>\n  <p>other</p>\n</template>\n',
  'packages/svelte/package.json': '{ "name": "svelte" }\n',
  'packages/svelte/src/internal/client/render.js': 'export const flush = () => {};\n',
  'packages/svelte/tests/runtime/samples/each/main.svelte':
    "<script>\n\timport Item from './Item.svelte';\n" +
    "\timport { flush } from '../../../../src/internal/client/render.js';\n" +
    '</script>\n\n{#each [1, 2] as n}<Item {n} />{/each}\n',
  'packages/svelte/tests/runtime/samples/each/Item.svelte':
    '<script>\n\tlet { n } = $props();\n</script>\n<p>{n}</p>\n',
};

describe('handoff: imports of .vue and .svelte components', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;

  beforeAll(() => {
    repo = scratch.repo(COMPONENTS);
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({
      'packages/vitest/src/public/index.ts': 'export const test = 2;\n',
      'test/core/test/Other.vue': '<template>\n  <p>other!</p>\n</template>\n',
      'packages/svelte/src/internal/client/render.js': 'export const flush = () => 0;\n',
      'packages/svelte/tests/runtime/samples/each/Item.svelte':
        '<script>\n\tlet { n } = $props();\n</script>\n<b>{n}</b>\n',
    });
    repo.commit('touch imported files');
  });
  afterAll(() => scratch.cleanup());

  const importers = (path: string): string[] =>
    runJson(fileDetail, ['--detail', path, '--json'], { cwd: repo.dir, env }).importers;

  it("vitest: a .vue test component imports 'vitest' and ./Other.vue (was 1 and 0 importers)", () => {
    expect(importers('packages/vitest/src/public/index.ts')).toEqual([
      'test/core/test/Hello.vue',
      'test/core/test/basic.test.ts',
    ]);
    expect(importers('test/core/test/Other.vue')).toEqual(['test/core/test/Hello.vue']);
  });

  it('svelte: a .svelte component imports a relative .js and another .svelte (was 0 importers each)', () => {
    const sample = 'packages/svelte/tests/runtime/samples/each';
    expect(importers('packages/svelte/src/internal/client/render.js')).toEqual([`${sample}/main.svelte`]);
    expect(importers(`${sample}/Item.svelte`)).toEqual([`${sample}/main.svelte`]);
  });

  it('an untracked component in the working tree counts too', () => {
    repo.write({ 'test/core/test/New.vue': "<script setup>\nimport { test } from 'vitest'\n</script>\n" });
    expect(importers('packages/vitest/src/public/index.ts')).toEqual([
      'test/core/test/Hello.vue',
      'test/core/test/New.vue',
      'test/core/test/basic.test.ts',
    ]);
  });
});
