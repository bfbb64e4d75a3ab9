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

// Context exchange: publish, get, revoke, list, visibility, repair; the team state.
export {
  getContexts,
  listAllContexts,
  publishContext,
  repairStore,
  revokeContext,
  setVisibility,
  type ContextRequest,
} from './api/context.js';
export { STATE_DECISIONS, teamState } from './api/state.js';

// The team's decision log and interfaces declared ready for others.
export { addDecision, listDecisions, revokeDecision, type DecisionFilter } from './api/decision.js';
export { addInterface, listInterfaces, revokeInterface } from './api/interface.js';

// Advisory file claims: add, release, list, check; what the pre-edit hook, the briefing and
// the artifact ask of them; SessionEnd's release. `claimsOverlapping` is the pure rule.
export { addClaims, checkClaims, listClaims, releaseClaims, type ClaimAddInput } from './api/claim.js';
export { claimsOnEdit, othersClaimsOn, releaseSessionClaims, type EditCheckRequest } from './api/claim-hooks.js';
export { claimsOverlapping, patternsOverlap } from './core/claims.js';
// Messages between sessions: send, inbox, ack, thread (and the briefing's news, api/session-start.ts).
export {
  ackMessages,
  messageInbox,
  messageThread,
  sendMessage,
  type InboxRequest,
  type SendInput,
} from './api/message.js';

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
export type { Briefing, BriefingSection } from './core/briefing.js';

// doctor: every check as plain data (the agents' hooks, the repository, the store).
export {
  guarded,
  repositoryChecks,
  runDoctor,
  type Check,
  type CheckStatus,
  type DoctorRequest,
  type RepositoryCheckRequest,
} from './api/doctor.js';

// setup: the hook settings' edits planned as data, then applied (backups first, atomic writes).
export {
  AGENTS,
  applySetup,
  CLAIMS_SETTINGS,
  NUDGES,
  planSetup,
  type Agent,
  type AgentHomes,
  type ClaimsSetting,
  type Nudge,
  type PlannedEdit,
  type SetupPlan,
  type SetupRequest,
} from './api/setup.js';
