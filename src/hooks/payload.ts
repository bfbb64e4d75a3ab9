// Reads an agent's hook payload from stdin: at most 10 MiB, within a deadline (an agent
// may leave stdin open), and never fails — a missing or malformed payload is `{}`.
import { hookPayload, type HookPayload } from '../schema/hooks.js';

export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

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

export function readPayload(stdin: NodeJS.ReadableStream & { isTTY?: boolean }, deadlineMs: number): Promise<HookPayload> {
  if (stdin.isTTY) return Promise.resolve({});
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (payload: HookPayload): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stdin.removeAllListeners('data');
      stdin.removeAllListeners('end');
      stdin.removeAllListeners('error');
      if ('destroy' in stdin && typeof stdin.destroy === 'function') stdin.destroy();
      resolve(payload);
    };
    const timer = setTimeout(() => finish(size > 0 ? parsePayload(Buffer.concat(chunks).toString('utf8')) : {}), deadlineMs);
    stdin.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) return finish({});
      chunks.push(chunk);
    });
    stdin.on('end', () => finish(parsePayload(Buffer.concat(chunks).toString('utf8'))));
    stdin.on('error', () => finish({}));
  });
}
