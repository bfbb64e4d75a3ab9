// Rust module paths to repository files: `mod m;` to `m.rs` or `m/mod.rs` beside its
// parent, `#[path]` modules to the named file, `crate::`/`self::`/`super::` paths to the
// longest prefix that is a module file, and `other_crate::…` — a path dependency or a
// workspace member of the importing package — into that crate from its library root.
import { baseName, dirOf } from '../../paths.js';
import { nearestBy, joinPath, under, type FileIndex } from '../files.js';
import type { RustProject } from './project.js';

const RUST_ROOT_FILES = new Set(['lib.rs', 'main.rs', 'mod.rs']);
const BUILTIN_CRATES = new Set(['std', 'core', 'alloc']);

export type RustResolve = (from: string, spec: string) => string | undefined;

export function rustResolver(index: FileIndex, project: RustProject): RustResolve {
  const has = (p: string): boolean => index.has(p);
  /** Directory holding the children of the module `file` defines. */
  const childDir = (file: string): string => {
    const name = baseName(file);
    return RUST_ROOT_FILES.has(name) ? dirOf(file) : under(dirOf(file), name.slice(0, -3));
  };
  const moduleAt = (path: string): string | undefined => {
    if (index.hasDir(path) && has(`${path}/mod.rs`)) return `${path}/mod.rs`;
    if (index.hasDir(dirOf(path)) && has(`${path}.rs`)) return `${path}.rs`;
    return undefined;
  };
  /** The file of the module whose children live in `dir`: `a.rs`, `a/mod.rs`, or a crate root. */
  const moduleOwning = (dir: string): string | undefined =>
    (dir === '' ? undefined : moduleAt(dir)) ??
    (has(under(dir, 'lib.rs')) ? under(dir, 'lib.rs') : has(under(dir, 'main.rs')) ? under(dir, 'main.rs') : undefined);
  const crateRoot = nearestBy((dir) => (has(under(dir, 'lib.rs')) || has(under(dir, 'main.rs')) ? dir : undefined));
  const owningPackage = nearestBy((dir) => project.packages.get(dir));
  /** The longest prefix of `segments` that is a module file under `dir`. */
  const walk = (dir: string, segments: readonly string[]): string | undefined => {
    for (let k = segments.length; k > 0; k--) {
      const found = moduleAt(under(dir, segments.slice(0, k).join('/')));
      if (found !== undefined) return found;
    }
    return undefined;
  };

  return (fromPath, specifier) => {
    if (specifier.startsWith('mod:')) {
      const name = specifier.slice(4);
      // A crate root not named lib.rs/main.rs (tests/it.rs, src/bin/x.rs) keeps its children beside it.
      return moduleAt(under(childDir(fromPath), name)) ?? moduleAt(under(dirOf(fromPath), name));
    }
    if (specifier.startsWith('modpath:')) {
      // `#[path]` is relative to the folder of the file declaring the module.
      const file = joinPath(dirOf(fromPath), specifier.slice(8));
      return file !== undefined && has(file) ? file : undefined;
    }
    const segments = specifier.split('::');
    const head = segments[0]!;
    if (head === '' || BUILTIN_CRATES.has(head)) return undefined;
    if (head === 'crate') {
      const root = crateRoot(dirOf(fromPath));
      if (root === undefined) return undefined;
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
    // 2018 uniform paths: `use a::b` may name a child module of the current one, else a crate.
    const local = walk(childDir(fromPath), segments);
    if (local !== undefined) return local;
    const lib = owningPackage(dirOf(fromPath))?.crates.get(head);
    if (lib === undefined) return undefined;
    return walk(dirOf(lib), segments.slice(1)) ?? lib;
  };
}
