import type OpenAI from 'openai';
import type { Response } from 'express';
import type { ChatMessage } from '../../../engine/ports/chat.js';
import type { CachedRetrieval, TurnLearning, TurnReport } from '../../../engine/index.js';
import type { RouteContext } from '../context.js';
import { proxyLearn } from '../proxy-turn.js';
import type { ResponseHistory } from './history.js';
import type { ResponsesBody } from './schema.js';

/**
 * One proxied Responses turn and its pipeline steps after the answer, as chat.ts does them for
 * Chat Completions: the learning hand-off (`sdk.turns.learn`, via proxy-turn.ts), the history
 * entry for `previous_response_id`, and the one report shape.
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

/**
 * Hand the finished turn to the learning loop (the conversation, cut by the pipeline after its
 * newest user message), as chat.ts does (proxy-turn.ts). An empty answer is a turn that is not
 * finished (a tool call to run, a background response not run yet).
 */
export function learnFromResponse(t: ResponsesTurn, replyText: string): Promise<TurnLearning> {
  const turn = { user: t.user, sessionId: t.body.autoskill?.session_id, options: t.body.autoskill, messages: t.conversation };
  return proxyLearn(t.ctx, turn, replyText, 'the answer is a tool call or not ready; the turn is not finished');
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
