// Which paths a handoff describes. Tool and dependency folders, build output beside its
// manifest, logs, binaries and the project's own ignore globs are left out of both layers,
// so they never crowd out the files a person actually edited. Git-ignored files need no
// check here: `git ls-tree`, `git diff` and `git status` (without --ignored) never list them.
import { IgnoreMatcher } from './glob.js';
import { baseName, compareCodeUnit, extensionOf } from './paths.js';

/**
 * Folders left out by name at any depth: each is a tool's or a package manager's, never a
 * project's own source. Version control and our own state (.git, .codemap); installed
 * dependencies (node_modules, bower_components, and vendor / third_party, where Go, PHP and
 * Ruby vendor and C/C++ projects keep copies of other people's code); Python caches and
 * virtualenvs (__pycache__, .venv, venv, .tox, .mypy_cache, .pytest_cache); framework and
 * tool caches named with a dot (.next, .nuxt, .svelte-kit, .turbo, .cache, .gradle, .idea).
 * Generic names such as build, dist, out, target or coverage are NOT here: they are often
 * source (cli/cli's internal/build) and are left out only beside a manifest (BUILD_OUTPUTS).
 */
const EXCLUDED_DIRS = new Set([
  '.git',
  '.codemap',
  'node_modules',
  'bower_components',
  'vendor',
  'third_party',
  '__pycache__',
  '.venv',
  'venv',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.cache',
  '.gradle',
  '.idea',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
]);

/**
 * Build output folders, by the manifest file that sits beside them: the conventional output
 * of the tool that manifest drives. `target/` is Cargo's and Maven's, `build/` Gradle's,
 * setuptools' and Flutter's, `dist/` (bundles, npm packages, sdists and wheels), `out/` and
 * `coverage/` the JS tools'. `build/` beside package.json is left in on purpose: tracked
 * `build/` folders there are usually build scripts (vscode's), and generated ones are
 * git-ignored (create-react-app's template) so git never lists them anyway.
 * Changing this table changes what a prefix holds: bump EXCLUSION_VERSION.
 */
const BUILD_OUTPUTS: ReadonlyMap<string, readonly string[]> = new Map([
  ['package.json', ['dist', 'out', 'coverage']],
  ['Cargo.toml', ['target']],
  ['pom.xml', ['target']],
  ['build.gradle', ['build']],
  ['build.gradle.kts', ['build']],
  ['pyproject.toml', ['build', 'dist']],
  ['setup.py', ['build', 'dist']],
  ['setup.cfg', ['build', 'dist']],
  ['pubspec.yaml', ['build']],
]);

/** Version of the exclusion rules above; part of the prefix cache key. */
export const EXCLUSION_VERSION = 2;

/** True for a manifest file that declares build output folders beside it. */
export function isManifest(path: string): boolean {
  return BUILD_OUTPUTS.has(baseName(path));
}

/**
 * The manifest files among `paths`, sorted by code unit (for the cache and for determinism).
 * Those inside a folder excluded by name are skipped: everything below it is out anyway, and
 * a committed node_modules would otherwise put thousands into every warm run's filter.
 */
export function manifestsIn(paths: Iterable<string>): string[] {
  const out: string[] = [];
  for (const path of paths) if (isManifest(path) && !inExcludedDir(path)) out.push(path);
  return out.sort(compareCodeUnit);
}

function inExcludedDir(path: string): boolean {
  let start = 0;
  for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', start)) {
    if (EXCLUDED_DIRS.has(path.slice(start, slash))) return true;
    start = slash + 1;
  }
  return false;
}

/**
 * The manifests of the working tree: the base tree's, with the changes applied in order
 * (branch commits first, then local work), so a crate added on the branch or still
 * untracked has its `target/` left out too, and a deleted manifest no longer hides a folder.
 */
export function manifestsAfter(
  base: readonly string[],
  changes: readonly { path: string; kind: string; from?: string }[],
): readonly string[] {
  if (!changes.some((c) => isManifest(c.path) || (c.from !== undefined && isManifest(c.from)))) return base;
  const present = new Set(base);
  for (const c of changes) {
    if (c.from !== undefined && c.kind === 'renamed') present.delete(c.from);
    if (!isManifest(c.path) || inExcludedDir(c.path)) continue;
    if (c.kind === 'deleted') present.delete(c.path);
    else present.add(c.path);
  }
  return [...present].sort(compareCodeUnit);
}

/** Folders (`crates/x/target`) that hold build output, from the manifest files present. */
function buildOutputDirs(manifests: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const manifest of manifests) {
    const slash = manifest.lastIndexOf('/');
    const prefix = slash < 0 ? '' : manifest.slice(0, slash + 1);
    for (const out of BUILD_OUTPUTS.get(manifest.slice(slash + 1)) ?? []) dirs.add(prefix + out);
  }
  return dirs;
}

const BINARY_EXTENSIONS = new Set([
  'exe',
  'dll',
  'bin',
  'o',
  'a',
  'so',
  'dylib',
  'wasm',
  'class',
  'jar',
  'pyc',
  'zip',
  'tar',
  'gz',
  'tgz',
  'bz2',
  'xz',
  '7z',
  'rar',
  'zst',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'ico',
  'bmp',
  'tif',
  'tiff',
  'psd',
  'mp3',
  'wav',
  'ogg',
  'flac',
  'mp4',
  'mov',
  'avi',
  'mkv',
  'webm',
  'pdf',
  'ttf',
  'otf',
  'woff',
  'woff2',
  'eot',
  'sqlite',
  'db',
  'DS_Store',
]);

const LOG_EXTENSIONS = new Set(['log', 'out']);

/** Bytes scanned for a NUL when deciding whether a file is binary. */
export const BINARY_SNIFF_BYTES = 8192;

export type PathFilter = (path: string) => boolean;

export interface PathFilterInput {
  /** The `ignore` globs of the project config. */
  ignore?: readonly string[];
  /** Manifest files present (see manifestsIn); their build output folders are left out. */
  manifests?: Iterable<string>;
}

/**
 * A predicate that is true for paths the handoff includes. By name only: the manifests
 * come from the listing the caller already has, so no path costs a file-system call.
 */
export function createPathFilter(input: PathFilterInput = {}): PathFilter {
  const ignore = input.ignore ?? [];
  const ignored = ignore.length > 0 ? compileIgnore(ignore) : undefined;
  const outputs = buildOutputDirs(input.manifests ?? []);
  return (path) => {
    let start = 0;
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', start)) {
      if (EXCLUDED_DIRS.has(path.slice(start, slash))) return false;
      if (outputs.size > 0 && outputs.has(path.slice(0, slash))) return false;
      start = slash + 1;
    }
    const ext = extensionOf(path);
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
