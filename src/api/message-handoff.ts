// The handoff a `--type handoff` message carries: the sender's current handoff, computed
// and saved now (so the recipient's `handoff --latest` in that worktree reads the same
// one), or the saved one when it cannot be computed. Never throws: a handoff message
// without these fields still names the branch and the sender's context.
import type { RepoInfo } from '../git/repo.js';
import { readLatestIfValid } from '../store/artifacts.js';
import { worktreeLayout } from '../store/layout.js';
import type { ContextRequest } from './context.js';
import { computeHandoff, saveHandoff } from './handoff.js';

export async function currentHandoffOf(
  repo: RepoInfo,
  req: ContextRequest,
): Promise<{ head: string; combined_hash: string } | undefined> {
  try {
    const env = { ...req.env, ...(req.as ? { HANDOFF_DEVELOPER: req.as } : {}) };
    const result = await computeHandoff({ cwd: repo.root, now: req.now, env, warn: () => {} });
    const { artifact } = await saveHandoff(result, req.now, () => {});
    return { head: artifact.head, combined_hash: artifact.combined_hash };
  } catch {
    const saved = readLatestIfValid(worktreeLayout(repo.root));
    if (saved === undefined || saved.branch !== (repo.branch ?? 'HEAD')) return undefined;
    return { head: saved.head, combined_hash: saved.combined_hash };
  }
}
