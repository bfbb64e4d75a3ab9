// Step 1 of a handoff (api/handoff.ts): the request (argv), its environment and the project
// config, read once, become one frozen options object. Every usage error of the inputs
// (a bad --since, an ignore list too long) is raised here, before git or the caches run.
import { resolve } from 'node:path';
import type { ProjectConfig } from '../schema/config.js';
import { parseDuration } from '../core/duration.js';
import { ignoreListProblem } from '../core/glob.js';
import { UsageError } from '../errors.js';
import { openRepository, type RepoInfo } from '../git/repo.js';
import { assertCodemapDir, worktreeLayout, type Layout } from '../store/layout.js';
import { configOnce, type ConfigReader } from './project-config.js';

export const DEFAULT_SINCE = '6h';

export interface HandoffRequest {
  /** Directory the command runs from (after -C). */
  cwd: string;
  /** Optional `[path]` argument: a directory inside the repository to describe. */
  path?: string;
  ref?: string;
  since?: string;
  now: Date;
  /** For the developer identity of the context link (HANDOFF_DEVELOPER). */
  env?: NodeJS.ProcessEnv;
  warn: (line: string) => void;
  /** The project config's reader when the caller already has one (a session hook reads it once). */
  config?: ConfigReader;
}

interface OpenedRepo {
  repo: RepoInfo;
  layout: Layout;
  config: ProjectConfig;
  /** Keys of the config file handoff does not read (see store/config.ts). */
  unusedKeys: string[];
  /** The reader that read it, for the steps that open the team store. */
  readConfig: ConfigReader;
}

export async function openContext(cwd: string, path: string | undefined, known?: ConfigReader): Promise<OpenedRepo> {
  const start = path ? resolve(cwd, path) : cwd;
  const repo = await openRepository(start);
  const layout = worktreeLayout(repo.root);
  assertCodemapDir(layout);
  const readConfig = known ?? configOnce(repo.root, repo.commonDir);
  const { config, unused } = readConfig();
  return { repo, layout, config, unusedKeys: unused, readConfig };
}

/** The request, its env and the project config, read once, as one frozen object. */
export interface HandoffOptions {
  readonly repo: RepoInfo;
  readonly layout: Layout;
  readonly config: Readonly<ProjectConfig>;
  /** The one read of the config, for the team store's use (the context link). */
  readonly readConfig: ConfigReader;
  /** --ref, else config base_ref, else the defaults (resolved later, against git). */
  readonly ref: string | undefined;
  /** The timeline window: --since, else config since, else DEFAULT_SINCE. */
  readonly sinceMs: number;
  readonly now: Date;
  readonly env: NodeJS.ProcessEnv;
  readonly warn: (line: string) => void;
}

export async function handoffOptions(req: HandoffRequest): Promise<HandoffOptions> {
  const { repo, layout, config, unusedKeys, readConfig } = await openContext(req.cwd, req.path, req.config);
  const sinceText = req.since ?? config.since ?? DEFAULT_SINCE;
  const sinceMs = parseDuration(sinceText);
  if (sinceMs === undefined) {
    const where = req.since !== undefined ? '--since' : 'since in .codemap/config.json';
    throw new UsageError(`invalid ${where} duration "${sinceText}"`, 'use a duration such as 30m, 6h or 2d');
  }
  if (unusedKeys.length > 0) {
    const keys = unusedKeys.map((k) => JSON.stringify(k)).join(', ');
    const what = `.codemap/config.json: ignoring key(s) handoff does not read: ${keys}`;
    req.warn(`handoff: ${what} — fix the name or remove them (README: Config)`);
  }
  const ignoreProblem = ignoreListProblem(config.ignore ?? []);
  if (ignoreProblem)
    throw new UsageError(`"ignore" in .codemap/config.json holds ${ignoreProblem}`, 'shorten the ignore list');
  const env = req.env ?? {};
  return Object.freeze({
    repo,
    layout,
    config: Object.freeze(config),
    readConfig,
    ref: req.ref,
    sinceMs,
    now: req.now,
    env,
    warn: req.warn,
  });
}
