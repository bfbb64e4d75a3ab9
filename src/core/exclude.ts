// Which paths a handoff describes. Tool, dependency and build folders, logs, binaries and
// the project's own ignore globs are left out of both layers, so they never crowd out
// the files a person actually edited.
import picomatch from 'picomatch';
import { extOf } from './paths.js';

const EXCLUDED_DIRS = new Set([
  '.git', '.codemap', 'node_modules', 'bower_components', 'vendor', 'third_party',
  'dist', 'build', 'out', 'target', 'coverage', '__pycache__', '.venv', 'venv',
  '.next', '.nuxt', '.svelte-kit', '.turbo', '.cache', '.gradle', '.idea', '.tox',
  '.mypy_cache', '.pytest_cache',
]);

const BINARY_EXTENSIONS = new Set([
  '.exe', '.dll', '.bin', '.o', '.a', '.so', '.dylib', '.wasm', '.class', '.jar', '.pyc',
  '.zip', '.tar', '.gz', '.tgz', '.bz2', '.xz', '.7z', '.rar', '.zst',
  '.png', '.jpg', '.jpeg', '.gif', '.webp', '.ico', '.bmp', '.tif', '.tiff', '.psd',
  '.mp3', '.wav', '.ogg', '.flac', '.mp4', '.mov', '.avi', '.mkv', '.webm',
  '.pdf', '.ttf', '.otf', '.woff', '.woff2', '.eot', '.sqlite', '.db', '.DS_Store',
]);

const LOG_EXTENSIONS = new Set(['.log', '.out']);

/** Bytes scanned for a NUL when deciding whether a file is binary. */
export const BINARY_SNIFF_BYTES = 8192;

export type PathFilter = (path: string) => boolean;

/** A predicate that is true for paths the handoff includes (by name only). */
export function createPathFilter(ignoreGlobs: readonly string[] = []): PathFilter {
  const ignored = ignoreGlobs.length > 0 ? compileIgnore(ignoreGlobs) : undefined;
  return (path) => {
    let start = 0;
    for (;;) {
      const slash = path.indexOf('/', start);
      if (slash < 0) break;
      if (EXCLUDED_DIRS.has(path.slice(start, slash))) return false;
      start = slash + 1;
    }
    const ext = extOf(path);
    if (BINARY_EXTENSIONS.has(ext) || LOG_EXTENSIONS.has(ext)) return false;
    if (ignored && ignored(path)) return false;
    return true;
  };
}

/**
 * Ignore globs read the way .gitignore lines are: a pattern without a slash matches a
 * name at any depth (`*.snap`), `dir/` means everything below dir, `/x` is anchored.
 */
export function compileIgnore(globs: readonly string[]): (path: string) => boolean {
  const anywhere: string[] = [];
  const anchored: string[] = [];
  for (const raw of globs) {
    let glob = raw.trim();
    if (glob === '' || glob.startsWith('#')) continue;
    if (glob.endsWith('/')) glob = `${glob}**`;
    if (glob.startsWith('/')) anchored.push(glob.slice(1));
    else if (glob.includes('/')) anchored.push(glob);
    else anywhere.push(glob, `**/${glob}`, `**/${glob}/**`, `${glob}/**`);
  }
  const matchers = [anchored, anywhere].filter((g) => g.length > 0).map((g) => picomatch(g, { dot: true }));
  return (path) => matchers.some((m) => m(path));
}

export function looksBinary(head: Uint8Array): boolean {
  const end = Math.min(head.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (head[i] === 0) return true;
  return false;
}
