// `npm run bench`: times the built CLI against raw git doing the same work, on
// generated repositories of 1k / 10k / 100k files, in the same run on the same machine.
// Each measurement is a named section (data: what to run, what to do before each run,
// how to check the output); add a section to SECTIONS to measure something new.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLAIMS_TARGETS, claimsRows, runClaimsBench } from './claims.mjs';
import { CONFLICT_BRANCHES, ensureConflictBranches } from './conflict-branches.mjs';
import { ensureContextFixture } from './context-fixture.mjs';
import { DEFAULT_FIXTURE_ROOT, benchGitEnv, ensureFixture } from './fixture.mjs';
import { MESSAGES_TARGETS, messagesRows, runMessagesBench } from './messages.mjs';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HANDOFF_BIN = join(PROJECT, 'bin', 'handoff.js');
const HANDOFF_BUILD = join(PROJECT, 'dist', 'handoff.cjs');
const RAW_GIT = join(PROJECT, 'bench', 'raw-git.sh');
const RAW_MERGE_TREE = join(PROJECT, 'bench', 'raw-merge-tree.sh');

/** What the release must meet, checked on the largest fixture. */
const TARGETS = {
  size: 100_000,
  warmRatio: 1.5,
  warmPeakMiB: 300,
  sessionStartMs: 250,
  contextWorkMs: 100,
  contextHistory: 100_000,
  conflictsMs: 3_000,
};

const USAGE = `usage: node bench/run.mjs [options]
  --sizes <list>     fixture sizes in files, e.g. 1000,10000 or 1k,10k (default 1k,10k,100k)
  --runs <n>         timed runs per measurement; the median is reported (default 5)
  --sections <list>  only these sections (default all): ${'{SECTIONS}'}
  --rss <probe>      peak-memory probe: auto | gnu-time | node (default auto)
  --fixtures <dir>   fixture cache (default bench/.fixtures)
  --out <file>       also write the results as JSON
  --check            exit 1 when a target fails or cannot be evaluated`;

// ---------------------------------------------------------------------------------
// Sections. Each runs once per fixture size, in this order:
//   id, label      names in the tables and on --sections
//   warmups        untimed runs before the timed ones
//   beforeEach(fx) untimed preparation before every run (warm-ups included)
//   command(fx)    { file, args, cwd?, input?, env? } to spawn
//   validate(r,fx) throws when the output shows the run measured an error path
// fx is the fixture: { size, repo, base, ... } (see bench/fixture.mjs).

const handoff = (fx) => ({
  file: process.execPath,
  args: [HANDOFF_BIN, '--no-save', '--json', '--ref', fx.base],
  cwd: fx.repo,
});

const stopPayload = (fx) => JSON.stringify({ session_id: 'bench', cwd: fx.repo, hook_event_name: 'Stop' });

