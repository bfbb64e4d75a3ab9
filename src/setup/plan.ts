// Plans the edits `handoff setup` makes, as data: agent settings JSON merged with our
// hook entries (every foreign hook and setting kept), and git hooks that chain whatever
// hook was there before. Pure: file texts in, new texts out; `--dry-run` prints them.
import { getNodeValue } from 'jsonc-parser';
import { isDeepStrictEqual } from 'node:util';
import { UsageError } from '../errors.js';
import { appendTo, nodeAt, parseStrict, removeAt } from './json-edit.js';

/** One change setup makes to a file or folder: data, so --dry-run prints the plan it would apply. */
export interface PlannedEdit {
  path: string;
  action: 'create' | 'update' | 'delete' | 'rename' | 'mkdir' | 'rmdir';
  /** New content for create/update. */
  after?: string;
  /** Target of a rename. */
  to?: string;
  /** mkdir/rmdir: the file recording that setup made the folder (only such a folder is removed). */
  marker?: string;
  executable?: boolean;
  /** Back the file up before changing it (not for hooks setup itself wrote). */
  backup?: boolean;
  why: string;
}

/** Every session hook command we install contains this, so we can find (and remove) exactly ours. */
export const MARKER = 'hook session-';
/** And the pre-edit (claims) hook's. */
export const PRE_EDIT_MARKER = 'hook pre-edit';
export const GIT_MARKER = '# codemap-handoff:';

export type HookEvent = 'SessionStart' | 'Stop' | 'SessionEnd' | 'PreToolUse';

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

