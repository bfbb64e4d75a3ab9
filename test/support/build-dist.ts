// vitest globalSetup: builds dist/ from src/ before any test file runs, so an end-to-end
// suite (which spawns dist/) never tests a stale build, `npx vitest run test/e2e/x.test.ts`
// included. It runs the same script as `npm run build` (esbuild, well under a second), then
// the test-only entries (scripts/build-test.mjs).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export default function buildDist(): void {
  for (const script of ['scripts/build.mjs', 'scripts/build-test.mjs']) {
    execFileSync(process.execPath, [script], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  }
}
