// Branches for the `conflicts` bench: `count` branches off the fixture's base, each one
// commit ahead, made without a checkout (a throwaway index, the repository's own untouched).
// Half rewrite a file the feature branch changed (a definite conflict), half add a file of
// their own (a clean merge). Made once per fixture; their names are returned.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchGitEnv } from './fixture.mjs';

export const CONFLICT_BRANCHES = 20;

function gitIn(repo, env) {
  return (args, input) => {
    const res = spawnSync('git', args, { cwd: repo, env, input, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr.trim()}`);
    return res.stdout.trim();
  };
}

export function ensureConflictBranches(fx, count = CONFLICT_BRANCHES) {
  const names = Array.from({ length: count }, (_, i) => `bench/conflicts-${String(i + 1).padStart(2, '0')}`);
  const git = gitIn(fx.repo, benchGitEnv());
  const existing = new Set(git(['for-each-ref', '--format=%(refname:short)', 'refs/heads/bench/']).split('\n'));
  if (names.every((n) => existing.has(n))) return names;
  const scratch = mkdtempSync(join(tmpdir(), 'handoff-bench-branches-'));
  try {
    const date = '1700000000 +0000';
    const who = { GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com' };
    const committer = { GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
    const tmp = gitIn(
      fx.repo,
      benchGitEnv({
        GIT_INDEX_FILE: join(scratch, 'index'),
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        ...who,
        ...committer,
      }),
    );
    const base = git(['merge-base', 'HEAD', fx.base]);
    const changed = git(['diff', '--name-only', '--diff-filter=M', base, 'HEAD']).split('\n').filter(Boolean);
    if (changed.length === 0) throw new Error('the fixture branch modifies no file to conflict with');
    tmp(['read-tree', base]);
    names.forEach((name, i) => {
      const path = i % 2 === 0 ? changed[(i / 2) % changed.length] : `bench/conflicts/branch-${i + 1}.ts`;
      const blob = tmp(['hash-object', '-w', '--stdin'], `// rewritten on ${name}\nexport const branch = ${i + 1};\n`);
      tmp(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`]);
      const tree = tmp(['write-tree']);
      const commit = tmp(['commit-tree', tree, '-p', base, '-m', `bench: ${name}`]);
      git(['update-ref', `refs/heads/${name}`, commit]);
      tmp(['read-tree', base]);
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return names;
}
