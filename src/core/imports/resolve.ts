// Maps raw import specifiers (from parse.ts) to repository files: TS/JS relative paths
// and tsconfig `paths`/`baseUrl`, Python modules under candidate roots, Go packages of
// the repository's go.mod modules, Rust `mod`/`use` paths. Pure: the caller passes the
// file list and config texts; indexes are built once so a lookup is a few Set probes.
import { posix } from 'node:path';
import { compareCodeUnit } from '../paths.js';
import { importLanguage } from './languages.js';

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

const CONFIG_NAMES = new Set(['tsconfig.json', 'jsconfig.json', 'go.mod']);

/**
 * Which of `files` the caller should read and pass to `createResolver` as `configs`:
 * tsconfig.json, jsconfig.json and go.mod at any depth, plus `tsconfig.*.json`, which
 * monorepos share through `extends` (`tsconfig.base.json`).
 */
export function configFilesWanted(files: readonly string[]): string[] {
  return files
    .filter((f) => {
      const name = baseName(f);
      const wanted = CONFIG_NAMES.has(name) || (name.startsWith('tsconfig.') && name.endsWith('.json'));
      return wanted && !`/${f}`.includes('/node_modules/');
    })
    .sort();
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** `dir` + relative `rel`, normalised; undefined when it climbs out of the repository. */
function joinPath(dir: string, rel: string): string | undefined {
  const joined = posix.join(dir, rel);
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  return joined === '.' ? '' : joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

function under(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

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

interface PathMapping {
  prefix: string;
  suffix: string;
  wildcard: boolean;
  targets: string[];
}

interface ScriptConfig {
  /** Repo path of `baseUrl`, when set. */
  baseUrl: string | undefined;
  /** `paths` patterns, exact ones first, then by longest prefix (the compiler's precedence). */
  mappings: PathMapping[];
  /** Directory `paths` targets are relative to. */
  mappingBase: string;
  /** Resolutions of non-relative specifiers: the same bare names recur across thousands of files. */
  cache: Map<string, string | undefined>;
}

export function createResolver(input: ResolveInput): Resolver {
  const files = new Set(input.files);
  const configs = input.configs ?? {};
  const has = (path: string): boolean => files.has(path);
  // Every directory holding a file: a miss then costs one probe, not twenty guesses.
  const dirs = new Set<string>();
  for (const f of input.files) {
    for (let dir = dirOf(f); !dirs.has(dir); dir = dirOf(dir)) {
      dirs.add(dir);
      if (dir === '') break;
    }
  }

  // Script files: a relative path with extension and index guessing.
  const scriptFile = (base: string): string | undefined => {
    if (has(base)) return base;
    if (dirs.has(dirOf(base))) {
      for (const [emitted, sources] of EMITTED_TO_SOURCE) {
        if (!base.endsWith(emitted)) continue;
        const stem = base.slice(0, -emitted.length);
        for (const ext of sources) if (has(stem + ext)) return stem + ext;
      }
      for (const ext of SCRIPT_EXTENSIONS) if (has(base + ext)) return base + ext;
    }
    if (dirs.has(base)) for (const index of INDEX_FILES) if (has(base + index)) return base + index;
    return undefined;
  };

  // By directory. `tsconfig.json` sorts after `jsconfig.json`, so it wins where both exist.
  const scriptConfigs = new Map<string, ScriptConfig>();
  for (const path of Object.keys(configs).sort()) {
    const name = baseName(path);
    if (name !== 'tsconfig.json' && name !== 'jsconfig.json') continue;
    const config = loadScriptConfig(path, configs, 0);
    if (config !== undefined) scriptConfigs.set(dirOf(path), config);
  }
  const nearestConfigByDir = new Map<string, ScriptConfig | null>();
  const nearestConfig = (dir: string): ScriptConfig | null => {
    const known = nearestConfigByDir.get(dir);
    if (known !== undefined) return known;
    const found = scriptConfigs.get(dir) ?? (dir === '' ? null : nearestConfig(dirOf(dir)));
    nearestConfigByDir.set(dir, found);
    return found;
  };

  const aliased = (config: ScriptConfig, specifier: string): string | undefined => {
    if (config.cache.has(specifier)) return config.cache.get(specifier);
    let found: string | undefined;
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
        found = base === undefined ? undefined : scriptFile(base);
        if (found !== undefined) break;
      }
      break; // only the best-matching pattern applies
    }
    if (found === undefined && config.baseUrl !== undefined) {
      const base = joinPath(config.baseUrl, specifier);
      if (base !== undefined) found = scriptFile(base);
    }
    config.cache.set(specifier, found);
    return found;
  };

  const resolveScript = (fromPath: string, specifier: string): string | undefined => {
    const query = specifier.indexOf('?'); // bundler suffixes: `./logo.svg?raw`
    const spec = query < 0 ? specifier : specifier.slice(0, query);
    if (spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../')) {
      const base = joinPath(dirOf(fromPath), spec);
      return base === undefined ? undefined : scriptFile(base);
    }
    if (spec === '' || spec.startsWith('/')) return undefined;
    const config = nearestConfig(dirOf(fromPath));
    return config === null ? undefined : aliased(config, spec);
  };

  const python = pythonResolver(input.files, has, dirs);
  const go = goResolver(input.files, configs);
  const rust = rustResolver(has, dirs);

  return {
    resolve(fromPath: string, specifier: string): string[] {
      let found: readonly string[] | string | undefined;
      switch (importLanguage(fromPath)) {
        case 'typescript':
        case 'javascript':
          found = resolveScript(fromPath, specifier);
          break;
        case 'python':
          found = python(fromPath, specifier);
          break;
        case 'go':
          found = go(specifier);
          break;
        case 'rust':
          found = rust(fromPath, specifier);
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

// ------------------------------------------------------------------- TS/JS config

/** Reads `compilerOptions.baseUrl`/`paths`, taking what is missing from a relative `extends` we were given. */
function loadScriptConfig(
  path: string,
  configs: Readonly<Record<string, string>>,
  depth: number,
): ScriptConfig | undefined {
  const text = configs[path];
  const json = text === undefined ? undefined : parseJsonc(text);
  if (!isRecord(json)) return undefined;
  const dir = dirOf(path);
  const options = isRecord(json.compilerOptions) ? json.compilerOptions : {};
  let baseUrl = typeof options.baseUrl === 'string' ? joinPath(dir, options.baseUrl) : undefined;
  const paths = isRecord(options.paths) ? options.paths : undefined;
  let pathsDir = dir;
  let inherited: ScriptConfig | undefined;
  const parent = typeof json.extends === 'string' && json.extends.startsWith('.') ? joinPath(dir, json.extends) : undefined;
  if ((baseUrl === undefined || paths === undefined) && parent !== undefined && depth < 8) {
    inherited = loadScriptConfig(parent.endsWith('.json') ? parent : `${parent}.json`, configs, depth + 1);
  }
  baseUrl ??= inherited?.baseUrl;
  const mappings = paths === undefined ? (inherited?.mappings ?? []) : compileMappings(paths);
  if (paths === undefined && inherited !== undefined) pathsDir = inherited.mappingBase;
  // Without baseUrl, `paths` targets are relative to the config that declares them.
  const mappingBase = baseUrl ?? pathsDir;
  return { baseUrl, mappings, mappingBase, cache: new Map() };
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with comments and trailing commas, as tsconfig allows; undefined when unparseable. */
function parseJsonc(text: string): unknown {
  let out = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else {
      if (c === '}' || c === ']') {
        const trimmed = out.trimEnd();
        if (trimmed.endsWith(',')) out = trimmed.slice(0, -1);
      }
      out += c;
      i++;
    }
  }
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------- Python

function pythonResolver(files: readonly string[], has: (p: string) => boolean, dirs: ReadonlySet<string>) {
  // Every directory name and module stem in the repository: a first segment outside this
  // set (`os`, `numpy`) cannot resolve, which spares the root walk for most imports.
  const names = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 0; i < parts.length - 1; i++) names.add(parts[i]!);
    const last = parts[parts.length - 1]!;
    if (last.endsWith('.py')) names.add(last.slice(0, -3));
    else if (last.endsWith('.pyi')) names.add(last.slice(0, -4));
  }
  const moduleFile = (root: string, rel: string): string | undefined => {
    const base = under(root, rel);
    if (dirs.has(dirOf(base))) {
      if (has(`${base}.py`)) return `${base}.py`;
      if (has(`${base}.pyi`)) return `${base}.pyi`;
    }
    if (dirs.has(base)) {
      if (has(`${base}/__init__.py`)) return `${base}/__init__.py`;
      if (has(`${base}/__init__.pyi`)) return `${base}/__init__.pyi`;
    }
    return undefined;
  };
  // Nearest first, so a monorepo package shadows a same-named module higher up; each
  // ancestor's `src/` too, for src layouts at any depth.
  const rootsByDir = new Map<string, string[]>();
  const roots = (dir: string): string[] => {
    let known = rootsByDir.get(dir);
    if (known === undefined) {
      const src = under(dir, 'src');
      known = [dir, ...(dirs.has(src) ? [src] : []), ...(dir === '' ? [] : roots(dirOf(dir)))];
      rootsByDir.set(dir, known);
    }
    return known;
  };
  const cache = new Map<string, string | undefined>();

  return (fromPath: string, specifier: string): string | undefined => {
    let dots = 0;
    while (specifier.charCodeAt(dots) === 46) dots++;
    if (dots > 0) {
      // `.x` is relative to the importing module's package; each further dot climbs one.
      let pkg = dirOf(fromPath);
      for (let i = 1; i < dots; i++) {
        if (pkg === '') return undefined;
        pkg = dirOf(pkg);
      }
      const rest = specifier.slice(dots);
      if (rest !== '') return moduleFile(pkg, rest.replaceAll('.', '/'));
      const init = under(pkg, '__init__.py');
      return has(init) ? init : undefined;
    }
    const first = specifier.indexOf('.');
    if (!names.has(first < 0 ? specifier : specifier.slice(0, first))) return undefined;
    const dir = dirOf(fromPath);
    const key = `${dir}\0${specifier}`;
    if (cache.has(key)) return cache.get(key);
    const rel = specifier.replaceAll('.', '/');
    let found: string | undefined;
    for (const root of roots(dir)) {
      found = moduleFile(root, rel);
      if (found !== undefined) break;
    }
    cache.set(key, found);
    return found;
  };
}

// ----------------------------------------------------------------------------- Go

/** The `module` path declared by a go.mod text, if any. */
function goModulePath(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const match = /^\s*module\s+"?([^"\s/][^"\s]*)"?/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

function goResolver(files: readonly string[], configs: Readonly<Record<string, string>>) {
  const modules = new Map<string, string>(); // module path → its directory
  for (const path of Object.keys(configs).sort()) {
    if (baseName(path) !== 'go.mod') continue;
    const module = goModulePath(configs[path]!);
    if (module !== undefined && !modules.has(module)) modules.set(module, dirOf(path));
  }
  const packages = new Map<string, string[]>(); // directory → its non-test .go files
  if (modules.size > 0) {
    for (const f of files) {
      if (!f.endsWith('.go') || f.endsWith('_test.go')) continue;
      const dir = dirOf(f);
      const list = packages.get(dir);
      if (list === undefined) packages.set(dir, [f]);
      else list.push(f);
    }
    for (const list of packages.values()) list.sort();
  }

  // The longest module path that prefixes the import wins: nested modules own their tree.
  return (specifier: string): readonly string[] | undefined => {
    if (modules.size === 0) return undefined;
    let prefix = specifier;
    for (;;) {
      const dir = modules.get(prefix);
      if (dir !== undefined) {
        const target = joinPath(dir, specifier.slice(prefix.length + 1) || '.');
        return target === undefined ? undefined : packages.get(target);
      }
      const slash = prefix.lastIndexOf('/');
      if (slash < 0) return undefined;
      prefix = prefix.slice(0, slash);
    }
  };
}

// --------------------------------------------------------------------------- Rust

const RUST_ROOT_FILES = new Set(['lib.rs', 'main.rs', 'mod.rs']);

function rustResolver(has: (p: string) => boolean, dirs: ReadonlySet<string>) {
  /** Directory holding the children of the module `file` defines. */
  const childDir = (file: string): string => {
    const name = baseName(file);
    return RUST_ROOT_FILES.has(name) ? dirOf(file) : under(dirOf(file), name.slice(0, -3));
  };
  const moduleAt = (path: string): string | undefined => {
    if (dirs.has(path) && has(`${path}/mod.rs`)) return `${path}/mod.rs`;
    if (dirs.has(dirOf(path)) && has(`${path}.rs`)) return `${path}.rs`;
    return undefined;
  };
  /** The file of the module whose children live in `dir`: `a.rs`, `a/mod.rs`, or a crate root. */
  const moduleOwning = (dir: string): string | undefined =>
    (dir === '' ? undefined : moduleAt(dir)) ??
    (has(under(dir, 'lib.rs')) ? under(dir, 'lib.rs') : has(under(dir, 'main.rs')) ? under(dir, 'main.rs') : undefined);
  const crateRoots = new Map<string, string | null>();
  const crateRoot = (dir: string): string | null => {
    let known = crateRoots.get(dir);
    if (known === undefined) {
      known = has(under(dir, 'lib.rs')) || has(under(dir, 'main.rs')) ? dir : dir === '' ? null : crateRoot(dirOf(dir));
      crateRoots.set(dir, known);
    }
    return known;
  };
  /** The longest prefix of `segments` that is a module file under `dir`. */
  const walk = (dir: string, segments: readonly string[]): string | undefined => {
    for (let k = segments.length; k > 0; k--) {
      const found = moduleAt(under(dir, segments.slice(0, k).join('/')));
      if (found !== undefined) return found;
    }
    return undefined;
  };

  return (fromPath: string, specifier: string): string | undefined => {
    if (specifier.startsWith('mod:')) {
      const name = specifier.slice(4);
      // A crate root not named lib.rs/main.rs (tests/it.rs, src/bin/x.rs) keeps its children beside it.
      return moduleAt(under(childDir(fromPath), name)) ?? moduleAt(under(dirOf(fromPath), name));
    }
    const segments = specifier.split('::');
    const head = segments[0];
    if (head === '' || head === 'std' || head === 'core' || head === 'alloc') return undefined;
    if (head === 'crate') {
      const root = crateRoot(dirOf(fromPath));
      if (root === null) return undefined;
      return walk(root, segments.slice(1)) ?? moduleOwning(root);
    }
    if (head === 'self' || head === 'super') {
      let dir = childDir(fromPath);
      let i = head === 'self' ? 1 : 0;
      for (; segments[i] === 'super'; i++) {
        if (dir === '') return undefined;
        dir = dirOf(dir);
      }
      return walk(dir, segments.slice(i)) ?? moduleOwning(dir);
    }
    // 2018 uniform paths: `use a::b` may name a child module of the current one.
    return walk(childDir(fromPath), segments);
  };
}

/** Every repository file `from` imports through `specifiers`: deduplicated, sorted by code unit, never `from`. */
export function resolveImports(resolver: Resolver, from: string, specifiers: readonly string[]): string[] {
  const targets = new Set<string>();
  for (const spec of specifiers) for (const target of resolver.resolve(from, spec)) if (target !== from) targets.add(target);
  return [...targets].sort(compareCodeUnit);
}
