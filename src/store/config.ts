// Reads `.codemap/config.json`: the worktree's own copy first (it may be committed and
// differ per branch), else the primary worktree's. The file is the user's input, so any
// invalid value — bad JSON, a wrong type, a duration that does not parse — is one usage
// error (exit 2) naming the file and the key, never a silent default.
import { join } from 'node:path';
import { parseDuration } from '../core/duration.js';
import { UsageError } from '../errors.js';
import { projectConfig, type ProjectConfig } from '../schema/config.js';
import { readTextIfExists } from './atomic.js';
import { CODEMAP_DIR, primaryWorktreeRoot } from './layout.js';

const HINT = 'fix the value or remove the key';

export function readProjectConfig(root: string, commonDir: string): { config: ProjectConfig; path?: string } {
  const candidates = [join(root, CODEMAP_DIR, 'config.json')];
  const primary = primaryWorktreeRoot(commonDir);
  if (primary && primary !== root) candidates.push(join(primary, CODEMAP_DIR, 'config.json'));
  for (const path of candidates) {
    const text = readTextIfExists(path);
    if (text !== undefined) return { config: parseProjectConfig(text, path), path };
  }
  return { config: {} };
}

export function parseProjectConfig(text: string, path: string): ProjectConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON (${(error as Error).message})`, 'fix the file or remove it');
  }
  const parsed = projectConfig.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.length ? issue.path.join('.') : '(the whole file)';
    throw new UsageError(`invalid value in ${path} at ${key}: ${issue?.message ?? 'schema mismatch'}`, HINT);
  }
  const config = parsed.data;
  if (config.since !== undefined && parseDuration(config.since) === undefined) {
    const what = `invalid value in ${path} at since: "${config.since}" is not a duration`;
    throw new UsageError(what, 'use a duration such as 30m, 6h or 2d');
  }
  return config;
}
