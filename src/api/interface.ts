// Interfaces declared ready for others: add (recording the file's hash, as a context
// records its touched files), list (each judged ready, stale or gone where its branch's
// work lives now) and revoke, over the clone's team store.
import { ADDRESS_FORMS, isAddress, parseAddress } from '../core/address.js';
import { interfaceTouches, interfaceView, judgeInterface, visibleInterfaces } from '../core/interfaces.js';
import { NotFoundError, UsageError } from '../errors.js';
import { INTERFACE_LIMITS, interfaceInput, type InterfaceView, type RevokedRecord } from '../schema/decision.js';
import type { RecordOf } from '../schema/records.js';
import { currentHashes, touchedFiles } from './context-files.js';
import {
  idAfter,
  normalizeTouched,
  openTeamStore,
  recordRead,
  usage,
  visibilityLookup,
  type ContextRequest,
  type StoreContext,
} from './context.js';
import { checkProse, parseInput, revokeOwn, teamFold, workEvent } from './decision.js';
import { sendMessage } from './message.js';

/** Declares `name` in `file` ready for others; the file must exist in this worktree. */
export async function addInterface(req: ContextRequest, raw: unknown): Promise<InterfaceView> {
  const input = parseInput('interface', interfaceInput.safeParse(raw));
  const name = checkProse('the interface name', input.name, INTERFACE_LIMITS.name);
  if (name === '') throw new UsageError('the interface name is empty', 'name what is ready, e.g. AuthContext');
  const description =
    input.description === undefined || input.description === ''
      ? undefined
      : checkProse('--description', input.description, INTERFACE_LIMITS.description);
  const file = normalizeTouched([input.file])[0]!;
  const notify = input.notify === undefined ? undefined : checkedNotify(input.notify);
  const { ctx, me: acting } = await openTeamStore(req);
  const me = acting!;
  const [touched] = await touchedFiles(ctx, [file]);
  if (!touched || touched.hash === '') {
    throw new NotFoundError(`no file "${file}" in this worktree`, 'declare an interface in a file that exists');
  }
  const branch = ctx.repo.branch ?? 'HEAD';
  const record: RecordOf<'interface'> = {
    id: idAfter(req.now, [...teamFold(ctx).interfaces.keys()]),
    author: me,
    at: req.now.toISOString(),
    kind: 'interface',
    interface: {
      name,
      file,
      ...(description ? { description } : {}),
      hash: touched.hash,
      ...(touched.blob ? { blob: touched.blob } : {}),
      repo: ctx.repoId,
      branch,
    },
  };
  const events = [
    usage('interface.add', me, ctx, req.now, { branch }),
    workEvent('session.interface_added', me, ctx, req.now, branch),
  ];
  await ctx.store.write([record], { now: req.now, events });
  const view = interfaceView(record, 'ready');
  if (notify === undefined) return view;
  // Adding sends nothing by itself; --notify also tells the address, as a message of its own.
  const about = description ? `: ${description}` : '';
  const body = `${name} in ${file} is ready to use${about}`;
  const sent = await sendMessage(req, { to: notify, type: 'interface_ready', body, files: [file] });
  return { ...view, message_id: sent.id };
}

/** The --notify address, checked before anything is written. */
function checkedNotify(raw: string): string {
  const parsed = parseAddress(raw);
  if (!isAddress(parsed))
    throw new UsageError(`bad --notify address "${raw}": ${parsed.error}`, `use ${ADDRESS_FORMS}`);
  return raw.trim();
}

/** Judges each interface against its file where its branch's work lives now (at most three git calls). */
export async function judgedInterfaces(
  ctx: StoreContext,
  records: readonly RecordOf<'interface'>[],
): Promise<InterfaceView[]> {
  const asTouched = records.map((r) => ({
    branch: r.interface.branch,
    touched_files: [{ path: r.interface.file, hash: r.interface.hash }],
  }));
  const hashes = await currentHashes(ctx, asTouched);
  return records.map((r) =>
    interfaceView(r, judgeInterface(r.interface, hashes.get(r.interface.branch)?.get(r.interface.file))),
  );
}

/** Interfaces that stand and that the caller may see, newest first, with their status. */
export async function listInterfaces(req: ContextRequest, filter: { file?: string } = {}): Promise<InterfaceView[]> {
  const file = filter.file === undefined ? undefined : normalizeTouched([filter.file])[0];
  const { ctx, me: acting } = await openTeamStore(req, false);
  const me = acting ?? '';
  const snap = ctx.store.snapshot();
  const visible = visibleInterfaces(snap.acc, me, visibilityLookup(ctx.store.readDevelopers()));
  const shown = file === undefined ? visible : visible.filter((r) => interfaceTouches(r.interface, file));
  const views = await judgedInterfaces(ctx, shown);
  await recordRead(ctx, req.now, { snap, events: [usage('interface.list', me || undefined, ctx, req.now)] });
  return views;
}

/** Revokes an interface of the caller's; anyone else's reads exactly like an unknown id. */
export function revokeInterface(req: ContextRequest, id: string): Promise<RevokedRecord> {
  return revokeOwn(req, id, {
    kind: 'interface',
    record: (envelope) => ({ ...envelope, kind: 'interface_revoke', interface_id: id }),
    authorOf: (acc, me, target) => visibleInterfaces(acc, me, () => 'private').find((r) => r.id === target)?.author,
    notFound: (target) =>
      new NotFoundError(`no interface "${target}" that you can revoke`, 'see `handoff interface list`'),
  });
}
