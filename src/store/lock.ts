// A cross-process lock file with stale-lock recovery. The holder writes its pid, host
// and a token; a waiter takes over a lock whose process is gone (same host) or that is
// older than `staleMs`, through a short takeover lock so two waiters never both win.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { HandoffError } from '../errors.js';

export interface LockOptions {
  /** How long to wait for a live holder before giving up. */
  timeoutMs?: number;
  /** Age after which a lock is stale even if its holder cannot be checked. */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(path: string): { raw: string; holder?: Holder; ageMs: number } | undefined {
  try {
    const raw = readFileSync(path, 'utf8');
    const ageMs = Date.now() - statSync(path).mtimeMs;
    try {
      return { raw, holder: JSON.parse(raw) as Holder, ageMs };
    } catch {
      return { raw, ageMs };
    }
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(state: { holder?: Holder; ageMs: number }, staleMs: number): boolean {
  // A holder that has not finished writing its own record yet is given a moment.
  if (!state.holder) return state.ageMs > 2_000;
  if (state.holder.host === hostname() && !processAlive(state.holder.pid)) return true;
  return state.ageMs > staleMs;
}

function removeIfUnchanged(path: string, raw: string): void {
  const takeover = `${path}.takeover`;
  const takeoverState = readHolder(takeover);
  if (takeoverState && takeoverState.ageMs > 5_000) {
    try {
      unlinkSync(takeover);
    } catch {
      /* someone else cleared it */
    }
  }
  if (!tryCreate(takeover, String(process.pid))) return;
  try {
    const again = readHolder(path);
    if (again && again.raw === raw) unlinkSync(path);
  } finally {
    try {
      unlinkSync(takeover);
    } catch {
      /* already gone */
    }
  }
}

export async function withLock<T>(path: string, fn: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 60_000;
  const me: Holder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  const content = JSON.stringify(me);
  const started = Date.now();
  let delay = 2;
  while (!tryCreate(path, content)) {
    const state = readHolder(path);
    if (state && isStale(state, staleMs)) {
      removeIfUnchanged(path, state.raw);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const who = state?.holder ? ` by pid ${state.holder.pid} on ${state.holder.host}` : '';
      throw new HandoffError(`timed out waiting for the lock ${path} (held${who})`, 1, 'retry, or remove the lock file if no handoff is running');
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    return await fn();
  } finally {
    const state = readHolder(path);
    if (state?.holder?.token === me.token) {
      try {
        unlinkSync(path);
      } catch {
        /* already removed */
      }
    }
  }
}
