// What the hooks, the briefing and the handoff ask of claims: the pre-edit hook's "who else
// holds the files this tool is about to edit", others' claims on my changed files, and
// SessionEnd's release of the ending session's claims. The commands are in claim.ts.
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { claimsOverlapping, isMine, resolveClaims, viewClaim, type ClaimState, type Viewer } from '../core/claims.js';
import type { RepoInfo } from '../git/repo.js';
import type { ClaimView } from '../schema/claim.js';
import { activeClaims, releaseRecord, viewerOf, work } from './claim.js';
import { openStore, resolveDeveloper, type StoreContext } from './context.js';

/** `full` with its links resolved, through its nearest existing folder (the file of a Write may not exist yet). */
function realOf(full: string): string {
  const tail: string[] = [];
  for (let dir = full; ;) {
    try {
      return join(realpathSync(dir), ...tail.reverse());
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return full;
      tail.push(basename(dir));
      dir = parent;
    }
  }
}

/** A path as the repository names it, from an agent's absolute (or cwd-relative) one; undefined outside. */
function repoRelative(root: string, cwd: string, path: string): string | undefined {
  const rel = relative(realOf(root), realOf(resolve(cwd, path)));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

export interface EditCheckRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: Date;
  /** The agent's session: the same developer's claims from another session count as someone else's. */
  session?: string;
}

/**
 * For the pre-edit hook: which of the files an agent is about to edit (absolute paths, as
 * hook payloads give them) others hold an active claim on. Reads only; records nothing.
 */
export async function claimsOnEdit(
  req: EditCheckRequest,
  files: readonly string[],
): Promise<{ path: string; claims: ClaimView[] }[]> {
  const ctx = await openStore(req.cwd);
  const paths = files.map((f) => repoRelative(ctx.repo.root, req.cwd, f)).filter((p) => p !== undefined);
  if (paths.length === 0) return [];
  const me = (await resolveDeveloper({ cwd: req.cwd, now: req.now, env: req.env }, ctx, false)) ?? '';
  return othersOverlapping(ctx, viewerOf(ctx, me, req.session), req.now, paths);
}

function othersOverlapping(
  ctx: StoreContext,
  viewer: Viewer,
  now: Date,
  paths: readonly string[],
): { path: string; claims: ClaimView[] }[] {
  const others = activeClaims(ctx.store.snapshot().acc, now)
    .filter((c) => !isMine(c, viewer))
    .map((c) => viewClaim(c, viewer, now));
  return claimsOverlapping(others, paths);
}

/**
 * Others' active claims overlapping `paths` (my changed files), for the briefing and the
 * artifact's open questions. Never throws: a handoff without them is still a handoff.
 */
export async function othersClaimsOn(
  repo: RepoInfo,
  env: NodeJS.ProcessEnv,
  now: Date,
  paths: readonly string[],
  session?: string,
): Promise<{ path: string; claims: ClaimView[] }[]> {
  try {
    if (paths.length === 0) return [];
    const ctx = await openStore(repo.root, repo);
    const me = (await resolveDeveloper({ cwd: repo.root, now, env }, ctx, false)) ?? '';
    return othersOverlapping(ctx, viewerOf(ctx, me, session), now, paths);
  } catch {
    return [];
  }
}

/**
 * SessionEnd: releases the active claims the ending session made (Stop keeps them; they
 * expire by TTL). Returns how many were released.
 */
export async function releaseSessionClaims(
  repo: RepoInfo,
  env: NodeJS.ProcessEnv,
  now: Date,
  session: string,
): Promise<number> {
  const ctx = await openStore(repo.root, repo);
  const me = await resolveDeveloper({ cwd: repo.root, now, env }, ctx, false);
  if (!me) return 0;
  const ending = (acc: Parameters<typeof resolveClaims>[0]): ClaimState[] =>
    activeClaims(acc, now).filter((c) => c.author === me && c.claim.session === session);
  if (ending(ctx.store.snapshot().acc).length === 0) return 0;
  let count = 0;
  await ctx.store.write(
    (snap) => {
      const chosen = ending(snap.acc);
      count = chosen.length;
      return chosen.map((c) => releaseRecord(c.id, me, now));
    },
    { now, events: [work('session.claims_released', me, ctx, now)] },
  );
  return count;
}
