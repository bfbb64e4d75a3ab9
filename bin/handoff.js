#!/usr/bin/env node
'use strict';
// The `handoff` executable, and the file a hook's worker starts from: runs the CLI bundled
// in dist/handoff.cjs (scripts/build.mjs) through the code-cache loader of bin/load.js.
const { join } = require('node:path');
const { runBundle } = require('./load.js');

runBundle(join(__dirname, '..', 'dist', 'handoff.cjs'), __filename);
