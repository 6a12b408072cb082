import { z } from 'zod';
import { NotFoundError } from '../../../engine/index.js';
import { defineRoute, type RouteDef } from '../route.js';
import { SkillIdSchema, UserField, VersionSchema } from '../schemas.js';
import { skillDetail } from '../shapes.js';

/** Version history: list, read one, diff two, roll back. */

const S = '/v1/autoskill/skills';

const IdParams = z.object({ id: SkillIdSchema });

export const RollbackBody = z.object({
  version: VersionSchema.optional().describe('version to restore (default: the one before the current)'),
  user: UserField,
});

export const DiffQuery = z.object({
  from: VersionSchema.optional().describe('default: the version before `to`'),
  to: VersionSchema.optional().describe('default: the current version'),
  user: UserField,
});

export function versionRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: `${S}/:id/versions`,
      summary: 'version history, oldest first (the current one marked is_current)',
      tag: 'versions',
      params: IdParams,
      query: z.object({ user: UserField }),
      async handle({ ctx, actor, params }) {
        const versions = await ctx.sdk.versions(params.id, actor);
        const skill = ctx.sdk.get(params.id, actor);
        return {
          object: 'list',
          skill_id: params.id,
          name: skill?.name ?? null,
          data: versions.map((v) => ({ version: v.version, at: v.at, updated_at: v.at, source: v.source ?? null, is_current: v.current })),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${S}/:id/versions/:version`,
      summary: 'one recorded version: its SKILL.md and resource paths',
      tag: 'versions',
      params: IdParams.extend({ version: VersionSchema }),
      query: z.object({ user: UserField }),
      async handle({ ctx, actor, params }) {
        const entry = await ctx.sdk.readVersion(params.id, params.version, actor);
        return {
          object: 'skill_version',
          skill_id: params.id,
          version: entry.version,
          at: entry.at,
          source: entry.source ?? null,
          is_current: ctx.sdk.get(params.id, actor)?.version === entry.version,
          skill_md: entry.skillMd,
          resource_paths: Object.keys(entry.files ?? {}).sort(),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${S}/:id/diff`,
      summary: 'unified diff of SKILL.md between two versions (default: previous → current)',
      tag: 'versions',
      params: IdParams,
      query: DiffQuery,
      async handle({ ctx, actor, params, query }) {
        const versions = await ctx.sdk.versions(params.id, actor);
        const to = query.to ?? versions.find((v) => v.current)?.version ?? versions.at(-1)?.version;
        const toIndex = versions.findLastIndex((v) => v.version === to);
        const from = query.from ?? (toIndex > 0 ? versions[toIndex - 1]!.version : undefined);
        if (!to || !from) throw new NotFoundError(`skill ${params.id} has no earlier version to compare with`);
        const diff = await ctx.sdk.diff(params.id, from, to, actor);
        return { object: 'skill_diff', skill_id: params.id, from, to, diff };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${S}/:id/rollback`,
      aliases: [`${S}/:id/restore`],
      summary: 'restore an earlier version as a new version (default: the previous one)',
      tag: 'versions',
      params: IdParams,
      body: RollbackBody,
      async handle({ ctx, actor, params, body }) {
        const restored = await ctx.sdk.rollback(params.id, body.version, actor);
        const history = await ctx.sdk.versions(restored.id, actor);
        return {
          ok: true,
          object: 'skill',
          data: skillDetail(restored, ctx.sdk.skillMd(restored.id, actor)),
          restored_from: { version: restored.source?.ref ?? body.version ?? null },
          history_count: history.length,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/autoskill/deleted-skills',
      summary: "the caller's deleted skills (restore one with POST /v1/autoskill/skills/{id}/restore)",
      tag: 'versions',
      query: z.object({ user: UserField }),
      async handle({ ctx, actor }) {
        const deleted = await ctx.sdk.listDeleted(actor);
        return {
          ok: true,
          object: 'list',
          data: deleted.map((d) => ({
            id: d.id,
            owner: d.owner,
            version: d.version,
            deleted_at: d.deletedAt,
            name: d.name ?? null,
            description: d.description ?? null,
          })),
        };
      },
    }),
  ];
}
