'use strict';
// Makes the V8 code cache of a bundle (scripts/bundle.mjs runs this in a child process, one
// per bundle): loads it through bin/load.js as the executable does, runs `--version` so the
// functions every command runs are compiled too, and at exit writes `<bundle>.cache`, headed
// by the bundle's build id, through a temporary file and a rename.
const { renameSync, writeFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const { loadBundle } = require('../bin/load.js');

const file = process.argv[2];
const { exports: cli, script, id } = loadBundle(file, { useCache: false });
if (id === undefined) throw new Error(`${file} has no build id`);
process.on('exit', () => {
  const temp = `${file}.cache.${process.pid}.tmp`;
  writeFileSync(temp, Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()]));
  renameSync(temp, `${file}.cache`);
});
process.argv = [process.execPath, file, '--version'];
cli.start(pathToFileURL(file));
