import { z } from 'zod';
import type { TurnRetrieval } from '../autoskill.js';
import type { JobInfo } from '../jobs/runner.js';

/**
 * The one report of a turn, whatever the surface (proxy answer body and headers, AI SDK
 * `providerMetadata.autoskill`, LangChain `response_metadata.autoskill` and `onReport`, MCP
 * `extract_now`, the terminal chat, the web page): what was retrieved, what was injected (standing
 * skills marked), and which learning job was scheduled or why none was. Plain JSON in snake_case
 * (it goes over the wire), declared with type aliases so it fits JSON-typed slots such as the AI
 * SDK's `providerMetadata`. The zod schemas document it (MCP output schema) and let clients check it.
 */

export const ReportHitSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  owner: z.string(),
  score: z.number(),
});

export const InjectedSkillSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  score: z.number().nullable().describe('retrieval score; null for a standing skill (injected whatever the request, not scored)'),
  mode: z.enum(['full', 'summary']).describe('the whole skill, or only its summary when the context budget ran out'),
  standing: z.boolean().describe('a standing preference of the user (metadata.applies: always), injected on every turn'),
});

export const LearningStatusSchema = z
  .enum(['scheduled', 'pending', 'not_scheduled', 'disabled', 'failed'])
  .describe(
    'scheduled: a job was accepted (state says where it is; `recording`: its journal write is in flight, and it is durable once ' +
      'GET /v1/autoskill/extractions/{id} finds it); pending: being recorded, id not known in time; ' +
      'not_scheduled: the policy decided against a job (reason says why); disabled: learning is off; failed: the job could not be recorded',
  );

export const TurnLearningSchema = z.object({
  status: LearningStatusSchema,
  job_id: z.string().nullable(),
  state: z.string().nullable().describe("the job's state when reported (recording, scheduled, running, completed, failed)"),
  reason: z.string(),
});

export const TurnReportSchema = z.object({
  user: z.string(),
  session_id: z.string().nullable(),
  retrieval: z.object({
    query: z.string().describe('the search query (the newest user message, completed from history for a bare follow-up)'),
    ms: z.number(),
    cached: z.boolean().describe('served from the per-turn cache (a later step of a tool loop)'),
    timed_out: z.boolean(),
    error: z.string().nullable(),
    hits: z.array(ReportHitSchema).describe('task skills retrieved for the request, best first'),
  }),
  skills: z.array(InjectedSkillSchema).describe("what went into the model's context, standing skills first"),
  extraction: TurnLearningSchema,
});

export type ReportHit = z.infer<typeof ReportHitSchema>;
export type InjectedSkill = z.infer<typeof InjectedSkillSchema>;
export type LearningStatus = z.infer<typeof LearningStatusSchema>;
export type TurnLearning = z.infer<typeof TurnLearningSchema>;
export type TurnReport = z.infer<typeof TurnReportSchema>;

const round = (n: number) => Math.round(n * 10_000) / 10_000;

export const LEARNING_DISABLED: TurnLearning = { status: 'disabled', job_id: null, state: null, reason: 'learning is off for this request' };
export const LEARNING_NOT_RUN: TurnLearning = { status: 'not_scheduled', job_id: null, state: null, reason: 'the turn did not finish' };

/** A recorded job as the report's learning part; a failed job's reason is its error. */
export function learningOfJob(job: JobInfo, reason: string): TurnLearning {
  return { status: 'scheduled', job_id: job.id, state: job.state, reason: job.state === 'failed' && job.error ? job.error : reason };
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
