import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClaimOptions, JobRecord } from './journal.js';

/**
 * Claiming rules shared by the journals, and runner identity. A runner id is
 * `<host>:<pid>:<random>`, so a journal can tell that a `running` job's owner died without
 * waiting for its lease: same host, and the pid is gone (or it is this process and that runner
 * is no longer registered).
 */

const HOST = hostname();
const liveRunners = new Set<string>();

export function newRunnerId(): string {
  return `${HOST}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** Mark a runner id as alive in this process (until `unregisterRunner`). */
export function registerRunner(id: string): void {
  liveRunners.add(id);
}

export function unregisterRunner(id: string): void {
  liveRunners.delete(id);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True only when we can prove the owner is gone; unknown owners (other hosts) rely on the lease. */
export function ownerIsDead(owner: string | undefined): boolean {
  if (!owner) return true;
  const parts = owner.split(':');
  if (parts.length < 3) return false;
  const rand = parts.pop();
  const pid = Number(parts.pop());
  const host = parts.join(':');
  if (host !== HOST || !Number.isInteger(pid) || !rand) return false;
  if (pid === process.pid) return !liveRunners.has(owner);
  return !pidAlive(pid);
}

export function isFinal(job: JobRecord): boolean {
  return job.state === 'completed' || job.state === 'failed';
}

function abandoned(job: JobRecord, nowMs: number): boolean {
  const until = job.leaseUntil ? Date.parse(job.leaseUntil) : 0;
  return !(until > nowMs) || ownerIsDead(job.owner);
}

/** The job to claim from `jobs` (creation order), honouring per-user FIFO. */
export function pickClaimable(jobs: Iterable<JobRecord>, opts: ClaimOptions, nowMs: number): JobRecord | undefined {
  const busy = new Set<string>();
  for (const job of jobs) {
    if (isFinal(job) || busy.has(job.userId)) continue;
    // Whatever happens next, later jobs of this user wait for this one.
    busy.add(job.userId);
    if (opts.userIds && !opts.userIds.includes(job.userId)) continue;
    if (job.state === 'scheduled') return job;
    if (job.state === 'running' && abandoned(job, nowMs)) return job;
  }
  return undefined;
}

/** The claimed form of a job. */
export function claimed(job: JobRecord, opts: ClaimOptions, nowMs: number): JobRecord {
  return {
    ...job,
    state: 'running',
    owner: opts.owner,
    leaseUntil: new Date(nowMs + opts.leaseMs).toISOString(),
    attempts: job.attempts + 1,
    updatedAt: new Date(nowMs).toISOString(),
  };
}
