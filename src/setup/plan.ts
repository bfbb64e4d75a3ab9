// Plans the edits `handoff setup` makes, as data: agent settings JSON merged with our
// hook entries (every foreign hook and setting kept), and git hooks that chain whatever
// hook was there before. Pure: file texts in, new texts out; `--dry-run` prints them.
import { UsageError } from '../errors.js';

/** Every command we install contains this, so we can find (and remove) exactly ours. */
export const MARKER = 'hook session-';
export const GIT_MARKER = '# codemap-handoff:';

export type HookEvent = 'SessionStart' | 'Stop' | 'SessionEnd';

export interface HookSpec {
  event: HookEvent;
  command: string;
  timeout: number;
  matcher?: string;
}

interface CommandHook {
  type?: unknown;
  command?: unknown;
  [key: string]: unknown;
}
interface MatcherGroup {
  matcher?: unknown;
  hooks?: CommandHook[];
  [key: string]: unknown;
}

const isOurs = (h: CommandHook): boolean => typeof h.command === 'string' && h.command.includes(MARKER) && /handoff/.test(h.command);

/**
 * Merges (or with `remove`, takes out) our hook entries in an agent settings file that
 * uses the `{ hooks: { Event: [{ matcher?, hooks: [{ type, command, timeout }] }] } }`
 * shape (Claude Code's settings.json and Codex's hooks.json). Returns the new text, or
 * the old text unchanged when there is nothing to do.
 */
export function mergeAgentSettings(file: string, text: string | undefined, specs: readonly HookSpec[], remove: boolean): string | undefined {
  let root: Record<string, unknown> = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      root = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON (${(error as Error).message}); not changing it`, 'fix the file by hand, then rerun handoff setup');
    }
    if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new UsageError(`${file} does not hold a JSON object; not changing it`);
  }
  const before = JSON.stringify(root);
  const hooks = (typeof root.hooks === 'object' && root.hooks !== null && !Array.isArray(root.hooks) ? root.hooks : {}) as Record<string, MatcherGroup[]>;
  const events = new Set<string>([...Object.keys(hooks), ...specs.map((s) => s.event)]);
  for (const event of events) {
    const groups = Array.isArray(hooks[event]) ? hooks[event]! : [];
    const kept = groups
      .map((g) => (Array.isArray(g.hooks) ? { ...g, hooks: g.hooks.filter((h) => !isOurs(h)) } : g))
      .filter((g) => !Array.isArray(g.hooks) || g.hooks.length > 0);
    if (!remove) {
      for (const spec of specs.filter((s) => s.event === event)) {
        kept.push({ ...(spec.matcher ? { matcher: spec.matcher } : {}), hooks: [{ type: 'command', command: spec.command, timeout: spec.timeout }] });
      }
    }
    if (kept.length > 0) hooks[event] = kept;
    else delete hooks[event];
  }
  if (Object.keys(hooks).length > 0) root.hooks = hooks;
  else delete root.hooks;
  if (JSON.stringify(root) === before) return text;
  // Nothing but our hooks was in it: removing them removes the file setup created.
  if (Object.keys(root).length === 0 && (text === undefined || remove)) return undefined;
  return `${JSON.stringify(root, null, 2)}\n`;
}

/** Which of `events` have one of our hooks in a settings text (for doctor). */
export function installedEvents(text: string | undefined): Map<string, string[]> {
  const found = new Map<string, string[]>();
  if (!text) return found;
  let root: { hooks?: Record<string, MatcherGroup[]> };
  try {
    root = JSON.parse(text) as typeof root;
  } catch {
    return found;
  }
  for (const [event, groups] of Object.entries(root.hooks ?? {})) {
    if (!Array.isArray(groups)) continue;
    for (const g of groups) for (const h of Array.isArray(g.hooks) ? g.hooks : []) if (isOurs(h)) found.set(event, [...(found.get(event) ?? []), h.command as string]);
  }
  return found;
}

export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Our git hook: runs the hook it replaced (keeping its exit status), then refreshes in the background. */
export function gitHookScript(name: string, refresh: string): string {
  return [
    '#!/bin/sh',
    `${GIT_MARKER} refreshes the handoff in the background (installed by \`handoff setup\`; \`handoff setup --remove\` restores the previous hook)`,
    'status=0',
    `previous="$(dirname "$0")/${name}.pre-handoff"`,
    'if [ -x "$previous" ]; then "$previous" "$@" || status=$?; fi',
    `( cd "$(git rev-parse --show-toplevel 2>/dev/null || pwd)" && ${refresh} >/dev/null 2>&1 & ) >/dev/null 2>&1`,
    'exit $status',
    '',
  ].join('\n');
}

export const isOurGitHook = (text: string | undefined): boolean => text !== undefined && text.includes(GIT_MARKER);
