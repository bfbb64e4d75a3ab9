// The Go tool's `only` / `exclude` filters of `.codemap/config.json`, with its exact
// semantics (codemap scanner/walker.go): they choose the files the prefix counts and the
// import graph is built over, so they drive the file count, the list budgets, hubs and
// importers. They never hide a changed file: the delta lists every change either way.
import { goMatch, isBadGoPattern } from './go-match.js';
import type { PathFilter } from './exclude.js';
import { baseName } from './paths.js';

export interface ScopeRules {
  /** Extensions (`go`, `.ts`; case-insensitive) a file must have; empty keeps every file. */
  only: readonly string[];
  /** Patterns that drop a file, or a folder and everything below it. */
  exclude: readonly string[];
}

/** Go's `filepath.Ext`: from the last dot of the last element (`.bashrc` included). */
function goExt(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== '/'; i--) if (path[i] === '.') return path.slice(i);
  return '';
}

/**
 * Go's matchesPattern: a pattern with `*` or `?` is a path.Match glob tried on the base
 * name and on the whole path; any other pattern matches by extension (`png`, `.xcassets`,
 * case-insensitive) or as a whole path component (`vendor`, `docs/reference`).
 */
export function matchesGoPattern(relPath: string, pattern: string): boolean {
  if (/[*?]/.test(pattern)) {
    return goMatch(pattern, baseName(relPath)) || goMatch(pattern, relPath);
  }
  const ext = pattern.startsWith('.') ? pattern.slice(1) : pattern;
  if (relPath.toLowerCase().endsWith(`.${ext.toLowerCase()}`)) return true;
  return (
    relPath.includes(`/${pattern}/`) ||
    relPath.endsWith(`/${pattern}`) ||
    relPath.startsWith(`${pattern}/`) ||
    relPath === pattern
  );
}

/** Index of the first `exclude` pattern Go's path.Match would reject as malformed, or -1. */
export function badExcludePattern(exclude: readonly string[]): number {
  return exclude.findIndex((p) => /[*?]/.test(p.trim()) && isBadGoPattern(p.trim()));
}

/**
 * A predicate for the files inside the scope, or undefined when there are no rules. As Go's
 * walk skips an excluded folder, a file is out when any folder above it matches a pattern;
 * folder verdicts are remembered, so a listing costs one check per folder, not per file.
 */
export function createScopeFilter(rules: ScopeRules): PathFilter | undefined {
  const only = new Set(rules.only.map((o) => stripDot(o.trim()).toLowerCase()));
  const exclude = rules.exclude.map((p) => p.trim()).filter((p) => p !== '');
  if (only.size === 0 && exclude.length === 0) return undefined;
  const excluded = (path: string) => exclude.some((p) => matchesGoPattern(path, p));
  const dirs = new Map<string, boolean>();
  const dirExcluded = (dir: string): boolean => {
    let verdict = dirs.get(dir);
    if (verdict === undefined) {
      const slash = dir.lastIndexOf('/');
      verdict = (slash > 0 && dirExcluded(dir.slice(0, slash))) || excluded(dir);
      dirs.set(dir, verdict);
    }
    return verdict;
  };
  return (path) => {
    if (only.size > 0 && !only.has(stripDot(goExt(path)).toLowerCase())) return false;
    if (exclude.length === 0) return true;
    const slash = path.lastIndexOf('/');
    if (slash > 0 && dirExcluded(path.slice(0, slash))) return false;
    return !excluded(path);
  };
}

function stripDot(text: string): string {
  return text.startsWith('.') ? text.slice(1) : text;
}
