// `handoff hook session-start`: the agent's payload in, one budgeted briefing out, as
// plain text or the SessionStart JSON both Claude Code and Codex accept. Reads the saved
// handoff rather than recomputing it; computes one only when none was ever saved.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { computeHandoff, saveHandoff, teammateContexts } from '../api.js';
import { BYTE_BUDGET, truncateToBytes } from '../core/budget.js';
import { buildBriefing } from '../core/briefing.js';
import { loadHasher } from '../core/hash.js';
import { openRepository, statusRaw, type RepoInfo } from '../git/repo.js';
import type { ContextView } from '../schema/context.js';
import type { HookPayload } from '../schema/hooks.js';
import { readLatestIfValid } from '../store/artifacts.js';
import { worktreeLayout } from '../store/layout.js';
import { updateSessions } from '../store/sessions.js';
import { staleReason } from './freshness.js';

export interface HookRun {
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: Date;
  payload: HookPayload;
  format: 'text' | 'json';
  budgetMs: number;
  agent?: string;
  /** session-stop: how to deliver the publish reminder (see session-stop.ts). */
  nudge?: 'system' | 'block' | 'off';
}

export const TEAMMATES_SHOWN = 5;
/** How long after process start session-start waits for `git status` before going without it. */
export const STATUS_DEADLINE_MS = 150;
/** Repositories this large skip that `git status`: HEAD, the index and the listed files are checked. */
export const STATUS_MAX_FILES = 20_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function payloadDir(payload: HookPayload, cwd: string): string {
  return payload.cwd && existsSync(payload.cwd) ? resolve(cwd, payload.cwd) : cwd;
}

/** What a hook's work reports before it is done, so the budget can cut it short usefully. */
export interface HookEvents {
  /** The repository is open (the config may set the budget). */
  opened?: (repo: RepoInfo) => void;
  /** The output to print if the budget runs out from now on. */
  fallback?: (output: string) => void;
  /**
   * Called once as the slow part of the work begins (the fallback is known by then). A seam
   * for tests to block the work there, as a hostile repository could; production sets none.
   */
  slowPart?: () => void;
}

/**
 * The exact bytes session-start prints, never more than the briefing budget: the cap
 * applies after JSON escaping (a control character grows to six bytes), so the text is
 * cut further, at a line boundary, until the printed document fits.
 */
export function formatStartOutput(
  briefing: string,
  format: 'text' | 'json',
  maxBytes: number = BYTE_BUDGET.briefing,
): string {
  let text = briefing;
  let limit = maxBytes;
  for (;;) {
    if (text === '') return '';
    const doc = { hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: text } };
    const out = format === 'text' ? text : `${JSON.stringify(doc)}\n`;
    const size = Buffer.byteLength(out, 'utf8');
    if (size <= maxBytes) return out;
    // Shrink the text budget by the expansion seen so far; at least a little each round.
    limit = Math.min(limit - 16, Math.floor((Buffer.byteLength(text, 'utf8') * maxBytes) / size));
    if (limit <= 0) return '';
    text = truncateToBytes(briefing, limit).text;
  }
}

export async function sessionStart(run: HookRun, events: HookEvents = {}): Promise<string> {
  const repo = await openRepository(payloadDir(run.payload, run.cwd));
  events.opened?.(repo);
  const layout = worktreeLayout(repo.root);
  const saved = readLatestIfValid(layout);
  // Past the budget from here on: the saved handoff as it is, nothing recomputed.
  if (saved) {
    const plain = buildBriefing({ artifact: saved, staleReason: undefined, teammates: [], now: run.now, maxBytes: BYTE_BUDGET.briefing });
    events.fallback?.(formatStartOutput(plain, run.format));
  }
  // git status answers "did anything change since the save?" exactly. On a large
  // repository it takes longer than the whole briefing may, and its threads compete
  // for the same cores, so it runs only below STATUS_MAX_FILES, and counts only if it
  // is back STATUS_DEADLINE_MS after process start.
  const small = (saved?.prefix.file_count ?? Infinity) < STATUS_MAX_FILES;
  const status = small ? statusRaw(repo.root).then((raw) => raw, () => undefined) : Promise.resolve(undefined);
  const hasher = await loadHasher();
  events.slowPart?.();
  let artifact = saved;
  if (!artifact) {
    const result = await computeHandoff({ cwd: repo.root, now: run.now, env: run.env, warn: () => {} });
    artifact = (await saveHandoff(result, run.now, () => {})).artifact;
  }
  const mine = new Set(artifact.delta.changed.map((c) => c.path));
  let teammates: ContextView[] = [];
  try {
    teammates = await teammateContexts(repo, run.env, run.now, mine, TEAMMATES_SHOWN);
  } catch {
    teammates = [];
  }
  if (run.payload.session_id) {
    const id = run.payload.session_id;
    const agent = run.agent ?? run.payload.agent_id ?? 'agent';
    await updateSessions(layout, (file) => {
      file.sessions[id] ??= { agent_id: agent, started_at: run.now.toISOString() };
    }).catch(() => undefined);
  }
  const raw = await Promise.race([status, sleep(Math.max(0, STATUS_DEADLINE_MS - process.uptime() * 1000))]);
  const stale = staleReason(artifact, repo, layout, hasher, run.now, typeof raw === 'string' ? hasher.text(raw) : undefined);
  const briefing = buildBriefing({ artifact, staleReason: stale, teammates, now: run.now, maxBytes: BYTE_BUDGET.briefing, maxTeammates: TEAMMATES_SHOWN });
  return formatStartOutput(briefing, run.format);
}
