// `handoff doctor` as a use case: every check, as plain data, changing nothing. The agents'
// side (hooks installed and starting, Codex trust) is setup/doctor.ts's; the repository's
// and the store's are here: `.codemap/` excluded, the base ref resolving, the context
// store and the saved artifact parsing, `.codemap/` itself safe.
import { openRepository, type RepoInfo } from '../git/repo.js';
import { agentChecks } from '../setup/doctor.js';
import type { AgentHomes } from '../setup/targets.js';
import { readLatest } from '../store/artifacts.js';
import { readTextIfExists } from '../store/atomic.js';
import { readProjectConfig } from '../store/config.js';
import { isExcluded } from '../store/exclude.js';
import { worktreeLayout, infoExcludePath } from '../store/layout.js';
import { resolveBaseRef, TRIED_BASE_REFS } from './base-ref.js';
import { codemapCheck } from './codemap-check.js';
import { guarded, type Check } from '../core/check.js';
import { checkStore } from './context.js';

export { guarded, type Check, type CheckStatus } from '../core/check.js';

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

export interface DoctorRequest {
  cwd: string;
  homes: AgentHomes;
  /** For the viewer's identity: the store check counts only what this viewer may see. */
  env: NodeJS.ProcessEnv;
  now: Date;
}

/** All of doctor's checks, in its order; outside a repository, the one failed check saying so. */
export async function runDoctor(req: DoctorRequest): Promise<Check[]> {
  let repo: RepoInfo;
  try {
    repo = await openRepository(req.cwd);
  } catch (error) {
    const fix = 'run handoff doctor inside a git repository';
    return [{ name: 'repository', status: 'fail', detail: (error as Error).message, fix }];
  }
  return [
    { name: 'repository', status: 'ok', detail: repo.root },
    ...(await agentChecks(repo, req.homes)),
    ...(await repositoryChecks(repo, req)),
  ];
}
