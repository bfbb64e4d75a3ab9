// Whether `handoff setup` may write a project settings file through a symlink. A link the
// user made (a dotfiles setup) is followed; a link git tracks came with the clone and
// could point at any JSON file of the user's (`../../.config/x.json`), so it is refused.
import { lstatSync, readlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { trackedInIndex } from '../git/tracked.js';

/** The symlinks among `path` and the folders between `checkout` and it, repository-relative (POSIX). */
function linksOnTheWay(checkout: string, path: string): string[] {
  const parts = relative(checkout, path).split(sep);
  if (parts[0] === '..' || parts[0] === '') return [];
  const links: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    try {
      if (lstatSync(join(checkout, ...parts.slice(0, i))).isSymbolicLink()) links.push(parts.slice(0, i).join('/'));
    } catch {
      break; // missing from here down: setup creates real folders and files
    }
  }
  return links;
}

/**
 * Throws a usage error (exit 2) when `path`, a settings file inside `checkout`, or a folder
 * on its way is a symlink that git tracks, before anything is written. `otherScopes` names
 * the setup options that write elsewhere (`--local or --global`).
 */
export async function refuseTrackedLink(checkout: string, path: string, otherScopes: string): Promise<void> {
  const links = linksOnTheWay(checkout, path);
  if (links.length === 0) return;
  const inIndex = await trackedInIndex(checkout, links);
  const link = links.find((l) => inIndex.has(l));
  if (link === undefined) return;
  const target = readlinkSync(join(checkout, link));
  const isFile = link === relative(checkout, path).split(sep).join('/');
  const what = isFile ? 'replace the link by a real file' : `replace ${link} by a real folder`;
  throw new UsageError(
    `${join(checkout, link)} is a symlink committed to the repository (to ${JSON.stringify(target)}); ` +
      'not writing the hooks through it',
    `${what}, or use ${otherScopes}`,
  );
}
