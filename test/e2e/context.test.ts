// Context exchange end to end (issue 3), the thin spawned layer: the exit status and streams
// of a real process for each code family (0, 1, 2, 3) and --from-json - read from a pipe; the
// stores they act on are set up in-process. The behaviour (the published record, TTL,
// privacy, revoke, state, identity, staleness, events, worktrees…) moved in-process to
// test/cli/context-command.test.ts, corrupt stores and repair to test/cli/context-repair-command.test.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, publishId, seededStore } from '../support/context-cli.js';
import { at, expectFailure, handoff, hoursAfter, Repos } from './context-helpers.js';

describe('context exchange through the built CLI', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('--from-json - reads the fields from a pipe and prints the id; invalid JSON exits 2', async () => {
    const repo = repos.make();
    const res = handoff(['context', 'publish', '--from-json', '-'], {
      ...at(repo, 'dave'),
      input: JSON.stringify({ title: 'Via stdin', summary: 'Piped in by an agent hook.', next_actions: ['a', 'b'] }),
    });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const id = res.stdout.trim();
    expect(res.stdout).toBe(`${id}\n`);
    const [got] = await getJson(at(repo, 'dave'));
    expect(got).toMatchObject({
      id,
      title: 'Via stdin',
      summary: 'Piped in by an agent hook.',
      next_actions: ['a', 'b'],
      developer: 'dave',
    });
    expectFailure(handoff(['context', 'publish', '--from-json', '-'], { ...at(repo, 'dave'), input: '{not json' }), 2);
  });

  it('an unknown developer exits 3, as text and as --json', async () => {
    const repo = repos.make();
    await publishId(at(repo, 'alice'), ['--title', 'a']);
    expectFailure(handoff(['context', 'get', '--developer', 'nobody'], at(repo, 'alice')), 3);
    expectFailure(handoff(['context', 'get', '--developer', 'nobody', '--json'], at(repo, 'alice')), 3);
  });

  it('a garbled active.json: get exits 1 naming it and leaves it untouched', async () => {
    const { repo, dir } = await seededStore(repos);
    const path = join(dir, 'active.json');
    const garbled = readFileSync(path).subarray(0, 40);
    writeFileSync(path, garbled);
    expectFailure(handoff(['context', 'get'], at(repo, 'zed', hoursAfter(1))), 1, /active\.json/);
    expect(readFileSync(path).equals(garbled)).toBe(true);
  });
});
