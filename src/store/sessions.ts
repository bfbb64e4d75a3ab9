// Per-worktree bookkeeping of agent sessions (`.codemap/sessions.json`): when each
// session started, whether it was already nudged to publish, and the fingerprint of the
// last refresh. Small, rewritten atomically under the worktree lock.
import { join } from 'node:path';
import { sessionsFile, type SessionsFile } from '../schema/hooks.js';
import { readCache, writeFileAtomic } from './atomic.js';
import { withWorktreeLock, type Layout } from './layout.js';

const KEPT = 50;

export const sessionsPath = (layout: Layout): string => join(layout.dir, 'sessions.json');

export function readSessions(layout: Layout): SessionsFile {
  return readCache(sessionsPath(layout), sessionsFile) ?? { schema_version: 1, sessions: {} };
}

/** Applies `change` to the sessions file under the worktree lock, keeping the newest sessions. */
export async function updateSessions<T>(layout: Layout, change: (file: SessionsFile) => T): Promise<T> {
  return withWorktreeLock(
    layout,
    () => {
      const file = readSessions(layout);
      const result = change(file);
      const ids = Object.keys(file.sessions).sort((a, b) =>
        file.sessions[b]!.started_at < file.sessions[a]!.started_at ? -1 : 1,
      );
      for (const id of ids.slice(KEPT)) delete file.sessions[id];
      writeFileAtomic(sessionsPath(layout), JSON.stringify(file), { within: layout.root });
      return result;
    },
    { timeoutMs: 3_000 },
  );
}
