import { z } from 'zod';
import { lastUserMessage, toChatMessages } from '../../../engine/ports/chat.js';
import { HttpError } from '../errors.js';
import { defineRoute, type RouteDef } from '../route.js';
import { needsTurn, ScopeParam, turnMessages, TurnInput } from '../schemas.js';
import { hitLists, skillSummary } from '../shapes.js';

/** `POST /v1/autoskill/retrieval/preview`: what the chat path would inject for these messages. */

export const PreviewBody = TurnInput.extend({
  scope: ScopeParam.optional(),
  limit: z.number().int().min(1).max(50).optional(),
  min_score: z.number().min(0).max(1).optional(),
  max_context_chars: z.number().int().min(100).max(200_000).optional(),
  rewrite: z.boolean().optional().describe('complete a bare follow-up from recent history (default true)'),
}).refine(needsTurn, { message: 'messages or query is required', path: ['messages'] });

export function retrievalRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/autoskill/retrieval/preview',
      summary: 'preview retrieval and the rendered skills context for messages or a query',
      tag: 'retrieval',
      body: PreviewBody,
      async handle({ ctx, actor, body }) {
        const messages = turnMessages(body);
        const latest = lastUserMessage(toChatMessages(messages))?.content;
        if (!latest) throw new HttpError(400, 'messages must include a user message with text', { code: 'invalid_request', param: 'messages' });
        const d = ctx.sdk.retrievalDefaults;
        const scope = body.scope ?? d.scope;
        const topK = body.limit ?? d.topK;
        const minScore = body.min_score ?? d.minScore;
        const r = await ctx.sdk.retrieveForTurn(messages, {
          userId: actor.userId,
          scope,
          topK,
          minScore,
          ...(body.max_context_chars ? { maxContextChars: body.max_context_chars } : {}),
          ...(body.rewrite !== undefined ? { rewrite: body.rewrite } : {}),
          timeoutMs: Math.max(ctx.retrievalTimeoutMs, 5000),
        });
        const lists = hitLists(r.hits);
        const included = new Set(r.context?.included.map((i) => i.id) ?? []);
        return {
          object: 'retrieval_preview',
          user: actor.userId,
          scope,
          top_k: topK,
          min_score: minScore,
          event_time: Date.now(),
          original_query: latest,
          latest_user_query: latest,
          rewritten_query: r.query !== latest ? r.query : null,
          search_query: r.query,
          query: latest,
          hits: lists.data,
          hits_user: lists.user,
          hits_library: lists.common,
          selected_for_use_ids: r.hits.map((h) => h.skill.id),
          selected_for_context_ids: [...included],
          selected_skills: r.hits.filter((h) => included.has(h.skill.id)).map((h) => skillSummary(h.skill)),
          standing_skills: r.standing.filter((sk) => included.has(sk.id)).map(skillSummary),
          context_injected: included.size > 0,
          context: r.context?.text ?? '',
          context_truncated: r.context?.truncated ?? false,
          error: r.error ?? null,
          timed_out: r.timedOut ?? false,
          ms: r.ms,
        };
      },
    }),
  ];
}
