// How a handoff bundle is built (esbuild), shared by the CLI build and the test-only
// entries (scripts/build-test.mjs): one CommonJS file per entry, which bin/load.js compiles
// with a V8 code cache made here (scripts/code-cache.cjs). One file, not chunks: the code
// cache makes the part a command never runs nearly free (a hook's main thread still runs
// only its own modules' top level, as each dynamic import becomes a lazy initialiser).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CODE_CACHE = fileURLToPath(new URL('./code-cache.cjs', import.meta.url));
// The build id's line and length, and its check, are the loader's (bin/load.js).
const { BUILD_MARK, ID_LENGTH, cacheFor } = createRequire(import.meta.url)('../bin/load.js');

/**
 * Makes `outdir` hold exactly the bundles of `entryPoints` (name → source file) as
 * `<name>.cjs` with its source map and code cache, and the `files` given (name → text).
 * Files whose bytes are unchanged are left alone and the others replaced by rename, so a
 * build while another process runs the previous one (two vitest runs at once) never pulls a
 * file from under it: a process that reads the new bundle beside the old cache sees their
 * build ids differ and compiles without it. Files no longer produced are removed last.
 */
export async function bundle(entryPoints, outdir, files = {}) {
  const { outputFiles } = await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.cjs' },
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Smaller source, less to read and hash; names stay (error classes, stack traces).
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'ascii',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    // jsonc-parser's UMD build (its "main") require()s its own files at run time, which a
    // bundle cannot serve; its ESM build (its "module") bundles whole.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    // setup/targets.ts finds the package from its own module's URL. The banner comes before
    // esbuild's own "use strict", so it carries the directive that makes the file strict.
    define: { 'import.meta.url': '__handoff_module_url' },
    banner: { js: '"use strict";' + "var __handoff_module_url=require('node:url').pathToFileURL(__filename).href;" },
  });
  const wanted = new Set();
  const bundles = [];
  for (const file of outputFiles) {
    let contents = file.contents;
    if (file.path.endsWith('.cjs')) {
      if (contents.some((byte) => byte > 0x7f)) throw new Error(`${file.path} is not ASCII (bin/load.js reads latin1)`);
      const id = createHash('sha256').update(contents).digest('hex').slice(0, ID_LENGTH);
      contents = Buffer.concat([contents, Buffer.from(`${BUILD_MARK}${id}\n`)]);
      bundles.push({ path: file.path, id });
    }
    wanted.add(file.path);
    writeIfChanged(file.path, contents);
  }
  for (const [name, text] of Object.entries(files)) {
    const path = resolve(outdir, name);
    wanted.add(path);
    writeIfChanged(path, Buffer.from(text));
  }
  for (const { path, id } of bundles) {
    wanted.add(`${path}.cache`);
    if (cacheFor(path, id) === undefined)
      execFileSync(process.execPath, [CODE_CACHE, path], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  for (const path of filesUnder(resolve(outdir))) if (!wanted.has(path)) rmSync(path, { force: true });
  removeEmptyDirs(resolve(outdir));
}

/** Folders an earlier layout left (dist/chunks/), once their files are gone. */
function removeEmptyDirs(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    removeEmptyDirs(join(dir, entry.name));
    try {
      rmdirSync(join(dir, entry.name));
    } catch {
      // not empty
    }
  }
}

function writeIfChanged(path, contents) {
  if (sameBytes(path, contents)) return;
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
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
