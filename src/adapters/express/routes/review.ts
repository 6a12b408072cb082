import { z } from 'zod';
import { isPending, REVIEW_REASON_KEY } from '../../../engine/index.js';
import { defineRoute, type RouteDef } from '../route.js';
import { SkillIdSchema, UserField } from '../schemas.js';
import { skillDetail, skillSummary } from '../shapes.js';

/**
 * Review of learned skills: those held because the poisoning scan flagged them, or because the
 * server runs in review mode. A held skill is never injected until its owner approves it;
 * rejecting is deleting it (`DELETE /v1/autoskill/skills/:id`).
 */

const IdParams = z.object({ id: SkillIdSchema });

export function reviewRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/autoskill/review',
      summary: 'your learned skills waiting for review (never injected until approved)',
      tag: 'skills',
      query: z.object({ user: UserField }),
      handle: ({ ctx, actor }) => ({
        object: 'list',
        user: actor.userId,
        data: ctx.sdk.pending(actor.userId).map((s) => ({ ...skillSummary(s), review_reason: s.metadata[REVIEW_REASON_KEY] ?? null })),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/autoskill/skills/:id/approve',
      summary: 'approve a skill held for review: it goes live as a new version',
      tag: 'skills',
      params: IdParams,
      body: z.object({ user: UserField }),
      async handle({ ctx, actor, params }) {
        const before = ctx.sdk.get(params.id, actor);
        const saved = await ctx.sdk.approve(params.id, actor);
        return { ok: true, object: 'skill', approved: before !== undefined && isPending(before), data: skillDetail(saved) };
      },
    }),
  ];
}
