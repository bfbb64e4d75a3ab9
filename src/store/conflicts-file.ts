// The saved conflicts result (`.codemap/handoff.conflicts.json`, path in layout.ts). Derived
// data, like the saved details: an unreadable or invalid file reads as absent, and a write
// replaces it atomically (two stopping sessions: the last one wins, each whole).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { savedConflicts, type SavedConflicts } from '../schema/conflicts.js';
import { ensureDirWithin, formatJson, readCache, statKey, writeFileAtomic } from './atomic.js';
import { LOG_FILE, storeLayout, type Layout } from './layout.js';

export function readSavedConflicts(layout: Layout): SavedConflicts | undefined {
  return readCache(layout.conflicts, savedConflicts);
}

export function writeSavedConflicts(layout: Layout, saved: SavedConflicts): void {
  ensureDirWithin(layout.root, layout.dir);
  writeFileAtomic(layout.conflicts, formatJson(saved), { within: layout.root });
}

/**
 * Stat keys of what a saved result depends on outside the worktree, read without git: the
 * team store's records (checkpoint, registry, logs; not the events or sightings reads append
 * to) and the refs of the branches it compared (their loose files and packed-refs).
 */
export function dependencyStamp(commonDir: string, refs: readonly string[]): string {
  const store = storeLayout(commonDir);
  let logs: string[] = [];
  try {
    logs = readdirSync(store.dir).filter((name) => LOG_FILE.test(name));
  } catch {
    /* no store yet */
  }
  const files = [store.checkpoint, store.developers, ...logs.sort().map((name) => join(store.dir, name))];
  const refFiles = [join(commonDir, 'packed-refs'), ...refs.map((ref) => join(commonDir, ref))];
  return [...files, ...refFiles].map((path) => `${path}\0${statKey(path)}`).join('\n');
}
