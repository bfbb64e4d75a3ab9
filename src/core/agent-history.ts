// The artifact's agent history: one entry per session, updated in place, newest last,
// at most AGENT_HISTORY_KEPT entries.
import type { AgentEntry } from '../schema/artifact.js';
import { compareCodeUnit } from './paths.js';

export const AGENT_HISTORY_KEPT = 20;

export function upsertAgentEntry(
  history: readonly AgentEntry[],
  entry: AgentEntry,
  keep = AGENT_HISTORY_KEPT,
): AgentEntry[] {
  const others = history.filter((h) => !(h.session_id === entry.session_id && h.agent_id === entry.agent_id));
  const merged = [...others, entry].sort((a, b) =>
    compareCodeUnit(a.ended_at ?? a.started_at, b.ended_at ?? b.started_at),
  );
  return merged.slice(Math.max(0, merged.length - keep));
}
