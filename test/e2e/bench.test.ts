// `npm run bench` against the build it measures: one small run of the sections that start
// the built CLI, on a fixture made in a temporary folder. It once looked for the previous
// build's file name and refused to run at all after the build changed shape.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, PROJECT_ROOT, Scratch } from './helpers.js';

describe('npm run bench', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('measures the built CLI: a warm handoff and the session-start hook on a 1k-file fixture', () => {
    const args = ['--sizes', '1k', '--runs', '1', '--sections', 'handoff-warm,session-start'];
    const res = spawnSync(
      process.execPath,
      [join(PROJECT_ROOT, 'bench', 'run.mjs'), ...args, '--fixtures', scratch.dir()],
      {
        cwd: PROJECT_ROOT,
        env: cliEnv(),
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(res.status, res.stderr).toBe(0);
    // Each section's summary row, with a measured median.
    expect(res.stdout).toMatch(/^\| handoff-warm +\| +1k +\| +\d+ +\|/m);
    expect(res.stdout).toMatch(/^\| session-start +\| +1k +\| +\d+ +\|/m);
  });
});
