// The project config (.codemap/config.json) read at most once per use case: a session hook
// reports its hooks section, may compute a handoff and reads teammates' contexts, and each
// step asks this one reader instead of reading the file again. A read that fails throws
// the same error to every step that asks, at the point where it asks, as its own read did.
import { readProjectConfig, type ReadConfig } from '../store/config.js';

export type ConfigReader = () => ReadConfig;

export function configOnce(root: string, commonDir: string): ConfigReader {
  let outcome: { read: ReadConfig } | { error: unknown } | undefined;
  return () => {
    if (!outcome) {
      try {
        outcome = { read: readProjectConfig(root, commonDir) };
      } catch (error) {
        outcome = { error };
      }
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.read;
  };
}
