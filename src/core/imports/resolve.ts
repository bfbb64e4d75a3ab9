// Maps raw import specifiers (from parse.ts) to repository files, one resolver per
// language over that language's project model. Pure: the caller passes the file list
// and the texts of the config files `configFilesWanted` picked; every index is built
// once, so a lookup is a few Set probes.
import { compareCodeUnit } from '../paths.js';
import { baseName } from '../paths.js';
import { FileIndex } from './files.js';
import { buildGoProject } from './go/project.js';
import { goResolver } from './go/resolver.js';
import { importLanguage } from './languages.js';
import { buildPythonProject } from './python/project.js';
import { pythonResolver } from './python/resolver.js';
import { buildRustProject } from './rust/project.js';
import { rustResolver } from './rust/resolver.js';
import { buildScriptProject } from './script/project.js';
import { scriptResolver } from './script/resolver.js';

export interface ResolveInput {
  /** Every repository file, POSIX repo-relative (`src/a.ts`). */
  files: readonly string[];
  /** Texts of the files `configFilesWanted` picked, by repo path. */
  configs?: Readonly<Record<string, string>>;
}

export interface Resolver {
  /** Repository files `specifier` names when imported from `fromPath`: sorted, never `fromPath`. */
  resolve(fromPath: string, specifier: string): string[];
}

const CONFIG_NAMES = new Set([
  'tsconfig.json',
  'jsconfig.json',
  'package.json',
  'pnpm-workspace.yaml',
  'go.mod',
  'Cargo.toml',
  'pyproject.toml',
  'setup.cfg',
]);

/**
 * Which of `files` the caller should read and pass to `createResolver` as `configs`: the
 * project files of each language at any depth (tsconfig/jsconfig and the `tsconfig.*.json`
 * monorepos share through `extends`, package.json, pnpm-workspace.yaml, go.mod,
 * Cargo.toml, pyproject.toml, setup.cfg), never inside node_modules.
 */
export function configFilesWanted(files: readonly string[]): string[] {
  return files
    .filter((f) => {
      const name = baseName(f);
      const wanted = CONFIG_NAMES.has(name) || (name.startsWith('tsconfig.') && name.endsWith('.json'));
      return wanted && !`/${f}`.includes('/node_modules/');
    })
    .sort(compareCodeUnit);
}

export function createResolver(input: ResolveInput): Resolver {
  const configs = input.configs ?? {};
  const index = new FileIndex(input.files);
  // Each language's project model is built on its first import: a Go repository never
  // parses package.json files.
  const script = lazy(() => scriptResolver(index, buildScriptProject(configs)));
  const python = lazy(() => pythonResolver(input.files, index, buildPythonProject(input.files, index, configs)));
  const go = lazy(() => goResolver(buildGoProject(input.files, configs)));
  const rust = lazy(() => rustResolver(index, buildRustProject(index, configs)));

  return {
    resolve(fromPath: string, specifier: string): string[] {
      let found: readonly string[] | string | undefined;
      switch (importLanguage(fromPath)) {
        case 'typescript':
        case 'javascript':
        case 'vue':
        case 'svelte':
        case 'astro':
          found = script()(fromPath, specifier);
          break;
        case 'python':
          found = python()(fromPath, specifier);
          break;
        case 'go':
          found = go()(specifier);
          break;
        case 'rust':
          found = rust()(fromPath, specifier);
          break;
        case undefined:
          break;
      }
      if (found === undefined) return [];
      if (typeof found === 'string') return found === fromPath ? [] : [found];
      return found.filter((f) => f !== fromPath); // built sorted and distinct
    },
  };
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Every repository file `from` imports through `specifiers`: deduplicated, sorted by code unit, never `from`. */
export function resolveImports(resolver: Resolver, from: string, specifiers: readonly string[]): string[] {
  const targets = new Set<string>();
  for (const spec of specifiers) {
    for (const target of resolver.resolve(from, spec)) if (target !== from) targets.add(target);
  }
  return [...targets].sort(compareCodeUnit);
}
