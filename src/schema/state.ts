// `handoff state --json`: the team's state in one document, a section per kind of
// record, each built from the team store's fold (api/state.ts). `handoff schema state`
// prints it as JSON Schema.
import * as z from 'zod';
import { claimView } from './claim.js';
import { conflictReport } from './conflicts.js';
import { contextView } from './context.js';
import { decisionView, interfaceView } from './decision.js';
import { messageView } from './message.js';

export const teamState = z.object({
  repo: z.string(),
  me: z.string().optional(),
  /** Active published contexts visible to me, newest first, with their role and staleness. */
  contexts: z.array(contextView),
  /** Requests (need_input, review) still unanswered: those addressed to me and those I sent, newest first. */
  open_requests: z.array(messageView),
  /** The newest standing decisions visible to me (at most STATE_DECISIONS), newest first. */
  decisions: z.array(decisionView),
  /** How many standing decisions I can see in all (`handoff decision list` shows them). */
  decisions_total: z.number().int().nonnegative(),
  /** Interfaces declared ready, visible to me, newest first, each ready, stale or gone. */
  interfaces: z.array(interfaceView),
  /** Active claims, as I may see them (a private developer's without holder or reason), newest first. */
  claims: z.array(claimView),
  /** The last `handoff conflicts` result the stop hook saved for my branch, when there is one. */
  conflicts: conflictReport.optional(),
});
export type TeamState = z.infer<typeof teamState>;
