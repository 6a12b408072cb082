import { z } from 'zod';
import type { Actor, JobEvent, JobInfo } from '../../../engine/index.js';
import type { RouteContext } from '../context.js';
import { HttpError } from '../errors.js';
import { defineRoute, type RouteDef } from '../route.js';
import { DONE_FRAME, commentFrame, eventFrame, startSse, write } from '../sse.js';
import { needsTurn, SurfaceField, turnMessages, TurnInput, UserField } from '../schemas.js';
import { jobEvent, skillDetail, skillSummary } from '../shapes.js';

/**
 * Extraction jobs: extract now, dry-run, list, get, and a live SSE stream of one job's events.
 * Jobs are durable (journal) and pushed as they change, not polled; a job is visible only to its
 * user (and admins).
 */

const E = '/v1/autoskill/extractions';

const JobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'invalid job id');

const hasTurnOrHint = (b: { messages?: unknown[] | undefined; query?: string | undefined; q?: string | undefined; hint?: string | undefined }) =>
  needsTurn(b) || !!b.hint?.trim();

export const ExtractNowBody = TurnInput.extend({
  hint: z.string().max(10_000).optional().describe('what to focus on / what the user wants remembered'),
  wait: z.boolean().optional().describe('answer only when the job is final (default false)'),
  session_id: z.string().min(1).max(200).optional().describe('conversation id, recorded with what is learned (provenance)'),
  surface: SurfaceField,
}).refine(hasTurnOrHint, { message: 'messages, query or hint is required', path: ['messages'] });

export const SimulateBody = TurnInput.extend({
  hint: z.string().max(10_000).optional(),
}).refine(hasTurnOrHint, { message: 'messages, query or hint is required', path: ['messages'] });

export const ListJobsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  user: UserField,
});

export const EventsQuery = z.object({
  timeout_s: z.coerce.number().min(1).max(300).default(30).describe('end the stream after this long (1..300 s)'),
  user: UserField,
});

async function visibleJob(ctx: RouteContext, id: string, actor: Actor): Promise<JobInfo> {
  // Someone else's job looks exactly like a missing one (the jobs service applies the policy).
  const job = await ctx.sdk.jobs.get(actor, id);
  if (!job) throw new HttpError(404, `extraction job not found: ${id}`, { code: 'not_found' });
  return job;
}

const isFinal = (state: string) => state === 'completed' || state === 'failed';

export function extractionRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: E,
      summary: 'extract now (background job; wait=true answers when it is final)',
      tag: 'extractions',
      body: ExtractNowBody,
      async handle({ ctx, actor, body }) {
        const { job } = await ctx.sdk.turns.extractNow(turnMessages(body), {
          userId: actor.userId,
          hint: body.hint,
          surface: body.surface ?? 'api',
          ...(body.session_id ? { sessionId: body.session_id } : {}),
          ...(body.wait ? { wait: true } : {}),
        });
        return { object: 'extraction_event', data: jobEvent(job, ctx.sdk, actor) };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${E}/simulate`,
      summary: 'dry run: what extraction and maintenance would do, nothing is written',
      tag: 'extractions',
      body: SimulateBody,
      async handle({ ctx, actor, body }) {
        const sim = await ctx.sdk.learning.simulate(actor, turnMessages(body), body.hint ? { hint: body.hint } : {});
        const c = sim.candidate;
        return {
          object: 'extraction_simulation',
          user: actor.userId,
          extractor: sim.extractor,
          count: c ? 1 : 0,
          reason: sim.reason,
          skills: c
            ? [
                {
                  name: c.name,
                  slug: c.slug,
                  description: c.description,
                  instructions: c.instructions,
                  triggers: c.triggers,
                  tags: c.tags,
                  examples: c.examples,
                  files: c.files,
                  resource_paths: Object.keys(c.files ?? {}),
                  confidence: c.confidence,
                },
              ]
            : [],
          action: sim.action ?? null,
          decision: sim.decision ?? null,
          preview: sim.preview ? skillDetail(sim.preview) : null,
          target: sim.target && ctx.sdk.get(sim.target.id, actor) ? skillSummary(sim.target) : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${E}/latest`,
      summary: 'your most recent extraction job',
      tag: 'extractions',
      query: z.object({ user: UserField }),
      async handle({ ctx, actor }) {
        const [job] = await ctx.sdk.jobs.list(actor, 1);
        return { object: 'extraction_event', data: job ? jobEvent(job, ctx.sdk, actor) : null };
      },
    }),
    defineRoute({
      method: 'get',
      path: E,
      summary: 'your extraction jobs, newest first',
      tag: 'extractions',
      query: ListJobsQuery,
      async handle({ ctx, actor, query }) {
        const jobs = await ctx.sdk.jobs.list(actor, query.limit);
        return { object: 'list', user: actor.userId, data: jobs.map((j) => jobEvent(j, ctx.sdk, actor)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${E}/:job_id`,
      summary: 'one extraction job',
      tag: 'extractions',
      params: z.object({ job_id: JobIdSchema }),
      query: z.object({ user: UserField }),
      async handle({ ctx, actor, params }) {
        return { object: 'extraction_event', data: jobEvent(await visibleJob(ctx, params.job_id, actor), ctx.sdk, actor) };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${E}/:job_id/events`,
      summary: 'SSE: `update` on every state change, then `done` with the final (or, on timeout, current) state and `data: [DONE]`',
      tag: 'extractions',
      params: z.object({ job_id: JobIdSchema }),
      query: EventsQuery,
      returns: 'text/event-stream',
      async handle({ res, ctx, actor, params, query }) {
        if (ctx.closing) throw new HttpError(503, 'server is shutting down', { code: 'shutting_down' });
        // The service subscribes before reading the current state, so no transition falls in between.
        const watched = await ctx.sdk.jobs.subscribe(actor, params.job_id);
        if (!watched) throw new HttpError(404, `extraction job not found: ${params.job_id}`, { code: 'not_found' });
        const { events } = watched;
        let current: JobInfo = watched.job;
        startSse(res);
        let ended = false;
        const finish = async (job: JobInfo) => {
          if (ended) return;
          ended = true;
          await write(res, eventFrame('done', jobEvent(job, ctx.sdk, actor)));
          res.end(DONE_FRAME);
        };
        const stop = () => void events.return?.();
        const untrack = ctx.sse.track(() => {
          void finish(current);
          stop();
        });
        const timeout = setTimeout(() => {
          void finish(current);
          stop();
        }, query.timeout_s * 1000);
        const heartbeat = setInterval(() => void write(res, commentFrame('keep-alive')), ctx.heartbeatMs);
        res.on('close', () => {
          ended = true;
          stop();
        });
        let lastSent = '';
        const send = async (job: JobInfo) => {
          const key = `${job.state}|${job.updatedAt}|${job.attempts}`;
          if (key === lastSent || ended) return;
          lastSent = key;
          await write(res, eventFrame('update', jobEvent(job, ctx.sdk, actor)));
        };
        try {
          await send(current);
          if (!isFinal(current.state)) {
            for await (const e of events as AsyncIterable<JobEvent>) {
              if (ended) break;
              current = e.job;
              await send(current);
              if (isFinal(current.state)) break;
            }
          }
          await finish(current);
        } finally {
          clearTimeout(timeout);
          clearInterval(heartbeat);
          untrack();
          stop();
        }
        return undefined;
      },
    }),
  ];
}
