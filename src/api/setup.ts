// `handoff setup` as use cases: plan the edits to the agents' and git's hook settings as
// data (setup/: targets, the settings merge, Codex's worktree folder), then apply them,
// each changed file backed up first and each write atomic. The CLI validates its flags
// against AGENTS and NUDGES, plans, prints the plan (render/setup.ts) and applies it.
export {
  AGENTS,
  CLAIMS_SETTINGS,
  NUDGES,
  type Agent,
  type AgentHomes,
  type ClaimsSetting,
  type Nudge,
} from '../setup/targets.js';
export { applySetup, planSetup, type PlannedEdit, type SetupPlan, type SetupRequest } from '../setup/setup.js';
