import { z } from 'zod';
import { NotFoundError } from '../../../engine/index.js';
import { HttpError } from '../errors.js';
import { defineRoute, type RouteDef } from '../route.js';
import { QueryBool, ScopeParam, SkillIdSchema, UserField } from '../schemas.js';
import { hitLists, skillDetail, skillPage } from '../shapes.js';

/** Skill CRUD and search: `/v1/autoskill/skills[...]`. Ownership is enforced by the facade (Actor). */

const S = '/v1/autoskill/skills';

const IdParams = z.object({ id: SkillIdSchema });

export const ListSkillsQuery = z.object({
  user: UserField,
  scope: ScopeParam.default('user').describe('user (default: your own skills), common, or all'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export const GetSkillQuery = z.object({ user: UserField, include_md: QueryBool.optional() });

export const SaveSkillMdBody = z
  .object({
    skill_md: z.string().min(1).max(1_000_000).optional(),
    md: z.string().min(1).max(1_000_000).optional(),
    user: UserField,
  })
  .refine((b) => b.skill_md !== undefined || b.md !== undefined, { message: 'skill_md is required', path: ['skill_md'] });

export const SearchSkillsBody = z
  .object({
    query: z.string().min(1).max(10_000).optional(),
    q: z.string().min(1).max(10_000).optional(),
    user: UserField,
    scope: ScopeParam.default('all'),
    limit: z.number().int().min(1).max(200).optional(),
    min_score: z.number().min(0).max(1).optional(),
    tags: z.array(z.string().max(100)).max(20).optional(),
    metadata: z.record(z.string(), z.string()).optional(),
  })
  .refine((b) => b.query !== undefined || b.q !== undefined, { message: 'query is required', path: ['query'] });

export const SetAppliesBody = z.object({
  applies: z.enum(['always', 'task']).describe('always = a standing preference injected on every turn; task = retrieved when a request matches'),
  user: UserField,
});

export function skillRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: S,
      summary: 'list skills (default: your own; scope=common|all for more)',
      tag: 'skills',
      query: ListSkillsQuery,
      handle: ({ ctx, actor, query }) => {
        const all = ctx.sdk.list({ userId: actor.userId, scope: query.scope });
        return skillPage(all, query, { user: actor.userId, scope: query.scope });
      },
    }),
    defineRoute({
      method: 'post',
      path: `${S}/search`,
      summary: 'search skills (hybrid lexical + vectors; no query rewrite)',
      tag: 'skills',
      body: SearchSkillsBody,
      async handle({ ctx, actor, body }) {
        const query = (body.query ?? body.q)!;
        const filters = body.tags || body.metadata ? { ...(body.tags ? { tags: body.tags } : {}), ...(body.metadata ? { metadata: body.metadata } : {}) } : undefined;
        const hits = await ctx.sdk.search(query, {
          userId: actor.userId,
          scope: body.scope,
          ...(body.limit ? { limit: body.limit } : {}),
          ...(body.min_score !== undefined ? { minScore: body.min_score } : {}),
          ...(filters ? { filters } : {}),
        });
        const lists = hitLists(hits);
        return { object: 'list', query, user: actor.userId, scope: body.scope, data: lists.data, data_user: lists.user, data_library: lists.common, error: null };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${S}/:id`,
      summary: 'one skill (include_md=1 adds the SKILL.md text)',
      tag: 'skills',
      params: IdParams,
      query: GetSkillQuery,
      handle: ({ ctx, actor, params, query }) => {
        const skill = ctx.sdk.get(params.id, actor);
        if (!skill) throw new NotFoundError(`skill not found: ${params.id}`);
        return { object: 'skill', data: skillDetail(skill, query.include_md ? ctx.sdk.skillMd(skill.id, actor) : undefined) };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${S}/:id/md`,
      summary: "a skill's SKILL.md text",
      tag: 'skills',
      params: IdParams,
      query: z.object({ user: UserField }),
      handle: ({ ctx, actor, params }) => {
        const skillMd = ctx.sdk.skillMd(params.id, actor);
        const skill = ctx.sdk.get(params.id, actor)!;
        return { object: 'skill_md', skill_id: skill.id, name: skill.name, version: skill.version, skill_md: skillMd };
      },
    }),
    defineRoute({
      method: 'put',
      path: `${S}/:id/md`,
      summary: 'replace a skill from edited SKILL.md text (validated; the version is bumped, history kept)',
      tag: 'skills',
      params: IdParams,
      accepts: ['json', 'markdown'],
      body: SaveSkillMdBody,
      async handle({ ctx, actor, params, body, raw }) {
        const text = raw?.kind === 'markdown' ? raw.text : (body?.skill_md ?? body?.md);
        if (!text?.trim()) throw new HttpError(400, 'skill_md is required', { code: 'invalid_request', param: 'skill_md' });
        const saved = await ctx.sdk.saveSkillMd(params.id, text, actor);
        const history = await ctx.sdk.versions(saved.id, actor);
        return { ok: true, object: 'skill', data: skillDetail(saved, ctx.sdk.skillMd(saved.id, actor)), history_count: history.length };
      },
    }),
    defineRoute({
      method: 'put',
      path: `${S}/:id/applies`,
      summary: 'make a skill standing (applies: always, injected on every turn) or task-bound (applies: task); writes a new version',
      tag: 'skills',
      params: IdParams,
      body: SetAppliesBody,
      async handle({ ctx, actor, params, body }) {
        const saved = await ctx.sdk.setApplies(params.id, body.applies, actor);
        return { ok: true, object: 'skill', data: skillDetail(saved) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${S}/:id`,
      summary: 'delete a skill (its version history is kept, so it can be restored by rollback)',
      tag: 'skills',
      params: IdParams,
      query: z.object({ user: UserField }),
      async handle({ ctx, actor, params }) {
        const deleted = await ctx.sdk.delete(params.id, actor);
        if (!deleted) throw new NotFoundError(`skill not found: ${params.id}`);
        return { ok: true, deleted: true, skill_id: params.id };
      },
    }),
  ];
}
