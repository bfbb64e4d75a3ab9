// A session's stop as data: refresh and save the handoff when the worktree changed, record
// the session in the artifact's agent history, and say whether the session should be told
// (once) that it has not published a context for this branch. Never publishes for it.
import { join } from 'node:path';
import { upsertAgentEntry } from '../core/agent-history.js';
import { loadHasher, type Hasher } from '../core/hash.js';
import { compareCodeUnit } from '../core/paths.js';
import { openRepository, parseStatus, statusRaw, type RepoInfo } from '../git/repo.js';
import type { AgentEntry, Artifact } from '../schema/artifact.js';
import { readLatestIfValid } from '../store/artifacts.js';
import { statKey } from '../store/atomic.js';
import { worktreeLayout } from '../store/layout.js';
import { readSessions, updateSessions } from '../store/sessions.js';
import { releaseSessionClaims } from './claim-hooks.js';
import { refreshSavedConflicts } from './conflicts-saved.js';
import { publishedSince } from './context.js';
import { changedFilesOf, computeHandoff, saveHandoff, updateAgentHistory, type ChangedFileFacts } from './handoff.js';
import { configOnce } from './project-config.js';
import { reportConfigured, type SessionEvents } from './session-start.js';

export interface StopRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: Date;
  /** The host's session id; undefined when the payload had none (then nobody is nudged). */
  sessionId?: string;
  agent: string;
  /** How the host would deliver a nudge: `off` asks for none, `block` never twice in one turn. */
  nudge: 'system' | 'block' | 'off';
  /** The payload's `stop_hook_active`: a Stop hook already resumed this turn. */
  stopHookActive: boolean;
  /** The payload's `hook_event_name`: `SessionEnd` releases the session's claims (Stop keeps them). */
  event?: string;
}

/**
 * The state a refresh depends on: HEAD, refs (a moved base), `git status` (any file
 * changed, staged, added or deleted) and the stat of each path it lists (a changed file
 * edited again). Equal fingerprints mean a refresh would produce the same handoff.
 */
export async function fingerprint(repo: RepoInfo, hasher: Hasher): Promise<string> {
  const status = await statusRaw(repo.root);
  const refs = (...parts: string[]): string => statKey(join(repo.commonDir, ...parts));
  const parts = [
    repo.head ?? '',
    repo.branch ?? '',
    refs('packed-refs'),
    refs('refs', 'heads'),
    refs('refs', 'remotes', 'origin'),
    status,
  ];
  for (const path of new Set(parseStatus(status).map((c) => c.path))) parts.push(statKey(join(repo.root, path)));
  return hasher.text(parts.join('\0'));
}

/** Files the session touched: changed since it started, deleted since the last save, or already recorded. */
function editedFiles(
  facts: ChangedFileFacts,
  previous: Artifact | undefined,
  recorded: readonly string[],
  startedAt: string,
): string[] {
  const since = Date.parse(startedAt);
  const wasDeleted = new Set(previous?.delta.changed.filter((c) => c.status === 'deleted').map((c) => c.path));
  const out = new Set(recorded);
  for (const [path, mtimeMs] of facts.mtimes) if (mtimeMs >= since) out.add(path);
  for (const c of facts.changes) if (c.status === 'deleted' && previous && !wasDeleted.has(c.path)) out.add(c.path);
  return [...out].sort(compareCodeUnit);
}

/** A stop reports its config and its working point; it has no briefing to fall back on. */
export type StopEvents = Omit<SessionEvents, 'fallback'>;

/** Records the stop; true when the session should be nudged to publish a context (recorded as told). */
export async function recordStop(req: StopRequest, events: StopEvents = {}): Promise<boolean> {
  const repo = await openRepository(req.cwd);
  const config = configOnce(repo.root, repo.commonDir);
  reportConfigured(config, events);
  // First, while SessionEnd's short budget is untouched; a claim not released expires by its TTL.
  if (req.event === 'SessionEnd' && req.sessionId !== undefined) {
    await releaseSessionClaims(repo, req.env, req.now, req.sessionId).catch(() => 0);
  }
  const layout = worktreeLayout(repo.root);
  const hasher = await loadHasher();
  const sessionId = req.sessionId ?? 'unknown';
  const agent = req.agent;
  const sessions = readSessions(layout);
  const startedAt = sessions.sessions[sessionId]?.started_at ?? req.now.toISOString();
  const previous = readLatestIfValid(layout);
  const mine = (h: AgentEntry): boolean => h.agent_id === agent && h.session_id === sessionId;
  const recorded = previous?.agent_history?.find(mine)?.files_edited ?? [];
  const entry = (files: string[]): AgentEntry => ({
    agent_id: agent,
    session_id: sessionId,
    started_at: startedAt,
    ended_at: req.now.toISOString(),
    files_edited: files,
  });
  events.working?.();

  const before = await fingerprint(repo, hasher);
  // Beside the handoff's refresh, within the hook's budget: the saved conflicts the next briefing reads.
  const conflicts = refreshSavedConflicts(repo, req.env, req.now, before, hasher).catch(() => false);
  const unchanged = previous !== undefined && sessions.stop_fingerprint === before;
  const written =
    unchanged && (await updateAgentHistory(layout, (prev) => upsertAgentEntry(prev, entry([...recorded]))));
  if (!written) {
    const computed = await computeHandoff({ cwd: repo.root, now: req.now, env: req.env, warn: () => {}, config });
    const edited = editedFiles(changedFilesOf(computed), previous, recorded, startedAt);
    await saveHandoff(
      computed,
      req.now,
      () => {},
      (prev) => upsertAgentEntry(prev, entry(edited)),
    );
    // The fingerprint taken before computing: a change made meanwhile refreshes next time.
    await updateSessions(layout, (file) => {
      file.stop_fingerprint = before;
    });
  }
  await conflicts;

  const told = sessions.sessions[sessionId]?.nudged === true;
  if (told || req.sessionId === undefined || req.nudge === 'off') return false;
  // A turn a Stop hook already resumed is not resumed again.
  if (req.nudge === 'block' && req.stopHookActive) return false;
  if (await publishedSince(repo, req.env, req.now, startedAt, config)) return false;
  await updateSessions(layout, (file) => {
    file.sessions[sessionId] = { agent_id: agent, started_at: startedAt, nudged: true };
  });
  return true;
}
