// The programmatic surface shared by the CLI, the hooks and setup: the only door to core,
// store, git and collect (.dependency-cruiser.cjs enforces it). Each export is a use case
// or the plain-data type it takes or returns; callers pass cwd, clock and env.

// The process environment git inherits, set once by the entry (src/main.ts).
export { setGitEnvironment } from './git/git.js';

// The layered handoff: compute, save, read the saved one, one changed file's detail.
export {
  computeHandoff,
  DEFAULT_SINCE,
  loadDetail,
  readSavedHandoff,
  saveHandoff,
  type HandoffRequest,
  type HandoffResult,
} from './api/handoff.js';
export { loadSavedDetail, type SavedDetailRequest } from './api/saved-detail.js';
export { deltaFileOf, prefixFileOf } from './store/artifacts.js';

// Context exchange: publish, get, revoke, list, visibility, team state, repair.
export {
  getContexts,
  listAllContexts,
  publishContext,
  repairStore,
  revokeContext,
  setVisibility,
  teamState,
  type ContextRequest,
} from './api/context.js';

// Conflicts between my work and other active branches (git merge-tree), and the saved result.
export { findConflicts, type ConflictsRequest } from './api/conflicts.js';
export { readConflicts } from './api/conflicts-saved.js';

// Session hooks: the session-start briefing, and a session's stop.
export {
  sessionBriefing,
  STATUS_MAX_FILES,
  TEAMMATES_SHOWN,
  type BriefingRequest,
  type SessionEvents,
} from './api/session-start.js';
export { recordStop, type StopRequest } from './api/session-stop.js';

// doctor's checks of the repository and the store.
export { guarded, repositoryChecks, type Check, type CheckStatus, type RepositoryCheckRequest } from './api/doctor.js';

// What setup needs from the repository and the store (setup plans and applies its own edits).
export {
  canonicalJson,
  CODEMAP_DIR,
  ensureDirWithin,
  excludeCodemap,
  gitHooksDir,
  openRepository,
  primaryWorktreeRoot,
  readTextIfExists,
  trackedInIndex,
  unsafeDirWithin,
  writeFileAtomic,
  type RepoInfo,
} from './api/setup.js';
