// The repository's file list as the resolvers probe it: a set of files plus every
// directory holding one, so a miss costs one probe rather than a dozen guesses, and
// the path arithmetic (POSIX, repo-relative, never climbing out) they share.
import { posix } from 'node:path';
import { dirOf } from '../paths.js';

// Re-exported only for script/project.ts and script/resolver.ts until they import core/paths.ts.

export class FileIndex {
  private readonly files: ReadonlySet<string>;
  private readonly dirs = new Set<string>();

  constructor(files: readonly string[]) {
    this.files = new Set(files);
    for (const f of files) {
      for (let dir = dirOf(f); !this.dirs.has(dir); dir = dirOf(dir)) {
        this.dirs.add(dir);
        if (dir === '') break;
      }
    }
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  hasDir(path: string): boolean {
    return this.dirs.has(path);
  }
}

/** `name` inside `dir` (the repository root is ``). */
export function under(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** `dir` + relative `rel`, normalised; undefined when it climbs out of the repository. */
export function joinPath(dir: string, rel: string): string | undefined {
  const joined = posix.join(dir, rel);
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  return joined === '.' ? '' : joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

/** `path` relative to its ancestor `dir`, or undefined when `dir` does not hold it. */
export function relativeTo(dir: string, path: string): string | undefined {
  if (dir === '') return path;
  if (path === dir) return '';
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
}

/** `dir` and its ancestors up to the repository root, nearest first. */
export function* ancestors(dir: string): Generator<string> {
  for (;;) {
    yield dir;
    if (dir === '') return;
    dir = dirOf(dir);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Memoises a function of a directory whose answer derives from its parent's (`nearest config`). */
export function nearestBy<T>(own: (dir: string) => T | undefined): (dir: string) => T | undefined {
  const known = new Map<string, T | null>();
  const nearest = (dir: string): T | undefined => {
    const hit = known.get(dir);
    if (hit !== undefined) return hit ?? undefined;
    const found = own(dir) ?? (dir === '' ? undefined : nearest(dirOf(dir)));
    known.set(dir, found ?? null);
    return found;
  };
  return nearest;
}
