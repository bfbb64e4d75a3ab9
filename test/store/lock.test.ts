import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
  await build({ entryPoints: [join(import.meta.dirname, 'lock-worker.ts')], bundle: true, platform: 'node', format: 'esm', outfile: worker, logLevel: 'silent' });
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

/** A pid that is certainly not running: a process that has already exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
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

  it('waits for a live holder and times out with a clear error', async () => {
    const lock = join(dir, 'live.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: 'me' }));
    await expect(withLock(lock, () => 'never', { timeoutMs: 200 })).rejects.toThrow(/timed out waiting for the lock .*held by pid/);
    expect(existsSync(lock)).toBe(true);
  });

  it('releases the lock when the critical section throws', async () => {
    const lock = join(dir, 'throw.lock');
    await expect(withLock(lock, () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });
});
