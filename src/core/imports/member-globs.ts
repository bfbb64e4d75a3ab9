// Which folders a workspace's member globs (npm/yarn/pnpm `packages`, Cargo `members`)
// select. The globs come from an untrusted repository: only the first 100, each at most
// 256 characters, are compiled, and matching is linear (core/glob.ts), so a hostile list
// cannot make it slow.
import { compileGlob } from '../glob.js';

const MAX_GLOBS = 100;
const MAX_GLOB_LENGTH = 256;

/** `./packages/*` and `packages/*\/` select folders as `packages/*`. */
function clean(glob: string): string {
  let g = glob.startsWith('./') ? glob.slice(2) : glob;
  while (g.endsWith('/')) g = g.slice(0, -1);
  return g;
}

function usable(globs: readonly string[]): string[] {
  return globs
    .filter((g) => g.length <= MAX_GLOB_LENGTH)
    .slice(0, MAX_GLOBS)
    .map(clean)
    .filter((g) => g !== '');
}

/** A test of a folder path relative to the workspace root against include and exclude globs. */
export function memberMatcher(include: readonly string[], exclude: readonly string[]): (folder: string) => boolean {
  const positive = usable(include);
  if (positive.length === 0) return () => false;
  const compile = (globs: string[]) => globs.map((g) => compileGlob(g));
  const [included, excluded] = [compile(positive), compile(usable(exclude))];
  const encoder = new TextEncoder();
  return (folder) => {
    const bytes = encoder.encode(folder);
    return included.some((g) => g.matches(bytes)) && !excluded.some((g) => g.matches(bytes));
  };
}
