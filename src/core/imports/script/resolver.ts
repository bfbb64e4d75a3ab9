// TS/JS specifiers to repository files. Relative paths with extension and index guessing
// (and `./a.js` naming `a.ts`); otherwise the nearest tsconfig's `paths`/`baseUrl`, then
// `#subpath` imports of the nearest package.json, then a package name — the nearest
// package's own (self-reference) or a workspace member's — through its `exports` or entry
// fields to the source file, where a `src/` counterpart of a build output exists.
import { FileIndex, joinPath, nearestBy, relativeTo, under } from '../files.js';
import { dirOf } from '../../paths.js';
import { mapTargets } from './exports.js';
import type { PackageManifest, ScriptProject, TsConfig } from './project.js';

// Tried in order after the exact name; `.d.ts` before `.js` as the TypeScript compiler does.
const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.json'];
const INDEX_FILES = SCRIPT_EXTENSIONS.map((ext) => `/index${ext}`);
// ESM TypeScript imports the emitted name (`./a.js`) of a source it only has as `a.ts`.
const EMITTED_TO_SOURCE: ReadonlyArray<[string, string[]]> = [
  ['.js', ['.ts', '.tsx', '.d.ts']],
  ['.jsx', ['.tsx']],
  ['.mjs', ['.mts', '.d.mts']],
  ['.cjs', ['.cts', '.d.cts']],
];
const DECLARATION = /\.d\.[cm]?ts$/;
const EMITTED_EXTENSION = /(\.d\.[cm]?ts|\.[cm]?js|\.jsx)$/;
// Folders a package's build writes to; `dist/esm/x.js` comes from `src/x.ts`.
const BUILD_DIRS = new Set(['dist', 'lib', 'build', 'out', 'esm', 'cjs', 'es', 'mjs', 'types']);

export type ScriptResolve = (from: string, spec: string) => string | undefined;

