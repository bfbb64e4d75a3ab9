// Bundles the test-only CLI entries (test/support/*-cli.ts) the end-to-end suites spawn
// instead of bin/handoff.js when they need a seam production never reads. Out of dist/, so
// they are never published. Run before every vitest run (test/support/build-dist.ts).
import { bundle } from './bundle.mjs';

// Each entry with its launcher, as bin/handoff.js is the CLI's (test/e2e/helpers.ts names
// it SLOW_HOOK_BIN).
const launcher = `'use strict';
require('../../../bin/load.js').runBundle(require('node:path').join(__dirname, 'slow-hook.cjs'), __filename);
`;
await bundle({ 'slow-hook': 'test/support/slow-hook-cli.ts' }, 'node_modules/.cache/handoff-test', {
  'slow-hook-bin.cjs': launcher,
});
