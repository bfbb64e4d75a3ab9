// Part of `npm run lint:deps`: process state (environment, working directory, stdin, the clock, the process's
// uptime) is read in src/cli/ only and handed down as { cwd, now, env }; process.exit only in src/main.ts.
// dependency-cruiser sees imports, not these globals, hence this small scan. Exits 1 listing each offending line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const STATE = /\bprocess\.(env|stdin|cwd|uptime|chdir|argv)\b|\bDate\.now\s*\(/;
const EXIT = /\bprocess\.exit\b|\bprocess\.exitCode\b/;

/** Files allowed a clock read, with the reason: a mechanism timing itself, not an input to what is computed. */
const CLOCK_ALLOWED = new Map([
  // A lock's staleness is judged against the file system's mtime clock, which no caller can inject.
  ['src/store/lock.ts', /\bDate\.now\s*\(/],
  // git inherits the environment src/main.ts hands it (setGitEnvironment); this process's own only when
  // api is used in-process without that entry (the tests, a script importing api).
  ['src/git/git.ts', /\bprocess\.env\b/],
]);

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const problems = [];
for (const path of files(SRC)) {
  const rel = relative(ROOT, path).split(sep).join('/');
  const inCli = rel.startsWith('src/cli/') || rel === 'src/main.ts';
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const code = line
        .replace(/\/\*.*?\*\//g, '')
        .replace(/\/\/.*$/, '')
        .replace(/^\s*\*.*$/, '');
      const allowed = CLOCK_ALLOWED.get(rel);
      const state = STATE.exec(code);
      if (state && !inCli && !(allowed && allowed.test(state[0]))) {
        problems.push(`${rel}:${index + 1}: ${state[0]} is process state: read it in src/cli/ and pass it in`);
      }
      if (EXIT.test(code) && rel !== 'src/main.ts') {
        problems.push(`${rel}:${index + 1}: process.exit only in src/main.ts`);
      }
    });
}
for (const line of problems) process.stderr.write(`${line}\n`);
if (problems.length > 0) {
  process.stderr.write(`x ${problems.length} reads of process state outside src/cli/\n`);
  process.exitCode = 1;
} else process.stdout.write('process state: read in src/cli/ only\n');