const SECTIONS = [
  {
    id: 'raw-git',
    label: 'raw git',
    warmups: 1,
    command: (fx) => ({ file: 'sh', args: [RAW_GIT, fx.repo, fx.base], cwd: fx.repo }),
  },
  {
    id: 'handoff-cold',
    label: 'handoff cold',
    warmups: 1,
    beforeEach: (fx) => rmSync(join(fx.repo, '.codemap', 'cache'), { recursive: true, force: true }),
    command: handoff,
    validate: validateHandoffJson,
  },
  {
    id: 'handoff-warm',
    label: 'handoff warm',
    warmups: 1,
    command: handoff,
    validate: validateHandoffJson,
  },
  {
    // Node itself, for reading the hook's figure: what any CLI pays before doing anything.
    id: 'node-start',
    label: 'node start',
    warmups: 1,
    command: (fx) => ({ file: process.execPath, args: ['-e', '0'], cwd: fx.repo }),
  },
  {
    // What every assistant turn costs: a Stop with nothing new since the last one.
    id: 'session-stop-idle',
    label: 'session-stop hook (nothing new)',
    warmups: 1,
    setup: (fx) => {
      const res = spawnSync(process.execPath, [HANDOFF_BIN, 'hook', 'session-stop'], {
        cwd: fx.repo,
        input: stopPayload(fx),
        encoding: 'utf8',
      });
      if (res.status !== 0 || res.stderr.includes('skipped'))
        throw new Error(`session-stop failed on the ${fx.size} fixture: ${excerpt(res.stderr)}`);
    },
    command: (fx) => ({
      file: process.execPath,
      args: [HANDOFF_BIN, 'hook', 'session-stop'],
      cwd: fx.repo,
      input: stopPayload(fx),
    }),
    validate: (result, fx) => {
      if (result.stderr.includes('skipped'))
        throw new Error(`session-stop skipped on the ${fx.size} fixture: ${excerpt(result.stderr)}`);
      return null;
    },
  },
  {
    // What an agent waits for at session start: a saved handoff exists (warm).
    id: 'session-start',
    label: 'session-start hook (warm)',
    warmups: 1,
    setup: (fx) => {
      const res = spawnSync(process.execPath, [HANDOFF_BIN, '--ref', fx.base], { cwd: fx.repo, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`handoff (save) failed on the ${fx.size} fixture: ${excerpt(res.stderr)}`);
    },
    command: (fx) => ({
      file: process.execPath,
      args: [HANDOFF_BIN, 'hook', 'session-start'],
      cwd: fx.repo,
      input: JSON.stringify({ session_id: 'bench', cwd: fx.repo, source: 'startup', hook_event_name: 'SessionStart' }),
    }),
    validate: (result, fx) => {
      if (!result.stdout.includes('Handoff for'))
        throw new Error(
          `session-start printed no handoff briefing on the ${fx.size} fixture: ${excerpt(result.stdout || result.stderr)}`,
        );
      if (Buffer.byteLength(result.stdout) > 3000)
        throw new Error(`session-start printed ${Buffer.byteLength(result.stdout)} bytes, over the 3,000-byte budget`);
      return { bytes: Buffer.byteLength(result.stdout) };
    },
  },
  {
    // The floor for `conflicts`: one raw merge-tree of HEAD with each of the bench branches.
    id: 'conflicts-raw',
    label: `raw git merge-tree × ${CONFLICT_BRANCHES}`,
    warmups: 1,
    setup: (fx) => void (fx.conflictBranches ??= ensureConflictBranches(fx)),
    command: (fx) => ({ file: 'sh', args: [RAW_MERGE_TREE, fx.repo, ...fx.conflictBranches], cwd: fx.repo }),
  },
  {
    // My work (committed, staged, unstaged, untracked) against 20 branches: one merge-tree each.
    id: 'conflicts',
    label: `handoff conflicts (${CONFLICT_BRANCHES} branches)`,
    warmups: 1,
    setup: (fx) => void (fx.conflictBranches ??= ensureConflictBranches(fx)),
    command: (fx) => ({
      file: process.execPath,
      args: [HANDOFF_BIN, 'conflicts', '--json', ...fx.conflictBranches.flatMap((b) => ['--with', b])],
      cwd: fx.repo,
    }),
    validate: validateConflictsJson,
  },
];

function validateConflictsJson(result, fx) {
  let doc;
  try {
    doc = JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(
      `conflicts --json printed something that is not JSON (${error.message}): ${excerpt(result.stdout)}`,
    );
  }
  const compared = doc?.others?.length ?? 0;
  const definite = (doc?.others ?? []).filter((o) => o.status === 'conflict').length;
  if (compared !== CONFLICT_BRANCHES || definite === 0 || !doc.uncommitted)
    throw new Error(
      `conflicts on the ${fx.size} fixture compared ${compared} branches, ${definite} in conflict, uncommitted ${doc?.uncommitted}: ${excerpt(result.stdout)}`,
    );
  return { compared, definite };
}

function validateHandoffJson(result, fx) {
  let doc;
  try {
    doc = JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(`handoff --json printed something that is not JSON (${error.message}): ${excerpt(result.stdout)}`);
  }
  const changed = doc?.delta?.changed;
  if (!Array.isArray(changed) || changed.length === 0) {
    throw new Error(
      `handoff --json has no delta.changed entries on the ${fx.size} fixture, which has work in progress: ${excerpt(result.stdout)}`,
    );
  }
  return { changed_total: doc.delta.changed_total ?? changed.length, combined_hash: doc.combined_hash };
}

// ---------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const options = {
    sizes: [1_000, 10_000, 100_000],
    runs: 5,
    sections: [...SECTIONS.map((s) => s.id), 'context', 'claims', 'messages'],
    rss: 'auto',
    fixtures: DEFAULT_FIXTURE_ROOT,
    out: null,
    check: false,
  };
  const value = (i, flag) => {
    if (i >= argv.length) usageError(`${flag} needs a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const next = () => inline ?? value((i += 1), flag);
    switch (flag) {
      case '--sizes':
        options.sizes = next().split(',').filter(Boolean).map(parseSize);
        break;
      case '--runs':
        options.runs = Number(next());
        if (!Number.isInteger(options.runs) || options.runs < 1) usageError('--runs must be a positive integer');
        break;
      case '--sections':
        options.sections = next().split(',').filter(Boolean);
        for (const id of options.sections)
          if (!['context', 'claims', 'messages'].includes(id) && !SECTIONS.some((s) => s.id === id))
            usageError(`unknown section ${id}`);
        break;
      case '--rss':
        options.rss = next();
        if (!['auto', 'gnu-time', 'node'].includes(options.rss)) usageError('--rss must be auto, gnu-time or node');
        break;
      case '--fixtures':
        options.fixtures = resolve(next());
        break;
      case '--out':
        options.out = resolve(next());
        break;
      case '--check':
        options.check = true;
        break;
      case '-h':
      case '--help':
        console.log(USAGE.replace('{SECTIONS}', SECTIONS.map((s) => s.id).join(', ')));
        process.exit(0);
        break;
      default:
        usageError(`unknown option ${arg}`);
    }
  }
  if (options.sizes.length === 0) usageError('--sizes is empty');
  return options;
}

function parseSize(text) {
  const match = /^(\d+)(k?)$/i.exec(text.trim());
  const size = match ? Number(match[1]) * (match[2] ? 1000 : 1) : NaN;
  if (!Number.isInteger(size) || size < 200) usageError(`bad size ${text} (at least 200 files)`);
  return size;
}

function usageError(message) {
  console.error(`bench: ${message}\n${USAGE.replace('{SECTIONS}', SECTIONS.map((s) => s.id).join(', '))}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------
// Measuring one process: wall time from spawn to exit, and peak resident memory.
//
// gnu-time: `/usr/bin/time -f %M` reports the largest maxrss of the process and every
//   descendant it waited for (the largest single process, not their sum).
// node (when GNU time is missing, as on a fresh Debian): a node child reports its own
//   maxRSS from an --import preload as it exits, and /proc is sampled every few ms for
//   the RSS of the whole process tree (git children included); the peak is the larger.
//   Short-lived processes can slip between samples, so this is approximate.

function detectGnuTime() {
  const result = spawnSync('/usr/bin/time', ['--version'], { encoding: 'utf8' });
  return result.status === 0 && `${result.stdout}${result.stderr}`.includes('GNU') ? '/usr/bin/time' : null;
}

const RSS_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs';" +
    'const out = process.env.HANDOFF_BENCH_RSS_OUT;' +
    "if (out) process.on('exit', () => { try { writeFileSync(out, String(process.resourceUsage().maxRSS)); } catch {} });",
)}`;

function treeRssKiB(rootPid) {
  let total = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop();
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) total += Number(match[1]);
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const kids = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (kids) for (const kid of kids.split(/\s+/)) stack.push(Number(kid));
      }
    } catch {
      // the process exited between listing and reading
    }
  }
  return total;
}

function makeProbe(choice) {
  const gnuTime = choice === 'node' ? null : detectGnuTime();
  if (choice === 'gnu-time' && !gnuTime) throw new Error('--rss gnu-time: /usr/bin/time is missing or not GNU time');
  const scratch = mkdtempSync(join(tmpdir(), 'handoff-bench-'));
  return {
    kind: gnuTime ? 'gnu-time' : 'node',
    describe: gnuTime
      ? 'GNU time (%M: largest process in the tree)'
      : `node preload + /proc sampling${existsSync('/proc/self/status') ? '' : ' (no /proc: node processes only)'} (approximate)`,
    gnuTime,
    rssFile: join(scratch, 'maxrss'),
    cleanup: () => rmSync(scratch, { recursive: true, force: true }),
  };
}

function runOnce(spec, probe) {
  const env = { ...benchGitEnv({ NO_COLOR: '1' }), ...spec.env };
  let file = spec.file;
  let args = spec.args;
  rmSync(probe.rssFile, { force: true });
  if (probe.kind === 'gnu-time') {
    args = ['-f', '%M', '-o', probe.rssFile, file, ...args];
    file = probe.gnuTime;
  } else if (file === process.execPath) {
    args = ['--import', RSS_PRELOAD, ...args];
    env.HANDOFF_BENCH_RSS_OUT = probe.rssFile;
  }
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { cwd: spec.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let sampledKiB = 0;
    const sampler =
      probe.kind === 'node' && existsSync('/proc/self/status')
        ? setInterval(() => {
            sampledKiB = Math.max(sampledKiB, treeRssKiB(child.pid));
          }, 5)
        : null;
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.stdin.on('error', () => {});
    child.stdin.end(spec.input ?? '');
    child.on('error', (error) => {
      if (sampler) clearInterval(sampler);
      reject(new Error(`cannot run ${spec.file}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (sampler) clearInterval(sampler);
      let reportedKiB = null;
      try {
        // GNU time writes "Command exited with non-zero status N" above the number.
        const lines = readFileSync(probe.rssFile, 'utf8').trim().split('\n');
        reportedKiB = Number(lines[lines.length - 1]) || null;
      } catch {
        reportedKiB = null;
      }
      const peakKiB = Math.max(reportedKiB ?? 0, sampledKiB) || null;
      resolvePromise({
        ms,
        peakKiB,
        code: signal ? `signal ${signal}` : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

async function runSection(section, fx, options, probe) {
  const samples = [];
  let info = null;
  section.setup?.(fx);
  for (let i = 0; i < section.warmups + options.runs; i += 1) {
    section.beforeEach?.(fx);
    const spec = section.command(fx);
    const result = await runOnce(spec, probe);
    if (result.code !== 0) {
      throw new Error(
        `${section.label} on the ${fx.size} fixture exited ${result.code}: ${[spec.file, ...spec.args].join(' ')}\n${excerpt(result.stderr || result.stdout)}`,
      );
    }
    info = section.validate?.(result, fx) ?? info;
    if (i >= section.warmups) samples.push({ ms: result.ms, peakKiB: result.peakKiB });
  }
  const peaks = samples.map((s) => s.peakKiB).filter((p) => p !== null);
  return {
    ms: median(samples.map((s) => s.ms)),
    minMs: Math.min(...samples.map((s) => s.ms)),
    maxMs: Math.max(...samples.map((s) => s.ms)),
    peakMiB: peaks.length > 0 ? median(peaks) / 1024 : null,
    runs: samples.length,
    info,
  };
}

// ---------------------------------------------------------------------------------
// Reporting

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function excerpt(text) {
  const t = String(text).trim();
  return t.length > 600 ? `${t.slice(0, 600)}…` : t || '(no output)';
}

const fmtMs = (ms) => (ms === undefined || ms === null ? '–' : ms < 100 ? ms.toFixed(1) : String(Math.round(ms)));
const fmtMiB = (mib) => (mib === undefined || mib === null ? '–' : mib.toFixed(1));
const fmtRatio = (a, b) => (a && b ? `${(a.ms / b.ms).toFixed(2)}×` : '–');
const fmtSize = (size) => (size % 1000 === 0 ? `${size / 1000}k` : String(size));

function markdownTable(header, rows) {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells) =>
    `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function summaryTable(results) {
  const rows = results.map(({ size, sections: s }) => {
    const raw = s['raw-git'];
    const cold = s['handoff-cold'];
    const warm = s['handoff-warm'];
    return [
      fmtSize(size),
      fmtMs(raw?.ms),
      fmtMs(cold?.ms),
      fmtRatio(cold, raw),
      fmtMs(warm?.ms),
      fmtRatio(warm, raw),
      fmtMiB(warm?.peakMiB),
    ];
  });
  return markdownTable(
    ['size', 'raw git ms', 'handoff cold ms', 'cold ratio', 'handoff warm ms', 'warm ratio', 'warm peak MiB'],
    rows,
  );
}

function hookTable(results) {
  const rows = results
    .filter(({ sections: s }) => s['session-start'])
    .map(({ size, sections: s }) => {
      const hook = s['session-start'];
      const verdict = size >= 10_000 ? (hook.ms < TARGETS.sessionStartMs ? 'PASS' : 'FAIL') : '';
      return [
        fmtSize(size),
        fmtMs(s['node-start']?.ms),
        fmtMs(hook.ms),
        fmtMiB(hook.peakMiB),
        verdict,
        fmtMs(s['session-stop-idle']?.ms),
      ];
    });
  return markdownTable(
    [
      'size',
      'node start ms',
      'session-start ms',
      'peak MiB',
      `start < ${TARGETS.sessionStartMs} ms`,
      'stop, nothing new ms',
    ],
    rows,
  );
}

function conflictsLines(results) {
  return results
    .filter(({ sections: s }) => s.conflicts)
    .map(({ size, sections: s }) => {
      const run = s.conflicts;
      const raw = s['conflicts-raw'];
      const verdict =
        size === TARGETS.size
          ? ` — under ${TARGETS.conflictsMs} ms: ${run.ms < TARGETS.conflictsMs ? 'PASS' : 'FAIL'}`
          : '';
      const found = run.info ? `, ${run.info.definite} of ${run.info.compared} in conflict` : '';
      return `Conflicts on ${fmtSize(size)} files: handoff conflicts with ${CONFLICT_BRANCHES} branches ${fmtMs(run.ms)} ms${found}; raw git merge-tree × ${CONFLICT_BRANCHES} ${fmtMs(raw?.ms)} ms; ratio ${fmtRatio(run, raw)}${verdict}`;
    });
}

function detailTable(results) {
  const rows = [];
  for (const section of SECTIONS) {
    for (const { size, sections } of results) {
      const r = sections[section.id];
      if (r)
        rows.push([
          section.id,
          fmtSize(size),
          fmtMs(r.ms),
          fmtMs(r.minMs),
          fmtMs(r.maxMs),
          fmtMiB(r.peakMiB),
          String(r.runs),
        ]);
    }
  }
  return markdownTable(['section', 'size', 'median ms', 'min ms', 'max ms', 'peak MiB', 'runs'], rows);
}

function evaluateTargets(results) {
  const at = results.find((r) => r.size === TARGETS.size)?.sections;
  const raw = at?.['raw-git'];
  const warm = at?.['handoff-warm'];
  const speed =
    !raw || !warm
      ? { verdict: 'NOT RUN', detail: `needs raw-git and handoff-warm on the ${fmtSize(TARGETS.size)} fixture` }
      : {
          verdict: warm.ms / raw.ms <= TARGETS.warmRatio ? 'PASS' : 'FAIL',
          detail: `${(warm.ms / raw.ms).toFixed(2)}×`,
        };
  const memory = !warm
    ? { verdict: 'NOT RUN', detail: `needs handoff-warm on the ${fmtSize(TARGETS.size)} fixture` }
    : warm.peakMiB === null
      ? { verdict: 'UNKNOWN', detail: 'peak memory could not be measured' }
      : { verdict: warm.peakMiB < TARGETS.warmPeakMiB ? 'PASS' : 'FAIL', detail: `${warm.peakMiB.toFixed(1)} MiB` };
  return { speed, memory };
}

// ---------------------------------------------------------------------------------
// Context exchange over a store of 100,000 historical contexts

/** A small history with the same active set: the comparison that shows history costs nothing. */
const CONTEXT_HISTORY_SMALL = 1_000;

const CONTEXT_OPS = [
  { id: 'cli-start', label: 'handoff --version (process start)', args: () => ['--version'] },
  {
    id: 'context-publish',
    label: 'context publish',
    args: () => [
      'context',
      'publish',
      '--title',
      'Bench publish',
      '--summary',
      'Measuring publish with a large history.',
      '--file',
      'file1.ts',
      '--as',
      'dev7@example.com',
    ],
    restore: true,
  },
  {
    id: 'context-get',
    label: 'context get (all active)',
    args: () => ['context', 'get', '--json', '--as', 'dev1@example.com'],
  },
  {
    id: 'context-get-dev',
    label: 'context get --developer',
    args: () => ['context', 'get', '--json', '--developer', 'dev5@example.com', '--as', 'dev1@example.com'],
  },
];

/** Publish and get over a store of `history` contexts with the fixture's fixed active set. */
async function measureContextStore(history, options, probe) {
  const fx = await ensureContextFixture(options.fixtures, history, (m) => console.error(`bench: ${m}`));
  const env = { HANDOFF_NOW: fx.now };
  // Read the whole history back once: proves the generated store is what the CLI reads.
  const audit = spawnSync(
    process.execPath,
    [HANDOFF_BIN, 'context', 'list', '--all', '--json', '--as', 'dev1@example.com'],
    { cwd: fx.repo, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (audit.status !== 0) throw new Error(`context list --all failed on the context fixture: ${excerpt(audit.stderr)}`);
  const all = JSON.parse(audit.stdout);
  if (all.length < history) throw new Error(`the context fixture holds ${all.length} contexts, expected ${history}`);
  const active = all.filter((c) => c.status === 'active').length;
  const checkpoint = join(fx.storeDir, 'active.json');
  const log = join(fx.storeDir, `log-${fx.currentLog}.jsonl`);
  const pristine = { checkpoint: readFileSync(checkpoint), log: readFileSync(log) };
  const results = {};
  try {
    for (const op of CONTEXT_OPS) {
      console.error(`bench:   ${op.label} (${history} stored)…`);
      const section = {
        id: op.id,
        label: op.label,
        warmups: 1,
        beforeEach: op.restore
          ? () => {
              writeFileSync(checkpoint, pristine.checkpoint);
              writeFileSync(log, pristine.log);
            }
          : undefined,
        command: () => ({ file: process.execPath, args: [HANDOFF_BIN, ...op.args()], cwd: fx.repo, env }),
      };
      results[op.id] = await runSection(section, { size: history }, options, probe);
    }
  } finally {
    writeFileSync(checkpoint, pristine.checkpoint);
    writeFileSync(log, pristine.log);
  }
  return { history, stored: all.length, active, results };
}

async function runContextBench(options, probe) {
  const small = await measureContextStore(CONTEXT_HISTORY_SMALL, options, probe);
  const large = await measureContextStore(TARGETS.contextHistory, options, probe);
  return [small, large];
}

function contextTable(runs) {
  const rows = [];
  for (const run of runs) {
    const start = run.results['cli-start'];
    for (const op of CONTEXT_OPS) {
      const r = run.results[op.id];
      const isStart = op.id === 'cli-start';
      const verdict =
        isStart || run.history !== TARGETS.contextHistory
          ? ''
          : r.ms - start.ms < TARGETS.contextWorkMs
            ? 'PASS'
            : 'FAIL';
      rows.push([
        String(run.stored),
        String(run.active),
        op.label,
        fmtMs(r.ms),
        isStart ? '–' : fmtMs(r.ms - start.ms),
        fmtMiB(r.peakMiB),
        verdict,
      ]);
    }
  }
  return markdownTable(
    ['stored', 'active', 'operation', 'median ms', 'beyond start ms', 'peak MiB', `< ${TARGETS.contextWorkMs} ms`],
    rows,
  );
}

// ---------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const sections = SECTIONS.filter((s) => options.sections.includes(s.id));
  const needsCli = sections.some((s) => s.command === handoff);
  if (needsCli && !existsSync(HANDOFF_BUILD))
    throw new Error(`${HANDOFF_BUILD} is missing: run \`npm run build\` (npm run bench does)`);
  const probe = makeProbe(options.rss);
  const gitVersion = spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.error(
    `bench: node ${process.version}, ${gitVersion}, ${cpus().length} cores; ${options.runs} runs per measurement; peak memory by ${probe.describe}`,
  );

  const results = [];
  const builds = [];
  let context = null;
  let claims = null;
  let messages = null;
  try {
    for (const size of options.sizes) {
      const fx = await ensureFixture(size, { root: options.fixtures, log: (m) => console.error(`bench: ${m}`) });
      builds.push({ size, built: fx.built, ms: fx.build_ms });
      console.error(
        `bench: fixture ${fmtSize(size)}: ${fx.files} files, ${fx.built ? 'built' : 'cached, built'} in ${(fx.build_ms / 1000).toFixed(1)} s`,
      );
      // Start every size from nothing the CLI wrote in an earlier run.
      rmSync(join(fx.repo, '.codemap'), { recursive: true, force: true });
      const measured = {};
      for (const section of sections) {
        console.error(`bench:   ${section.label}…`);
        measured[section.id] = await runSection(section, fx, options, probe);
      }
      const cold = measured['handoff-cold']?.info;
      const warm = measured['handoff-warm']?.info;
      if (cold && warm && cold.combined_hash !== warm.combined_hash) {
        console.error(
          `bench: WARNING: on the ${fmtSize(size)} fixture a warm run reports combined_hash ${warm.combined_hash} but a cold run ${cold.combined_hash}: the cache changes the result`,
        );
      }
      const info = warm ?? cold;
      if (info) {
        const c = fx.changes;
        console.error(
          `bench:   handoff reports ${info.changed_total} changed files (fixture: ${c.committed} committed, ${c.staged} staged, ${c.unstaged} unstaged, ${c.untracked} untracked)`,
        );
      }
      results.push({ size, sections: measured });
    }
    if (options.sections.includes('context')) {
      console.error(`bench: context exchange with ${TARGETS.contextHistory} stored contexts`);
      context = await runContextBench(options, probe);
    }
    if (options.sections.includes('claims')) {
      console.error(`bench: claims with ${CLAIMS_TARGETS.history} stored claims`);
      const log = (m) => console.error(`bench: ${m}`);
      claims = await runClaimsBench({ options, probe, runSection, bin: HANDOFF_BIN, log });
    }
    if (options.sections.includes('messages')) {
      console.error(`bench: messages with ${MESSAGES_TARGETS.history} historical messages`);
      const log = (m) => console.error(`bench: ${m}`);
      messages = await runMessagesBench({ options, probe, runSection, bin: HANDOFF_BIN, log });
    }
  } finally {
    probe.cleanup();
  }

  const targets = evaluateTargets(results);
  console.log(summaryTable(results));
  console.log('');
  console.log(
    `Targets on ${fmtSize(TARGETS.size)} files: warm within ${TARGETS.warmRatio}× raw git — ${targets.speed.verdict} (${targets.speed.detail}); warm peak under ${TARGETS.warmPeakMiB} MiB — ${targets.memory.verdict} (${targets.memory.detail})`,
  );
  console.log('');
  console.log(hookTable(results));
  console.log('');
  const conflicts = conflictsLines(results);
  if (conflicts.length > 0) {
    console.log(conflicts.join('\n'));
    console.log('');
  }
  if (context) {
    console.log(contextTable(context));
    console.log('');
  }
  if (claims) {
    const head = [
      'stored',
      'operation',
      'median ms',
      'beyond start ms',
      `< ${CLAIMS_TARGETS.workMs} ms (hook: < ${CLAIMS_TARGETS.hookMs} ms)`,
    ];
    console.log(markdownTable(head, claimsRows(claims, fmtMs)));
    console.log('');
  }
  if (messages) {
    const head = ['historical', 'operation', 'median ms', 'beyond start ms', `< ${MESSAGES_TARGETS.workMs} ms`];
    console.log(markdownTable(head, messagesRows(messages, fmtMs)));
    console.log('');
  }
  console.log(detailTable(results));
  console.log('');
  console.log(
    `Fixture builds: ${builds.map((b) => `${fmtSize(b.size)} ${(b.ms / 1000).toFixed(1)} s${b.built ? '' : ' (cached)'}`).join(', ')}. Peak memory: ${probe.describe}.`,
  );

  if (options.out) {
    writeFileSync(
      options.out,
      `${JSON.stringify({ node: process.version, git: gitVersion, cores: cpus().length, runs: options.runs, probe: probe.kind, targets: { ...TARGETS, ...targets }, builds, results }, null, 2)}\n`,
    );
  }
  const failed = [targets.speed, targets.memory].some((t) => t.verdict !== 'PASS');
  return options.check && failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench: ${error.message}`);
    process.exit(1);
  },
);
