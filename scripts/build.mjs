// Bundles the CLI into one ESM file so `npx handoff` starts without resolving
// hundreds of modules. Runs from `npm install` (prepare) and `npm test`.
// Split into chunks so a hook's main thread loads only what it needs (the hook program
// and its runner), and its worker the rest.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { handoff: 'src/main.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // jsonc-parser's UMD build (its "main") require()s its own files at run time, which a
  // bundle cannot serve; its ESM build (its "module") bundles whole.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
