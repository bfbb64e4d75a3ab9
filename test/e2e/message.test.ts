// `handoff message …` through the built CLI (issue 10): exit codes and output, 50 senders
// at once with every message delivered exactly once, senders killed with SIGKILL losing no
// message whose id was printed, and an ack of an `all` message hiding it from the acker only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inboxView, message as messageSchema } from '../../src/schema/message.js';
import {
  Repos,
  T0,
  handoff,
  handoffInBackground,
  logFiles,
  parseOk,
  storeDirOf,
  type GitRepo,
} from './context-helpers.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function inboxOf(repo: GitRepo, as: string, extra: string[] = []) {
  return parseOk(inboxView, handoff(['message', 'inbox', '--json', ...extra], { cwd: repo.dir, as }), 'inbox');
}

/** How many times each message id was written to the store's logs. */
function storedMessageIds(repo: GitRepo): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of logFiles(repo.dir)) {
    for (const line of readFileSync(join(storeDirOf(repo.dir), file), 'utf8').split('\n')) {
      const record =
        line === '' ? undefined : (JSON.parse(line.slice(line.indexOf(' ') + 1)) as { kind: string; id: string });
      if (record?.kind === 'message') counts.set(record.id, (counts.get(record.id) ?? 0) + 1);
    }
  }
  return counts;
}

