// The files a context touches, hashed: at publish time in the worktree, and now where
// that branch's work lives (for staleness). The only part of context exchange that reads
// the working tree and git objects.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { contentHash } from '../collect/worktree-files.js';
import type { CurrentFile } from '../core/context-rules.js';
import type { Hasher } from '../core/hash.js';
import { branchNames, hashObjects, readFilesAt, worktreeBranches, type RepoInfo } from '../git/repo.js';
import type { Context } from '../schema/context.js';

/** What reading the touched files needs of an open store: the repository and the hasher. */
interface FilesContext {
  repo: RepoInfo;
  hasher: Hasher;
}

/** Hash and (for regular files) blob id of each touched file as it is in the worktree now. */
export async function touchedFiles(ctx: FilesContext, files: readonly string[]): Promise<Context['touched_files']> {
  const regular = files.filter((p) => !p.includes('\n') && isRegularFile(join(ctx.repo.root, p)));
  const blobs = await hashObjects(ctx.repo.root, regular).catch(() => [] as string[]);
  const blobOf = new Map(regular.map((p, i) => [p, blobs[i]]));
  return files.map((path) => {
    const blob = blobOf.get(path);
    return { path, hash: hashWorktreeFile(ctx.repo.root, path, ctx.hasher) ?? '', ...(blob ? { blob } : {}) };
  });
}

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** xxhash64 of a working-tree file, as the handoff hashes it; undefined when it does not exist. */
function hashWorktreeFile(root: string, path: string, hasher: Hasher): string | undefined {
  return contentHash(join(root, path), hasher);
}

/**
 * Current hash of each touched file, where that branch's work lives: my worktree for my
 * branch, the linked worktree that has the branch checked out, else the tip of the
 * branch (local, else origin's), else my worktree. At most three git calls in all.
 */
export async function currentHashes(
  ctx: FilesContext,
  contexts: readonly Pick<Context, 'branch' | 'touched_files'>[],
): Promise<Map<string, Map<string, CurrentFile | undefined>>> {
  const byBranch = new Map<string, Set<string>>();
  for (const c of contexts) {
    const set = byBranch.get(c.branch) ?? new Set<string>();
    for (const f of c.touched_files) set.add(f.path);
    byBranch.set(c.branch, set);
  }
  const others = [...byBranch.keys()].filter((b) => b !== ctx.repo.branch);
  const [known, checkedOut] =
    others.length > 0
      ? await Promise.all([branchNames(ctx.repo.root), worktreeBranches(ctx.repo.root)])
      : [new Set<string>(), new Map<string, string>()];
  const revOf = new Map<string, string>();
  const dirOf = new Map<string, string>();
  for (const b of others) {
    const dir = checkedOut.get(b);
    if (dir !== undefined) {
      dirOf.set(b, dir);
      continue;
    }
    const rev = known.has(b) ? b : known.has(`origin/${b}`) ? `origin/${b}` : undefined;
    if (rev) revOf.set(b, rev);
  }
  const pairs = [...revOf].flatMap(([b, rev]) => [...byBranch.get(b)!].map((path) => ({ rev, path })));
  const blobs =
    pairs.length > 0 ? await readFilesAt(ctx.repo.root, pairs) : new Map<string, { blob: string; body: Buffer }>();
  const result = new Map<string, Map<string, CurrentFile | undefined>>();
  for (const [branch, paths] of byBranch) {
    const hashes = new Map<string, CurrentFile | undefined>();
    const rev = revOf.get(branch);
    const dir = dirOf.get(branch) ?? ctx.repo.root;
    for (const p of paths) {
      if (rev === undefined) {
        const hash = hashWorktreeFile(dir, p, ctx.hasher);
        hashes.set(p, hash === undefined ? undefined : { hash });
      } else {
        const found = blobs.get(`${rev}:${p}`);
        hashes.set(p, found ? { hash: ctx.hasher.bytes(found.body), blob: found.blob } : undefined);
      }
    }
    result.set(branch, hashes);
  }
  return result;
}
