// Drives `handoff context …` and `handoff state` through the built CLI for the context
// exchange suites: hermetic environment, pinned clock, stdin input, background processes
// that can be killed, and readers of the store files through the tool's own zod schemas.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import * as z from 'zod';
import { baseGitEnv, gitRepo, makeTempDir, type GitRepo, type Tree } from '../../fixtures/git-repo.js';
import {
  context,
  contextView,
  eventRecord,
  type Context,
  type ContextView,
  type EventRecord,
} from '../../src/schema/context.js';

import { BIN, cliEnv, expectFailure, runCli, type CliResult } from './helpers.js';

export { BIN, expectFailure, type CliResult };

/** The clock every suite starts from; `hoursAfter(n)` pins HANDOFF_NOW n hours later. */
export const T0 = '2024-03-01T12:00:00.000Z';
export function hoursAfter(hours: number): string {
  return new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
}

export interface RunOptions {
  cwd: string;
  /** HANDOFF_DEVELOPER for the child (omitted: none). */
  as?: string;
  /** HANDOFF_NOW for the child (default T0). */
  now?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
}

/** The options of a run in `repo` (a repository or a folder) as `as`, at `now` (default T0). */
export function at(repo: GitRepo | string, as?: string, now: string = T0): RunOptions {
  return { cwd: typeof repo === 'string' ? repo : repo.dir, now, ...(as !== undefined ? { as } : {}) };
}

/** What the context suites add to the shared hermetic environment: the clock and the identity. */
function contextExtras(options: Pick<RunOptions, 'as' | 'now' | 'env'>): NodeJS.ProcessEnv {
  return {
    HANDOFF_NOW: options.now ?? T0,
    ...(options.as !== undefined ? { HANDOFF_DEVELOPER: options.as } : {}),
    ...options.env,
  };
}

/** Hermetic git (no global or system config), no colour, no inherited identity or clock. */
function contextEnv(options: Pick<RunOptions, 'as' | 'now' | 'env'> = {}): NodeJS.ProcessEnv {
  return cliEnv(contextExtras(options));
}

export function handoff(args: readonly string[], options: RunOptions): CliResult {
  return runCli(args, {
    cwd: options.cwd,
    env: contextExtras(options),
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

export interface Background {
  child: ChildProcess;
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Starts the CLI without waiting for it: for concurrent processes and SIGKILL tests. */
export function handoffInBackground(args: readonly string[], options: RunOptions): Background {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: contextEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolvePromise({
        code: code ?? -1,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
  return { child, done };
}

/** Expects success with nothing on stderr and parses stdout (the whole of it) with `schema`. */
export function parseOk<S extends z.ZodType>(schema: S, res: CliResult, what: string): z.infer<S> {
  expect(res.stderr, `stderr of ${what}`).toBe('');
  expect(res.code, `exit code of ${what}`).toBe(0);
  return schema.parse(JSON.parse(res.stdout));
}

export const viewList = z.array(contextView);

export function getJson(options: RunOptions, extra: readonly string[] = []): ContextView[] {
  return parseOk(viewList, handoff(['context', 'get', ...extra, '--json'], options), `context get ${extra.join(' ')}`);
}

export function listAllJson(options: RunOptions): ContextView[] {
  return parseOk(viewList, handoff(['context', 'list', '--all', '--json'], options), 'context list --all');
}

export function publishJson(options: RunOptions, args: readonly string[]): Context {
  return parseOk(
    context,
    handoff(['context', 'publish', ...args, '--json'], options),
    `context publish ${args.join(' ')}`,
  );
}

/** Publishes with flags and returns the printed id (plain text output: the id alone). */
export function publishId(options: RunOptions, args: readonly string[]): string {
  const res = handoff(['context', 'publish', ...args], options);
  expect(res.stderr, 'stderr of context publish').toBe('');
  expect(res.code, 'exit code of context publish').toBe(0);
  expect(res.stdout).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}\n$/);
  return res.stdout.trim();
}

/** `<git common dir>/codemap-handoff`, where the README says the store lives. */
export function storeDirOf(repoDir: string): string {
  const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
    cwd: repoDir,
    env: baseGitEnv(),
    encoding: 'utf8',
  }).trim();
  return join(common, 'codemap-handoff');
}

export function storeFiles(repoDir: string): string[] {
  const dir = storeDirOf(repoDir);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export function logFiles(repoDir: string): string[] {
  return storeFiles(repoDir).filter((f) => /^log-.*\.jsonl$/.test(f));
}

export function eventLines(text: string): EventRecord[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => eventRecord.parse(JSON.parse(l)));
}

/** Temporary repositories of one suite, removed together. */
export class Repos {
  private readonly dirs: string[] = [];

  /** A committed repository with an origin remote, so the repo id is stable. */
  make(
    tree: Tree = { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n', 'README.md': '# demo\n' },
  ): GitRepo {
    const dir = makeTempDir('handoff-ctx-');
    this.dirs.push(dir);
    const repo = gitRepo(tree, { dir: join(dir, 'repo') });
    repo.git('remote', 'add', 'origin', 'git@github.com:Acme/Demo.git');
    return repo;
  }

  dir(): string {
    const dir = makeTempDir('handoff-ctx-');
    this.dirs.push(dir);
    return dir;
  }

  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

export const REPO_ID = 'github.com/acme/demo';

export { type GitRepo };
