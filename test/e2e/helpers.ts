// Drives the built CLI (`bin/handoff.js` → `dist/handoff.cjs`) as a real child process
// for the end-to-end suites, and reads what it wrote back through the same zod schemas
// the tool writes with. Temporary repositories are tracked so each suite removes them.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import xxhash from 'xxhash-wasm';
import type { z } from 'zod';
import {
  artifact,
  deltaFile,
  metricsLine,
  prefixFile,
  type Artifact,
  type DeltaFile,
  type MetricsLine,
  type PrefixFile,
} from '../../src/schema/artifact.js';
import {
  baseGitEnv,
  cloneRepo,
  configureRepo,
  FIXTURE_EPOCH,
  gitRepo,
  makeTempDir,
  openRepo,
  type GitRepo,
  type Tree,
} from '../../fixtures/git-repo.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(PROJECT_ROOT, 'bin', 'handoff.js');
/**
 * The CLI with a hook work that spins for HANDOFF_TEST_SLOW_MS at its slow part
 * (test/support/slow-hook-cli.ts, bundled before every vitest run by scripts/build-test.mjs).
 */
export const SLOW_HOOK_BIN = join(PROJECT_ROOT, 'node_modules', '.cache', 'handoff-test', 'slow-hook-bin.cjs');

/** RFC 3339 of `seconds` after the first fixture commit, for HANDOFF_NOW. */
export function fixtureTime(seconds: number): string {
  return new Date((FIXTURE_EPOCH + seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One hour after the first fixture commit: every fixture commit is inside the default 6h window. */
export const FIXED_NOW = fixtureTime(3600);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Standard input for the child (default: empty). */
  input?: string;
}

/**
 * A hook budget no loaded machine runs out of: the suite runs two files at once on two
 * cores, and a hook that answers with less past its budget is right, but not what a test
 * of its output checks. Tests of the budgets themselves set their own (`undefined`: none).
 */
export const UNHURRIED_HOOK_BUDGET_MS = '60000';

/**
 * The child's environment: hermetic git, no colour, no inherited HANDOFF_* settings and
 * no EMAIL (git falls back to it for user.email, which would leak an identity in); a key
 * given as undefined in `extra` is left out.
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = baseGitEnv();
  // CODEX_THREAD_ID: a suite run from a Codex shell must not act as that session (cli/options.ts sessionOf).
  for (const key of Object.keys(env))
    if (key.startsWith('HANDOFF_') || key === 'CODEX_THREAD_ID' || key === 'FORCE_COLOR' || key === 'EMAIL')
      delete env[key];
  const merged: NodeJS.ProcessEnv = {
    ...env,
    NO_COLOR: '1',
    HANDOFF_HOOK_BUDGET_MS: UNHURRIED_HOOK_BUDGET_MS,
    ...extra,
  };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

export function runCli(args: readonly string[], options: RunOptions): CliResult {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    encoding: 'utf8',
    input: options.input ?? '',
    maxBuffer: 64 << 20,
    // A hang is a failure, not a stuck suite.
    timeout: 60_000,
  });
  if (res.error) throw res.error;
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** The same as runCli, without blocking: for running several processes at once. */
export function runCliAsync(args: readonly string[], options: RunOptions): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

/** Parses text that must be exactly one JSON document valid under `schema`. */
export function parseWith<S extends z.ZodType>(schema: S, text: string): z.infer<S> {
  return schema.parse(JSON.parse(text));
}

/** Runs with --json, expects exit 0, and parses stdout (the whole of it) with `schema`. */
export function runJson<S extends z.ZodType>(schema: S, args: readonly string[], options: RunOptions): z.infer<S> {
  const res = runCli([...args, '--json'], options);
  expect(res.stderr, `stderr of handoff ${args.join(' ')}`).toBe('');
  expect(res.code, `exit code of handoff ${args.join(' ')}`).toBe(0);
  return parseWith(schema, res.stdout);
}

export const handoffJson = (args: readonly string[], options: RunOptions): Artifact => runJson(artifact, args, options);

/** A failed run: the expected code, one `handoff: ` line on stderr, no stack trace. */
export function expectFailure(res: CliResult, code: number, mention?: string | RegExp): void {
  expect(res.code, `exit code (stderr: ${res.stderr})`).toBe(code);
  const lines = res.stderr.split('\n').filter((l) => l !== '');
  expect(lines, `stderr: ${res.stderr}`).toHaveLength(1);
  expect(lines[0]).toMatch(/^handoff: /);
  expect(res.stderr).not.toMatch(/^\s+at /m);
  if (mention !== undefined) expect(lines[0]).toMatch(mention);
}

export interface SavedHandoff {
  latest: Artifact;
  prefix: PrefixFile;
  delta: DeltaFile;
  metrics: MetricsLine[];
  bytes: { latest: string; prefix: string; delta: string; metrics: string };
}

export function codemapDir(root: string): string {
  return join(root, '.codemap');
}

/** Reads and validates every artifact under `<root>/.codemap/`. */
export function readSaved(root: string): SavedHandoff {
  const dir = codemapDir(root);
  const bytes = {
    latest: readFileSync(join(dir, 'handoff.latest.json'), 'utf8'),
    prefix: readFileSync(join(dir, 'handoff.prefix.json'), 'utf8'),
    delta: readFileSync(join(dir, 'handoff.delta.json'), 'utf8'),
    metrics: readFileSync(join(dir, 'handoff.metrics.log'), 'utf8'),
  };
  return {
    latest: parseWith(artifact, bytes.latest),
    prefix: parseWith(prefixFile, bytes.prefix),
    delta: parseWith(deltaFile, bytes.delta),
    metrics: metricsLines(bytes.metrics),
    bytes,
  };
}

export function metricsLines(text: string): MetricsLine[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => parseWith(metricsLine, line));
}

export function hasSaved(root: string): boolean {
  return existsSync(join(codemapDir(root), 'handoff.latest.json'));
}

export function listCodemap(root: string): string[] {
  return existsSync(codemapDir(root)) ? readdirSync(codemapDir(root)).sort() : [];
}

/** Status of each changed path, as a plain object for readable assertions. */
export function statuses(a: { delta: { changed: { path: string; status: string }[] } }): Record<string, string> {
  return Object.fromEntries(a.delta.changed.map((c) => [c.path, c.status]));
}

/**
 * Temporary directories and repositories of one suite, removed together by `cleanup`.
 * Clones are placed inside a tracked directory so no parent is left behind.
 */
export class Scratch {
  private readonly dirs: string[] = [];

  dir(prefix = 'handoff-e2e-'): string {
    const dir = makeTempDir(prefix);
    this.dirs.push(dir);
    return dir;
  }

  repo(tree?: Tree): GitRepo {
    const repo = gitRepo(tree, { dir: join(this.dir(), 'repo') });
    return repo;
  }

  clone(source: GitRepo, options: { dir?: string; args?: string[] } = {}): GitRepo {
    return cloneRepo(source, {
      dir: options.dir ?? join(this.dir(), 'clone'),
      ...(options.args ? { args: options.args } : {}),
    });
  }

  /** `git clone --depth <n> file://…` (a plain local path would ignore --depth). */
  shallowClone(source: GitRepo, args: string[]): GitRepo {
    const dir = join(this.dir(), 'shallow');
    execFileSync('git', ['clone', '-q', ...args, `file://${source.dir}`, dir], { env: baseGitEnv() });
    const repo = openRepo(dir, { n: 200 });
    configureRepo(repo);
    return repo;
  }

  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Canonical JSON as DESIGN.md defines it for hashing (sorted keys, no whitespace),
 * written independently of src/ so the test checks the contract, not the code.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** xxhash64 as 16 lowercase hex digits, through the same library the tool depends on. */
export async function xxhash64(): Promise<{ bytes: (b: Uint8Array) => string; text: (t: string) => string }> {
  const api = await xxhash();
  const hex = (n: bigint): string => n.toString(16).padStart(16, '0');
  return { bytes: (b) => hex(api.h64Raw(b)), text: (t) => hex(api.h64(t)) };
}

/** A git command in `cwd` with the fixtures' hermetic environment. */
export function execGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: baseGitEnv(), encoding: 'utf8' });
}

export { FIXTURE_EPOCH, type GitRepo, type Tree };
