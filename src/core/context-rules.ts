// The rules of context exchange, free of I/O: what may be published (metadata, never
// content), how the log folds into contexts, which contexts a reader may see, when a
// context expires, and how staleness is judged from file hashes.
import type { Context, ContextStatus, LogRecord, Staleness, Visibility } from '../schema/context.js';
import { compareCodeUnit } from './paths.js';

export const MAX_CODE_LINES = 4;

const DIFF_PATTERNS = [/^diff --git /m, /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/m, /^--- (a\/|\/dev\/null)[^\n]*\n\+\+\+ /m, /^Index: [^\n]+\n={20,}/m];

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
  for (const block of fenced) if (block.split('\n').length - 2 > MAX_CODE_LINES) return 'it contains a fenced code block';
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

export function statusOf(ctx: Context, now: Date): ContextStatus {
  if (ctx.revoked_at !== undefined) return 'revoked';
  if (ctx.superseded_by !== undefined) return 'superseded';
  return Date.parse(ctx.expires_at) <= now.getTime() ? 'expired' : 'active';
}

/** Same developer + repo + branch: a newer publish supersedes an older one. */
export const slotOf = (c: Pick<Context, 'developer' | 'repo' | 'branch'>): string => `${c.developer}\0${c.repo}\0${c.branch}`;

/** Applies one log record to a map of contexts by id; returns the map for chaining. */
export function applyRecord(contexts: Map<string, Context>, record: LogRecord): Map<string, Context> {
  if (record.op === 'publish') {
    for (const id of record.supersedes) {
      const old = contexts.get(id);
      if (old && old.superseded_by === undefined) contexts.set(id, { ...old, superseded_by: record.context.id });
    }
    contexts.set(record.context.id, record.context);
  } else if (record.op === 'revoke') {
    const old = contexts.get(record.id);
    if (old && old.revoked_at === undefined) contexts.set(record.id, { ...old, revoked_at: record.at });
  }
  return contexts;
}

/** The developer registry as the log tells it: everyone who published (public unless they said otherwise). */
export function foldRegistry(records: Iterable<LogRecord>): Record<string, { visibility: Visibility; updated_at: string }> {
  const developers: Record<string, { visibility: Visibility; updated_at: string }> = {};
  for (const r of records) {
    if (r.op === 'publish') developers[r.context.developer] ??= { visibility: 'public', updated_at: r.at };
    else if (r.op === 'visibility') developers[r.developer] = { visibility: r.visibility, updated_at: r.at };
  }
  return developers;
}

/** Ids of the contexts a new publish in `slot` supersedes: the slot's live ones. */
export function supersededBy(contexts: Iterable<Context>, slot: string): string[] {
  const ids: string[] = [];
  for (const c of contexts) if (c.superseded_by === undefined && c.revoked_at === undefined && slotOf(c) === slot) ids.push(c.id);
  return ids.sort(compareCodeUnit);
}

/** A reader sees every public developer's contexts and always their own. */
export function visibleTo(reader: string, visibilityOf: (developer: string) => Visibility): (c: Context) => boolean {
  return (c) => c.developer === reader || visibilityOf(c.developer) !== 'private';
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
 * when each change was first seen and receives new sightings at `now`.
 */
export function judgeStaleness(
  ctx: Context,
  current: ReadonlyMap<string, CurrentFile | undefined>,
  sightings: Record<string, string>,
  now: Date,
): Staleness {
  const changed: Staleness['changed_files'] = [];
  for (const f of ctx.touched_files) {
    const cur = current.get(f.path);
    if (cur === undefined && f.hash === '') continue;
    // A committed file is compared by blob id: its checkout may differ only by eol.
    const same = cur !== undefined && (cur.blob !== undefined && f.blob !== undefined ? cur.blob === f.blob : cur.hash === f.hash);
    if (same) continue;
    sightings[f.path] ??= now.toISOString();
    changed.push({ path: f.path, change: cur === undefined ? 'deleted' : 'modified', first_seen: sightings[f.path]! });
  }
  const since = changed.map((c) => c.first_seen).sort(compareCodeUnit)[0];
  return since === undefined ? { stale: false, changed_files: [] } : { stale: true, changed_files: changed, stale_since: since };
}

/**
 * A stable id of a repository from its origin URL: scheme, credentials, port-less ssh
 * syntax, `.git` and case differences removed, so every clone names it the same way.
 */
export function normalizeRemoteUrl(url: string): string {
  let u = url.trim();
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.*)$/.exec(u);
  if (scp && !/^[a-z]+:\/\//i.test(u)) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^[a-z+]+:\/\//i, '').replace(/^[^@/]+@/, '').replace(/^([^/:]+):\d+\//, '$1/');
  u = u.replace(/\.git\/?$/, '').replace(/\/+$/, '');
  return u.toLowerCase();
}
