// A cross-process lock file with stale-lock recovery. The holder writes its pid, host,
// process start time and a token, and touches the file while it holds it (a heartbeat).
// A waiter takes over only from a dead holder: on this host a process that is gone (or
// whose pid now names another process), elsewhere one whose heartbeat stopped for
// `staleMs`; through a short takeover lock, so two waiters never both win.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { HandoffError } from '../errors.js';

export interface LockOptions {
  /** How long to wait for a live holder before giving up (default 15 s). */
  timeoutMs?: number;
  /**
   * Whether the wait starts again whenever the lock changes hands, so a queue that keeps
   * moving is waited out. Default: only without an explicit `timeoutMs` (a writer); a read's
   * bookkeeping gives one and gives up within it.
   */
  perHolder?: boolean;
  /** How long the heartbeat of a holder on another host may be silent before its lock is taken over. */
  staleMs?: number;
  /** The host name this process records and compares with (tests stand in for another machine). */
  host?: string;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
  /** When the process started (Linux: /proc/<pid>/stat), so a reused pid is not taken for the holder. */
  started?: string;
}

/** Waiting for the lock took longer than the caller allowed: a live holder still has it. */
export class LockTimeoutError extends HandoffError {
  constructor(message: string, hint: string) {
    super(message, 1, hint);
    this.name = 'LockTimeoutError';
  }
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

/** Start time of a process in clock ticks since boot, where /proc tells it; undefined elsewhere. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let ownStart: { value: string | undefined } | undefined;

function processAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid is in use; by the holder only if it started when the holder did.
  const started = holder.started === undefined ? undefined : processStart(holder.pid);
  return started === undefined || started === holder.started;
}

function isStale(state: { holder?: Holder; ageMs: number }, staleMs: number, host: string): boolean {
  // A holder that has not finished writing its own record yet is given a moment.
  if (!state.holder) return state.ageMs > 2_000;
  // On this host liveness is known, whatever the age: a slow holder keeps its lock.
  if (state.holder.host === host) return !processAlive(state.holder);
  // Elsewhere only the heartbeat tells: the holder touches the file every staleMs / 4.
  return state.ageMs > staleMs;
}

/** Touches the lock file while we hold it, so a waiter on another host sees the holder alive. */
function startHeartbeat(path: string, token: string, staleMs: number): () => void {
  const timer = setInterval(
    () => {
      try {
        if ((JSON.parse(readFileSync(path, 'utf8')) as Holder).token !== token) return;
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        /* the lock is gone or unreadable: nothing to keep alive */
      }
    },
    Math.max(10, Math.floor(staleMs / 4)),
  );
  // A holder blocked in synchronous work skips beats; staleMs is many beats long.
  timer.unref();
  return () => clearInterval(timer);
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
  const perHolder = options.perHolder ?? options.timeoutMs === undefined;
  const staleMs = options.staleMs ?? 60_000;
  const host = options.host ?? hostname();
  ownStart ??= { value: processStart(process.pid) };
  const started = ownStart.value;
  const token = randomBytes(8).toString('hex');
  const me: Holder = { pid: process.pid, host, token, ...(started !== undefined ? { started } : {}) };
  const content = JSON.stringify(me);
  let waitStart = Date.now();
  let seen: string | undefined;
  let delay = 2;
  while (!tryCreate(path, content)) {
    const state = readHolder(path);
    if (state && isStale(state, staleMs, host)) {
      removeIfUnchanged(path, state.raw);
      continue;
    }
    // The timeout is per holder: a lock passing from writer to writer (50 processes
    // queued on a busy machine) is progress, and the wait starts again.
    if (perHolder && state !== undefined && state.raw !== seen) {
      seen = state.raw;
      waitStart = Date.now();
    }
    if (Date.now() - waitStart > timeoutMs) {
      const who = state?.holder ? ` by pid ${state.holder.pid} on ${state.holder.host}` : '';
      throw new LockTimeoutError(
        `timed out waiting for the lock ${path} (held${who})`,
        'retry, or remove the lock file if no handoff is running',
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  const stopHeartbeat = startHeartbeat(path, me.token, staleMs);
  try {
    return await fn();
  } finally {
    stopHeartbeat();
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
