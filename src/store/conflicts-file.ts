// The saved conflicts result (`.codemap/handoff.conflicts.json`, path in layout.ts). Derived
// data, like the saved details: an unreadable or invalid file reads as absent, and a write
// replaces it atomically (two stopping sessions: the last one wins, each whole).
import { savedConflicts, type SavedConflicts } from '../schema/conflicts.js';
import { ensureDirWithin, formatJson, readCache, writeFileAtomic } from './atomic.js';
import type { Layout } from './layout.js';

export function readSavedConflicts(layout: Layout): SavedConflicts | undefined {
  return readCache(layout.conflicts, savedConflicts);
}

export function writeSavedConflicts(layout: Layout, saved: SavedConflicts): void {
  ensureDirWithin(layout.root, layout.dir);
  writeFileAtomic(layout.conflicts, formatJson(saved), { within: layout.root });
}
