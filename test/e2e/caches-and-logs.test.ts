// End to end: caches and logs under `.codemap/` that handoff did not write the way they
// are. A prefix cache the repository commits (forged) or that was edited by hand is not
// shown; a metrics log grown past what a string can hold is read from its tail only.
import { readdirSync, readFileSync, statSync, truncateSync, appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifact } from '../../src/schema/artifact.js';
import { FIXED_NOW, metricsLines, parseWith, runCli, Scratch, type GitRepo } from './helpers.js';

const env = { HANDOFF_NOW: FIXED_NOW };
const TREE = {
  'README.md': '# r\n',
  'src/core.ts': 'export const core = 1;\n',
  'src/a.ts': "import { core } from './core';\nexport const a = core;\n",
  'src/b.ts': "import { core } from './core';\nexport const b = core;\n",
  'src/c.ts': "import { core } from './core';\nexport const c = core;\n",
};

function handoffJson(cwd: string): {
  prefix: { file_count: number; languages: Record<string, number> };
  stderr: string;
} {
  const res = runCli(['--json'], { cwd, env });
  expect(res.code, res.stderr).toBe(0);
  return { prefix: parseWith(artifact, res.stdout).prefix, stderr: res.stderr };
}

function prefixCacheFile(repo: GitRepo): string {
  const name = readdirSync(join(repo.dir, '.codemap', 'cache')).find((f) => f.startsWith('prefix-'));
  expect(name).toBeDefined();
  return join('.codemap', 'cache', name!);
}

/** Edits the cached prefix: a file count the graph contradicts, or languages it cannot check. */
function forge(path: string, how: 'count' | 'languages'): void {
  const meta = JSON.parse(readFileSync(path, 'utf8')) as {
    prefix: { file_count: number; languages: Record<string, number> };
  };
  if (how === 'count') meta.prefix.file_count = 99999;
  else meta.prefix.languages = { Forged: meta.prefix.file_count };
  writeFileSync(path, JSON.stringify(meta));
}

describe('caches and logs that handoff did not write as they are', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('an edited prefix cache (file_count 99999) is a miss: the real count is shown and the cache rebuilt', () => {
    const repo = scratch.repo(TREE);
    expect(handoffJson(repo.dir).prefix.file_count).toBe(5);
    const cache = prefixCacheFile(repo);
    forge(join(repo.dir, cache), 'count');
    expect(handoffJson(repo.dir).prefix.file_count).toBe(5);
    expect(JSON.parse(readFileSync(join(repo.dir, cache), 'utf8')).prefix.file_count).toBe(5);
  });

  it('a prefix cache the repository commits is neither trusted nor rewritten, and the run says so', () => {
    // The forged cache names the base tree (main's), committed on the branch a clone checks out.
    const origin = scratch.repo(TREE);
    const maker = scratch.clone(origin);
    handoffJson(maker.dir);
    const cache = prefixCacheFile(maker);
    const graph = cache.replace('prefix-', 'graph-').replace(/\.json$/, '.bin');
    // Consistent with the graph (the languages add up): only knowing the file is tracked catches it.
    forge(join(maker.dir, cache), 'languages');
    origin.git('checkout', '-q', '-b', 'feature');
    origin.write({ [cache]: readFileSync(join(maker.dir, cache)), [graph]: readFileSync(join(maker.dir, graph)) });
    origin.git('add', '-f', cache, graph);
    origin.commit('commit a forged cache');
    origin.git('checkout', '-q', 'main');
    const clone = scratch.clone(origin);
    clone.git('checkout', '-q', 'feature');
    const forged = readFileSync(join(clone.dir, cache));
    for (let run = 0; run < 2; run++) {
      const { prefix, stderr } = handoffJson(clone.dir);
      expect(prefix.file_count).toBe(5);
      expect(Object.keys(prefix.languages)).not.toContain('Forged');
      expect(stderr).toMatch(
        /^handoff: the repository tracks 2 file\(s\) in \.codemap\/cache\/; they are not trusted/m,
      );
    }
    // Never written: the tracked file is as the repository has it.
    expect(readFileSync(join(clone.dir, cache)).equals(forged)).toBe(true);
    expect(clone.git('status', '--porcelain', '--', '.codemap')).toBe('');
  });

  it('a 600 MB metrics log (sparse) is read from its tail and trimmed, not loaded whole', () => {
    const repo = scratch.repo(TREE);
    expect(runCli([], { cwd: repo.dir, env }).code).toBe(0);
    const log = join(repo.dir, '.codemap', 'handoff.metrics.log');
    const line = readFileSync(log, 'utf8');
    // 600 MB of zeros (no newline: garbage), then 600 good lines.
    truncateSync(log, 600 * 1024 * 1024);
    appendFileSync(log, `\n${line.repeat(600)}`);
    writeFileSync(join(repo.dir, 'src/a.ts'), 'export const a = 2;\n');
    const res = runCli([], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    const text = readFileSync(log, 'utf8');
    expect(statSync(log).size).toBeLessThan(1024 * 1024);
    const lines = metricsLines(text);
    expect(lines).toHaveLength(500);
    expect(lines.at(-1)!.combined_hash).not.toBe(lines.at(-2)!.combined_hash);
  });
});