const isOurs = (h: unknown): boolean => {
  const command = (h as CommandHook | null)?.command;
  const marked = typeof command === 'string' && (command.includes(MARKER) || command.includes(PRE_EDIT_MARKER));
  return marked && /handoff/.test(command as string);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const groupOf = (spec: HookSpec): MatcherGroup => ({
  ...(spec.matcher ? { matcher: spec.matcher } : {}),
  hooks: [{ type: 'command', command: spec.command, timeout: spec.timeout }],
});

/** Where a settings value departs from `{ hooks: { Event: [{ hooks: [{…}] }] } }`, or undefined. */
function shapeError(root: unknown): string | undefined {
  if (!isObject(root)) return 'does not hold a JSON object';
  if (root.hooks === undefined) return undefined;
  if (!isObject(root.hooks)) return '"hooks" is not an object';
  for (const [event, groups] of Object.entries(root.hooks)) {
    const at = `hooks.${event}`;
    if (!Array.isArray(groups)) return `${at} is not an array`;
    for (const [g, group] of groups.entries()) {
      if (!isObject(group)) return `${at}[${g}] is not an object`;
      if (group.hooks === undefined) continue;
      if (!Array.isArray(group.hooks)) return `${at}[${g}].hooks is not an array`;
      const bad = group.hooks.findIndex((h) => !isObject(h));
      if (bad >= 0) return `${at}[${g}].hooks[${bad}] is not an object`;
    }
  }
  return undefined;
}

/** The settings value, refusing (exit 2) what is not JSON or not in the shape the clients read. */
type Settings = { hooks?: Record<string, MatcherGroup[]> } & Record<string, unknown>;

function readSettings(file: string, text: string): Settings {
  const parsed = parseStrict(text);
  if ('error' in parsed) {
    const hint = 'fix the file by hand, then rerun handoff setup';
    throw new UsageError(`${file} is not valid JSON (${parsed.error}); not changing it`, hint);
  }
  const root = getNodeValue(parsed.tree) as unknown;
  const why = shapeError(root);
  if (why) {
    throw new UsageError(
      `${file}: ${why}; not changing it`,
      'fix it by hand to the { "hooks": { "<Event>": [{ "hooks": [{ "type": "command", … }] }] } } shape, ' +
        'then rerun handoff setup',
    );
  }
  return root as Settings;
}

/**
 * Merges (or with `remove`, takes out) our hook entries in an agent settings file that
 * uses the `{ hooks: { Event: [{ matcher?, hooks: [{ type, command, timeout }] }] } }`
 * shape (Claude Code's settings.json and Codex's hooks.json). Edits change only the bytes
 * of our entries, so setup then remove gives the file back byte for byte. Returns the new
 * text, the old text when there is nothing to do, or undefined when the file would hold
 * nothing but an empty object after a remove (the file setup created goes with it).
 */
export function mergeAgentSettings(
  file: string,
  text: string | undefined,
  specs: readonly HookSpec[],
  remove: boolean,
): string | undefined {
  if (text === undefined || text.trim() === '') {
    if (remove) return text;
    text = undefined;
  }
  let current = text ?? '{}\n';
  const root = readSettings(file, current);
  const hooks = root.hooks ?? {};
  const wanted = remove ? [] : specs;
  let changed = false;

  // Take out every entry of ours that is not exactly the one wanted, last first so the
  // paths still to visit keep their indexes.
  const keep = new Set<string>();
  for (const [event, groups] of Object.entries(hooks)) {
    const spec = wanted.find((s) => s.event === event);
    const oursIn = (g: MatcherGroup, gi: number): (readonly [number, number])[] =>
      (Array.isArray(g.hooks) ? g.hooks : []).flatMap((h, hi) => (isOurs(h) ? [[gi, hi] as const] : []));
    const oursAt = groups.flatMap(oursIn);
    const only = oursAt.length === 1 ? oursAt[0]! : undefined;
    if (spec && only && isDeepStrictEqual(groups[only[0]], groupOf(spec))) {
      keep.add(event);
      continue;
    }
    if (oursAt.length === 0) continue;
    for (let gi = groups.length - 1; gi >= 0; gi--) {
      const entries = groups[gi]!.hooks;
      if (!Array.isArray(entries)) continue;
      const mine = entries.map((h, hi) => (isOurs(h) ? hi : -1)).filter((hi) => hi >= 0);
      if (mine.length === 0) continue;
      if (mine.length === entries.length) current = removeAt(current, ['hooks', event, gi]);
      else for (const hi of mine.reverse()) current = removeAt(current, ['hooks', event, gi, 'hooks', hi]);
    }
    changed = true;
    // An event left without groups goes, unless ours is about to be added back to it.
    const emptied = nodeAt(current, ['hooks', event])?.children?.length === 0;
    if (!spec && emptied) current = removeAt(current, ['hooks', event]);
  }

  for (const spec of wanted) {
    if (keep.has(spec.event)) continue;
    changed = true;
    const group = groupOf(spec);
    if (!nodeAt(current, ['hooks'])) current = appendTo(current, [], 'hooks', { [spec.event]: [group] });
    else if (!nodeAt(current, ['hooks', spec.event])) current = appendTo(current, ['hooks'], spec.event, [group]);
    else current = appendTo(current, ['hooks', spec.event], undefined, group);
  }

  if (!changed) return text;
  const hooksEmpty = nodeAt(current, ['hooks'])?.children?.length === 0;
  if (remove && root.hooks !== undefined && hooksEmpty) current = removeAt(current, ['hooks']);
  // Nothing but our hooks was in it: removing them removes the file.
  if (remove && (nodeAt(current, [])?.children?.length ?? 0) === 0) return undefined;
  return current;
}

/** The --nudge of our installed Stop hook in a settings text (undefined: none installed, or the default). */
export function installedNudge(text: string | undefined): string | undefined {
  const stop = installedEvents(text).get('Stop')?.[0];
  return stop ? /--nudge (\S+)/.exec(stop)?.[1] : undefined;
}

/** The --claims of our installed pre-edit hook: `warn`, `enforce`, or undefined when none is installed. */
export function installedClaims(text: string | undefined): 'warn' | 'enforce' | undefined {
  const command = installedEvents(text).get('PreToolUse')?.[0];
  if (command === undefined) return undefined;
  return /--claims enforce\b/.test(command) ? 'enforce' : 'warn';
}

/** Which of `events` have one of our hooks in a settings text (for doctor). */
export function installedEvents(text: string | undefined): Map<string, string[]> {
  const found = new Map<string, string[]>();
  if (!text) return found;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return found;
  }
  const hooks = isObject(root) && isObject(root.hooks) ? (root.hooks as Record<string, MatcherGroup[]>) : {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    for (const g of groups) {
      for (const h of isObject(g) && Array.isArray(g.hooks) ? g.hooks : []) {
        if (isOurs(h)) found.set(event, [...(found.get(event) ?? []), h.command as string]);
      }
    }
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
