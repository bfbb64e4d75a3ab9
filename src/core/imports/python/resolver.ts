// Python module names to repository files, the way Python 3 finds them. A relative name
// (`.x`, `..`) is relative to the importing module's package. An absolute one is looked
// up in the import roots — first the importing file's own folder when that folder is not
// a package (the script's folder is on sys.path), then the roots holding the file, nearest
// first, then every other root — and never in the folder of a package module, so
// `import typing` inside `src/flask/` is the standard library, not `src/flask/typing.py`.
// `m:x` (from `from m import x`) is the submodule `m.x` if one exists, else `m` itself.
import { dirOf } from '../../paths.js';
import { ancestors, under, type FileIndex } from '../files.js';
import type { PythonProject } from './project.js';

export function pythonResolver(
  files: readonly string[],
  index: FileIndex,
  project: PythonProject,
): (from: string, spec: string) => string | undefined {
  // Every folder name and module stem in the repository: a first segment outside this
  // set (`os`, `numpy`) cannot resolve, which spares the root walk for most imports.
  const names = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 0; i < parts.length - 1; i++) names.add(parts[i]!);
    const last = parts[parts.length - 1]!;
    if (last.endsWith('.py')) names.add(last.slice(0, -3));
    else if (last.endsWith('.pyi')) names.add(last.slice(0, -4));
  }
  const roots = new Set(project.roots);

  const moduleFile = (root: string, rel: string): string | undefined => {
    const base = under(root, rel);
    if (index.hasDir(dirOf(base))) {
      if (index.has(`${base}.py`)) return `${base}.py`;
      if (index.has(`${base}.pyi`)) return `${base}.pyi`;
    }
    if (index.hasDir(base)) {
      if (index.has(`${base}/__init__.py`)) return `${base}/__init__.py`;
      if (index.has(`${base}/__init__.pyi`)) return `${base}/__init__.pyi`;
    }
    return undefined;
  };

  const searchPathByDir = new Map<string, string[]>();
  const searchPath = (dir: string): string[] => {
    let known = searchPathByDir.get(dir);
    if (known === undefined) {
      const path: string[] = [];
      if (!project.packageDirs.has(dir)) path.push(dir);
      for (const a of ancestors(dir)) if (roots.has(a) && !path.includes(a)) path.push(a);
      const near = new Set(path);
      for (const root of project.roots) if (!near.has(root)) path.push(root);
      known = path;
      searchPathByDir.set(dir, known);
    }
    return known;
  };

  const cache = new Map<string, string | undefined>();
  const absolute = (dir: string, name: string): string | undefined => {
    const first = name.indexOf('.');
    if (!names.has(first < 0 ? name : name.slice(0, first))) return undefined;
    const key = `${dir}\0${name}`;
    if (cache.has(key)) return cache.get(key);
    const rel = name.replaceAll('.', '/');
    let found: string | undefined;
    for (const root of searchPath(dir)) {
      found = moduleFile(root, rel);
      if (found !== undefined) break;
    }
    cache.set(key, found);
    return found;
  };

  const relative = (fromPath: string, name: string): string | undefined => {
    let dots = 0;
    while (name.charCodeAt(dots) === 46) dots++;
    // `.x` is relative to the importing module's package; each further dot climbs one.
    let pkg = dirOf(fromPath);
    for (let i = 1; i < dots; i++) {
      if (pkg === '') return undefined;
      pkg = dirOf(pkg);
    }
    const rest = name.slice(dots);
    if (rest !== '') return moduleFile(pkg, rest.replaceAll('.', '/'));
    const init = under(pkg, '__init__.py');
    return index.has(init) ? init : undefined;
  };

  const lookup = (fromPath: string, name: string): string | undefined =>
    name.startsWith('.') ? relative(fromPath, name) : absolute(dirOf(fromPath), name);

  return (fromPath, specifier) => {
    const colon = specifier.indexOf(':');
    if (colon < 0) return lookup(fromPath, specifier);
    const module = specifier.slice(0, colon);
    const member = specifier.slice(colon + 1);
    const submodule = module.endsWith('.') ? module + member : `${module}.${member}`;
    return lookup(fromPath, submodule) ?? lookup(fromPath, module);
  };
}
