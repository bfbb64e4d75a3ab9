// A child process for lock tests: increments a counter file `iterations` times, each
// read-modify-write under the lock, so any lost update shows in the final count.
import { readFileSync, writeFileSync } from 'node:fs';
import { withLock } from '../../src/store/lock.js';

const [lockPath, counterPath, iterations, holdMs] = process.argv.slice(2);

for (let i = 0; i < Number(iterations); i++) {
  await withLock(lockPath!, async () => {
    const n = Number(readFileSync(counterPath!, 'utf8'));
    if (Number(holdMs) > 0) await new Promise((r) => setTimeout(r, Number(holdMs)));
    writeFileSync(counterPath!, String(n + 1));
  });
}
