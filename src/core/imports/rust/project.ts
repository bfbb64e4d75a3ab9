// The Rust project model, from the repository's Cargo.toml texts: each package's crate
// name and library root, its path dependencies (`x = { path = "…" }`, also through
// `workspace = true`), and each workspace's members. Crate names use `_` where the
// manifest has `-`, as code does.
import { parse as parseToml } from 'smol-toml';
import { baseName, dirOf } from '../../paths.js';
import { ancestors, isRecord, joinPath, relativeTo, under, type FileIndex } from '../files.js';
import { memberMatcher } from '../member-globs.js';

export interface RustPackage {
  /** Folder of its Cargo.toml. */
  dir: string;
  /** The library crate's root file, when the repository holds it. */
  lib: string | undefined;
  /** Crates this package's code can name (path dependencies and workspace members) → their library root. */
  crates: ReadonlyMap<string, string>;
}

export interface RustProject {
  /** Packages by the folder of their Cargo.toml. */
  packages: ReadonlyMap<string, RustPackage>;
}

interface Manifest {
  dir: string;
  name: string | undefined;
  libPath: string | undefined;
  /** Code name → path of the depended-on package, relative to this manifest, or `workspace` to look it up there. */
  dependencies: Map<string, string | typeof FROM_WORKSPACE>;
  workspace: { members: string[]; exclude: string[]; dependencies: Map<string, string> } | undefined;
}

const FROM_WORKSPACE = Symbol('workspace');

const crateName = (name: string): string => name.replaceAll('-', '_');

export function buildRustProject(index: FileIndex, configs: Readonly<Record<string, string>>): RustProject {
  const manifests = new Map<string, Manifest>();
  for (const path of Object.keys(configs).sort()) {
    if (baseName(path) !== 'Cargo.toml') continue;
    const manifest = readManifest(dirOf(path), configs[path]!);
    if (manifest !== undefined) manifests.set(manifest.dir, manifest);
  }
  const libOf = (dir: string): string | undefined => {
    const m = manifests.get(dir);
    const declared = m?.libPath === undefined ? undefined : joinPath(dir, m.libPath);
    if (declared !== undefined && index.has(declared)) return declared;
    return index.has(under(dir, 'src/lib.rs')) ? under(dir, 'src/lib.rs') : undefined;
  };
  const workspaceOf = (dir: string): Manifest | undefined => {
    for (const a of ancestors(dir)) {
      const m = manifests.get(a);
      if (m?.workspace !== undefined) return m;
    }
    return undefined;
  };
  const membersOf = new Map<string, Map<string, string>>(); // workspace dir → crate name → lib
  const members = (ws: Manifest): Map<string, string> => {
    let known = membersOf.get(ws.dir);
    if (known === undefined) {
      known = new Map();
      const isMember = memberMatcher(ws.workspace!.members, ws.workspace!.exclude);
      for (const m of manifests.values()) {
        const rel = relativeTo(ws.dir, m.dir);
        const lib = libOf(m.dir);
        if (rel === undefined || m.name === undefined || lib === undefined) continue;
        if (rel === '' || isMember(rel)) known.set(crateName(m.name), lib);
      }
      membersOf.set(ws.dir, known);
    }
    return known;
  };

  const packages = new Map<string, RustPackage>();
  for (const m of manifests.values()) {
    if (m.name === undefined) continue;
    const ws = workspaceOf(m.dir);
    const crates = new Map(ws === undefined ? [] : members(ws));
    for (const [name, target] of m.dependencies) {
      const rel = target === FROM_WORKSPACE ? ws?.workspace?.dependencies.get(name) : target;
      const base = target === FROM_WORKSPACE ? ws?.dir : m.dir;
      const dir = rel === undefined || base === undefined ? undefined : joinPath(base, rel);
      const lib = dir === undefined ? undefined : libOf(dir);
      if (lib !== undefined) crates.set(crateName(name), lib);
    }
    packages.set(m.dir, { dir: m.dir, lib: libOf(m.dir), crates });
  }
  return { packages };
}

function readManifest(dir: string, text: string): Manifest | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch {
    return undefined;
  }
  const pkg = record(doc.package);
  const dependencies = new Map<string, string | typeof FROM_WORKSPACE>();
  const tables = [doc, ...Object.values(record(doc.target)).map(record)];
  for (const table of tables) {
    for (const kind of ['dependencies', 'dev-dependencies', 'build-dependencies']) {
      for (const [name, spec] of Object.entries(record(table[kind]))) {
        if (!isRecord(spec)) continue;
        if (typeof spec.path === 'string') dependencies.set(name, spec.path);
        else if (spec.workspace === true) dependencies.set(name, FROM_WORKSPACE);
      }
    }
  }
  const ws = isRecord(doc.workspace) ? doc.workspace : undefined;
  const wsDependencies = new Map<string, string>();
  for (const [name, spec] of Object.entries(record(ws?.dependencies))) {
    if (isRecord(spec) && typeof spec.path === 'string') wsDependencies.set(name, spec.path);
  }
  return {
    dir,
    name: typeof pkg.name === 'string' ? pkg.name : undefined,
    libPath: typeof record(doc.lib).path === 'string' ? (record(doc.lib).path as string) : undefined,
    dependencies,
    workspace:
      ws === undefined
        ? undefined
        : { members: strings(ws.members), exclude: strings(ws.exclude), dependencies: wsDependencies },
  };
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
