// The Python project model: the import roots, folders Python would have on sys.path.
// The repository root; every folder holding a top-level package (a package folder whose
// parent is not one: `src/` of a src layout, `packages/tool/` of a monorepo); every
// project folder (pyproject.toml, setup.cfg, setup.py) with its `src/` and the package
// folders its manifest declares.
import { parse as parseToml } from 'smol-toml';
import { baseName, dirOf } from '../../paths.js';
import { isRecord, joinPath, under, type FileIndex } from '../files.js';

export interface PythonProject {
  /** Folders holding an `__init__.py`/`__init__.pyi`: regular packages. */
  packageDirs: ReadonlySet<string>;
  /** Import roots, sorted by code unit. */
  roots: readonly string[];
}

const MANIFESTS = new Set(['pyproject.toml', 'setup.cfg', 'setup.py']);

export function buildPythonProject(
  files: readonly string[],
  index: FileIndex,
  configs: Readonly<Record<string, string>>,
): PythonProject {
  const packageDirs = new Set<string>();
  const manifests: string[] = [];
  for (const f of files) {
    const name = baseName(f);
    if (name === '__init__.py' || name === '__init__.pyi') packageDirs.add(dirOf(f));
    else if (MANIFESTS.has(name)) manifests.push(f);
  }
  const roots = new Set<string>(['']);
  for (const dir of packageDirs) {
    if (dir !== '' && !packageDirs.has(dirOf(dir))) roots.add(dirOf(dir));
  }
  for (const manifest of manifests) {
    const dir = dirOf(manifest);
    if (!packageDirs.has(dir)) roots.add(dir);
    if (index.hasDir(under(dir, 'src'))) roots.add(under(dir, 'src'));
    const text = configs[manifest];
    if (text === undefined) continue;
    const declared = baseName(manifest) === 'pyproject.toml' ? pyprojectRoots(text) : setupCfgRoots(text);
    for (const rel of declared) {
      const root = joinPath(dir, rel);
      if (root !== undefined && index.hasDir(root)) roots.add(root);
    }
  }
  return { packageDirs, roots: [...roots].sort() };
}

/** Package folders a pyproject.toml declares (setuptools, poetry, hatch, pdm), relative to it. */
function pyprojectRoots(text: string): string[] {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  const tool = record(doc.tool);
  const setuptools = record(tool.setuptools);
  out.push(...strings(record(record(setuptools.packages).find).where));
  const packageDir = record(setuptools['package-dir']);
  if (typeof packageDir[''] === 'string') out.push(packageDir['']);
  for (const pkg of Array.isArray(record(tool.poetry).packages) ? (record(tool.poetry).packages as unknown[]) : []) {
    if (isRecord(pkg) && typeof pkg.from === 'string') out.push(pkg.from);
  }
  // hatch lists package folders (`src/foo`): the root is the folder holding them.
  const wheel = record(record(record(record(tool.hatch).build).targets).wheel);
  for (const pkg of strings(wheel.packages)) out.push(dirOf(pkg.replace(/\/+$/, '')) || '.');
  const pdm = record(record(tool.pdm).build);
  if (typeof pdm['package-dir'] === 'string') out.push(pdm['package-dir']);
  return out;
}

/** setup.cfg `[options] package_dir = =src` and `[options.packages.find] where = src`. */
function setupCfgRoots(text: string): string[] {
  const out: string[] = [];
  let section = '';
  let key = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s[#;].*$/, '');
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      section = header[1]!.trim();
      key = '';
      continue;
    }
    const entry = /^([A-Za-z_][\w.-]*)\s*[=:]\s*(.*)$/.exec(line);
    // Indented lines continue the previous key's value.
    const value = entry ? entry[2]!.trim() : /^\s/.test(line) ? line.trim() : undefined;
    if (entry) key = entry[1]!;
    if (value === undefined || value === '') continue;
    if (section === 'options' && key === 'package_dir') {
      const mapping = /^=\s*(\S+)$/.exec(value);
      if (mapping) out.push(mapping[1]!);
    } else if (section === 'options.packages.find' && key === 'where') out.push(value);
  }
  return out;
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
