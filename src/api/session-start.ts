// The session-start briefing as data: the saved handoff (computed and saved only when none
// ever was), whether it is still current, and teammates' contexts, as typed sections
// (core/briefing.ts). The hook writes them as text (render/briefing.ts) in the host's
// output; the caller passes cwd, clock, env and events.
import { buildBriefing, type Briefing } from '../core/briefing.js';
import { loadHasher } from '../core/hash.js';
import { openRepository, statusRaw } from '../git/repo.js';
import type { ProjectConfig } from '../schema/config.js';
import type { ContextView } from '../schema/context.js';
import { readLatestIfValid } from '../store/artifacts.js';
import { worktreeLayout } from '../store/layout.js';
import { updateSessions } from '../store/sessions.js';
import { othersClaimsOn } from './claim-hooks.js';
import { savedConflictsFor } from './conflicts-saved.js';
import { teammateContexts } from './context.js';
import { briefingNotes } from './state.js';
import { briefingMessages } from './message.js';
import { staleReason } from './freshness.js';
import { computeHandoff, saveHandoff } from './handoff.js';
import { configOnce, type ConfigReader } from './project-config.js';

export const TEAMMATES_SHOWN = 5;
/** Repositories this large skip that `git status`: HEAD, the index and the listed files are checked. */
export const STATUS_MAX_FILES = 20_000;

/** What a session hook reports before it is done, so a budget can cut it short usefully. */
export interface SessionEvents {
  /**
   * The repository is open: its config's `hooks` section (undefined without one). Not called when the
   * config cannot be read: a broken config must not break a hook.
   */
  configured?: (hooks: ProjectConfig['hooks']) => void;
  /** The briefing to fall back on if the budget runs out from now on. */
  fallback?: (briefing: Briefing) => void;
  /** Called once the saved state is read and before any recomputation (a test seam slows the work here). */
  working?: () => void;
}

export interface BriefingRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: Date;
  sessionId?: string;
  agent: string;
  /** How long `git status` may still take (ms) when the briefing is otherwise ready. */
  statusWaitMs: () => number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reports the config's hooks section through `events.configured`, if anyone listens. */
export function reportConfigured(config: ConfigReader, events: SessionEvents): void {
  if (!events.configured) return;
  let hooks: ProjectConfig['hooks'];
  try {
    hooks = config().config.hooks;
  } catch {
    return;
  }
  events.configured(hooks);
}

export async function sessionBriefing(req: BriefingRequest, events: SessionEvents = {}): Promise<Briefing> {
  const repo = await openRepository(req.cwd);
  // Read once for the whole briefing: the hooks section, a handoff computed now, teammates.
  const config = configOnce(repo.root, repo.commonDir);
  reportConfigured(config, events);
  const layout = worktreeLayout(repo.root);
  const saved = readLatestIfValid(layout);
  // Past the budget from here on: the saved handoff as it is, nothing recomputed.
  if (saved) {
    events.fallback?.(buildBriefing({ artifact: saved, staleReason: undefined, teammates: [], now: req.now }));
  }
  // git status answers "did anything change since the save?" exactly. On a large
  // repository it takes longer than the whole briefing may, and its threads compete
  // for the same cores, so it runs only below STATUS_MAX_FILES, and counts only if it
  // is back by the caller's deadline.
  const small = (saved?.prefix.file_count ?? Infinity) < STATUS_MAX_FILES;
  const status = small
    ? statusRaw(repo.root).then(
        (raw) => raw,
        () => undefined,
      )
    : Promise.resolve(undefined);
  const hasher = await loadHasher();
  events.working?.();
  let artifact = saved;
  if (!artifact) {
    const result = await computeHandoff({ cwd: repo.root, now: req.now, env: req.env, warn: () => {}, config });
    artifact = (await saveHandoff(result, req.now, () => {})).artifact;
  }
  const mine = new Set(artifact.delta.changed.map((c) => c.path));
  // Others' claims on my changed files are read alongside the teammates (othersClaimsOn never throws).
  const claimed = othersClaimsOn(repo, req.env, req.now, [...mine], req.sessionId);
  // Read alongside the teammates' contexts (it never throws): handoffs and requests to me lead the briefing.
  const pendingMessages = briefingMessages(repo, req.env, req.now, req.sessionId);
  let teammates: ContextView[] = [];
  try {
    teammates = await teammateContexts(repo, req.env, req.now, mine, TEAMMATES_SHOWN, config);
  } catch {
    teammates = [];
  }
  // Decisions and interfaces are news, not the briefing's backbone: an unreadable store leaves them out.
  const notes = await briefingNotes(repo, req.env, req.now).catch(() => ({ decisions: [], interfaces: [] }));
  const claims = await claimed;
  // Saved by the stop hook; a file we cannot read leaves the section out.
  const conflicts = await savedConflictsFor(repo, req.env, req.now).catch(() => undefined);
  const messages = await pendingMessages;
  if (req.sessionId) {
    const id = req.sessionId;
    await updateSessions(layout, (file) => {
      file.sessions[id] ??= { agent_id: req.agent, started_at: req.now.toISOString() };
    }).catch(() => undefined);
  }
  const raw = await Promise.race([status, sleep(Math.max(0, req.statusWaitMs()))]);
  const digest = typeof raw === 'string' ? hasher.text(raw) : undefined;
  const stale = staleReason(artifact, repo, layout, hasher, req.now, digest);
  return buildBriefing({
    artifact,
    staleReason: stale,
    teammates,
    claims,
    ...(conflicts ? { conflicts } : {}),
    now: req.now,
    maxTeammates: TEAMMATES_SHOWN,
    ...notes,
    messages,
  });
}
