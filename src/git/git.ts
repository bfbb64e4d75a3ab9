// The only place that runs git. One contract: resolve with stdout, or reject with a
// GitError carrying git's stderr. Callers choose `-z` output and batch on hot paths.
import { spawn } from 'node:child_process';
import { GitError } from '../errors.js';

export interface GitOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** Exit codes other than 0 that are answers, not failures (e.g. `merge-base --is-ancestor`). */
  okCodes?: readonly number[];
}

export interface GitResult {
  stdout: Buffer;
  code: number;
}

/** Environment every git call runs with: stable output whatever the user's locale. */
function gitEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  return { ...(env ?? process.env), LC_ALL: 'C', LANG: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
}

export function gitRaw(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.quotePath=false', ...args], {
      cwd: options.cwd,
      env: gitEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? 'git is not installed or not on PATH' : error.message;
      reject(new GitError(args, reason, -1));
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

export async function git(args: readonly string[], options: GitOptions): Promise<string> {
  return (await gitRaw(args, options)).stdout.toString('utf8');
}

/** Splits NUL-separated output, dropping the trailing empty field. */
export function splitZ(output: string): string[] {
  if (output === '') return [];
  const parts = output.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
