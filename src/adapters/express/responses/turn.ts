import type OpenAI from 'openai';
import type { Response } from 'express';
import type { ChatMessage } from '../../../engine/learn/messages.js';
import { learningWithin, type CachedRetrieval } from '../../../engine/turn/pipeline.js';
import { LEARNING_DISABLED, type TurnLearning, type TurnReport } from '../../../engine/turn/report.js';
import type { RouteContext } from '../context.js';
import type { ResponseHistory } from './history.js';
import type { ResponsesBody } from './schema.js';

/**
 * One proxied Responses turn and its three pipeline steps, as chat.ts does them for Chat
 * Completions: one retrieval (`sdk.turns.retrieve`, cached across the steps of a tool loop), the
 * learning hand-off after the answer (`sdk.turns.learn`), and the one report shape.
 */

export interface ResponsesTurn {
  ctx: RouteContext;
  client: OpenAI;
  res: Response;
  user: string;
  /** the caller's request, as validated */
  body: ResponsesBody;
  /** what goes upstream: the caller's fields, skills in `instructions`, our own fields stripped */
  upstreamBody: Record<string, unknown>;
  /** the turn as plain messages: the remembered chain of `previous_response_id`, then `input` */
  conversation: ChatMessage[];
  retrieval: CachedRetrieval | undefined;
  wantReport: boolean;
  history: ResponseHistory;
}

export async function retrieveForTurn(ctx: RouteContext, user: string, body: ResponsesBody, conversation: ChatMessage[]): Promise<CachedRetrieval | undefined> {
  if (body.autoskill?.retrieve === false) return undefined;
  const o = body.autoskill;
  return ctx.sdk.turns.retrieve(conversation, {
    userId: user,
    timeoutMs: ctx.retrievalTimeoutMs,
    ...(o?.scope ? { scope: o.scope } : {}),
    ...(o?.top_k ? { topK: o.top_k } : {}),
    ...(o?.min_score !== undefined ? { minScore: o.min_score } : {}),
  });
}

/**
 * Hand the finished turn to the learning loop (the conversation, cut by the pipeline after its
 * newest user message), as chat.ts does: the job id is reported as soon as it is allocated
 * (`acknowledge: 'accepted'`, no wait for the journal write), and the policy decision is waited
 * for at most `scheduleTimeoutMs`. An empty answer is a turn that is not finished (a tool call to
 * run, a background response not run yet).
 */
export async function learnFromTurn(t: ResponsesTurn, replyText: string): Promise<TurnLearning> {
  const { ctx, user, body } = t;
  if (!ctx.learning || body.autoskill?.learn === false) return LEARNING_DISABLED;
  if (!replyText.trim()) {
    return { status: 'not_scheduled', job_id: null, state: null, reason: 'the answer is a tool call or not ready; the turn is not finished' };
  }
  const scheduled = ctx.sdk.turns.learn(t.conversation, { userId: user, sessionId: body.autoskill?.session_id, acknowledge: 'accepted', surface: 'proxy' }).then((learning) => {
    if (learning.status === 'failed') ctx.logger.warn('learning: could not schedule', { user, error: learning.reason });
    return learning;
  });
  return learningWithin(scheduled, ctx.scheduleTimeoutMs);
}

/** Remember the turn under the new response id, so a `previous_response_id` follow-up has its context. */
export function rememberTurn(t: ResponsesTurn, responseId: unknown, replyText: string): void {
  if (typeof responseId !== 'string' || !responseId || t.body.store === false) return;
  const answer: ChatMessage[] = replyText.trim() ? [{ role: 'assistant', content: replyText }] : [];
  t.history.set(responseId, t.user, [...t.conversation, ...answer]);
}

export function reportOf(t: ResponsesTurn, learning: TurnLearning): TurnReport {
  return t.ctx.sdk.turns.report({ userId: t.user, sessionId: t.body.autoskill?.session_id, retrieval: t.retrieval, learning });
}
