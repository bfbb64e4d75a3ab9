// The only place that runs git. One contract: resolve with stdout, or reject with a
// GitError carrying git's stderr. Callers choose `-z` output and batch on hot paths, and
// parse paths from the bytes (splitZBytes), never from decoded text.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { GitError } from '../errors.js';

export interface GitOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** Exit codes other than 0 that are answers, not failures (e.g. `merge-base --is-ancestor`). */
  okCodes?: readonly number[];
  /** Variables set on top of the inherited environment (a throwaway GIT_INDEX_FILE, a scratch object dir). */
  extraEnv?: NodeJS.ProcessEnv;
}

export interface GitResult {
  stdout: Buffer;
  code: number;
}

let inherited: NodeJS.ProcessEnv | undefined;

/**
 * The environment git inherits (PATH, HOME, GIT_* and the rest), handed down once by the entry
 * that reads process state (src/main.ts, for the CLI and its hook worker). No caller of the
 * gateway threads it through every query: it is the process's, not a request's.
 */
export function setGitEnvironment(env: NodeJS.ProcessEnv): void {
  inherited = env;
}

/** Environment every git call runs with: stable output whatever the user's locale. */
function gitEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  // Without an entry (api used in-process, as by the tests) git inherits this process's environment.
  const base = env ?? inherited ?? process.env;
  return { ...base, LC_ALL: 'C', LANG: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
}

export function gitRaw(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.quotePath=false', ...args], {
      cwd: options.cwd,
      env: { ...gitEnv(options.env), ...options.extraEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(new GitError(args, spawnFailure(error, options.cwd), -1));
    });
    child.on('close', (code) => {
      const exit = code ?? -1;
      if (exit === 0 || options.okCodes?.includes(exit)) {
        resolve({ stdout: Buffer.concat(out), code: exit });
      } else {
        reject(new GitError(args, Buffer.concat(err).toString('utf8').trim(), exit));
      }
    });
    child.stdin.on('error', () => {
      /* git may exit before reading all input; the close handler reports the outcome */
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Why git could not be started. Node reports a missing working directory as ENOENT too,
 * so "not installed" is said only when the directory is there.
 */
function spawnFailure(error: NodeJS.ErrnoException, cwd: string): string {
  if (error.code !== 'ENOENT') return error.message;
  let isDir = false;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    /* missing: reported below */
  }
  return isDir ? 'git is not installed or not on PATH' : `the directory ${JSON.stringify(cwd)} does not exist`;
}

export async function git(args: readonly string[], options: GitOptions): Promise<string> {
  return (await gitRaw(args, options)).stdout.toString('utf8');
}

/** Splits NUL-separated output into byte fields (paths stay bytes), dropping the trailing empty field. */
export function splitZBytes(output: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let start = 0;
  while (start < output.length) {
    let end = output.indexOf(0, start);
    if (end < 0) end = output.length;
    fields.push(output.subarray(start, end));
    start = end + 1;
  }
  return fields;
}

/** Splits NUL-separated output, dropping the trailing empty field. */
export function splitZ(output: string): string[] {
  if (output === '') return [];
  const parts = output.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * Streams object contents through one `git cat-file --batch` process; `oids` may be any
 * object names (`main:src/a.ts`) without newlines. Only the first
 * `maxBytes` of each blob are handed to `onBlob`; the rest is skipped, not buffered.
 */
export function catFileBatch(
  cwd: string,
  oids: readonly (string | Buffer)[],
  maxBytes: number,
  onBlob: (oid: string, head: Buffer, size: number, index: number) => void,
): Promise<void> {
  if (oids.length === 0) return Promise.resolve();
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd,
      env: gitEnv(undefined),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const err: Buffer[] = [];
    let pending: Buffer = Buffer.alloc(0);
    // Parser state: reading a header line, or the body of the current blob.
    let current: { oid: string; size: number; seen: number; parts: Buffer[]; kept: number } | undefined;
    let failed = false;
    // Answers come in request order: `index` maps each one back to its request.
    let index = 0;

    const feed = (chunk: Buffer): void => {
      let buf: Buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      pending = Buffer.alloc(0);
      while (buf.length > 0) {
        if (!current) {
          const nl = buf.indexOf(10);
          if (nl < 0) {
            pending = buf;
            return;
          }
          const header = buf.subarray(0, nl).toString('utf8');
          buf = buf.subarray(nl + 1);
          // "<oid> <type> <size>", or "<name> missing" where the name may hold spaces.
          const match = /^([0-9a-f]{40,64}) [a-z]+ (\d+)$/.exec(header);
          if (!match) {
            index += 1;
            continue;
          }
          current = { oid: match[1]!, size: Number(match[2]), seen: 0, parts: [], kept: 0 };
        }
        // Body plus the newline git prints after it.
        const need = current.size + 1 - current.seen;
        const take = Math.min(need, buf.length);
        const piece = buf.subarray(0, take);
        const room = maxBytes - current.kept;
        if (room > 0) {
          const bodyPart = piece.subarray(0, Math.min(room, Math.max(0, current.size - current.seen)));
          if (bodyPart.length > 0) {
            current.parts.push(Buffer.from(bodyPart));
            current.kept += bodyPart.length;
          }
        }
        current.seen += take;
        buf = buf.subarray(take);
        if (current.seen === current.size + 1) {
          onBlob(current.oid, Buffer.concat(current.parts), current.size, index);
          index += 1;
          current = undefined;
        }
      }
    };

    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        feed(chunk);
      } catch (error) {
        failed = true;
        child.kill();
        reject(error);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new GitError(['cat-file', '--batch'], spawnFailure(error, cwd), -1)));
    child.on('close', (code) => {
      if (failed) return;
      if (code === 0) resolvePromise();
      else reject(new GitError(['cat-file', '--batch'], Buffer.concat(err).toString('utf8'), code ?? -1));
    });
    child.stdin.on('error', () => {
      /* reported through close */
    });
    // Names may hold non-UTF-8 path bytes: written as bytes, one per line.
    const nl = Buffer.from('\n');
    child.stdin.end(Buffer.concat(oids.flatMap((o) => [typeof o === 'string' ? Buffer.from(o, 'utf8') : o, nl])));
  });
}
