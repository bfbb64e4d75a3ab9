// `handoff hook session-stop`: refresh and save the handoff when the worktree changed,
// record the session in the artifact's agent history, and tell a session once (as a
// non-blocking systemMessage, the JSON both agents accept on Stop) when it has not
// published a context for this branch. Never publishes on the session's behalf.
import { join } from 'node:path';
import { computeHandoff, publishedSince, saveHandoff, updateAgentHistory } from '../api.js';
import { statKey } from '../store/atomic.js';
import { upsertAgentEntry } from '../core/agent-history.js';
import { compareCodeUnit } from '../core/paths.js';
import { loadHasher, type Hasher } from '../core/hash.js';
import { openRepository, parseStatus, statusRaw, type RepoInfo } from '../git/repo.js';
import type { AgentEntry, Artifact } from '../schema/artifact.js';
import { readLatestIfValid } from '../store/artifacts.js';
import { worktreeLayout } from '../store/layout.js';
import { readSessions, updateSessions } from '../store/sessions.js';
import { payloadDir, type HookEvents, type HookRun } from './session-start.js';

/**
 * The state a refresh depends on: HEAD, refs (a moved base), `git status` (any file
 * changed, staged, added or deleted) and the stat of each path it lists (a changed file
 * edited again). Equal fingerprints mean a refresh would produce the same handoff.
 */
export async function fingerprint(repo: RepoInfo, hasher: Hasher): Promise<string> {
  const status = await statusRaw(repo.root);
  const parts = [repo.head ?? '', repo.branch ?? '', statKey(join(repo.commonDir, 'packed-refs')), statKey(join(repo.commonDir, 'refs', 'heads')), statKey(join(repo.commonDir, 'refs', 'remotes', 'origin')), status];
  for (const path of new Set(parseStatus(status).map((c) => c.path))) parts.push(statKey(join(repo.root, path)));
  return hasher.text(parts.join('\0'));
}

export const NUDGE =
  'handoff: this session has not published a context for this branch. Before you finish, run `handoff context publish --title "…" --summary "…" --file <path>` so the next session knows what was done and decided.';

/**
 * How the nudge is delivered. `system` (default): a `systemMessage`, which both agents
 * show and which never holds the session; in Claude Code it reaches the user, not the
 * model, because every Stop output the model sees also resumes the turn. `block`: a
 * one-time `decision: block`, which hands the reminder to the model and lets it act on
 * it (never while a Stop hook already resumed the turn). `off`: no nudge.
 */
export type NudgeMode = 'system' | 'block' | 'off';

export function formatStopOutput(nudge: boolean, mode: NudgeMode = 'system'): string {
  if (!nudge || mode === 'off') return '';
  return mode === 'block' ? `${JSON.stringify({ decision: 'block', reason: NUDGE })}\n` : `${JSON.stringify({ systemMessage: NUDGE })}\n`;
}

export async function sessionStop(run: HookRun, events: HookEvents = {}): Promise<string> {
  return formatStopOutput(await stop(run, events), run.nudge ?? 'system');
}

/** Files the session touched: changed since it started, deleted since the last save, or already recorded. */
function editedFiles(
  facts: Awaited<ReturnType<typeof computeHandoff>>['facts'],
  previous: Artifact | undefined,
  recorded: readonly string[],
  startedAt: string,
): string[] {
  const since = Date.parse(startedAt);
  const wasDeleted = new Set(previous?.delta.changed.filter((c) => c.status === 'deleted').map((c) => c.path));
  const out = new Set(recorded);
  for (const [path, f] of facts.fileFacts) if (f.mtimeMs >= since) out.add(path);
  for (const c of facts.changes) if (c.status === 'deleted' && previous && !wasDeleted.has(c.path)) out.add(c.path);
  return [...out].sort(compareCodeUnit);
}

async function stop(run: HookRun, events: HookEvents): Promise<boolean> {
  const repo = await openRepository(payloadDir(run.payload, run.cwd));
  events.opened?.(repo);
  const layout = worktreeLayout(repo.root);
  const hasher = await loadHasher();
  const sessionId = run.payload.session_id ?? 'unknown';
  const agent = run.agent ?? run.payload.agent_id ?? 'agent';
  const sessions = readSessions(layout);
  const startedAt = sessions.sessions[sessionId]?.started_at ?? run.now.toISOString();
  const previous = readLatestIfValid(layout);
  const recorded = previous?.agent_history?.find((h) => h.agent_id === agent && h.session_id === sessionId)?.files_edited ?? [];
  const entry = (files: string[]): AgentEntry => ({ agent_id: agent, session_id: sessionId, started_at: startedAt, ended_at: run.now.toISOString(), files_edited: files });
  events.slowPart?.();

  const before = await fingerprint(repo, hasher);
  const unchanged = previous !== undefined && sessions.stop_fingerprint === before;
  const written = unchanged && (await updateAgentHistory(layout, (prev) => upsertAgentEntry(prev, entry([...recorded]))));
  if (!written) {
    const computed = await computeHandoff({ cwd: repo.root, now: run.now, env: run.env, warn: () => {} });
    await saveHandoff(computed, run.now, () => {}, (prev) => upsertAgentEntry(prev, entry(editedFiles(computed.facts, previous, recorded, startedAt))));
    // The fingerprint taken before computing: a change made meanwhile refreshes next time.
    await updateSessions(layout, (file) => {
      file.stop_fingerprint = before;
    });
  }

  const told = sessions.sessions[sessionId]?.nudged === true;
  if (told || run.payload.session_id === undefined || run.nudge === 'off') return false;
  // A turn a Stop hook already resumed is not resumed again.
  if (run.nudge === 'block' && run.payload.stop_hook_active === true) return false;
  if (await publishedSince(repo, run.env, run.now, startedAt)) return false;
  await updateSessions(layout, (file) => {
    file.sessions[sessionId] = { agent_id: agent, started_at: startedAt, nudged: true };
  });
  return true;
}
