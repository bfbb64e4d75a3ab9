// Context exchange: publish, get, revoke, list, visibility, team state and repair over
// the clone's context store. Validation (metadata only, repo-relative paths, TTL range)
// happens here before anything is written; the rules themselves live in core. Reads
// never need write access: their bookkeeping is best effort. It runs past 300 lines
// because every use case shares the input checks and the read bookkeeping; the file
// hashing is in context-files.ts, the mechanisms in store/, the rules in core/.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { ulid } from 'ulid';
import {
  activeAndVisible,
  contentViolation,
  isActive,
  judgeStaleness,
  newestFirst,
  normalizeRemoteUrl,
  statusOf,
  visibleTo,
} from '../core/context-rules.js';
import { contextRecord, slotOf } from '../core/records.js';
import { loadHasher, type Hasher } from '../core/hash.js';
import { compareCodeUnit, normalizeRepoPath } from '../core/paths.js';
import { NotFoundError, UsageError } from '../errors.js';
import { configValues, openRepository, type RepoInfo } from '../git/repo.js';
import {
  KNOWN_ROLES,
  LIMITS,
  ROLE_PATTERN,
  TTL_HOURS,
  publishInput,
  type Context,
  type ContextView,
  type DeveloperRegistry,
  type EventRecord,
  type PublishInput,
  type Visibility,
} from '../schema/context.js';
import type { ProjectConfig } from '../schema/config.js';
import { developerHandle, HANDLE_LIMITS } from '../schema/text.js';
import { ContextStore, type StoreSnapshot } from '../store/context-store.js';
import { LockTimeoutError } from '../store/lock.js';
import { primaryWorktreeRoot, storeLayout } from '../store/layout.js';
import { currentHashes, touchedFiles } from './context-files.js';
import { configOnce, type ConfigReader } from './project-config.js';

export interface ContextRequest {
  cwd: string;
  now: Date;
  env: NodeJS.ProcessEnv;
  /** `--as <handle>`: acts as this developer. */
  as?: string;
  /** The acting agent session (`--session`, HANDOFF_SESSION, CODEX_THREAD_ID), where a command has one. */
  session?: string;
}

export interface StoreContext {
  repo: RepoInfo;
  repoId: string;
  store: ContextStore;
  hasher: Hasher;
  config: ProjectConfig;
  /** git's user.email, read with the origin (the last source of the developer handle). */
  gitEmail?: string;
}

/** Where a clone's context store lives: inside the git common dir, shared by all worktrees. */
export function storeDir(commonDir: string): string {
  return storeLayout(commonDir).dir;
}

/** The team store of the request's repository, with the acting developer (undefined when none is known and none is required). */
export async function openTeamStore(
  req: ContextRequest,
  required = true,
): Promise<{ ctx: StoreContext; me: string | undefined }> {
  const ctx = await openStore(req.cwd);
  return { ctx, me: await resolveDeveloper(req, ctx, required) };
}

/** `config`: the caller's reader when it has one (a session hook reads the file once). */
export async function openStore(cwd: string, known?: RepoInfo, config?: ConfigReader): Promise<StoreContext> {
  // The repository, the hasher and the two config values the store needs, all at once.
  const [repo, hasher, git] = await Promise.all([
    known ?? openRepository(cwd),
    loadHasher(),
    configValues(known?.root ?? cwd, ['remote.origin.url', 'user.email']).catch(() => new Map<string, string>()),
  ]);
  const origin = git.get('remote.origin.url');
  const gitEmail = git.get('user.email');
  const read = config ?? configOnce(repo.root, repo.commonDir);
  const { config: project } = read();
  const repoId = origin ? normalizeRemoteUrl(origin) : basename(primaryWorktreeRoot(repo.commonDir) ?? repo.root);
  const store = new ContextStore(storeDir(repo.commonDir), hasher);
  return { repo, repoId, store, hasher, config: project, ...(gitEmail !== undefined ? { gitEmail } : {}) };
}

/** `--as`, else HANDOFF_DEVELOPER, else config `developer`, else git user.email. */
export async function resolveDeveloper(
  req: ContextRequest,
  ctx: StoreContext,
  required = true,
): Promise<string | undefined> {
  // An empty or blank source (`HANDOFF_DEVELOPER=`) falls through to the next one, as `--as ""` does.
  const given = [req.as, req.env.HANDOFF_DEVELOPER, ctx.config.developer].map((h) => h?.trim()).find((h) => h);
  const trimmed = given ?? ctx.gitEmail;
  if (trimmed) return checkedHandle(trimmed);
  if (!required) return undefined;
  throw new UsageError('no developer identity', 'pass --as <handle>, set HANDOFF_DEVELOPER, or set git user.email');
}

