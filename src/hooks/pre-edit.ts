// `handoff hook pre-edit`: the PreToolUse hook of file edits. Reads which files the tool is
// about to change (Claude Code: `tool_input.file_path` / `notebook_path` of Edit, Write,
// MultiEdit, NotebookEdit; Codex: the `*** … File:` lines of an apply_patch) and, when
// another developer or session holds a claim on one, tells the agent who and why. It never
// blocks: `--claims enforce` asks the user instead (Claude Code only; Codex takes no `ask`).
import { claimsOnEdit } from '../api/claim-hooks.js';
import { formatPreEditOutput, type ClaimsMode } from '../render/claim.js';
import type { HookPayload } from '../schema/hooks.js';
import { payloadDir, type HookRun } from './run.js';

const PATCH_FILE = /^\*\*\* (?:Add|Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$/gm;

/** Every string inside a tool input (an apply_patch carries its patch as one, or as an argv element). */
function stringsIn(value: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') out.push(value);
  else if (depth < 4 && Array.isArray(value)) for (const v of value) stringsIn(v, out, depth + 1);
  else if (depth < 4 && value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) stringsIn(v, out, depth + 1);
  }
  return out;
}

/** The files a tool call is about to edit, as the payload names them (absolute, or relative to its cwd). */
export function editedFiles(payload: HookPayload): string[] {
  const input = payload.tool_input;
  const files = new Set<string>();
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    for (const key of ['file_path', 'notebook_path'] as const) {
      const value = (input as Record<string, unknown>)[key];
      if (typeof value === 'string' && value !== '') files.add(value);
    }
  }
  if (payload.tool_name === 'apply_patch' || files.size === 0) {
    for (const text of stringsIn(input)) {
      for (const m of text.matchAll(PATCH_FILE)) files.add((m[1] ?? m[2] ?? '').trim());
    }
  }
  files.delete('');
  return [...files];
}

export async function preEdit(run: HookRun & { claims?: ClaimsMode }): Promise<string> {
  const files = editedFiles(run.payload);
  if (files.length === 0) return '';
  const cwd = payloadDir(run.payload, run.cwd);
  const found = await claimsOnEdit(
    { cwd, env: run.env, now: run.now, ...(run.payload.session_id ? { session: run.payload.session_id } : {}) },
    files,
  );
  return formatPreEditOutput(found, run.claims ?? 'warn', run.agent);
}
