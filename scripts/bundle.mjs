// How a handoff bundle is built (esbuild), shared by the CLI build and the test-only
// entries (scripts/build-test.mjs): one ESM file per entry, split into chunks so a hook's
// main thread loads only what it needs (the hook program and its runner), and its worker
// the rest.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/** Replaces `outdir` with the bundles of `entryPoints` (name → source file). */
export async function bundle(entryPoints, outdir) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir,
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
}
