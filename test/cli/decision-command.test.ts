// Decisions, interfaces, roles and state through the whole CLI in-process
// (test/support/in-process.ts): what each command prints, its exit codes (2 bad input, 3
// unknown or someone else's id), an interface judged stale and gone on a real repository
// (including a teammate's linked worktree), and privacy. Exit statuses of a real process:
// test/e2e/decision.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { decisionView, interfaceView, revokedRecord } from '../../src/schema/decision.js';
import { teamState } from '../../src/schema/state.js';
import { at, expectFailure, handoff, hoursAfter, parseOk, Repos, T0 } from '../support/context-cli.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}\n$/;

describe('decisions and interfaces through the CLI in-process', () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('decision add prints the id; list shows it; only the author revokes it (exit 3 for anyone else)', async () => {
    const repo = repos.make();
    const added = await handoff(
      ['decision', 'add', 'Use JWT for sessions', '--why', 'Stateless', '--file', 'src/a.ts'],
      at(repo, 'alice'),
    );
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(ULID);
    const id = added.stdout.trim();
    const text = await handoff(['decision', 'list'], at(repo, 'bob', hoursAfter(1)));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Use JWT for sessions');
    expect(text.stdout).toContain('why: Stateless');
    expect(text.stdout).toContain('files: src/a.ts');
    const list = parseOk(z.array(decisionView), await handoff(['decision', 'list', '--json'], at(repo, 'bob')), 'list');
    expect(list.map((d) => [d.id, d.author, d.files])).toEqual([[id, 'alice', ['src/a.ts']]]);
    const byBob = await handoff(['decision', 'revoke', id], at(repo, 'bob'));
    expectFailure(byBob, 3, /no decision ".*" that you can revoke/);
    const revoked = await handoff(['decision', 'revoke', id, '--json'], at(repo, 'alice'));
    expect(parseOk(revokedRecord, revoked, 'revoke')).toEqual({ id, kind: 'decision', revoked_at: T0 });
    expect((await handoff(['decision', 'list'], at(repo, 'bob'))).stdout).toBe('No decisions.\n');
  });

  it('bad input is one line and exit 2, with nothing recorded', async () => {
    const repo = repos.make();
    const run = (args: string[]) => handoff(args, at(repo, 'alice'));
    expectFailure(await run(['decision', 'add', '']), 2, /empty/);
    expectFailure(await run(['decision', 'add', 'x', '--file', '../out']), 2, /repository-relative/);
    expectFailure(await run(['decision', 'list', '--since', 'soon']), 2, /not a duration/);
    expectFailure(await run(['interface', 'add', 'Api']), 2, /--file/);
    expectFailure(await run(['interface', 'add', 'Api', '--file', 'src/nope.ts']), 3, /no file/);
    expectFailure(await run(['interface', 'add', 'Api', '--file', 'src/a.ts', '--notify', 'team:x']), 2, /--notify/);
    expect((await run(['interface', 'list', '--json'])).stdout).toBe('[]\n');
    expectFailure(await run(['context', 'publish', '--title', 't', '--role', 'a b']), 2, /role/);
    expect((await run(['decision', 'list', '--json'])).stdout).toBe('[]\n');
  });

  it('an interface is ready, then stale when its file changes, then gone when it is deleted', async () => {
    const repo = repos.make();
    const add = await handoff(
      ['interface', 'add', 'Parser', '--file', 'src/a.ts', '--description', 'Use parse()'],
      at(repo, 'alice'),
    );
    expect(add.stdout).toMatch(ULID);
    const statuses = async () =>
      parseOk(z.array(interfaceView), await handoff(['interface', 'list', '--json'], at(repo, 'bob')), 'list').map(
        (i) => i.status,
      );
    expect(await statuses()).toEqual(['ready']);
    repo.write({ 'src/a.ts': 'export const a = 2;\n' });
    expect(await statuses()).toEqual(['stale']);
    expect((await handoff(['interface', 'list'], at(repo, 'bob'))).stdout).toContain('Parser in src/a.ts · STALE');
    repo.remove('src/a.ts');
    repo.commit('drop a');
    expect(await statuses()).toEqual(['gone']);
  });

  it("an interface on a teammate's branch is judged in the worktree that has it checked out", async () => {
    const repo = repos.make();
    const linked = join(repos.dir(), 'feature');
    repo.git('worktree', 'add', '-q', '-b', 'feature', linked);
    const add = await handoff(['interface', 'add', 'B', '--file', 'src/b.ts', '--json'], at(linked, 'alice'));
    expect(parseOk(interfaceView, add, 'add')).toMatchObject({ branch: 'feature', status: 'ready' });
    // Bob's own worktree (main) changes src/b.ts: that is not alice's interface changing.
    repo.write({ 'src/b.ts': 'export const b = 99;\n' });
    const seen = async () =>
      parseOk(z.array(interfaceView), await handoff(['interface', 'list', '--json'], at(repo, 'bob')), 'list');
    expect((await seen()).map((i) => i.status)).toEqual(['ready']);
    writeFileSync(join(linked, 'src/b.ts'), 'export const b = 3;\n');
    expect((await seen()).map((i) => i.status)).toEqual(['stale']);
  });

  it('state shows roles, decisions and interfaces; --json follows `handoff schema state`', async () => {
    const repo = repos.make();
    await handoff(['context', 'publish', '--title', 'Reviewing auth', '--role', 'reviewer'], at(repo, 'alice'));
    await handoff(['decision', 'add', 'Postgres only'], at(repo, 'alice'));
    await handoff(['interface', 'add', 'Db', '--file', 'src/b.ts'], at(repo, 'alice'));
    const text = await handoff(['state'], at(repo, 'bob'));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('alice (reviewer): Reviewing auth');
    expect(text.stdout).toContain('## Recent decisions');
    expect(text.stdout).toContain('Postgres only');
    expect(text.stdout).toContain('## Interfaces');
    expect(text.stdout).toContain('Db in src/b.ts · ready');
    const state = parseOk(teamState, await handoff(['state', '--json'], at(repo, 'bob')), 'state --json');
    expect(state.decisions.map((d) => d.text)).toEqual(['Postgres only']);
    const schema = JSON.parse((await handoff(['schema', 'state'], at(repo, 'bob'))).stdout) as { required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['contexts', 'decisions', 'interfaces']));
    const roles = await handoff(['context', 'get', '--role', 'reviewer', '--json'], at(repo, 'bob'));
    expect(JSON.parse(roles.stdout)).toHaveLength(1);
  });

  it("a private developer's decisions and interfaces reach no one else's output", async () => {
    const repo = repos.make();
    await handoff(['context', 'visibility', 'private'], at(repo, 'alice'));
    await handoff(['decision', 'add', 'Secret direction'], at(repo, 'alice'));
    await handoff(['interface', 'add', 'SecretApi', '--file', 'src/a.ts'], at(repo, 'alice'));
    for (const args of [['state'], ['state', '--json'], ['decision', 'list'], ['interface', 'list', '--json']]) {
      const out = (await handoff(args, at(repo, 'bob'))).stdout;
      expect(out).not.toMatch(/Secret|alice/);
    }
    expect((await handoff(['decision', 'list'], at(repo, 'alice'))).stdout).toContain('Secret direction');
  });
});
