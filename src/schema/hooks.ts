// Shapes of what agents send hooks on stdin (Claude Code and Codex share these field
// names) and of the per-worktree session bookkeeping the hooks keep. Payloads are read
// leniently: unknown fields are ignored and a field of the wrong type counts as absent.
import * as z from 'zod';

const optionalString = z.string().optional().catch(undefined);

export const hookPayload = z.looseObject({
  session_id: optionalString,
  cwd: optionalString,
  source: optionalString,
  hook_event_name: optionalString,
  transcript_path: optionalString,
  model: optionalString,
  agent_id: optionalString,
  stop_hook_active: z.boolean().optional().catch(undefined),
  /** PreToolUse: the tool about to run and its input (`file_path`, `notebook_path`, an apply_patch's text). */
  tool_name: optionalString,
  tool_input: z.unknown().optional(),
});
export type HookPayload = z.infer<typeof hookPayload>;

export const sessionsFile = z.object({
  schema_version: z.literal(1),
  sessions: z.record(
    z.string(),
    z.object({
      agent_id: z.string(),
      started_at: z.string(),
      /** The session was told once that it has not published a context. */
      nudged: z.boolean().optional(),
    }),
  ),
  /** State of the worktree at the last refresh by session-stop (see hooks/session-stop.ts). */
  stop_fingerprint: z.string().optional(),
});
export type SessionsFile = z.infer<typeof sessionsFile>;
