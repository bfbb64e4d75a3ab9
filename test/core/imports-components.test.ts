// Imports of single-file components (.vue, .svelte, .astro): the script blocks an HTML
// tokenizer would split out, Astro's frontmatter, `<script src>` as an import, and their
// resolution — shaped like vitest's `.vue` test components and svelte's own components.
import { describe, expect, it } from 'vitest';
import { componentScripts } from '../../src/core/imports/component/extract.js';
import { importLanguage } from '../../src/core/imports/languages.js';
import { parseImports } from '../../src/core/imports/parse.js';
import { createResolver, resolveImports } from '../../src/core/imports/resolve.js';

describe('components: which files are read', () => {
  it('maps .vue, .svelte and .astro to their own import languages', () => {
    expect(importLanguage('src/App.vue')).toBe('vue');
    expect(importLanguage('src/routes/+page.svelte')).toBe('svelte');
    expect(importLanguage('src/pages/index.astro')).toBe('astro');
  });
});

describe('components: script blocks of Vue and Svelte', () => {
  it('reads <script> and <script setup lang="ts"> of a Vue component, not its template', () => {
    const vue = [
      '<script lang="ts">',
      "import { defineComponent } from 'vue';",
      "export { helper } from './helper';",
      '</script>',
      '<script setup lang="ts">',
      "import { expect, test } from 'vitest';",
      "import Other from './Other.vue';",
      "const Lazy = () => import('./Lazy.vue');",
      '</script>',
      '<template>',
      "  <div :title=\"'import x from \\'./not-this\\''\">import y from './nor-this'</div>",
      '</template>',
      '<style scoped>.a { color: red }</style>',
    ].join('\n');
    expect(parseImports('test/Hello.vue', vue)).toEqual(['vue', './helper', 'vitest', './Other.vue', './Lazy.vue']);
  });

  it('reads the instance and module scripts of a Svelte component (context="module" and module)', () => {
    const svelte = [
      '<script context="module">',
      "  import { writable } from 'svelte/store';",
      '</script>',
      '<script module lang="ts">',
      "  export { x } from './x.js';",
      '</script>',
      '<script>',
      "  import Child from './Child.svelte';",
      "  import { flip } from 'svelte/animate';",
      '</script>',
      "{#if a > b}<Child on:click={() => import('./not-code.js')} />{/if}",
    ].join('\n');
    expect(parseImports('src/App.svelte', svelte)).toEqual([
      'svelte/store',
      './x.js',
      './Child.svelte',
      'svelte/animate',
    ]);
  });

  it('counts <script src> as an import of that file, in file order', () => {
    const vue = '<template><p/></template>\n<script src="./logic.ts"></script>\n<script setup>import "./b";</script>\n';
    expect(parseImports('a/C.vue', vue)).toEqual(['./logic.ts', './b']);
    // Self-closing, as the component compilers read it; the text of a `src` script is ignored, as browsers do.
    expect(parseImports('a/D.vue', "<script src='./d.ts' />\n<script src=./e.ts>import './no';</script>")).toEqual([
      './d.ts',
      './e.ts',
    ]);
  });

  it('keeps a `>` inside a quoted attribute value (Vue `generic`)', () => {
    const vue = '<script setup lang="ts" generic="T extends Record<string, number>, U">\nimport "./typed";\n</script>';
    expect(componentScripts(vue, false)).toEqual([{ code: '\nimport "./typed";\n' }]);
    expect(parseImports('G.vue', vue)).toEqual(['./typed']);
  });

  it('ends a script at `</script` even inside a string, as browsers, Vue and Svelte do', () => {
    const svelte = "<script>\nimport './a';\nconst s = '</script>';\nimport './not-code';\n</script>";
    expect(parseImports('S.svelte', svelte)).toEqual(['./a']);
    // Case-insensitive and with a space or `/` before `>`; `</scripts>` does not end it.
    expect(parseImports('T.svelte', "<script>import './a'; // </scripts>\nimport './b';</SCRIPT >")).toEqual([
      './a',
      './b',
    ]);
  });

  it('ignores <script> inside HTML comments and in text elements, not comments inside a script', () => {
    const vue = [
      '<!-- <script>import "./commented";</script> -->',
      '<!---->',
      '<textarea><script>import "./text"</script></textarea>',
      '<script>',
      '<!-- import "./html-comment-in-script-is-code" -->',
      'import "./real";',
      '</script>',
    ].join('\n');
    expect(parseImports('C.vue', vue)).toEqual(['./html-comment-in-script-is-code', './real']);
  });

  it('reads CRLF files', () => {
    const vue = '<script setup lang="ts">\r\nimport A from "./A.vue"\r\nimport { ref } from \'vue\'\r\n</script>\r\n';
    expect(parseImports('W.vue', vue)).toEqual(['./A.vue', 'vue']);
    const astro = '---\r\nimport Layout from "../layouts/Layout.astro";\r\n---\r\n<Layout />\r\n';
    expect(parseImports('src/pages/w.astro', astro)).toEqual(['../layouts/Layout.astro']);
  });

  it('reads an unterminated script to the end of the text, and drops a start tag that never closes', () => {
    expect(parseImports('U.svelte', "<script>\nimport './a';\nimport './b';")).toEqual(['./a', './b']);
    expect(parseImports('V.svelte', '<script src="./cut.js"')).toEqual([]);
    expect(parseImports('V.svelte', '<!-- <script>import "./x"</script>')).toEqual([]);
  });

  it('reads only the first 256 KiB of a huge component', () => {
    const filler = `// ${'x'.repeat(1000)}\n`.repeat(300); // ~300 KB of comment lines
    const huge = `<script>\nimport './early';\n${filler}import './late';\n</script>\n`;
    expect(parseImports('Huge.vue', huge)).toEqual(['./early']);
  });

  it('takes a `<Script>` component for a component, not a script element', () => {
    expect(parseImports('P.svelte', "<Script>import './no';</Script><script>import './yes';</script>")).toEqual([
      './yes',
    ]);
  });
});

