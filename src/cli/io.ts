// What the process gives the CLI: streams, cwd, env and the clock. Built once in
// main.ts; everything below takes it as a parameter, so tests can run commands in-process.
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';

export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  out: (text: string) => void;
  err: (line: string) => void;
  stdoutIsTTY: boolean;
  readStdin: () => Promise<string>;
  readFile: (path: string) => Promise<string>;
}

export function processIo(): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    // HANDOFF_NOW pins the clock (RFC 3339) for reproducible runs and tests.
    now: () => (process.env.HANDOFF_NOW ? new Date(process.env.HANDOFF_NOW) : new Date()),
    out: (text) => void process.stdout.write(text),
    err: (line) => void process.stderr.write(`${line}\n`),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    readFile: async (path) => {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        throw new UsageError(
          `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
    },
  };
}

/**
 * The directory a command runs in: -C resolved against the cwd, symlinks resolved, so
 * paths given relative to it compare with the repository root git reports.
 */
export function commandDir(io: Io, C: string | undefined): string {
  const dir = C ? resolve(io.cwd, C) : io.cwd;
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
