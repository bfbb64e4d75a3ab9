// Zod schema of `.codemap/handoff.detail.json`: the file detail of each changed file the
// saved handoff lists, written with it so `--latest --detail` reads instead of recomputing.
// It belongs to the saved handoff whose combined_hash it carries, and to no other.
import * as z from 'zod';
import { fileDetail, SCHEMA_VERSION } from './artifact.js';

export const savedDetails = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  combined_hash: z.string(),
  files: z.array(fileDetail),
});
export type SavedDetails = z.infer<typeof savedDetails>;
