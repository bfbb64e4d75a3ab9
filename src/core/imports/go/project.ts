// The Go project model: the modules declared by the repository's go.mod files (module
// path → directory) and its packages (directory → non-test .go files).
import { baseName, dirOf } from '../../paths.js';

export interface GoProject {
  modules: ReadonlyMap<string, string>;
  packages: ReadonlyMap<string, readonly string[]>;
}

/** The `module` path declared by a go.mod text, if any. */
export function goModulePath(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const match = /^\s*module\s+"?([^"\s/][^"\s]*)"?/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

export function buildGoProject(files: readonly string[], configs: Readonly<Record<string, string>>): GoProject {
  const modules = new Map<string, string>();
  for (const path of Object.keys(configs).sort()) {
    if (baseName(path) !== 'go.mod') continue;
    const module = goModulePath(configs[path]!);
    if (module !== undefined && !modules.has(module)) modules.set(module, dirOf(path));
  }
  const packages = new Map<string, string[]>();
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
  return { modules, packages };
}