describe('handoff message', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('send prints the id (--json the record); bad input exits 2, an unknown id 3, nothing recorded', () => {
    const repo = repos.make();
    const sent = handoff(['message', 'send', '--to', 'bob@example.com', '--body', 'Ready for review.'], {
      cwd: repo.dir,
      as: 'alice@example.com',
    });
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout.trim()).toMatch(ULID);
    const json = handoff(
      [
        'message',
        'send',
        '--to',
        'all',
        '--type',
        'need_input',
        '--body',
        'Who owns CI?',
        '--json',
        '--ttl-hours',
        '5',
      ],
      { cwd: repo.dir, as: 'alice@example.com' },
    );
    const record = parseOk(messageSchema, json, 'send --json');
    expect(record).toMatchObject({ from: 'alice@example.com', to: ['all'], type: 'need_input', ttl_hours: 5 });

    const failures: [string[], number, RegExp][] = [
      [['--to', 'team:core', '--body', 'hi'], 2, /^handoff: bad address "team:core": unknown address form/],
      [['--to', 'bob@example.com', '--body', ''], 2, /body is empty/],
      [['--to', 'bob@example.com'], 2, /needs a body/],
      [['--to', 'bob@example.com', '--body', 'diff --git a/x b/x\n@@ -1 +1 @@'], 2, /contains a diff/],
      [['--to', 'bob@example.com', '--body', 'hi', '--ttl-hours', '200'], 2, /out of range/],
      [['--to', 'bob@example.com', '--body', 'hi', '--type', 'urgent'], 2, /unknown message type/],
      [['--reply-to', '01HZZZZZZZZZZZZZZZZZZZZZZZ', '--body', 'hi'], 3, /no message .* to reply to/],
    ];
    for (const [args, code, stderr] of failures) {
      const res = handoff(['message', 'send', ...args], { cwd: repo.dir, as: 'alice@example.com' });
      expect(res.code, args.join(' ')).toBe(code);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr, args.join(' ')).toMatch(stderr);
      expect(res.stdout).toBe('');
    }
    expect([...storedMessageIds(repo).keys()].sort()).toEqual([sent.stdout.trim(), record.id].sort());
    const ack = handoff(['message', 'ack', 'NOPE'], { cwd: repo.dir, as: 'bob@example.com' });
    expect(ack.code).toBe(3);
    expect(handoff(['message', 'thread', sent.stdout.trim()], { cwd: repo.dir, as: 'carol@example.com' }).code).toBe(3);
    expect(handoff(['message', 'ack'], { cwd: repo.dir, as: 'bob@example.com' }).code).toBe(2);
  });

  it('inbox and thread print for people; an ack of an all message hides it from the acker only', () => {
    const repo = repos.make();
    const opts = (as: string) => ({ cwd: repo.dir, as });
    const id = handoff(
      ['message', 'send', '--to', 'all', '--body', 'Freeze at five; see docs/ops.md.'],
      opts('alice'),
    ).stdout.trim();
    const text = handoff(['message', 'inbox'], opts('bob'));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`- ${id}  fyi from alice · to all · 0s ago`);
    expect(text.stdout).toContain('  Freeze at five; see docs/ops.md.\n');

    expect(handoff(['message', 'ack', id], opts('bob')).stdout).toBe('acked 1 message\n');
    expect(inboxOf(repo, 'bob').messages).toEqual([]);
    expect(inboxOf(repo, 'carol').messages.map((m) => m.id)).toEqual([id]);
    expect(inboxOf(repo, 'bob', ['--all']).messages.map((m) => [m.id, m.acked])).toEqual([[id, true]]);
    const thread = handoff(['message', 'thread', id], opts('carol'));
    expect(thread.stdout).toMatch(/^.+ fyi from alice · to all · 0s ago\n> Freeze at five; see docs\/ops\.md\.\n$/);
  });

  it('50 concurrent senders: every message is delivered exactly once', { timeout: 240_000 }, async () => {
    const repo = repos.make();
    const runs = Array.from({ length: 50 }, (_, i) =>
      handoffInBackground(['message', 'send', '--to', i % 2 === 0 ? 'bob' : 'all', '--body', `note ${i}`], {
        cwd: repo.dir,
        as: `dev${i}`,
        now: T0,
      }),
    );
    const results = await Promise.all(runs.map((r) => r.done));
    for (const [i, res] of results.entries()) {
      expect(res.stderr, `stderr of sender ${i}`).toBe('');
      expect(res.code, `exit code of sender ${i}`).toBe(0);
      expect(res.stdout.trim()).toMatch(ULID);
    }
    const printed = results.map((r) => r.stdout.trim()).sort();
    expect(new Set(printed).size).toBe(50);
    const stored = storedMessageIds(repo);
    expect([...stored.keys()].sort()).toEqual(printed);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    const inbox = inboxOf(repo, 'bob').messages.map((m) => m.id);
    expect(inbox.sort()).toEqual(printed);
    // Odd senders wrote to all: carol gets those 25, each once.
    const carol = inboxOf(repo, 'carol').messages.map((m) => m.body);
    expect(carol.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `note ${2 * i + 1}`).sort());
  });

  it(
    'senders killed with SIGKILL at random moments lose no message whose id was printed',
    { timeout: 240_000 },
    async () => {
      const repo = repos.make();
      const acknowledged = new Set<string>();
      let killed = 0;
      for (let round = 0; round < 12; round += 1) {
        const runs = Array.from({ length: 3 }, (_, i) =>
          handoffInBackground(['message', 'send', '--to', 'bob', '--body', `round ${round} #${i}`], {
            cwd: repo.dir,
            as: `dev${i}`,
            now: T0,
          }),
        );
        // Kill one sender somewhere in its life: early rounds during start-up, later ones near the write.
        const delay = 40 + ((round * 37) % 12) * 25;
        const timer = setTimeout(() => runs[round % 3]!.child.kill('SIGKILL'), delay);
        const results = await Promise.all(runs.map((r) => r.done));
        clearTimeout(timer);
        for (const [i, res] of results.entries()) {
          if (res.signal === 'SIGKILL') {
            killed += 1;
            continue;
          }
          expect(res.code, `round ${round}, sender ${i}: ${res.stderr}`).toBe(0);
          acknowledged.add(res.stdout.trim());
        }
        const inbox = new Set(inboxOf(repo, 'bob', ['--all']).messages.map((m) => m.id));
        for (const id of acknowledged) expect(inbox.has(id), `round ${round}: ${id} lost`).toBe(true);
      }
      expect(killed).toBeGreaterThan(0);
      expect(acknowledged.size).toBeGreaterThan(12);
    },
  );
});
