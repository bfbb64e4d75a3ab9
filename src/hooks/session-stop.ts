// `handoff hook session-stop`: refresh and save the handoff when the worktree changed,
// record the session in the artifact's agent history, and tell a session once (as a
// non-blocking systemMessage, the JSON both agents accept on Stop) when it has not
// published a context for this branch. Never publishes on the session's behalf.
import { lstatSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { computeHandoff, publishedSince, saveHandoff, updateAgentHistory } from '../api.js';
import { upsertAgentEntry } from '../core/agent-history.js';
import { loadHasher, type Hasher } from '../core/hash.js';
import { openRepository, type RepoInfo } from '../git/repo.js';
import type { AgentEntry } from '../schema/artifact.js';
import { worktreeLayout, type Layout } from '../store/layout.js';
import { readSessions, updateSessions } from '../store/sessions.js';
import { injectedDelay, withBudget } from './budget.js';
import { payloadDir, type HookRun } from './session-start.js';

/** Beyond this many changed paths the fingerprint is not kept: every stop refreshes. */
const FINGERPRINT_MAX_PATHS = 2_000;

const statKey = (path: string): string => {
  try {
    const st = lstatSync(path);
    return `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return '-';
  }
};

/**
 * What must change for a refresh to be worth it: HEAD, the index, each changed file,
 * and the directories holding them and the root (a new file changes its directory).
 */
export function fingerprint(repo: RepoInfo, paths: readonly string[], hasher: Hasher): string {
  const dirs = new Set<string>(['']);
  for (const p of paths) dirs.add(dirname(p) === '.' ? '' : dirname(p));
  // Refs and packed-refs catch a moved base branch; the index catches staging.
  const parts = [repo.head ?? '', repo.branch ?? '', statKey(join(repo.gitDir, 'index')), statKey(join(repo.commonDir, 'packed-refs')), statKey(join(repo.commonDir, 'refs', 'heads')), statKey(join(repo.commonDir, 'refs', 'remotes', 'origin'))];
  for (const p of paths) parts.push(`${p}=${statKey(join(repo.root, p))}`);
  for (const d of [...dirs].sort()) parts.push(`${d}/=${statKey(join(repo.root, d))}`);
  return hasher.text(parts.join('\0'));
}

export const NUDGE =
  'handoff: this session has not published a context for this branch. Before you finish, run `handoff context publish --title "…" --summary "…" --file <path>` so the next session knows what was done and decided.';

export function formatStopOutput(nudge: boolean): string {
  return nudge ? `${JSON.stringify({ systemMessage: NUDGE })}\n` : '';
}

export async function sessionStop(run: HookRun): Promise<string> {
  const result = await withBudget(run.budgetMs, () => stop(run), () => {
    throw new Error(`time budget of ${run.budgetMs} ms exceeded`);
  });
  return formatStopOutput(result);
}

async function stop(run: HookRun): Promise<boolean> {
  const repo = await openRepository(payloadDir(run.payload, run.cwd));
  const layout = worktreeLayout(repo.root);
  const hasher = await loadHasher();
  const sessionId = run.payload.session_id ?? 'unknown';
  const agent = run.agent ?? run.payload.agent_id ?? 'agent';
  const sessions = readSessions(layout);
  const startedAt = sessions.sessions[sessionId]?.started_at ?? run.now.toISOString();
  const saved = sessions.stop_fingerprint;
  const entry = (files: string[]): AgentEntry => ({ agent_id: agent, session_id: sessionId, started_at: startedAt, ended_at: run.now.toISOString(), files_edited: files });
  await injectedDelay(run.env);

  const unchanged = saved !== undefined && saved.key === fingerprint(repo, saved.paths, hasher);
  let written = false;
  if (unchanged) written = await updateHistoryOnly(layout, (prev) => upsertAgentEntry(prev, entry(previousFiles(prev, agent, sessionId))));
  if (!written) {
    const computed = await computeHandoff({ cwd: repo.root, now: run.now, env: run.env, warn: () => {} });
    const since = Date.parse(startedAt);
    const edited = [...computed.facts.fileFacts].filter(([, f]) => f.mtimeMs >= since).map(([p]) => p).sort();
    await saveHandoff(computed, run.now, () => {}, (prev) => upsertAgentEntry(prev, entry(edited)));
    const paths = computed.facts.changes.map((c) => c.path);
    const fresh = await openRepository(repo.root);
    const key = paths.length <= FINGERPRINT_MAX_PATHS ? { key: fingerprint(fresh, paths, hasher), paths } : undefined;
    await updateSessions(layout, (file) => {
      if (key) file.stop_fingerprint = key;
      else delete file.stop_fingerprint;
    });
  }

  const told = sessions.sessions[sessionId]?.nudged === true;
  if (told || run.payload.session_id === undefined) return false;
  if (await publishedSince(repo, run.env, run.now, startedAt)) return false;
  await updateSessions(layout, (file) => {
    file.sessions[sessionId] = { agent_id: agent, started_at: startedAt, nudged: true };
  });
  return true;
}

function previousFiles(history: readonly AgentEntry[], agent: string, sessionId: string): string[] {
  return history.find((h) => h.agent_id === agent && h.session_id === sessionId)?.files_edited ?? [];
}

async function updateHistoryOnly(layout: Layout, change: (prev: AgentEntry[]) => AgentEntry[]): Promise<boolean> {
  try {
    statSync(layout.latest);
  } catch {
    return false;
  }
  return updateAgentHistory(layout, change);
}
