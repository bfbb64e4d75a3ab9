// Reads `.codemap/config.json`: the worktree's own copy first (it may be committed and
// differ per branch), else the primary worktree's. A broken config is an error that
// names the file, not something to silently ignore.
import { join } from 'node:path';
import { projectConfig, type ProjectConfig } from '../schema/config.js';
import { readJsonFile } from './atomic.js';
import { CODEMAP_DIR, primaryWorktreeRoot } from './layout.js';

export function readProjectConfig(root: string, commonDir: string): { config: ProjectConfig; path?: string } {
  const candidates = [join(root, CODEMAP_DIR, 'config.json')];
  const primary = primaryWorktreeRoot(commonDir);
  if (primary && primary !== root) candidates.push(join(primary, CODEMAP_DIR, 'config.json'));
  for (const path of candidates) {
    const config = readJsonFile(path, projectConfig);
    if (config) return { config, path };
  }
  return { config: {} };
}