/** A handle is printed everywhere and keyed on in the store: one line, 1–200 characters. */
function checkedHandle(handle: string): string {
  const parsed = developerHandle.safeParse(handle);
  if (parsed.success) return parsed.data;
  const why = parsed.error.issues[0]?.message ?? 'is invalid';
  const { min, max } = HANDLE_LIMITS;
  const sources = '--as, HANDOFF_DEVELOPER, config developer or git user.email';
  throw new UsageError(`the developer handle ${why}`, `use ${min}–${max} characters on one line (${sources})`);
}

const iso = (d: Date): string => d.toISOString();

/**
 * A ULID at `now` that sorts after each of `earlier` of the same millisecond: the fold
 * orders by (time, id), so a developer's records keep the order they were made in under
 * a pinned or coarse clock. The step past `earlier` is random, so two writers that read
 * the same store at once still make different ids.
 */
export function idAfter(now: Date, earlier: readonly (string | undefined)[]): string {
  let id = ulid(now.getTime());
  for (const other of earlier) {
    if (other === undefined || other.slice(0, 10) !== id.slice(0, 10) || compareCodeUnit(other, id) < 0) continue;
    const step = 1n + BigInt(`0x${randomBytes(5).toString('hex')}`);
    const next = decodeBase32(other.slice(10)) + step;
    id = next < 1n << 80n ? other.slice(0, 10) + encodeBase32(next) : ulid(now.getTime() + 1);
  }
  return id;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const decodeBase32 = (text: string): bigint => [...text].reduce((n, ch) => n * 32n + BigInt(CROCKFORD.indexOf(ch)), 0n);
function encodeBase32(n: bigint): string {
  let out = '';
  for (let i = 0; i < 16; i++, n >>= 5n) out = CROCKFORD[Number(n & 31n)]! + out;
  return out;
}

export function checkText(field: string, value: string, max: number): string {
  if (value.length > max)
    throw new UsageError(`${field} is ${value.length} characters; the limit is ${max}`, 'shorten it');
  const why = contentViolation(value);
  if (why) {
    throw new UsageError(
      `${field} was rejected because ${why}: contexts hold metadata only`,
      'describe the work and decisions in words and list files with --file',
    );
  }
  return value;
}

function checkList(field: string, items: readonly string[]): string[] {
  if (items.length > LIMITS.listLength)
    throw new UsageError(`${field} has ${items.length} entries; the limit is ${LIMITS.listLength}`);
  return items
    .map((item, i) => checkText(`${field}[${i}]`, item.trim(), LIMITS.listItem))
    .filter((item) => item !== '');
}

/** Repo-relative, normalised paths; absolute paths and `..` escapes are usage errors. */
export function normalizeTouched(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of paths) {
    const isAbsolute = /^([a-zA-Z]:)?[\\/]/.test(raw);
    const normal = isAbsolute ? undefined : normalizeRepoPath(raw.trim());
    if (normal === undefined || normal === '') {
      throw new UsageError(
        `files_touched entry "${raw}" is not a repository-relative path`,
        'give paths relative to the repository root, without ..',
      );
    }
    out.add(normal);
  }
  return [...out].sort(compareCodeUnit);
}

export function usage(
  name: string,
  developer: string | undefined,
  ctx: StoreContext,
  now: Date,
  extra: Partial<EventRecord> = {},
): EventRecord {
  return { time: iso(now), kind: 'usage', name, ...(developer ? { developer } : {}), repo: ctx.repoId, ...extra };
}

function work(name: string, developer: string, ctx: StoreContext, now: Date, branch: string, id: string): EventRecord {
  return { time: iso(now), kind: 'work', name, developer, repo: ctx.repoId, branch, context_id: id };
}

