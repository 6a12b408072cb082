import { z } from 'zod';
import { NotFoundError } from '../../../engine/index.js';
import { HttpError } from '../errors.js';
import { defineRoute, type RouteDef } from '../route.js';
import { SkillIdSchema, UserField } from '../schemas.js';
import { skillDetail } from '../shapes.js';

/**
 * "Copy to my skills": a Common skill is read-only for non-admins, so the page offers a copy the
 * user owns and may edit. The copy is the skill's own export (SKILL.md and resource files)
 * imported into the user's skills under a new id derived from the user and the folder name, so
 * copying the same skill twice finds the first copy instead of making a second one.
 */

const S = '/v1/autoskill/skills';

export function copyRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: `${S}/:id/copy`,
      summary: "copy a skill you can read (e.g. a Common skill) into your own skills; returns the copy",
      tag: 'skills',
      params: z.object({ id: SkillIdSchema }),
      body: z.object({ user: UserField }).optional(),
      async handle({ ctx, actor, params }) {
        const source = ctx.sdk.get(params.id, actor);
        if (!source) throw new NotFoundError(`skill not found: ${params.id}`);
        const { bytes } = await ctx.sdk.export(source.id, 'zip', undefined, actor);
        const [entry] = await ctx.sdk.importZip(bytes ?? new Uint8Array(), { scope: 'user', userId: actor.userId }, { reassignIds: true, trigger: 'copy' });
        const copy = entry?.id ? ctx.sdk.get(entry.id, actor) : undefined;
        if (!entry || entry.status === 'error' || !copy) {
          throw new HttpError(409, `could not copy ${source.name}: ${entry?.reason ?? 'nothing was imported'}`, { code: 'conflict' });
        }
        return { object: 'skill', copied_from: source.id, already_copied: entry.status === 'skipped', data: skillDetail(copy) };
      },
    }),
  ];
}