describe('components: Astro', () => {
  it('reads the frontmatter and every <script> element, not the markup', () => {
    const astro = [
      '---',
      "import Layout from '../layouts/Layout.astro';",
      "import { getCollection } from 'astro:content';",
      "const title = 'a --- b';",
      '---',
      '<Layout title={title}>',
      "  <p>import x from './not-this'</p>",
      '</Layout>',
      '<script>',
      "  import { init } from '../scripts/menu';",
      '</script>',
      '<script src="../scripts/analytics.ts"></script>',
    ].join('\n');
    expect(parseImports('src/pages/index.astro', astro)).toEqual([
      '../layouts/Layout.astro',
      'astro:content',
      '../scripts/menu',
      '../scripts/analytics.ts',
    ]);
  });

  it('has no frontmatter unless the file opens with `---`; an unclosed one runs to the end', () => {
    expect(parseImports('a.astro', "<p>x</p>\n---\nimport './no';\n---\n")).toEqual([]);
    expect(parseImports('b.astro', "\uFEFF\n---\nimport './yes';\n")).toEqual(['./yes']);
  });
});

describe('components: resolution', () => {
  const files = [
    'package.json',
    'pnpm-workspace.yaml',
    'tsconfig.base.json',
    'packages/vitest/package.json',
    'packages/vitest/src/public/index.ts',
    'test/core/package.json',
    'test/core/test/Hello.vue',
    'test/core/test/Other.vue',
    'test/core/test/helper.ts',
    'packages/svelte/package.json',
    'packages/svelte/src/index-client.js',
    'packages/svelte/src/lib/Button.svelte',
    'packages/svelte/src/lib/Card.svelte',
    'packages/svelte/src/lib/util.js',
    'packages/svelte/tsconfig.json',
  ];
  const configs = {
    'package.json': '{ "name": "@vitest/monorepo", "private": true }',
    'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - 'test/*'\n",
    // As vitest's own: the package name mapped to its source entry at the workspace root.
    'tsconfig.base.json': '{ "compilerOptions": { "paths": { "vitest": ["./packages/vitest/src/public/index.ts"] } } }',
    'packages/vitest/package.json': JSON.stringify({
      name: 'vitest',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    }),
    'test/core/package.json': '{ "name": "@vitest/test-core", "private": true }',
    'packages/svelte/package.json': JSON.stringify({ name: 'svelte', exports: { '.': './src/index-client.js' } }),
    'packages/svelte/tsconfig.json': '{ "compilerOptions": { "paths": { "$lib/*": ["./src/lib/*"] } } }',
  };
  const r = createResolver({ files, configs });
  const importsOf = (from: string, source: string): string[] => resolveImports(r, from, parseImports(from, source));

  it('vitest: a .vue test component reaches the workspace package `vitest` and another .vue file', () => {
    const vue = `<script setup lang="ts">\nimport { test } from 'vitest'\nimport Other from './Other.vue'\n</script>\n`;
    expect(importsOf('test/core/test/Hello.vue', vue)).toEqual([
      'packages/vitest/src/public/index.ts',
      'test/core/test/Other.vue',
    ]);
  });

  it('svelte: explicit .svelte and .js specifiers, `$lib` through tsconfig paths, the package by name', () => {
    const svelte = [
      '<script>',
      "  import Button from './Button.svelte';",
      "  import { u } from '$lib/util.js';",
      "  import { mount } from 'svelte';",
      '</script>',
    ].join('\n');
    expect(importsOf('packages/svelte/src/lib/Card.svelte', svelte)).toEqual([
      'packages/svelte/src/index-client.js',
      'packages/svelte/src/lib/Button.svelte',
      'packages/svelte/src/lib/util.js',
    ]);
    expect(r.resolve('packages/svelte/src/lib/util.js', '$lib/Card.svelte')).toEqual([
      'packages/svelte/src/lib/Card.svelte',
    ]);
  });

  it('never guesses a component extension: `./Button` does not name Button.svelte', () => {
    expect(r.resolve('packages/svelte/src/lib/Card.svelte', './Button')).toEqual([]);
    expect(r.resolve('test/core/test/helper.ts', './Other')).toEqual([]);
    expect(r.resolve('test/core/test/helper.ts', './Other.vue')).toEqual(['test/core/test/Other.vue']);
  });
});
