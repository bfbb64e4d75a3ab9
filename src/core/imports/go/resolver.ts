// Go import paths to the files of the package they name: the longest module path that
// prefixes the import wins (nested modules own their tree), and a package is every
// non-test .go file of its directory. Standard-library and foreign modules resolve to nothing.
import { joinPath } from '../files.js';
import type { GoProject } from './project.js';

export function goResolver(project: GoProject): (specifier: string) => readonly string[] | undefined {
  const { modules, packages } = project;
  return (specifier) => {
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
