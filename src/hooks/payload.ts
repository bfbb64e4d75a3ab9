// Reads an agent's hook payload from stdin: at most 10 MiB, within a deadline (an agent
// may leave stdin open), and never fails — a missing or malformed payload is `{}`.
// Reading happens on the main thread (no zod there, to keep it light); parsing in the work.
import { hookPayload, type HookPayload } from '../schema/hooks.js';
export { MAX_PAYLOAD_BYTES, readPayloadText } from './stdin.js';

export function parsePayload(text: string): HookPayload {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  const parsed = hookPayload.safeParse(value);
  return parsed.success ? parsed.data : {};
}
