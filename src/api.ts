// The programmatic surface shared by the CLI and the hooks: the layered handoff and
// context exchange. Plain data in and out; callers pass cwd, clock and env.
export * from './api/handoff.js';
export * from './api/saved-detail.js';
export * from './api/context.js';
