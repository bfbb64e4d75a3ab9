// Which paths a handoff describes. Tool, dependency and build folders, logs, binaries and
// the project's own ignore globs are left out of both layers, so they never crowd out
// the files a person actually edited.
import { IgnoreMatcher } from './glob.js';
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
 * Ignore globs read exactly as .gitignore lines at the repository root (see glob.ts):
 * `*.snap` at any depth, `dir/` everything below dir, `/x` anchored, `!` re-includes.
 */
export function compileIgnore(globs: readonly string[]): (path: string) => boolean {
  const matcher = new IgnoreMatcher(globs);
  return (path) => matcher.ignores(path);
}

export function looksBinary(head: Uint8Array): boolean {
  const end = Math.min(head.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (head[i] === 0) return true;
  return false;
}
