// doctor's checks of the repository and the store, as plain data: `.codemap/` excluded, the
// base ref resolving, the context store and the saved artifact parsing, `.codemap/` itself
// safe. setup/doctor.ts adds the agents' side (hooks installed and starting, Codex trust).
import type { RepoInfo } from '../git/repo.js';
import { readLatest } from '../store/artifacts.js';
import { readTextIfExists } from '../store/atomic.js';
import { readProjectConfig } from '../store/config.js';
import { isExcluded } from '../store/exclude.js';
import { worktreeLayout, infoExcludePath } from '../store/layout.js';
import { resolveBaseRef, TRIED_BASE_REFS } from './base-ref.js';
import { codemapCheck } from './codemap-check.js';
import { guarded, type Check } from './check.js';
import { checkStore } from './context.js';

export { guarded, type Check, type CheckStatus } from './check.js';

export interface RepositoryCheckRequest {
  /** For the viewer's identity: the store check counts only what this viewer may see. */
  env: NodeJS.ProcessEnv;
  now: Date;
}

function excludeCheck(repo: RepoInfo): Check {
  const excluded = isExcluded(readTextIfExists(infoExcludePath(repo.commonDir)));
  return excluded
    ? { name: 'exclude', status: 'ok', detail: '.codemap/ is excluded through .git/info/exclude' }
    : {
        name: 'exclude',
        status: 'warn',
        detail: '.codemap/ is not excluded yet',
        fix: 'handoff (the first run adds it)',
      };
}

async function baseRefCheck(repo: RepoInfo): Promise<Check> {
  const { config } = readProjectConfig(repo.root, repo.commonDir);
  const base = await resolveBaseRef(repo, undefined, config);
  return base.source === 'fallback'
    ? {
        name: 'base ref',
        status: 'warn',
        detail: `no base ref (tried ${TRIED_BASE_REFS}); handoffs compare against HEAD`,
        fix: 'set base_ref in .codemap/config.json',
      }
    : { name: 'base ref', status: 'ok', detail: `${base.name} (${base.source})` };
}

async function storeCheck(repo: RepoInfo, req: RepositoryCheckRequest): Promise<Check> {
  const { dir, me, live } = await checkStore(repo, req.env, req.now);
  return { name: 'context store', status: 'ok', detail: `${dir} (${live} live contexts visible to ${me || 'you'})` };
}

function artifactCheck(repo: RepoInfo): Check {
  const artifact = readLatest(worktreeLayout(repo.root));
  return artifact
    ? { name: 'artifact', status: 'ok', detail: `saved ${artifact.generated_at} for ${artifact.branch}` }
    : { name: 'artifact', status: 'warn', detail: 'no saved handoff yet', fix: 'handoff' };
}

/** The repository's and the store's checks, in doctor's order. */
export async function repositoryChecks(repo: RepoInfo, req: RepositoryCheckRequest): Promise<Check[]> {
  return [
    await guarded('exclude', undefined, () => excludeCheck(repo)),
    await guarded('base ref', 'handoff --ref <branch>, or set base_ref in .codemap/config.json', () =>
      baseRefCheck(repo),
    ),
    await guarded('context store', 'handoff context repair', () => storeCheck(repo, req)),
    await guarded('.codemap', undefined, () => codemapCheck(repo)),
    await guarded('artifact', 'handoff (a save moves the corrupt file aside)', () => artifactCheck(repo)),
  ];
}
