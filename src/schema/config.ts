// Project config `.codemap/config.json`: optional, may be committed, and shared with the Go
// tool codemap. Unknown keys are kept out of the parsed object but do not fail the read, so
// newer configs still load; store/config.ts names them so the caller can warn.
import * as z from 'zod';

export const projectConfig = z.object({
  schema_version: z.literal(1).optional(),
  base_ref: z.string().min(1).optional(),
  /** Developer handle for context exchange (else HANDOFF_DEVELOPER, else git user.email). */
  developer: z.string().min(1).optional(),
  since: z.string().optional(),
  ignore: z.array(z.string()).optional(),
  /** The Go tool's scope filters (core/scope.ts): extensions to keep, patterns to drop. */
  only: z.array(z.string().max(1024)).max(1000).optional(),
  exclude: z.array(z.string().max(1024)).max(1000).optional(),
  hooks: z
    .object({
      start_budget_ms: z.number().int().positive().optional(),
      stop_budget_ms: z.number().int().positive().optional(),
    })
    .optional(),
  budgets: z
    .object({
      max_changed: z.number().int().positive().optional(),
      max_risk: z.number().int().positive().optional(),
      max_events: z.number().int().positive().optional(),
      max_hubs: z.number().int().positive().optional(),
    })
    .optional(),
});
export type ProjectConfig = z.infer<typeof projectConfig>;
