// One check of doctor's, as plain data: ok / warn / fail, what was found, and the command
// that fixes it. Shared by api's repository checks and setup's agent checks (api/doctor.ts
// runs both); pure, so both layers can use it.
import { joinLines } from '../errors.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** A check that threw is a failed check naming why, never a crashed doctor. */
export async function guarded(
  name: string,
  fix: string | undefined,
  run: () => Promise<Check> | Check,
): Promise<Check> {
  try {
    return await run();
  } catch (error) {
    return { name, status: 'fail', detail: joinLines((error as Error).message), ...(fix ? { fix } : {}) };
  }
}
