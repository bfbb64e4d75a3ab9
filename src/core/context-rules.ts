// The rules of context exchange, free of I/O: what may be published (metadata, never
// content), which contexts are live and which a reader may see, when a context expires,
// and how staleness is judged from file hashes. How records fold is core/records.ts.
import type { Context, ContextStatus, Staleness, Visibility } from '../schema/context.js';
import { compareCodeUnit } from './paths.js';

export const MAX_CODE_LINES = 4;

const DIFF_PATTERNS = [
  /^diff --git /m,
  /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/m,
  /^--- (a\/|\/dev\/null)[^\n]*\n\+\+\+ /m,
  /^Index: [^\n]+\n={20,}/m,
];

const CODE_LINE = [
  /^\s*(import|export|from|package|using|#include|#define|require)\b/,
  /^\s*(def|class|function|func|fn|pub fn|impl|struct|interface|enum|const|let|var|return|if|for|while|switch|case|try|catch)\b.*[({:=;]\s*$/,
  /[;{}]\s*$/,
  /^\s*[})\]];?\s*$/,
  /^( {4,}|\t)\S/,
  /=>\s*\{?$/,
];

/** Why `text` is not metadata (a diff, or pasted source), or undefined when it is fine. */
export function contentViolation(text: string): string | undefined {
  if (DIFF_PATTERNS.some((p) => p.test(text))) return 'it contains a diff';
  const fenced = text.match(/```[^\n]*\n([\s\S]*?)```/g) ?? [];
  for (const block of fenced)
    if (block.split('\n').length - 2 > MAX_CODE_LINES) return 'it contains a fenced code block';
  let codeLines = 0;
  let run = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (CODE_LINE.some((p) => p.test(line))) {
      codeLines += 1;
      run += 1;
      if (run > MAX_CODE_LINES) return 'it looks like pasted source code';
    } else {
      run = 0;
    }
  }
  return codeLines > MAX_CODE_LINES * 2 ? 'it looks like pasted source code' : undefined;
}

/** Neither superseded nor revoked (it may still have expired): the one definition of "live". */
export const isLive = (c: Context): boolean => c.superseded_by === undefined && c.revoked_at === undefined;

export function statusOf(ctx: Context, now: Date): ContextStatus {
  if (ctx.revoked_at !== undefined) return 'revoked';
  if (ctx.superseded_by !== undefined) return 'superseded';
  return Date.parse(ctx.expires_at) <= now.getTime() ? 'expired' : 'active';
}

/** Live and not expired at `now`: what a checkpoint keeps (the log keeps the rest for audit). */
export const isActive = (c: Context, now: Date): boolean => statusOf(c, now) === 'active';

/**
 * What a checkpoint keeps of a fold: contexts not superseded and not expired at `now`. A
 * revoked one stays until it expires: a publish in its slot must still sort after it.
 */
export const keptInCheckpoint = (c: Context, now: Date): boolean =>
  c.superseded_by === undefined && Date.parse(c.expires_at) > now.getTime();

/** A reader sees every public developer's contexts and always their own. */
export function visibleTo(reader: string, visibilityOf: (developer: string) => Visibility): (c: Context) => boolean {
  return (c) => c.developer === reader || visibilityOf(c.developer) !== 'private';
}

/** The one definition of "active and visible": what get, state and the briefings show `reader`. */
export function activeAndVisible(
  reader: string,
  visibilityOf: (developer: string) => Visibility,
  now: Date,
): (c: Context) => boolean {
  const visible = visibleTo(reader, visibilityOf);
  return (c) => isActive(c, now) && visible(c);
}

export function newestFirst(a: Context, b: Context): number {
  return compareCodeUnit(b.published_at, a.published_at) || compareCodeUnit(b.id, a.id);
}

/** A touched file as it is now: its bytes' xxhash64, and its blob id when read from a commit. */
export interface CurrentFile {
  hash: string;
  blob?: string;
}

/**
 * Staleness of a context: touched files whose current hash differs from the one at
 * publish time. `current` gives undefined for a file that is gone; `sightings` holds
 * when each change was first seen, and the sightings returned add the new ones at `now`.
 */
export function judgeStaleness(
  ctx: Context,
  current: ReadonlyMap<string, CurrentFile | undefined>,
  sightings: Readonly<Record<string, string>>,
  now: Date,
): { staleness: Staleness; sightings: Record<string, string> } {
  const seen: Record<string, string> = { ...sightings };
  const changed: Staleness['changed_files'] = [];
  for (const f of ctx.touched_files) {
    const cur = current.get(f.path);
    if (cur === undefined && f.hash === '') continue;
    // A committed file is compared by blob id: its checkout may differ only by eol.
    const sameBlob = cur?.blob !== undefined && f.blob !== undefined;
    const same = cur !== undefined && (sameBlob ? cur.blob === f.blob : cur.hash === f.hash);
    if (same) continue;
    const first = (seen[f.path] ??= now.toISOString());
    changed.push({ path: f.path, change: cur === undefined ? 'deleted' : 'modified', first_seen: first });
  }
  const since = changed.map((c) => c.first_seen).sort(compareCodeUnit)[0];
  const staleness: Staleness =
    since === undefined
      ? { stale: false, changed_files: [] }
      : { stale: true, changed_files: changed, stale_since: since };
  return { staleness, sightings: seen };
}

/**
 * A stable id of a repository from its origin URL: scheme, credentials, port-less ssh
 * syntax, `.git` and case differences removed, so every clone names it the same way.
 */
export function normalizeRemoteUrl(url: string): string {
  let u = url.trim();
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.*)$/.exec(u);
  if (scp && !/^[a-z]+:\/\//i.test(u)) u = `${scp[1]}/${scp[2]}`;
  u = u
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):\d+\//, '$1/');
  u = u.replace(/\.git\/?$/, '').replace(/\/+$/, '');
  return u.toLowerCase();
}
