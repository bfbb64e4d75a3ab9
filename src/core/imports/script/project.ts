// The TS/JS project model, from config texts the caller read: tsconfig/jsconfig
// `baseUrl`/`paths` per folder (following relative `extends`), every package.json
// (name, exports, imports, entry fields) and the workspace packages that npm/yarn
// `workspaces` or pnpm-workspace.yaml declare.
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { isRecord, joinPath, relativeTo } from '../files.js';
import { baseName, dirOf } from '../../paths.js';
import { memberMatcher } from '../member-globs.js';
import { pnpmWorkspacePackages } from './pnpm-workspace.js';

export interface PathMapping {
  prefix: string;
  suffix: string;
  wildcard: boolean;
  targets: string[];
}

export interface TsConfig {
  /** Repo path of the folder holding the config. */
  dir: string;
  /** Repo path of `baseUrl`, when set. */
  baseUrl: string | undefined;
  /** `paths` patterns, exact ones first, then by longest prefix (the compiler's precedence). */
  mappings: PathMapping[];
  /** Directory `paths` targets are relative to. */
  mappingBase: string;
}

export interface PackageManifest {
  dir: string;
  name: string | undefined;
  exports: unknown;
  imports: unknown;
  /** `source`, `module`, `main`, `types`/`typings`, in that order, where set. */
  entries: string[];
}

export interface ScriptProject {
  /** By folder. `tsconfig.json` wins over `jsconfig.json` in the same folder. */
  tsconfigs: ReadonlyMap<string, TsConfig>;
  /** Every package.json outside node_modules, by folder. */
  packages: ReadonlyMap<string, PackageManifest>;
  /** Members of a declared workspace, by package name. */
  workspacePackages: ReadonlyMap<string, PackageManifest>;
  /**
   * tsconfig files at workspace roots (`tsconfig.json`, then `tsconfig.base.json`, …):
   * how the monorepo maps its package names to sources.
   */
  workspaceTsconfigs: readonly TsConfig[];
}

/** JSON with comments and trailing commas; undefined when it has syntax errors. */
export function parseJsonText(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  return errors.length > 0 ? undefined : value;
}

export function buildScriptProject(configs: Readonly<Record<string, string>>): ScriptProject {
  const paths = Object.keys(configs).sort();
  const tsconfigs = new Map<string, TsConfig>();
  // `tsconfig.json` sorts after `jsconfig.json`, so it wins where both exist.
  for (const path of paths) {
    const name = baseName(path);
    if (name !== 'tsconfig.json' && name !== 'jsconfig.json') continue;
    const config = loadTsConfig(path, configs, 0);
    if (config !== undefined) tsconfigs.set(dirOf(path), config);
  }
  const packages = new Map<string, PackageManifest>();
  const workspaceGlobs = new Map<string, string[]>(); // workspace root → member globs
  for (const path of paths) {
    const name = baseName(path);
    if (name === 'package.json') {
      const json = parseJsonText(configs[path]!);
      if (!isRecord(json)) continue;
      packages.set(dirOf(path), manifestOf(dirOf(path), json));
      const globs = workspaceField(json.workspaces);
      if (globs.length > 0) workspaceGlobs.set(dirOf(path), [...(workspaceGlobs.get(dirOf(path)) ?? []), ...globs]);
    } else if (name === 'pnpm-workspace.yaml') {
      const globs = pnpmWorkspacePackages(configs[path]!);
      if (globs.length > 0) workspaceGlobs.set(dirOf(path), [...(workspaceGlobs.get(dirOf(path)) ?? []), ...globs]);
    }
  }
  const workspacePackages = new Map<string, PackageManifest>();
  const workspaceTsconfigs: TsConfig[] = [];
  for (const [root, globs] of [...workspaceGlobs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const isMember = memberMatcher(
      globs.filter((g) => !g.startsWith('!')),
      globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1)),
    );
    for (const [dir, manifest] of packages) {
      const rel = relativeTo(root, dir);
      if (rel === undefined || rel === '' || manifest.name === undefined) continue;
      if (workspacePackages.has(manifest.name)) continue;
      if (!`/${rel}/`.includes('/node_modules/') && isMember(rel)) workspacePackages.set(manifest.name, manifest);
    }
    const rootConfigs = paths.filter((p) => dirOf(p) === root && /^tsconfig(\..+)?\.json$/.test(baseName(p)));
    rootConfigs.sort((a, b) => rootConfigRank(a) - rootConfigRank(b) || (a < b ? -1 : a > b ? 1 : 0));
    for (const path of rootConfigs) {
      const config = loadTsConfig(path, configs, 0);
      if (config !== undefined && config.mappings.length > 0) workspaceTsconfigs.push(config);
    }
  }
  return { tsconfigs, packages, workspacePackages, workspaceTsconfigs };
}

