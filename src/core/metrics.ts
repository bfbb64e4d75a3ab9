// How much of the previous handoff is still valid: a layer whose hash did not change can
// be reused by the next session as is. Pure: hashes and byte counts in, metrics out.
import type { CacheMetrics } from '../schema/artifact.js';

export interface LayerHashes {
  prefix_hash: string;
  delta_hash: string;
  combined_hash: string;
}

export function computeMetrics(
  previous: LayerHashes | undefined,
  current: Omit<LayerHashes, 'combined_hash'>,
  bytes: { prefix: number; delta: number },
): CacheMetrics {
  const total = bytes.prefix + bytes.delta;
  const prefixReused = previous?.prefix_hash === current.prefix_hash;
  const deltaReused = previous?.delta_hash === current.delta_hash;
  const unchanged = (prefixReused ? bytes.prefix : 0) + (deltaReused ? bytes.delta : 0);
  const metrics: CacheMetrics = {
    prefix_bytes: bytes.prefix,
    delta_bytes: bytes.delta,
    total_bytes: total,
    unchanged_bytes: unchanged,
    reuse_ratio: total > 0 ? Math.round((unchanged / total) * 10_000) / 10_000 : 0,
    prefix_reused: prefixReused,
    delta_reused: deltaReused,
  };
  if (previous) metrics.previous_combined_hash = previous.combined_hash;
  return metrics;
}
