// Keeps generated `.codemap/` files out of `git status` through `.git/info/exclude`,
// never the user's `.gitignore`. The committed `config.json` stays visible.
import { readTextIfExists, writeFileAtomic } from './atomic.js';

export const EXCLUDE_MARKER = '# codemap-handoff: generated files';
export const EXCLUDE_LINES = [EXCLUDE_MARKER, '/.codemap/*', '!/.codemap/config.json'];

export function isExcluded(text: string | undefined): boolean {
  return (
    text !== undefined &&
    text.split('\n').some((l) => l.trim() === '/.codemap/*' || l.trim() === '/.codemap/' || l.trim() === '.codemap/')
  );
}

/** Adds the exclude block once; returns true when the file changed. */
export function ensureExcluded(excludePath: string): boolean {
  const text = readTextIfExists(excludePath);
  if (isExcluded(text)) return false;
  const base = text === undefined || text === '' ? '' : text.endsWith('\n') ? text : `${text}\n`;
  writeFileAtomic(excludePath, `${base}${EXCLUDE_LINES.join('\n')}\n`);
  return true;
}
