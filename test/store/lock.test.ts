import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../fixtures/git-repo.js';
import { withLock } from '../../src/store/lock.js';

let dir: string;
let worker: string;

beforeAll(async () => {
  dir = makeTempDir('handoff-lock-');
  worker = join(dir, 'worker.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'lock-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: worker,
    logLevel: 'silent',
  });
});

afterAll(() => {
  spawnSync('rm', ['-rf', dir]);
});

function run(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, ...args], { stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? -1));
  });
}

/** Whether the lock file exists and holds its holder's record (it is empty between create and write). */
function lockWritten(lock: string): boolean {
  try {
    return readFileSync(lock, 'utf8').trim() !== '';
  } catch {
    return false;
  }
}

/** A pid that is certainly not running: a process that has already exited. */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
  );
}

describe('withLock', { tags: ['slow'] }, () => {
  it('serialises read-modify-write across real processes: no update is lost', async () => {
    const counter = join(dir, 'counter');
    writeFileSync(counter, '0');
    const codes = await Promise.all(Array.from({ length: 8 }, () => run([join(dir, 'a.lock'), counter, '25', '0'])));
    expect(codes.every((c) => c === 0)).toBe(true);
    expect(readFileSync(counter, 'utf8')).toBe('200');
    expect(existsSync(join(dir, 'a.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const lock = join(dir, 'dead.lock');
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), token: 'gone' }));
    const value = await withLock(lock, () => 'acquired', { timeoutMs: 2_000 });
    expect(value).toBe('acquired');
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over the lock of a holder killed with SIGKILL', async () => {
    const lock = join(dir, 'killed.lock');
    const counter = join(dir, 'killed-counter');
    writeFileSync(counter, '0');
    const child = spawn(process.execPath, [worker, lock, counter, '1', '60000'], { stdio: 'ignore' });
    for (let i = 0; i < 500 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(lock)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(await withLock(lock, () => 'recovered', { timeoutMs: 5_000 })).toBe('recovered');
  });

  it('keeps waiting while the lock passes from one live holder to the next: the timeout is per holder', async () => {
    const lock = join(dir, 'queue.lock');
    const holder = (n: number): string => JSON.stringify({ pid: process.pid, host: hostname(), token: `h${n}` });
    writeFileSync(lock, holder(0));
    let n = 0;
    // Eight holders of 150 ms each: 1.2 s in all, longer than the waiter's 1 s timeout, each far under it.
    const relay = setInterval(() => {
      n += 1;
      if (n < 8) writeFileSync(lock, holder(n));
      else {
        clearInterval(relay);
        rmSync(lock, { force: true });
      }
    }, 150);
    const started = Date.now();
    const perHolder = { timeoutMs: 1_000, perHolder: true };
    expect(await withLock(lock, () => 'after the queue', perHolder)).toBe('after the queue');
    expect(Date.now() - started).toBeGreaterThan(1_000);
  });

  it('waits for a live holder and times out with a clear error', async () => {
    const lock = join(dir, 'live.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: 'me' }));
    await expect(withLock(lock, () => 'never', { timeoutMs: 200 })).rejects.toThrow(
      /timed out waiting for the lock .*held by pid/,
    );
    expect(existsSync(lock)).toBe(true);
  });

  /** Starts a worker that holds `lock` once for `holdMs`, and resolves when it has taken it. */
  async function holder(lock: string, counter: string, holdMs: number, staleMs: number, host = '') {
    writeFileSync(counter, '0');
    const args = [worker, lock, counter, '1', String(holdMs), String(staleMs), host];
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const closed = new Promise((r) => child.on('close', r));
    // The holder creates the lock file, then writes its record: wait for the record, not the name.
    for (let i = 0; i < 3_000 && !lockWritten(lock); i++) await new Promise((r) => setTimeout(r, 10));
    expect(lockWritten(lock)).toBe(true);
    return { child, closed };
  }

  it('a live holder on this host keeps its lock past the stale age', async () => {
    const lock = join(dir, 'slow.lock');
    const counter = join(dir, 'slow-counter');
    const { closed } = await holder(lock, counter, 1_500, 100);
    // Taken over by age, this would read the counter before the holder's increment.
    expect(await withLock(lock, () => readFileSync(counter, 'utf8'), { staleMs: 100, timeoutMs: 30_000 })).toBe('1');
    await closed;
  });

  it('a holder on another host keeps its lock while its heartbeat runs', async () => {
    const lock = join(dir, 'remote.lock');
    const counter = join(dir, 'remote-counter');
    // A beat every 250 ms; a loaded machine may delay some, not four in a row.
    const { closed } = await holder(lock, counter, 3_000, 1_000, 'elsewhere.invalid');
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ host: 'elsewhere.invalid' });
    expect(await withLock(lock, () => readFileSync(counter, 'utf8'), { staleMs: 1_000, timeoutMs: 30_000 })).toBe('1');
    await closed;
  });

  it('a holder on another host whose heartbeat stopped loses its lock after the stale age', async () => {
    const lock = join(dir, 'remote-dead.lock');
    const counter = join(dir, 'remote-dead-counter');
    const { child, closed } = await holder(lock, counter, 60_000, 200, 'elsewhere.invalid');
    child.kill('SIGKILL');
    await closed;
    expect(await withLock(lock, () => 'taken over', { staleMs: 200, timeoutMs: 30_000 })).toBe('taken over');
    expect(readFileSync(counter, 'utf8')).toBe('0');
  });

  const withProc = it.runIf(existsSync('/proc/self/stat'));
  withProc('takes over a lock whose pid now names a process that started at another time (needs /proc)', async () => {
    const lock = join(dir, 'reused.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: 'before-reuse', started: '1' }));
    expect(await withLock(lock, () => 'acquired', { timeoutMs: 2_000 })).toBe('acquired');
  });

  it('records its own start time, and a waiter leaves a live holder alone', async () => {
    const lock = join(dir, 'self.lock');
    await withLock(lock, async () => {
      const recorded = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number; started?: string };
      expect(recorded.pid).toBe(process.pid);
      if (existsSync('/proc/self/stat')) expect(recorded.started).toMatch(/^\d+$/);
      const waiter = withLock(lock, () => 'never', { timeoutMs: 200, staleMs: 1 });
      await expect(waiter).rejects.toThrow(/timed out waiting for the lock/);
    });
  });

  it('releases the lock when the critical section throws', async () => {
    const lock = join(dir, 'throw.lock');
    await expect(
      withLock(lock, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });
});