export function scriptResolver(index: FileIndex, project: ScriptProject): ScriptResolve {
  /** A path with extension and index guessing. */
  const scriptFile = (base: string): string | undefined => {
    if (index.has(base)) return base;
    if (index.hasDir(dirOf(base))) {
      for (const [emitted, sources] of EMITTED_TO_SOURCE) {
        if (!base.endsWith(emitted)) continue;
        const stem = base.slice(0, -emitted.length);
        for (const ext of sources) if (index.has(stem + ext)) return stem + ext;
      }
      for (const ext of SCRIPT_EXTENSIONS) if (index.has(base + ext)) return base + ext;
    }
    if (index.hasDir(base)) for (const file of INDEX_FILES) if (index.has(base + file)) return base + file;
    return undefined;
  };

  /** The `src/` file a build output of package `dir` was made from (`dist/esm/a.js` → `src/a.ts`). */
  const sourceCounterpart = (dir: string, output: string): string | undefined => {
    const rel = relativeTo(dir, output);
    if (rel === undefined) return undefined;
    const segments = rel.split('/');
    let skip = 0;
    while (skip < 2 && skip < segments.length - 1 && BUILD_DIRS.has(segments[skip]!)) skip++;
    if (skip === 0) return undefined;
    const stem = segments.slice(skip).join('/').replace(EMITTED_EXTENSION, '');
    return scriptFile(under(dir, `src/${stem}`));
  };

  const isSource = (dir: string, file: string): boolean => {
    if (DECLARATION.test(file)) return false;
    const first = relativeTo(dir, file)?.split('/')[0];
    return first === undefined || !BUILD_DIRS.has(first) || first === 'lib';
  };

  /** The best file among a package's targets: a source, else a source counterpart, else what exists. */
  const pickTarget = (pkg: PackageManifest, targets: readonly string[]): string | undefined => {
    const bases: string[] = [];
    for (const target of targets) {
      if (!target.startsWith('./')) continue; // a target must stay inside its package
      const base = joinPath(pkg.dir, target);
      if (base !== undefined && relativeTo(pkg.dir, base) !== undefined) bases.push(base);
    }
    for (const base of bases) {
      const file = scriptFile(base);
      if (file !== undefined && isSource(pkg.dir, file)) return file;
      const counterpart = sourceCounterpart(pkg.dir, base);
      if (counterpart !== undefined) return counterpart;
    }
    for (const base of bases) {
      const file = scriptFile(base);
      if (file !== undefined) return file;
    }
    return undefined;
  };

  const aliased = (config: TsConfig, specifier: string, useBaseUrl: boolean): string | undefined => {
    for (const m of config.mappings) {
      const matches = m.wildcard
        ? specifier.length >= m.prefix.length + m.suffix.length &&
          specifier.startsWith(m.prefix) &&
          specifier.endsWith(m.suffix)
        : specifier === m.prefix;
      if (!matches) continue;
      const star = m.wildcard ? specifier.slice(m.prefix.length, specifier.length - m.suffix.length) : '';
      for (const target of m.targets) {
        const base = joinPath(config.mappingBase, target.replace('*', star));
        const found = base === undefined ? undefined : scriptFile(base);
        if (found !== undefined) return found;
      }
      break; // only the best-matching pattern applies
    }
    if (useBaseUrl && config.baseUrl !== undefined) {
      const base = joinPath(config.baseUrl, specifier);
      if (base !== undefined) return scriptFile(base);
    }
    return undefined;
  };

  const viaWorkspaceTsconfigs = (spec: string): string | undefined => {
    for (const config of project.workspaceTsconfigs) {
      const found = aliased(config, spec, false);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  /**
   * `name` or `name/sub` of package `pkg`: the workspace root's tsconfig `paths` first (how
   * the monorepo maps its package names to sources, as the compiler would), then the
   * package's `exports` when it has them (they encapsulate), else its entry fields.
   */
  const packageEntry = (pkg: PackageManifest, spec: string, subpath: string): string | undefined => {
    const mapped = viaWorkspaceTsconfigs(spec);
    if (mapped !== undefined) return mapped;
    if (pkg.exports !== undefined && pkg.exports !== null) return pickTarget(pkg, mapTargets(pkg.exports, subpath));
    if (subpath !== '.') return pickTarget(pkg, [subpath]);
    return pickTarget(pkg, [...pkg.entries.map((e) => (e.startsWith('./') ? e : `./${e}`)), './index']);
  };

  const nearestTsconfig = nearestBy((dir) => project.tsconfigs.get(dir));
  const nearestPackage = nearestBy((dir) => project.packages.get(dir));
  // Bare specifiers recur across thousands of files: cache by the scope that decides them.
  const cache = new Map<string, string | undefined>();

  const bare = (fromDir: string, spec: string): string | undefined => {
    const config = nearestTsconfig(fromDir);
    const pkg = nearestPackage(fromDir);
    const key = `${config?.dir ?? '-'}\0${pkg?.dir ?? '-'}\0${spec}`;
    if (cache.has(key)) return cache.get(key);
    let found = config === undefined ? undefined : aliased(config, spec, true);
    if (found === undefined && pkg !== undefined && spec.startsWith('#')) {
      found = pickTarget(pkg, mapTargets(pkg.imports, spec));
    } else if (found === undefined && !spec.startsWith('#')) {
      const parts = spec.split('/');
      const nameLength = spec.startsWith('@') ? 2 : 1;
      const name = parts.slice(0, nameLength).join('/');
      const rest = parts.slice(nameLength).join('/');
      const subpath = rest === '' ? '.' : `./${rest}`;
      const owner = pkg?.name === name ? pkg : project.workspacePackages.get(name);
      if (owner !== undefined) found = packageEntry(owner, spec, subpath);
    }
    cache.set(key, found);
    return found;
  };

  return (fromPath, specifier) => {
    const query = specifier.indexOf('?'); // bundler suffixes: `./logo.svg?raw`
    const spec = query < 0 ? specifier : specifier.slice(0, query);
    if (spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../')) {
      const base = joinPath(dirOf(fromPath), spec);
      return base === undefined ? undefined : scriptFile(base);
    }
    if (spec === '' || spec.startsWith('/')) return undefined;
    return bare(dirOf(fromPath), spec);
  };
}
