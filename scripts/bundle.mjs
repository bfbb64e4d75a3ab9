// How a handoff bundle is built (esbuild), shared by the CLI build and the test-only
// entries (scripts/build-test.mjs): one ESM file per entry, split into chunks so a hook's
// main thread loads only what it needs (the hook program and its runner), and its worker
// the rest.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * Makes `outdir` hold exactly the bundles of `entryPoints` (name → source file). Files whose
 * bytes are unchanged are left alone and the others replaced by rename, so a build while
 * another process runs the previous one (two vitest runs at once) never pulls a file from
 * under it; files no longer produced are removed last.
 */
export async function bundle(entryPoints, outdir) {
  const { outputFiles } = await build({
    entryPoints,
    outdir,
    write: false,
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
  const wanted = new Set();
  for (const file of outputFiles) {
    wanted.add(file.path);
    if (sameBytes(file.path, file.contents)) continue;
    mkdirSync(dirname(file.path), { recursive: true });
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
  for (const path of filesUnder(resolve(outdir))) if (!wanted.has(path)) rmSync(path, { force: true });
}

function sameBytes(path, contents) {
  try {
    return Buffer.compare(readFileSync(path), contents) === 0;
  } catch {
    return false;
  }
}

function filesUnder(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}
