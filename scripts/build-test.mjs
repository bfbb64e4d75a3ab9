// Bundles the test-only CLI entries (test/support/*-cli.ts) the end-to-end suites spawn
// instead of bin/handoff.js when they need a seam production never reads. Out of dist/, so
// they are never published. Run before every vitest run (test/support/build-dist.ts).
import { bundle } from './bundle.mjs';

// test/e2e/helpers.ts names what lands here (SLOW_HOOK_BIN).
await bundle({ 'slow-hook': 'test/support/slow-hook-cli.ts' }, 'node_modules/.cache/handoff-test');
