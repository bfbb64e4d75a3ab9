// The built entry a hook starts from: what its main thread loads before it starts the
// worker (hooks/runner.ts) is only the small runner, never the schemas or the command
// program, so the worker's start-up overlaps as much of the hook as it can.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../e2e/helpers.js';

/** Every module reached from `file` through static `import … from "./…"` statements (dynamic imports excluded). */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"/gms)) {
    staticGraph(join(dirname(file), match[1]!), seen);
  }
  return seen;
}

describe('the built hook entry', { tags: ['slow'] }, () => {
  it('loads neither zod nor the command program on the main thread before the hook worker starts', () => {
    const entry = join(PROJECT_ROOT, 'dist', 'handoff.js');
    const graph = [...staticGraph(entry)];
    expect(graph.length).toBeGreaterThan(1);
    for (const file of graph) {
      const text = readFileSync(file, 'utf8');
      expect(text.includes('$ZodType'), `${file} holds zod`).toBe(false);
      expect(text.includes('new Command('), `${file} holds the command program`).toBe(false);
    }
  });

  it('reads no test seam from the environment: the slow hook work exists only in the test entry', () => {
    const built = [join(PROJECT_ROOT, 'dist', 'handoff.js'), ...chunks(join(PROJECT_ROOT, 'dist', 'chunks'))];
    for (const file of built) expect(readFileSync(file, 'utf8').includes('HANDOFF_TEST_'), file).toBe(false);
  });
});

function chunks(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dir, f));
}
