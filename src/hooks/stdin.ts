// The raw text of a hook payload on stdin, within a size cap and a deadline. No parsing
// here: this runs on a hook's main thread, which stays small and never runs zod.

export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** The payload text; '' for a TTY, an empty or failing stdin, one over the cap, or nothing read by the deadline. */
export function readPayloadText(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
  deadlineMs: number,
): Promise<string> {
  if (stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (text: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stdin.removeAllListeners('data');
      stdin.removeAllListeners('end');
      stdin.removeAllListeners('error');
      if ('destroy' in stdin && typeof stdin.destroy === 'function') stdin.destroy();
      resolve(text);
    };
    const all = (): string => Buffer.concat(chunks).toString('utf8');
    const timer = setTimeout(() => finish(size > 0 ? all() : ''), deadlineMs);
    stdin.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) return finish('');
      chunks.push(chunk);
    });
    stdin.on('end', () => finish(all()));
    stdin.on('error', () => finish(''));
  });
}
