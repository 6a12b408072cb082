import { v7 as uuidv7 } from 'uuid';

/**
 * Job ids carry the moment they were accepted (`job_` + a UUIDv7, whose first 48 bits are the
 * Unix time in ms). `JobRunner.enqueue` hands an id out before the journal write lands; in the
 * process that accepted it, readers wait for that write. Another process sharing the journal
 * (`serve --workers N`, replicas on one PostgreSQL) cannot see that write in flight, so it uses
 * the id's own time: an id accepted moments ago that the journal does not hold yet is waited
 * for, for a bounded time, instead of being reported missing. Ids of the older random form
 * (`job_` + UUIDv4) stay valid; they are simply never waited for.
 */

/** How long after its acceptance a job's journal write may still be in flight in another process. */
export const ACCEPT_WINDOW_MS = 10_000;
/** Clock skew tolerated between processes (ids "from the future" beyond this are not waited for). */
const SKEW_MS = 1_000;

const V7 = /^job_([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function newJobId(): string {
  return `job_${uuidv7()}`;
}

/** The ms timestamp a `job_<uuidv7>` id was made at; undefined for any other id. */
export function acceptedAt(id: string): number | undefined {
  const m = V7.exec(id);
  return m ? parseInt(m[1]! + m[2]!, 16) : undefined;
}

/**
 * Until when a reader should keep looking for `id` that the journal does not hold yet: the end of
 * its accept window, or undefined when there is nothing to wait for (an old or foreign id, one
 * accepted too long ago, or one stamped implausibly far in the future).
 */
export function pendingUntil(id: string, now = Date.now()): number | undefined {
  const at = acceptedAt(id);
  if (at === undefined || at > now + SKEW_MS) return undefined;
  const until = at + ACCEPT_WINDOW_MS;
  return until > now ? until : undefined;
}