function rootConfigRank(path: string): number {
  const name = baseName(path);
  return name === 'tsconfig.json' ? 0 : name === 'tsconfig.base.json' ? 1 : 2;
}

function manifestOf(dir: string, json: Record<string, unknown>): PackageManifest {
  const entries: string[] = [];
  for (const field of ['source', 'module', 'main', 'types', 'typings']) {
    const value = json[field];
    if (typeof value === 'string' && value !== '') entries.push(value);
  }
  return {
    dir,
    name: typeof json.name === 'string' && json.name !== '' ? json.name : undefined,
    exports: json.exports,
    imports: json.imports,
    entries,
  };
}

/** npm/yarn `workspaces`: an array of globs, or yarn's `{ packages: [...] }`. */
function workspaceField(value: unknown): string[] {
  const list = isRecord(value) ? value.packages : value;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

/** Reads `compilerOptions.baseUrl`/`paths`, taking what is missing from a relative `extends` we were given. */
function loadTsConfig(path: string, configs: Readonly<Record<string, string>>, depth: number): TsConfig | undefined {
  const text = configs[path];
  const json = text === undefined ? undefined : parseJsonText(text);
  if (!isRecord(json)) return undefined;
  const dir = dirOf(path);
  const options = isRecord(json.compilerOptions) ? json.compilerOptions : {};
  let baseUrl = typeof options.baseUrl === 'string' ? joinPath(dir, options.baseUrl) : undefined;
  const paths = isRecord(options.paths) ? options.paths : undefined;
  let pathsDir = dir;
  let inherited: TsConfig | undefined;
  const parent =
    typeof json.extends === 'string' && json.extends.startsWith('.') ? joinPath(dir, json.extends) : undefined;
  if ((baseUrl === undefined || paths === undefined) && parent !== undefined && depth < 8) {
    inherited = loadTsConfig(parent.endsWith('.json') ? parent : `${parent}.json`, configs, depth + 1);
  }
  baseUrl ??= inherited?.baseUrl;
  const mappings = paths === undefined ? (inherited?.mappings ?? []) : compileMappings(paths);
  if (paths === undefined && inherited !== undefined) pathsDir = inherited.mappingBase;
  // Without baseUrl, `paths` targets are relative to the config that declares them.
  const mappingBase = baseUrl ?? pathsDir;
  return { dir, baseUrl, mappings, mappingBase };
}

function compileMappings(paths: Record<string, unknown>): PathMapping[] {
  const mappings: PathMapping[] = [];
  for (const [pattern, value] of Object.entries(paths)) {
    const targets = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    const star = pattern.indexOf('*');
    if (star < 0) mappings.push({ prefix: pattern, suffix: '', wildcard: false, targets });
    else mappings.push({ prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), wildcard: true, targets });
  }
  return mappings.sort((a, b) =>
    a.wildcard !== b.wildcard ? (a.wildcard ? 1 : -1) : b.prefix.length - a.prefix.length,
  );
}
