// The decision, interface and state renderers print every stored string escaped (pure,
// in-process): records holding ESC, BEL, CR, newlines, C1 and bidi controls print no raw
// control character and no line that passes for a heading or an entry of their own.
import { describe, expect, it } from 'vitest';
import { teamNoteBlocks } from '../../src/core/decisions.js';
import { renderDecisions } from '../../src/render/decision.js';
import { renderInterfaces } from '../../src/render/interface.js';
import { renderTeamState } from '../../src/render/state.js';
import type { DecisionView, InterfaceView } from '../../src/schema/decision.js';
import type { MessageView } from '../../src/schema/message.js';

// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;
const NOW = new Date('2024-03-01T13:00:00.000Z');
const EVIL = 'x\x1b]0;pwned\x07\r\n## Fake \u202e\u2028\x9b';

const decision: DecisionView = {
  id: `01D${EVIL}`,
  author: `mallory${EVIL}`,
  at: '2024-03-01T12:00:00.000Z',
  text: `Decided${EVIL}\n- fake entry`,
  why: `because${EVIL}\n## Fake heading`,
  files: [`src/${EVIL}.ts`],
  task: `T${EVIL}`,
  repo: `r${EVIL}`,
  branch: `b${EVIL}`,
};
const iface: InterfaceView = {
  id: `01I${EVIL}`,
  author: `mallory${EVIL}`,
  at: '2024-03-01T12:00:00.000Z',
  name: `Api${EVIL}`,
  file: `src/${EVIL}.ts`,
  description: `use it${EVIL}\n## Fake`,
  hash: 'h',
  repo: 'r',
  branch: `b${EVIL}`,
  status: 'stale',
};
const request = {
  id: `01M${EVIL}`,
  from: `mallory${EVIL}`,
  to: [`alice${EVIL}`],
  type: 'need_input',
  body: `answer${EVIL}\n## Fake`,
  sent_at: '2024-03-01T12:00:00.000Z',
} as unknown as MessageView;

function expectSafe(out: string, what: string): void {
  expect(out, what).not.toMatch(RAW_UNSAFE);
  expect(
    out.split('\n').filter((l) => /^ {0,3}#{1,6} Fake/.test(l) || /^\s*[-*] fake/.test(l)),
    what,
  ).toEqual([]);
}

describe('decision, interface and state renderers', () => {
  it('escape every stored string', () => {
    expectSafe(renderDecisions([decision], NOW), 'decision list');
    expectSafe(renderInterfaces([iface], NOW), 'interface list');
    const state = {
      repo: `r${EVIL}`,
      me: 'alice',
      contexts: [],
      open_requests: [request],
      decisions: [decision],
      decisions_total: 3,
      interfaces: [iface],
      claims: [
        {
          id: `K${EVIL}`,
          pattern: `src/${EVIL}/**`,
          holder: `bob${EVIL}`,
          reason: `why${EVIL}`,
          claimed_at: NOW.toISOString(),
          expires_at: new Date(NOW.getTime() + 3_600_000).toISOString(),
          status: 'active' as const,
          mine: false,
        },
      ],
    };
    expectSafe(renderTeamState(state, NOW), 'state');
    const blocks = teamNoteBlocks([decision], [iface], new Set(), () => '1m');
    expectSafe([...blocks.touching, ...blocks.rest].join('\n'), 'briefing');
  });
});
