// package.json `exports` and `imports` maps as Node reads them: an exact subpath key,
// else the `*` pattern with the longest prefix (or a legacy `dir/` folder key), then the
// target's conditions in the order written. Every condition is tried — we want whichever
// target the repository holds — except `types`, tried last: a declaration file is not
// the code that runs.

import { isRecord } from '../files.js';

/** Relative targets (`./dist/x.js`) that `subpath` (`.`, `./x`, `#x`) maps to, most preferred first. */
export function mapTargets(map: unknown, subpath: string): string[] {
  const keyed = isRecord(map) && Object.keys(map).some((k) => k.startsWith('.') || k.startsWith('#'));
  const entries: Record<string, unknown> = keyed ? (map as Record<string, unknown>) : { '.': map };
  if (Object.hasOwn(entries, subpath)) return targetsOf(entries[subpath], undefined, 0);
  let best: { key: string; star: string } | undefined;
  for (const key of Object.keys(entries)) {
    const star = key.indexOf('*');
    if (star >= 0) {
      const prefix = key.slice(0, star);
      const suffix = key.slice(star + 1);
      const fits = subpath.length >= key.length - 1 && subpath.startsWith(prefix) && subpath.endsWith(suffix);
      if (fits && (best === undefined || prefix.length > best.key.indexOf('*'))) {
        best = { key, star: subpath.slice(prefix.length, subpath.length - suffix.length) };
      }
    } else if (key.endsWith('/') && subpath.startsWith(key) && best === undefined) {
      best = { key, star: subpath.slice(key.length) };
    }
  }
  if (best === undefined) return [];
  const value = entries[best.key];
  const star = best.star;
  return best.key.includes('*') ? targetsOf(value, star, 0) : targetsOf(value, undefined, 0).map((t) => t + star);
}

function targetsOf(value: unknown, star: string | undefined, depth: number): string[] {
  if (depth > 8) return [];
  if (typeof value === 'string') return [star === undefined ? value : value.replaceAll('*', star)];
  if (Array.isArray(value)) return value.flatMap((v) => targetsOf(v, star, depth + 1));
  if (!isRecord(value)) return []; // null: the subpath is excluded
  const keys = Object.keys(value);
  const ordered = [...keys.filter((k) => k !== 'types'), ...keys.filter((k) => k === 'types')];
  return ordered.flatMap((k) => targetsOf(value[k], star, depth + 1));
}
