// The exact bytes a session hook prints, in the form its host takes: session-start's
// briefing as text or SessionStart JSON within the briefing budget, session-stop's
// publish reminder as a systemMessage or a one-time block (docs/AGENT-CLIENTS in README).
import { BYTE_BUDGET, truncateToBytes } from '../core/budget.js';

/**
 * The exact bytes session-start prints, never more than the briefing budget: the cap
 * applies after JSON escaping (a control character grows to six bytes), so the text is
 * cut further, at a line boundary, until the printed document fits.
 */
export function formatStartOutput(
  briefing: string,
  format: 'text' | 'json',
  maxBytes: number = BYTE_BUDGET.briefing,
): string {
  let text = briefing;
  let limit = maxBytes;
  for (;;) {
    if (text === '') return '';
    const doc = { hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: text } };
    const out = format === 'text' ? text : `${JSON.stringify(doc)}\n`;
    const size = Buffer.byteLength(out, 'utf8');
    if (size <= maxBytes) return out;
    // Shrink the text budget by the expansion seen so far; at least a little each round.
    limit = Math.min(limit - 16, Math.floor((Buffer.byteLength(text, 'utf8') * maxBytes) / size));
    if (limit <= 0) return '';
    text = truncateToBytes(briefing, limit).text;
  }
}

export const NUDGE =
  'handoff: this session has not published a context for this branch. Before you finish, run `handoff context publish --title "…" --summary "…" --file <path>` so the next session knows what was done and decided.';

/**
 * How the nudge is delivered. `system` (default): a `systemMessage`, which both agents
 * show and which never holds the session; in Claude Code it reaches the user, not the
 * model, because every Stop output the model sees also resumes the turn. `block`: a
 * one-time `decision: block`, which hands the reminder to the model and lets it act on
 * it (never while a Stop hook already resumed the turn). `off`: no nudge.
 */
export type NudgeMode = 'system' | 'block' | 'off';

export function formatStopOutput(nudge: boolean, mode: NudgeMode = 'system'): string {
  if (!nudge || mode === 'off') return '';
  return mode === 'block'
    ? `${JSON.stringify({ decision: 'block', reason: NUDGE })}\n`
    : `${JSON.stringify({ systemMessage: NUDGE })}\n`;
}
