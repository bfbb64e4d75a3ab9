// The refs a base can default to, read in one `git for-each-ref` call: which of the given
// full ref names exist, the commit each names, and where a symbolic one (origin/HEAD)
// points. Choosing among them is the caller's business.
import { gitRaw, splitZ } from './git.js';

export interface RefFact {
  /** The commit the ref names (a ref to anything but a commit is left out). */
  commit: string;
  /** For a symbolic ref, the short name of its target (`origin/main`). */
  target?: string;
}

const FORMAT = '%(refname)%00%(symref:short)%00%(objecttype)%00%(objectname)%00';

/** Facts of those of `refnames` (full names, `refs/heads/main`) that exist; a dangling symref is absent. */
export async function readRefs(cwd: string, refnames: readonly string[]): Promise<Map<string, RefFact>> {
  const out = await gitRaw(['for-each-ref', `--format=${FORMAT}`, '--', ...refnames], { cwd });
  const fields = splitZ(out.stdout.toString('utf8').replace(/\n/g, ''));
  const wanted = new Set(refnames);
  const facts = new Map<string, RefFact>();
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [name, target, type, commit] = fields.slice(i, i + 4) as [string, string, string, string];
    // A pattern also matches refs below it (`refs/heads/main/x`): only exact names count.
    if (!wanted.has(name) || type !== 'commit') continue;
    facts.set(name, target ? { commit, target } : { commit });
  }
  return facts;
}
