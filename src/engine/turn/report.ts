import type { TurnRetrieval } from '../autoskill.js';
import type { JobInfo } from '../jobs/runner.js';

/**
 * The one report of a turn, whatever the surface (proxy answer body and headers, AI SDK
 * `providerMetadata.autoskill`, LangChain `response_metadata.autoskill` and `onReport`, MCP
 * `extract_now`, the terminal chat, the web page): what was retrieved, what was injected (standing
 * skills marked), and which learning job was scheduled or why none was. Plain JSON in snake_case
 * (it goes over the wire), declared with type aliases so it fits JSON-typed slots such as the AI
 * SDK's `providerMetadata`.
 */

export type ReportHit = {
  id: string;
  name: string;
  version: string;
  owner: string;
  score: number;
};

export type InjectedSkill = {
  id: string;
  name: string;
  version: string;
  /** retrieval score; null for a standing skill (injected whatever the request, not scored) */
  score: number | null;
  /** the whole skill, or only its summary when the context budget ran out */
  mode: 'full' | 'summary';
  /** a standing preference of the user (`metadata.applies: always`), injected on every turn */
  standing: boolean;
};

export type LearningStatus =
  /** a job was recorded: `state` is where it is now */
  | 'scheduled'
  /** the job is being recorded; its id was not known in time (it still runs) */
  | 'pending'
  /** the policy decided against a job for this turn (`reason` says why) */
  | 'not_scheduled'
  /** learning is off for this request or surface */
  | 'disabled'
  /** the job could not be recorded (`reason` has the error) */
  | 'failed';

export type TurnLearning = {
  status: LearningStatus;
  job_id: string | null;
  /** the job's state when reported (scheduled, running, completed, failed) */
  state: string | null;
  reason: string;
};

export type TurnReport = {
  user: string;
  session_id: string | null;
  retrieval: {
    /** the search query (the newest user message, completed from history for a bare follow-up) */
    query: string;
    ms: number;
    /** served from the per-turn cache (a later step of a tool loop) */
    cached: boolean;
    timed_out: boolean;
    error: string | null;
    /** task skills retrieved for the request, best first */
    hits: ReportHit[];
  };
  /** what went into the model's context, standing skills first */
  skills: InjectedSkill[];
  extraction: TurnLearning;
};

const round = (n: number) => Math.round(n * 10_000) / 10_000;

export const LEARNING_DISABLED: TurnLearning = { status: 'disabled', job_id: null, state: null, reason: 'learning is off for this request' };
export const LEARNING_NOT_RUN: TurnLearning = { status: 'not_scheduled', job_id: null, state: null, reason: 'the turn did not finish' };

export function learningOfJob(job: JobInfo, reason: string): TurnLearning {
  return { status: 'scheduled', job_id: job.id, state: job.state, reason };
}

export interface ReportInput {
  userId: string;
  sessionId?: string | undefined;
  retrieval?: (TurnRetrieval & { cached?: boolean }) | undefined;
  learning?: TurnLearning | undefined;
}

export function buildReport({ userId, sessionId, retrieval: r, learning }: ReportInput): TurnReport {
  const hits = r?.hits ?? [];
  const byId = new Map(hits.map((h) => [h.skill.id, h]));
  const standing = new Map((r?.standing ?? []).map((s) => [s.id, s]));
  const skills: InjectedSkill[] = (r?.context?.included ?? []).map((inc) => {
    const hit = byId.get(inc.id);
    const pref = standing.get(inc.id);
    return {
      id: inc.id,
      name: hit?.skill.name ?? pref?.name ?? inc.id,
      version: inc.version,
      score: hit ? round(hit.score) : null,
      mode: inc.mode,
      standing: inc.standing === true || (pref !== undefined && hit === undefined),
    };
  });
  return {
    user: userId,
    session_id: sessionId ?? null,
    retrieval: {
      query: r?.query ?? '',
      ms: r?.ms ?? 0,
      cached: r?.cached ?? false,
      timed_out: r?.timedOut ?? false,
      error: r?.error ?? null,
      hits: hits.map((h) => ({ id: h.skill.id, name: h.skill.name, version: h.skill.version, owner: h.skill.owner, score: round(h.score) })),
    },
    skills,
    extraction: learning ?? LEARNING_NOT_RUN,
  };
}
