// The context suites' drivers (test/e2e/context-helpers.ts) run in-process: the same names
// and options (cwd, as, now, env, input), awaited. Store readers, repositories and the clock
// come unchanged from the spawned suites' helpers.
import { expect } from 'vitest';
import { context, type Context, type ContextView } from '../../src/schema/context.js';
import {
  T0,
  at,
  hoursAfter,
  parseOk,
  storeDirOf,
  viewList,
  type GitRepo,
  type Repos,
  type RunOptions,
} from '../e2e/context-helpers.js';
import { handoffInProcess, type CliResult } from './in-process.js';

export {
  REPO_ID,
  Repos,
  T0,
  at,
  eventLines,
  expectFailure,
  hoursAfter,
  logFiles,
  parseOk,
  storeDirOf,
  storeFiles,
  viewList,
  type GitRepo,
  type RunOptions,
} from '../e2e/context-helpers.js';
export type { CliResult };

/** `handoff <args>` (a command or a session hook) with HANDOFF_NOW (default T0) and HANDOFF_DEVELOPER from the options. */
export function handoff(args: readonly string[], options: RunOptions): Promise<CliResult> {
  return handoffInProcess(args, {
    cwd: options.cwd,
    env: {
      HANDOFF_NOW: options.now ?? T0,
      ...(options.as !== undefined ? { HANDOFF_DEVELOPER: options.as } : {}),
      ...options.env,
    },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

export async function getJson(options: RunOptions, extra: readonly string[] = []): Promise<ContextView[]> {
  const res = await handoff(['context', 'get', ...extra, '--json'], options);
  return parseOk(viewList, res, `context get ${extra.join(' ')}`);
}

export async function listAllJson(options: RunOptions): Promise<ContextView[]> {
  return parseOk(viewList, await handoff(['context', 'list', '--all', '--json'], options), 'context list --all');
}

export async function publishJson(options: RunOptions, args: readonly string[]): Promise<Context> {
  const res = await handoff(['context', 'publish', ...args, '--json'], options);
  return parseOk(context, res, `context publish ${args.join(' ')}`);
}

/** Publishes with flags and returns the printed id (plain text output: the id alone). */
export async function publishId(options: RunOptions, args: readonly string[]): Promise<string> {
  const res = await handoff(['context', 'publish', ...args], options);
  expect(res.stderr, 'stderr of context publish').toBe('');
  expect(res.code, 'exit code of context publish').toBe(0);
  expect(res.stdout).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}\n$/);
  return res.stdout.trim();
}

/** A repository whose store holds alice's, bob's and carol's contexts, published 6 minutes apart from T0. */
export async function seededStore(repos: Repos): Promise<{ repo: GitRepo; ids: string[]; dir: string }> {
  const repo = repos.make();
  const ids: string[] = [];
  for (const [i, dev] of ['alice', 'bob', 'carol'].entries())
    ids.push(await publishId(at(repo, dev, hoursAfter(i * 0.1)), ['--title', `work of ${dev}`]));
  return { repo, ids, dir: storeDirOf(repo.dir) };
}
