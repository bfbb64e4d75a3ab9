// A child process for lock tests: increments a counter file `iterations` times, each
// read-modify-write under the lock, so any lost update shows in the final count.
// Optional: the stale age it uses (and its heartbeat follows), and the host it claims.
import { readFileSync, writeFileSync } from 'node:fs';
import { withLock } from '../../src/store/lock.js';

const [lockPath, counterPath, iterations, holdMs, staleMs, host] = process.argv.slice(2);
const options = { ...(staleMs ? { staleMs: Number(staleMs) } : {}), ...(host ? { host } : {}) };

for (let i = 0; i < Number(iterations); i++) {
  await withLock(
    lockPath!,
    async () => {
      const n = Number(readFileSync(counterPath!, 'utf8'));
      if (Number(holdMs) > 0) await new Promise((r) => setTimeout(r, Number(holdMs)));
      writeFileSync(counterPath!, String(n + 1));
    },
    options,
  );
}
