import type { Request, Response } from 'express';
import type { z } from 'zod';
import { LEARNING_DISABLED, learningWithin, type CachedRetrieval, type MessagesInput, type TurnLearning } from '../../engine/index.js';
import type { RouteContext } from './context.js';
import { HttpError } from './errors.js';
import type { proxyAutoskillField } from './schemas.js';

/**
 * Small pieces every proxied model surface (chat completions, responses, messages) uses the same
 * way: the opt-in report, the retrieval and learning steps of the turn pipeline, the skills and job
 * headers, and cancelling the upstream call when our caller goes away or the upstream stalls.
 */

/** The `autoskill` request field of every proxy surface (schemas.ts). */
export type ProxyOptions = z.output<ReturnType<typeof proxyAutoskillField>>;

export function truthyHeader(req: Request, name: string): boolean {
  const v = req.headers[name];
  return typeof v === 'string' && /^(1|true|yes|on)$/i.test(v.trim());
}

/** The turn report was asked for: body `autoskill: {return: true}` or header `X-AutoSkill-Return`. */
export function wantsReport(req: Request, o: ProxyOptions | undefined): boolean {
  return o?.return === true || truthyHeader(req, 'x-autoskill-return');
}

/** `id@version,...`; ids come from imported files and may hold any character, so they are URI-encoded. */
export function skillsHeader(r: CachedRetrieval | undefined): string {
  return r?.context?.included.map((i) => `${encodeURIComponent(i.id)}@${i.version}`).join(',') ?? '';
}

/** setHeader, not res.set: Express would append a charset to an upstream's content type. */
export function setHeaders(res: Response, headers: Record<string, string>): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
}

/** The reporting headers of a non-stream answer: the injected skills, and the job id once allocated. */
export function setTurnHeaders(res: Response, r: CachedRetrieval | undefined, learning: TurnLearning): void {
  res.setHeader('X-AutoSkill-Skills', skillsHeader(r));
  if (learning.job_id) {
    res.setHeader('X-AutoSkill-Job', learning.job_id);
    res.locals.job = learning.job_id;
  }
}

/** Abort the upstream call when our client goes away (`res` close before the end). */
export function abortOnDisconnect(res: Response): AbortController {
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort(new Error('client disconnected'));
  });
  return ac;
}

/**
 * A watchdog that aborts `ac` with `reason` once `ms` pass without `arm()` (re-armed per chunk
 * while a stream flows); no-op without a timeout. The openai client's own timeout covers only the
 * wait for headers.
 */
export function idleWatchdog(ac: AbortController, ms: number | undefined, reason: () => unknown): { arm(): void; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    arm() {
      if (!ms) return;
      clearTimeout(timer);
      timer = setTimeout(() => ac.abort(reason()), ms);
    },
    clear: () => clearTimeout(timer),
  };
}

/**
 * The idle watchdog's abort reason for a stalled stream (504 `upstream_timeout`), made only when it
 * fires: an Error captures a stack trace when constructed, tens of microseconds on every stream.
 */
export function stallReason(message: string): { make(): HttpError; is(reason: unknown): boolean } {
  let made: HttpError | undefined;
  return {
    make: () => (made ??= new HttpError(504, message, { code: 'upstream_timeout' })),
    is: (reason) => made !== undefined && reason === made,
  };
}

/** Request options for the openai client: the abort signal and the upstream timeout, if any. */
export function upstreamOptions(ctx: RouteContext, signal: AbortSignal) {
  return { signal, ...(ctx.upstreamTimeoutMs ? { timeout: ctx.upstreamTimeoutMs } : {}) };
}

/** The turn's one retrieval (`sdk.turns.retrieve`, cached across the steps of a tool loop), unless opted out. */
export async function proxyRetrieve(ctx: RouteContext, user: string, o: ProxyOptions | undefined, messages: MessagesInput): Promise<CachedRetrieval | undefined> {
  if (o?.retrieve === false) return undefined;
  return ctx.sdk.turns.retrieve(messages, {
    userId: user,
    timeoutMs: ctx.retrievalTimeoutMs,
    ...(o?.scope ? { scope: o.scope } : {}),
    ...(o?.top_k ? { topK: o.top_k } : {}),
    ...(o?.min_score !== undefined ? { minScore: o.min_score } : {}),
  });
}

/**
 * Hand a finished turn to the learning loop. The answer carries the job id as soon as it is
 * allocated, without waiting for the journal write (under load that write, with its cross-process
 * lock and fsync, took longer than an answer should wait, and the header went missing). What the
 * id acknowledges: the job is accepted; it is durable, and runs exactly once even after a crash,
 * once `GET /v1/autoskill/extractions/{id}` finds it (that read waits for the write). A crash in
 * between loses the job; a graceful shutdown waits for the write. `scheduleTimeoutMs` still bounds
 * the wait for the policy decision itself. An empty `replyText` is a turn that is not finished
 * (`unfinished` says why, in the surface's words).
 */
export async function proxyLearn(
  ctx: RouteContext,
  turn: { user: string; sessionId: string | undefined; options: ProxyOptions | undefined; messages: MessagesInput },
  replyText: string,
  unfinished: string,
): Promise<TurnLearning> {
  const { user } = turn;
  if (!ctx.learning || turn.options?.learn === false) return LEARNING_DISABLED;
  if (!replyText.trim()) return { status: 'not_scheduled', job_id: null, state: null, reason: unfinished };
  const scheduled = ctx.sdk.turns.learn(turn.messages, { userId: user, sessionId: turn.sessionId, acknowledge: 'accepted', surface: 'proxy' }).then((learning) => {
    if (learning.status === 'failed') ctx.logger.warn('learning: could not schedule', { user, error: learning.reason });
    return learning;
  });
  return learningWithin(scheduled, ctx.scheduleTimeoutMs);
}
