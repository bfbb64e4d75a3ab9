// Renders claims: `claim list` and `claim check` for people, the one-line warning `claim
// add` prints for each claim of someone else it overlaps, and the pre-edit hook's output
// (Claude Code and Codex PreToolUse JSON). Every stored string is escaped (core/escape.ts).
import { claimSentence, clockTime, overlapSentence } from '../core/claims.js';
import { escapeText as e } from '../core/escape.js';
import type { ClaimCheckResult, ClaimView } from '../schema/claim.js';
import { relativeTime } from './context.js';
import { plainStyle, type Style } from './style.js';

/** `src/auth/** — bob (refactoring auth) on feature/x, until 14:05 UTC (in 42m) [01J…]` */
export function renderClaimLine(c: ClaimView, now: Date, s: Style = plainStyle): string {
  const reason = c.reason ? ` (${e(c.reason)})` : '';
  const branch = c.branch ? ` on ${e(c.branch)}` : '';
  const when =
    c.status === 'active'
      ? `until ${clockTime(c.expires_at)} (${relativeTime(c.expires_at, now)})`
      : c.status === 'released'
        ? `released ${relativeTime(c.released_at ?? c.expires_at, now)}`
        : `expired ${relativeTime(c.expires_at, now)}`;
  const mine = c.mine ? ' (yours)' : '';
  return `${e(c.pattern)} — ${e(c.holder)}${mine}${reason}${branch}, ${when} ${s.dim(`[${e(c.id)}]`)}`;
}

export function renderClaims(claims: readonly ClaimView[], now: Date, s: Style = plainStyle): string {
  if (claims.length === 0) return 'No active claims.\n';
  return `${claims.map((c) => renderClaimLine(c, now, s)).join('\n')}\n`;
}

export function renderCheck(result: ClaimCheckResult, now: Date, s: Style = plainStyle): string {
  const lines: string[] = [];
  for (const p of result.paths) {
    if (p.held_by_others.length === 0 && p.mine.length === 0) {
      lines.push(`${e(p.path)}: not claimed`);
      continue;
    }
    lines.push(`${e(p.path)}:`);
    for (const c of [...p.held_by_others, ...p.mine]) lines.push(`  ${renderClaimLine(c, now, s)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The stderr line `claim add` prints for another's active claim its pattern overlaps. */
export function overlapWarning(pattern: string, c: ClaimView): string {
  return `handoff: warning: ${e(overlapSentence(pattern, c))}`;
}

/** The open question the artifact gains for one of my changed files another holds a claim on. */
export function claimQuestion(path: string, c: ClaimView): string {
  return e(claimSentence(path, c));
}

export type ClaimsMode = 'warn' | 'enforce';

/**
 * What the pre-edit hook prints: nothing when no one else holds a claim on the file;
 * else PreToolUse JSON whose `additionalContext` tells the model who holds it and why,
 * and, with `enforce`, `permissionDecision: ask`, so the user decides (Claude Code shows
 * the reason in its prompt). Codex takes no `ask` (it refuses the output): for Codex the
 * hook only informs.
 */
export function formatPreEditOutput(
  found: readonly { path: string; claims: readonly ClaimView[] }[],
  mode: ClaimsMode,
  agent: 'claude-code' | 'codex' | string = 'claude-code',
): string {
  if (found.length === 0) return '';
  const sentences = found.flatMap(({ path, claims }) => claims.map((c) => claimSentence(path, c)));
  const text = e(
    `handoff: ${sentences.join('; ')}. Coordinate with the holder before editing it (or work on something ` +
      'else); `handoff claim list` shows every active claim.',
  );
  const ask = mode === 'enforce' && agent !== 'codex';
  const output = {
    hookEventName: 'PreToolUse',
    ...(ask ? { permissionDecision: 'ask', permissionDecisionReason: e(sentences.join('; ')) } : {}),
    additionalContext: text,
  };
  return `${JSON.stringify({ hookSpecificOutput: output })}\n`;
}
