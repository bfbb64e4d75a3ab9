// The file details saved beside the handoff (`.codemap/handoff.detail.json`). Derived data:
// an unreadable or invalid file reads as absent, and a symlink in its place is replaced,
// never followed (as for the artifacts).
import { join } from 'node:path';
import { savedDetails, type SavedDetails } from '../schema/saved-details.js';
import { formatJson, readCache, writeFileAtomic } from './atomic.js';
import type { Layout } from './layout.js';

export const SAVED_DETAILS_FILE = 'handoff.detail.json';

const pathOf = (layout: Layout): string => join(layout.dir, SAVED_DETAILS_FILE);

export function readSavedDetails(layout: Layout): SavedDetails | undefined {
  return readCache(pathOf(layout), savedDetails);
}

export function writeSavedDetails(layout: Layout, details: SavedDetails): string {
  const path = pathOf(layout);
  writeFileAtomic(path, formatJson(details), { within: layout.root });
  return path;
}
