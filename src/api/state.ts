// `handoff state`: the team's state in one read of the store, a section per kind of
// record. Each section is a function of the store's fold (and, for contexts and
// interfaces, of the files they name as they are now), so a new kind adds one line here.
import { viewClaim } from '../core/claims.js';
import { compareCodeUnit } from '../core/paths.js';
import { visibleDecisions } from '../core/decisions.js';
import { visibleInterfaces } from '../core/interfaces.js';
import { inboxOf, isRequest, newestMessageFirst } from '../core/messages.js';
import type { Accumulator } from '../core/records.js';
import type { Visibility } from '../schema/context.js';
import type { MessageView } from '../schema/message.js';
import type { RepoInfo } from '../git/repo.js';
import type { DecisionView, InterfaceView } from '../schema/decision.js';
import type { TeamState } from '../schema/state.js';
import {
  openStore,
  openTeamStore,
  recordRead,
  resolveDeveloper,
  stateContexts,
  usage,
  visibilityLookup,
  type ContextRequest,
} from './context.js';
import { activeClaims, viewerOf } from './claim.js';
import { savedConflictsFor } from './conflicts-saved.js';
import { teamFold } from './decision.js';
import { judgedInterfaces } from './interface.js';

/** How many of the newest decisions `state` shows (`decision list` shows them all). */
export const STATE_DECISIONS = 20;

export async function teamState(req: ContextRequest): Promise<TeamState> {
  const { ctx, me } = await openTeamStore(req, false);
  const reader = me ?? '';
  const fold = teamFold(ctx);
  const visibility = visibilityLookup(ctx.store.readDevelopers());
  const decisions = visibleDecisions(fold, reader, visibility);
  const messageReader = me
    ? { handle: me, branch: ctx.repo.branch, session: req.session, repo: ctx.repoId }
    : undefined;
  const requests = messageReader ? openRequests(fold, messageReader, req.now, visibility) : [];
  const viewer = viewerOf(ctx, reader, req.session);
  const claims = activeClaims(fold, req.now)
    .map((c) => viewClaim(c, viewer, req.now))
    .sort((a, b) => compareCodeUnit(b.claimed_at, a.claimed_at) || compareCodeUnit(b.id, a.id));
  const [contexts, interfaces, conflicts] = await Promise.all([
    stateContexts(ctx, reader, req.now),
    judgedInterfaces(ctx, visibleInterfaces(fold, reader, visibility)),
    savedConflictsFor(ctx.repo, req.env, req.now, req.as).catch(() => undefined),
  ]);
  await recordRead(ctx, req.now, { ...contexts.bookkeeping, events: [usage('state', me, ctx, req.now)] });
  return {
    repo: ctx.repoId,
    ...(me ? { me } : {}),
    contexts: contexts.views,
    open_requests: requests,
    decisions: decisions.slice(0, STATE_DECISIONS),
    decisions_total: decisions.length,
    interfaces,
    claims,
    ...(conflicts ? { conflicts } : {}),
  };
}

/** Requests still open: addressed to me (read or not) and sent by me, newest first (core/messages.ts). */
function openRequests(
  fold: Accumulator,
  reader: Parameters<typeof inboxOf>[0]['reader'],
  now: Date,
  visibilityOf: (developer: string) => Visibility,
): MessageView[] {
  const found = inboxOf({ state: fold, reader, now, visibilityOf }, { all: true });
  const toMe = found.messages.filter((m) => isRequest(m) && m.open === true);
  return [...toMe, ...found.openRequests].sort(newestMessageFirst);
}

/** How many of the newest interfaces a briefing judges (the file reads are in the start budget). */
export const BRIEFING_INTERFACES = 20;

/**
 * The session-start briefing's decisions and interfaces: those the caller may see, newest
 * first, the newest interfaces judged ready, stale or gone (core/decisions.ts ranks them).
 */
export async function briefingNotes(
  repo: RepoInfo,
  env: NodeJS.ProcessEnv,
  now: Date,
): Promise<{ decisions: DecisionView[]; interfaces: InterfaceView[] }> {
  const ctx = await openStore(repo.root, repo);
  const me = (await resolveDeveloper({ cwd: repo.root, now, env }, ctx, false)) ?? '';
  const fold = teamFold(ctx);
  const visibility = visibilityLookup(ctx.store.readDevelopers());
  const newest = visibleInterfaces(fold, me, visibility).slice(0, BRIEFING_INTERFACES);
  return { decisions: visibleDecisions(fold, me, visibility), interfaces: await judgedInterfaces(ctx, newest) };
}
