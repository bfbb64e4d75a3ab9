'use strict';
// Loads a bundle built by scripts/bundle.mjs (one CommonJS file) with the V8 code cache the
// build made beside it, so a process skips parsing and compiling what it runs: a fifth or
// more of the CPU of a short command. CommonJS (bin/package.json), because an ES module entry
// starts Node's module loader first. A cache is used only when it was made from these very
// bytes (the build id both files carry) — V8 itself checks the length of the source, not its
// content — and V8 rejects one made by another Node; without one the bundle compiles as usual.
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

/** The bundle's last line, `//# handoff-build=<id>`, and the first bytes of its cache. */
const BUILD_MARK = '//# handoff-build=';
const ID_LENGTH = 16;

/** The build id at the end of `source`, or undefined. */
function buildIdOf(source) {
  const at = source.lastIndexOf(BUILD_MARK);
  return at < 0 ? undefined : source.slice(at + BUILD_MARK.length, at + BUILD_MARK.length + ID_LENGTH);
}

/** The code cache beside the bundle `file` if it was made from the build `id`, else undefined. */
function cacheFor(file, id) {
  if (id === undefined) return undefined;
  try {
    const data = readFileSync(`${file}.cache`);
    return data.toString('latin1', 0, ID_LENGTH) === id ? data.subarray(ID_LENGTH) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compiles and runs the bundle at `file` as a CommonJS module and returns its exports, the
 * compiled script (the build asks it for a cache) and its build id. The bundle is ASCII
 * (the build checks), so it is read as latin1, which skips UTF-8 decoding.
 */
function loadBundle(file, { useCache = true } = {}) {
  const source = readFileSync(file, 'latin1');
  const id = buildIdOf(source);
  const cachedData = useCache ? cacheFor(file, id) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const bundled = { exports: {} };
  script.runInThisContext()(bundled.exports, createRequire(file), bundled, file, dirname(file));
  return { exports: bundled.exports, script, id };
}

/**
 * Runs the CLI in the bundle at `file`; `entry` is the file a hook's worker starts from. What
 * escapes the CLI's own error handling (a bundle missing or unreadable) is one line, and a
 * hook still exits 0.
 */
function runBundle(file, entry) {
  let cli;
  try {
    cli = loadBundle(file).exports;
  } catch (error) {
    fail(`cannot load ${file} (${messageOf(error)}); run \`npm install\` in the handoff package`);
  }
  cli.start(pathToFileURL(entry)).catch((error) => fail(messageOf(error)));
}

const messageOf = (error) => String(error?.message ?? error).split('\n')[0];

function fail(message) {
  const hook = process.argv[2] === 'hook';
  // Control, format (bidi) and line-separator characters print as escapes (as src/core/escape.ts).
  const line = message.replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (c) => `\\u${c.codePointAt(0).toString(16).padStart(4, '0')}`,
  );
  process.stderr.write(`handoff: ${hook ? 'skipped: ' : ''}${line}\n`);
  process.exit(hook ? 0 : 1);
}

module.exports = { BUILD_MARK, ID_LENGTH, cacheFor, loadBundle, runBundle };