export async function publishContext(req: ContextRequest, raw: unknown): Promise<Context> {
  const parsed = publishInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`invalid context: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
  }
  const input: PublishInput = parsed.data;
  const ctx = await openStore(req.cwd);
  const developer = (await resolveDeveloper(req, ctx))!;
  const title = checkText('title', input.title.trim(), LIMITS.title);
  if (title === '') throw new UsageError('title is empty', 'give a title of 1–200 characters with --title');
  const summary = checkText('summary', input.summary.trim(), LIMITS.summary);
  const ttl = input.ttl_hours ?? TTL_HOURS.default;
  if (!Number.isFinite(ttl) || ttl < TTL_HOURS.min || ttl > TTL_HOURS.max) {
    throw new UsageError(`ttl_hours ${ttl} is out of range`, `use ${TTL_HOURS.min} to ${TTL_HOURS.max} hours`);
  }
  const files = normalizeTouched(input.files_touched);
  const role = input.role === undefined ? undefined : checkedRole(input.role);
  const branch = input.branch ?? ctx.repo.branch ?? 'HEAD';
  const touched = await touchedFiles(ctx, files);
  const slot = slotOf({ developer, repo: ctx.repoId, branch });
  const sameSlot = ctx.store
    .snapshot()
    .heads.filter((c) => slotOf(c) === slot)
    .map((c) => c.id);
  const context: Context = {
    id: idAfter(req.now, sameSlot),
    developer,
    repo: ctx.repoId,
    branch,
    ...(input.session_id ? { session_id: input.session_id } : {}),
    ...(role ? { role } : {}),
    title,
    summary,
    files_touched: files,
    next_actions: checkList('next_actions', input.next_actions),
    blockers: checkList('blockers', input.blockers),
    task_ids: checkList('task_ids', input.task_ids),
    published_at: iso(req.now),
    expires_at: iso(new Date(req.now.getTime() + ttl * 3_600_000)),
    ttl_hours: ttl,
    touched_hash: ctx.hasher.text(JSON.stringify(touched)),
    touched_files: touched,
  };
  const events: EventRecord[] = [
    usage('context.publish', developer, ctx, req.now, { branch, context_id: context.id }),
    work('session.context_published', developer, ctx, req.now, branch, context.id),
  ];
  // Supersession is the fold's: this context is its slot's newest by (published_at, id).
  await ctx.store.write([contextRecord(context)], { now: req.now, events });
  return context;
}

/** A role is one word, kept in lower case so `get --role Reviewer` finds `reviewer`. */
export function checkedRole(raw: string): string {
  const role = raw.trim().toLowerCase();
  if (ROLE_PATTERN.test(role)) return role;
  throw new UsageError(
    `role "${raw}" is not one word`,
    `use ${KNOWN_ROLES.join(', ')} or another word of letters, digits, - and _ (≤ 40 characters)`,
  );
}

/** Same message for "no such developer" and "private developer": nothing leaks. */
const noDeveloper = (handle: string): NotFoundError =>
  new NotFoundError(`no developer "${handle}" in this store`, 'see `handoff state` for who has published');
const noContext = (id: string): NotFoundError =>
  new NotFoundError(`no context "${id}" that you can revoke`, 'see `handoff context get` for your active contexts');

export function visibilityLookup(registry: DeveloperRegistry): (developer: string) => Visibility {
  return (d) => registry.developers[d]?.visibility ?? 'public';
}

/** How long a read waits for the lock to record its bookkeeping before doing without (writers hold it for ms). */
const READ_BOOKKEEPING_WAIT_MS = 1_000;

/** What a read leaves behind: usage events, first sightings of changes, a refolded checkpoint. */
export interface ReadBookkeeping {
  events?: EventRecord[];
  saveSightings?: (() => void) | undefined;
  snap?: StoreSnapshot;
}

/**
 * Records a read's bookkeeping under the lock, when it can: a user without write access
 * (or a read-only file system) and a lock held longer than a moment leave it undone,
 * and the read still answers. A read never writes a store it cannot lock.
 */
export async function recordRead(ctx: StoreContext, now: Date, work: ReadBookkeeping): Promise<void> {
  if (!work.events?.length && !work.saveSightings && !work.snap?.rebuilt) return;
  try {
    await ctx.store.locked(
      () => {
        if (work.snap?.rebuilt) ctx.store.saveRebuiltCheckpointLocked(now);
        work.saveSightings?.();
        if (work.events?.length) ctx.store.appendEventsLocked(work.events);
      },
      { timeoutMs: READ_BOOKKEEPING_WAIT_MS },
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof LockTimeoutError || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return;
    throw error;
  }
}

/** The live contexts and those of them `me` sees active at `now` (the one place get, state and briefings filter). */
function activeVisible(
  ctx: StoreContext,
  me: string,
  now: Date,
): { snap: StoreSnapshot; active: Context[]; registry: DeveloperRegistry } {
  const registry = ctx.store.readDevelopers();
  const shown = activeAndVisible(me, visibilityLookup(registry), now);
  const snap = ctx.store.snapshot();
  return { snap, active: [...snap.contexts.values()].filter(shown), registry };
}

/** Adds status and staleness; first sightings of changes are returned for the read's bookkeeping. */
async function withStaleness(
  ctx: StoreContext,
  contexts: Context[],
  now: Date,
): Promise<{ views: ContextView[]; saveSightings?: () => void }> {
  const hashes = await currentHashes(ctx, contexts);
  const sightings = ctx.store.readSightings();
  let changed = false;
  const views = contexts.map((c): ContextView => {
    const before = sightings.seen[c.id] ?? {};
    const judged = judgeStaleness(c, hashes.get(c.branch) ?? new Map(), before, now);
    if (Object.keys(judged.sightings).length !== Object.keys(before).length) {
      sightings.seen[c.id] = judged.sightings;
      changed = true;
    }
    return { ...c, status: statusOf(c, now), staleness: judged.staleness };
  });
  if (!changed) return { views };
  const saveSightings = (): void => {
    const latest = ctx.store.readSightings();
    for (const c of contexts) {
      if (sightings.seen[c.id]) latest.seen[c.id] = { ...sightings.seen[c.id], ...latest.seen[c.id] };
    }
    // Sightings of contexts that are no longer live are dropped: the file stays O(active).
    const live = ctx.store.snapshot().contexts;
    for (const id of Object.keys(latest.seen)) if (!live.has(id)) delete latest.seen[id];
    ctx.store.writeSightings(latest);
  };
  return { views, saveSightings };
}

export async function getContexts(
  req: ContextRequest,
  developer?: string,
  filter: { role?: string } = {},
): Promise<ContextView[]> {
  const role = filter.role === undefined ? undefined : checkedRole(filter.role);
  const ctx = await openStore(req.cwd);
  const me = (await resolveDeveloper(req, ctx, false)) ?? '';
  const found = activeVisible(ctx, me, req.now);
  const { snap, registry } = found;
  let active = found.active;
  if (developer !== undefined) {
    const known = registry.developers[developer] !== undefined || active.some((c) => c.developer === developer);
    const hidden = developer !== me && registry.developers[developer]?.visibility === 'private';
    if (!known || hidden) {
      await recordRead(ctx, req.now, { events: [usage('context.get', me || undefined, ctx, req.now)], snap });
      throw noDeveloper(developer);
    }
    active = active.filter((c) => c.developer === developer);
  }
  if (role !== undefined) active = active.filter((c) => c.role === role);
  active.sort(newestFirst);
  const { views, saveSightings } = await withStaleness(ctx, active, req.now);
  await recordRead(ctx, req.now, {
    events: [usage('context.get', me || undefined, ctx, req.now)],
    snap,
    saveSightings,
  });
  return views;
}

export async function revokeContext(req: ContextRequest, id: string): Promise<Context> {
  const ctx = await openStore(req.cwd);
  const me = (await resolveDeveloper(req, ctx))!;
  // Checked before the write: a revoke racing a newer publish still wins (the fold's rule).
  const target = ctx.store.snapshot().contexts.get(id);
  if (!target || target.developer !== me) throw noContext(id);
  const events = [
    usage('context.revoke', me, ctx, req.now, { context_id: id }),
    work('session.context_revoked', me, ctx, req.now, target.branch, id),
  ];
  const record = { id: ulid(req.now.getTime()), author: me, at: iso(req.now), kind: 'revoke' as const, context_id: id };
  await ctx.store.write([record], { now: req.now, events });
  return { ...target, revoked_at: iso(req.now) };
}

/** Every stored context the caller may see, with its status: the audit view. */
export async function listAllContexts(req: ContextRequest): Promise<ContextView[]> {
  const ctx = await openStore(req.cwd);
  const me = (await resolveDeveloper(req, ctx, false)) ?? '';
  const visible = visibleTo(me, visibilityLookup(ctx.store.readDevelopers()));
  const all = [...ctx.store.foldHistory().values()].filter(visible).sort(newestFirst);
  await recordRead(ctx, req.now, { events: [usage('context.list', me || undefined, ctx, req.now)] });
  return all.map((c) => ({ ...c, status: statusOf(c, req.now) }));
}

export async function setVisibility(
  req: ContextRequest,
  visibility: Visibility,
): Promise<{ developer: string; visibility: Visibility }> {
  const ctx = await openStore(req.cwd);
  const me = (await resolveDeveloper(req, ctx))!;
  // The store saves the registry before the record: a crash between leaves the stricter setting.
  const previous = ctx.store.readDevelopers().developers[me];
  const id = idAfter(req.now, [previous?.updated_at === iso(req.now) ? (previous.id ?? '') : undefined]);
  const record = { id, author: me, at: iso(req.now), kind: 'visibility' as const, visibility };
  await ctx.store.write([record], { now: req.now, events: [usage('context.visibility', me, ctx, req.now)] });
  return { developer: me, visibility };
}

/**
 * `state`'s contexts section: the active contexts `me` sees, newest first, with staleness;
 * what the read leaves behind is returned for the caller's bookkeeping (recordRead).
 */
export async function stateContexts(
  ctx: StoreContext,
  me: string,
  now: Date,
): Promise<{ views: ContextView[]; bookkeeping: ReadBookkeeping }> {
  const { snap, active } = activeVisible(ctx, me, now);
  active.sort(newestFirst);
  const { views, saveSightings } = await withStaleness(ctx, active, now);
  return { views, bookkeeping: { snap, saveSightings } };
}

/**
 * Doctor's check of the store: reads every file (the whole history, not just what get
 * reads, so a bad line anywhere is reported) and counts the live contexts `me` may see
 * (a private developer's contexts are not even a number to others). Throws what a read would.
 */
export async function checkStore(
  repo: RepoInfo,
  env: NodeJS.ProcessEnv,
  now: Date,
): Promise<{ dir: string; me: string; live: number }> {
  const ctx = await openStore(repo.root, repo);
  ctx.store.foldHistory();
  ctx.store.readSightings();
  ctx.store.readEvents();
  const me = (await resolveDeveloper({ cwd: repo.root, now, env }, ctx, false)) ?? '';
  return { dir: ctx.store.dir, me, live: activeVisible(ctx, me, now).active.length };
}

export async function repairStore(req: ContextRequest): Promise<string[]> {
  const ctx = await openStore(req.cwd);
  return ctx.store.repair(req.now);
}

/**
 * The caller's active context for the handoff link: the one for this repo and branch
 * first, else their newest. Never throws: a handoff without a link is still a handoff.
 */
export async function ownActiveContext(
  repo: RepoInfo,
  env: NodeJS.ProcessEnv,
  now: Date,
  config?: ConfigReader,
): Promise<Context | undefined> {
  try {
    const ctx = await openStore(repo.root, repo, config);
    const me = await resolveDeveloper({ cwd: repo.root, now, env }, ctx, false);
    if (!me) return undefined;
    const live = [...ctx.store.snapshot().contexts.values()];
    const mine = live.filter((c) => c.developer === me && isActive(c, now)).sort(newestFirst);
    return mine.find((c) => c.repo === ctx.repoId && c.branch === (repo.branch ?? 'HEAD')) ?? mine[0];
  } catch {
    // An unreadable store (corrupt, a permission, a directory where a file should be)
    // is reported by the context commands; the handoff goes on without the link.
    return undefined;
  }
}

/**
 * Teammates' active contexts visible to the caller, those touching `mine` first;
 * staleness is judged for the first `limit` only (the ones a briefing shows).
 */
export async function teammateContexts(
  repo: RepoInfo,
  env: NodeJS.ProcessEnv,
  now: Date,
  mine: ReadonlySet<string>,
  limit: number,
  config?: ConfigReader,
): Promise<ContextView[]> {
  const ctx = await openStore(repo.root, repo, config);
  const me = (await resolveDeveloper({ cwd: repo.root, now, env }, ctx, false)) ?? '';
  const overlap = (c: Context): number => c.files_touched.filter((f) => mine.has(f)).length;
  const { snap, active } = activeVisible(ctx, me, now);
  const others = active.filter((c) => c.developer !== me).sort((a, b) => overlap(b) - overlap(a) || newestFirst(a, b));
  const { views, saveSightings } = await withStaleness(ctx, others.slice(0, limit), now);
  await recordRead(ctx, now, { snap, saveSightings });
  return [...views, ...others.slice(limit).map((c) => ({ ...c, status: statusOf(c, now) }))];
}

/** Whether the caller published a context for this repo and branch since `since`. */
export async function publishedSince(
  repo: RepoInfo,
  env: NodeJS.ProcessEnv,
  now: Date,
  since: string,
  config?: ConfigReader,
): Promise<boolean> {
  const ctx = await openStore(repo.root, repo, config);
  const me = await resolveDeveloper({ cwd: repo.root, now, env }, ctx, false);
  if (!me) return true;
  const branch = repo.branch ?? 'HEAD';
  return [...ctx.store.snapshot().contexts.values()].some(
    (c) =>
      c.developer === me && c.repo === ctx.repoId && c.branch === branch && c.published_at >= since && isActive(c, now),
  );
}
