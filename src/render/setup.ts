// `handoff setup`'s plan and `handoff doctor`'s checks as text for people (their JSON is
// the plain data itself). A check is printed on one line whatever its detail holds.
import { resolve } from 'node:path';
import type { Check } from '../core/check.js';
import { oneLine } from '../errors.js';
import type { PlannedEdit } from '../setup/plan.js';

/** The plan as people read it: each edit with its path relative to `cwd`; a dry run shows the new text. */
export function describePlan(edits: readonly PlannedEdit[], cwd: string, dryRun: boolean): string {
  if (edits.length === 0) return 'Nothing to change: the hooks are already as requested.\n';
  const rel = (p: string): string => (p.startsWith(resolve(cwd)) ? p.slice(resolve(cwd).length + 1) || p : p);
  const lines = [dryRun ? 'Would make these changes (dry run):' : 'Changed:'];
  for (const e of edits) {
    lines.push(`- ${e.action} ${rel(e.path)}${e.to ? ` → ${rel(e.to)}` : ''}: ${e.why}`);
    if (dryRun && e.after !== undefined)
      lines.push(
        ...e.after
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`),
      );
  }
  return `${lines.join('\n')}\n`;
}

/** One line per check: status, name, what was found, and the fix when it is not ok. */
export function renderChecks(checks: readonly Check[]): string {
  const lines = checks.map((c) =>
    oneLine(`${c.status.padEnd(4)}  ${c.name} — ${c.detail}${c.fix && c.status !== 'ok' ? ` (fix: ${c.fix})` : ''}`),
  );
  return `${lines.join('\n')}\n`;
}
