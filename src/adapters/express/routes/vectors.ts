import { z } from 'zod';
import { canRebuildIndex, type AutoSkill, type VectorStatus } from '../../../engine/index.js';
import { HttpError } from '../errors.js';
import { defineRoute, type RouteDef } from '../route.js';
import { ScopeParam, UserField } from '../schemas.js';

/** Vector index status and rebuild (the index is shared by all users; rebuilding is admin-only with API keys). */

const V = '/v1/autoskill/vectors';

export const VectorStatusQuery = z.object({ scope: ScopeParam.default('all'), user: UserField });

export const RebuildBody = z.object({
  force: z.boolean().default(false).describe('drop stored vectors and embed everything again'),
  blocking: z.boolean().default(true).describe('false: answer at once and rebuild in the background'),
  scope: ScopeParam.optional(),
  user: UserField,
});

/** Upstream's field names, plus the embedder and whole-index counts. */
function statusView(sdk: AutoSkill, user: string, s: VectorStatus) {
  return {
    scope: s.scope,
    user,
    total_skills: s.skills,
    indexed_skills: s.indexed,
    missing_skills: s.missing,
    pending_skills: 0,
    index_size: s.indexSize,
    vectors: s.vectors,
    dims: s.dims,
    embedder: s.signature,
    backend: sdk.skills.backend,
  };
}

export function vectorRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: `${V}/status`,
      summary: 'vector index status (counts for your skills in the scope, plus the embedder)',
      tag: 'vectors',
      query: VectorStatusQuery,
      handle: ({ ctx, actor, query }) => ({
        object: 'vector_status',
        data: statusView(ctx.sdk, actor.userId, ctx.sdk.vectorStatus({ userId: actor.userId, scope: query.scope })),
      }),
    }),
    defineRoute({
      method: 'post',
      path: `${V}/rebuild`,
      summary: 'embed missing (or, with force, all) skills again',
      tag: 'vectors',
      body: RebuildBody,
      async handle({ ctx, actor, body }) {
        // Without API keys every caller is trusted (the local server); with keys, the policy decides.
        if (ctx.keys && !canRebuildIndex(actor)) throw new HttpError(403, 'rebuilding the shared vector index needs an admin key', { code: 'forbidden' });
        const scope = body.scope ?? 'all';
        const run = ctx.sdk.rebuildVectors({ force: body.force });
        if (!body.blocking) {
          run.catch((err: unknown) => ctx.logger.warn('vector rebuild failed', { error: String(err) }));
          return { ok: true, object: 'vector_rebuild', data: { user: actor.userId, scope, force: body.force, blocking: false, rebuilt: null, status: 'scheduled' } };
        }
        const result = await run;
        return {
          ok: true,
          object: 'vector_rebuild',
          data: {
            user: actor.userId,
            scope,
            force: body.force,
            blocking: true,
            rebuilt: result.embedded,
            ms: result.ms,
            status: statusView(ctx.sdk, actor.userId, ctx.sdk.vectorStatus({ userId: actor.userId, scope })),
          },
        };
      },
    }),
  ];
}
