// Repository-relative POSIX paths: the only path form that enters an artifact. Sorting
// is by UTF-16 code unit, never locale, so every machine orders files the same way.
import { posix } from 'node:path';

export function compareCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Normalises a user-given repository path: backslashes to slashes, `./` and duplicate
 * slashes removed. Returns undefined for a path that escapes the repository.
 */
export function normalizeRepoPath(input: string): string | undefined {
  const slashed = input.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return undefined;
  const normal = posix.normalize(slashed).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return undefined;
  return normal === '.' ? '' : normal;
}

/** `a/b/c.ts` → `a/b`; top-level files → ``. */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** `a/b/c.ts` → `c.ts`. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Lower-cased extension of the file name without the dot (`a/B.TS` → `ts`), or '' when the
 * name has none; a dotfile (`.bashrc`) has none. Go's `filepath.Ext` differs (core/scope.ts).
 */
export function extensionOf(path: string): string {
  const base = baseName(path);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}
