// Codex runs a project's hooks only in a trusted project, and each non-managed hook only
// once it is trusted by hash (`[hooks.state."<file>:<event>:<i>:<j>"] trusted_hash` in
// $CODEX_HOME/config.toml, written by Codex's /hooks review); anything else it skips
// silently. This computes Codex's hook hash and reads that state so doctor can say what runs.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { canonicalJson } from '../core/canonical-json.js';
import type { Check } from '../core/check.js';
import { readTextIfExists } from '../store/atomic.js';
import { EXIT, HandoffError, joinLines } from '../errors.js';
import { MARKER, PRE_EDIT_MARKER } from './plan.js';

export type HookTrust = 'trusted' | 'untrusted' | 'modified' | 'disabled';

export interface CodexHook {
  /** Codex's key for the hook: `<hooks.json path>:<event label>:<group index>:<handler index>`. */
  key: string;
  event: string;
  command: string;
  hash: string;
}

export interface HookState {
  trustedHash?: string;
  enabled?: boolean;
}

export interface CodexUserConfig {
  hookStates: ReadonlyMap<string, HookState>;
  /** `projects."<path>".trust_level` by path. */
  projectTrust: ReadonlyMap<string, string>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `SessionStart` → `session_start`: the label Codex uses in keys and hashes. */
export const eventLabel = (event: string): string =>
  event.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '_'}${c.toLowerCase()}`);

// Codex drops what an event cannot use before hashing, so an ignored field never changes trust.
const NO_MATCHER = new Set(['user_prompt_submit', 'stop', 'stop_failure', 'session_end', 'interrupt']);
const CONTEXT_EVENTS = new Set([
  'pre_tool_use',
  'post_tool_use',
  'session_start',
  'user_prompt_submit',
  'subagent_start',
]);

/**
 * Codex's `currentHash` of one command hook: sha256 of the canonical JSON of
 * `{ event_name, matcher?, hooks: [normalized handler] }`, as `sha256:<hex>`. Timeouts are
 * normalized the way Codex runs them (SessionEnd 1–3 s, default 1; others ≥ 1, default 600).
 */
export function codexHookHash(event: string, matcher: unknown, handler: Json): string {
  const label = eventLabel(event);
  const raw = typeof handler.timeout === 'number' ? handler.timeout : undefined;
  const timeout = label === 'session_end' ? Math.min(Math.max(raw ?? 1, 1), 3) : Math.max(raw ?? 600, 1);
  const normalized: Json = { type: 'command', command: handler.command, timeout, async: handler.async === true };
  if (typeof handler.statusMessage === 'string') normalized.statusMessage = handler.statusMessage;
  if (typeof handler.additionalContextLimit === 'number' && CONTEXT_EVENTS.has(label)) {
    normalized.additionalContextLimit = handler.additionalContextLimit;
  }
  const identity: Json = { event_name: label, hooks: [normalized] };
  if (typeof matcher === 'string' && !NO_MATCHER.has(label)) identity.matcher = matcher;
  return `sha256:${createHash('sha256').update(canonicalJson(identity)).digest('hex')}`;
}

/** Every command hook in a Codex hooks.json text, with Codex's key and hash (none if unparseable). */
export function listCodexHooks(file: string, text: string | undefined): CodexHook[] {
  let root: unknown;
  try {
    root = text === undefined ? undefined : JSON.parse(text);
  } catch {
    return [];
  }
  if (!isObject(root) || !isObject(root.hooks)) return [];
  const found: CodexHook[] = [];
  for (const [event, groups] of Object.entries(root.hooks)) {
    // Codex knows only its own event names; anything else (a hostile key included) never runs.
    if (!Array.isArray(groups) || !/^[A-Z][A-Za-z]{0,40}$/.test(event)) continue;
    groups.forEach((group: unknown, i) => {
      if (!isObject(group) || !Array.isArray(group.hooks)) return;
      group.hooks.forEach((handler: unknown, j) => {
        if (!isObject(handler) || handler.type !== 'command') return;
        if (typeof handler.command !== 'string' || handler.command.trim() === '') return;
        const key = `${file}:${eventLabel(event)}:${i}:${j}`;
        found.push({ key, event, command: handler.command, hash: codexHookHash(event, group.matcher, handler) });
      });
    });
  }
  return found;
}

/** The hook states and project trust levels of a Codex user config.toml text. */
export function parseCodexConfig(file: string, text: string | undefined): CodexUserConfig {
  let root: Json = {};
  try {
    if (text !== undefined) root = parseToml(text) as Json;
  } catch (error) {
    const why = joinLines((error as Error).message);
    throw new HandoffError(
      `${file} is not valid TOML (${why})`,
      EXIT.failure,
      'fix it; Codex will not start with it either',
    );
  }
  const hookStates = new Map<string, HookState>();
  const state = isObject(root.hooks) ? root.hooks.state : undefined;
  for (const [key, value] of Object.entries(isObject(state) ? state : {})) {
    if (!isObject(value) || key.trim() === '') continue;
    hookStates.set(key.trim(), {
      ...(typeof value.trusted_hash === 'string' ? { trustedHash: value.trusted_hash } : {}),
      ...(typeof value.enabled === 'boolean' ? { enabled: value.enabled } : {}),
    });
  }
  const projectTrust = new Map<string, string>();
  for (const [path, value] of Object.entries(isObject(root.projects) ? root.projects : {})) {
    if (isObject(value) && typeof value.trust_level === 'string') projectTrust.set(path, value.trust_level);
  }
  return { hookStates, projectTrust };
}

export function hookTrust(hook: CodexHook, states: ReadonlyMap<string, HookState>): HookTrust {
  const state = states.get(hook.key);
  if (state?.enabled === false) return 'disabled';
  if (state?.trustedHash === undefined) return 'untrusted';
  return state.trustedHash === hook.hash ? 'trusted' : 'modified';
}

const isOurs = (hook: CodexHook): boolean =>
  (hook.command.includes(MARKER) || hook.command.includes(PRE_EDIT_MARKER)) && /handoff/.test(hook.command);

const TRUST_WORDS: Record<HookTrust, string> = {
  trusted: 'trusted',
  untrusted: 'untrusted (never reviewed in Codex)',
  modified: 'modified (changed since it was trusted)',
  disabled: 'disabled in Codex',
};

export interface CodexTrustInput {
  /** The hooks.json holding our hooks. */
  hooksFile: string;
  /** For a project hooks.json: the paths Codex may record the project's trust under. */
  projectRoots?: readonly string[];
}

/**
 * Whether Codex will run the handoff hooks in `hooksFile`: the project trusted (for a
 * project file) and each of our hooks trusted by its current hash. Undefined when the
 * file holds none of our hooks.
 */
export function codexTrustCheck(codexHome: string, input: CodexTrustInput): Check | undefined {
  const ours = listCodexHooks(input.hooksFile, readTextIfExists(input.hooksFile)).filter(isOurs);
  if (ours.length === 0) return undefined;
  const configFile = join(codexHome, 'config.toml');
  const config = parseCodexConfig(configFile, readTextIfExists(configFile));
  const name = 'codex trust';
  const review =
    'open Codex in the project, run /hooks and trust the handoff hooks: ' +
    'Codex skips untrusted and modified hooks silently';
  const roots = input.projectRoots ?? [];
  if (roots.length > 0 && !roots.some((r) => config.projectTrust.get(r) === 'trusted')) {
    return {
      name,
      status: 'warn',
      detail:
        `Codex does not trust ${roots[0]}, so it reads no hooks from ${input.hooksFile} ` +
        `(${configFile} has no trust_level = "trusted" for it)`,
      fix: `trust the project when Codex asks, then ${review}`,
    };
  }
  const statuses = ours.map((h) => ({ hook: h, trust: hookTrust(h, config.hookStates) }));
  const detail = statuses.map((s) => `${s.hook.event} ${TRUST_WORDS[s.trust]}`).join(', ');
  if (statuses.every((s) => s.trust === 'trusted')) return { name, status: 'ok', detail: `${detail} in ${configFile}` };
  return { name, status: 'warn', detail: `${input.hooksFile}: ${detail}; Codex will not run them`, fix: review };
}

/** One check per hooks file that holds our hooks; a file or config that cannot be read is a failed check. */
export function codexTrustChecks(codexHome: string, inputs: readonly CodexTrustInput[]): Check[] {
  return inputs.flatMap((input) => {
    try {
      return codexTrustCheck(codexHome, input) ?? [];
    } catch (error) {
      const fix = error instanceof HandoffError && error.hint ? error.hint : `check ${input.hooksFile}`;
      return [{ name: 'codex trust', status: 'fail' as const, detail: joinLines((error as Error).message), fix }];
    }
  });
}
