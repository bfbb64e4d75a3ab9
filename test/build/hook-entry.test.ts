// The built entry a hook starts from: its main thread starts the worker (hooks/runner.ts)
// before it initialises the schemas (zod) or the command program, so the worker's start-up
// overlaps as much of the hook as it can. Checked on the real process: a preloaded probe
// notes, when the worker is constructed, whether zod has initialised yet.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cliEnv, PROJECT_ROOT, Scratch } from '../e2e/helpers.js';

const scratch = new Scratch();
afterEach(() => scratch.cleanup());

const PROBE = `'use strict';
const threads = require('node:worker_threads');
const Worker = threads.Worker;
threads.Worker = function (...args) {
  if (threads.isMainThread) process.stderr.write('probe: worker started, zod ' + ('__zod_globalConfig' in globalThis ? 'loaded' : 'not loaded') + '\\n');
  return new Worker(...args);
};
`;

describe('the built hook entry', { tags: ['slow'] }, () => {
  it('starts the hook worker before zod loads on the main thread', () => {
    const repo = scratch.repo();
    const probe = join(scratch.dir(), 'probe.cjs');
    writeFileSync(probe, PROBE);
    const res = spawnSync(process.execPath, ['--require', probe, BIN, 'hook', 'session-start'], {
      cwd: repo.dir,
      env: cliEnv(),
      input: '',
      encoding: 'utf8',
    });
    expect(res.status).toBe(0);
    expect(res.stderr).toContain('probe: worker started, zod not loaded\n');
  });

  it('reads no test seam from the environment: the slow hook work exists only in the test entry', () => {
    const built = readFileSync(join(PROJECT_ROOT, 'dist', 'handoff.cjs'), 'utf8');
    expect(built.includes('HANDOFF_TEST_')).toBe(false);
    expect(built).toContain('__zod_globalConfig');
  });
});
