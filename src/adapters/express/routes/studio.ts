import { z } from 'zod';
import { parseSkillMd, type Skill } from '../../../engine/index.js';
import { defineRoute, type RouteDef } from '../route.js';
import { MessagesField, ScopeParam, SurfaceField, UserField } from '../schemas.js';
import { jobEvent, skillPage } from '../shapes.js';

/**
 * Endpoints the web page needs beyond upstream's API (any client may use them):
 *
 * - `GET /v1/autoskill/tags`: tag counts in a scope, for the browser's tag filter;
 * - `GET /v1/autoskill/tags/{tag}/skills`: the skills with a tag, paged like the list;
 * - `POST /v1/autoskill/validate`: check SKILL.md text without saving (the editor's live check);
 * - `POST /v1/autoskill/turns`: report a finished chat turn for learning with the caller's own
 *   extraction mode and turn limit (the chat proxy applies the server's; the page sends its chat
 *   with `autoskill.learn: false` and reports the turn here).
 */

const A = '/v1/autoskill';

const TagsQuery = z.object({
  scope: ScopeParam.default('all'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  user: UserField,
});

const TagSkillsQuery = z.object({
  scope: ScopeParam.default('all'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
  user: UserField,
});

export const ValidateBody = z.object({
  skill_md: z.string().max(1_000_000),
  dir_name: z.string().max(200).optional().describe('the folder name the `name` field must match'),
  mode: z.enum(['default', 'reference']).optional().describe('reference: report exactly what the agentskills reference validator rejects (upstream-dialect keys become errors)'),
  user: UserField,
});

export const ObserveTurnBody = z.object({
  messages: MessagesField.describe('the conversation so far, ending with the assistant answer of the turn'),
  session_id: z.string().min(1).max(200).optional().describe('conversation id: turns are counted per user and session'),
  mode: z.enum(['auto', 'always', 'never']).optional().describe('extraction mode for this turn (default: the server’s)'),
  turn_limit: z.number().int().min(0).max(1000).optional().describe('auto mode: extract every N turns (0 or absent: the server’s)'),
  surface: SurfaceField,
  user: UserField,
});

/** Tags compare case-insensitively; the first spelling seen is shown. */
function tagCounts(skills: Skill[]): Array<{ tag: string; count: number }> {
  const counts = new Map<string, { tag: string; count: number }>();
  for (const s of skills) {
    for (const tag of new Set(s.tags.map((t) => t.trim()).filter(Boolean))) {
      const key = tag.toLowerCase();
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { tag, count: 1 });
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}

export function studioRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: `${A}/tags`,
      summary: 'tags in a scope with how many skills carry each, most used first',
      tag: 'skills',
      query: TagsQuery,
      handle: ({ ctx, actor, query }) => {
        const skills = ctx.sdk.list({ userId: actor.userId, scope: query.scope });
        const all = tagCounts(skills);
        return { object: 'list', scope: query.scope, total_skills: skills.length, total_tags: all.length, data: all.slice(0, query.limit) };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${A}/tags/:tag/skills`,
      summary: 'the skills that carry a tag (case-insensitive), paged',
      tag: 'skills',
      params: z.object({ tag: z.string().min(1).max(200) }),
      query: TagSkillsQuery,
      handle: ({ ctx, actor, params, query }) => {
        const want = params.tag.trim().toLowerCase();
        const matching = ctx.sdk.list({ userId: actor.userId, scope: query.scope }).filter((s) => s.tags.some((t) => t.trim().toLowerCase() === want));
        return skillPage(matching, query, { tag: params.tag, scope: query.scope });
      },
    }),
    defineRoute({
      method: 'post',
      path: `${A}/validate`,
      summary: 'check SKILL.md text against the Agent Skills spec and our parser, without saving',
      tag: 'skills',
      body: ValidateBody,
      handle: ({ ctx, body }) => {
        const violations = ctx.sdk.validate(body.skill_md, body.dir_name, body.mode);
        // The spec check reads the front matter only; the parser also has to accept the file.
        if (!violations.some((v) => v.field === 'frontmatter' || v.field === 'file')) {
          try {
            parseSkillMd(body.skill_md, { owner: 'user:validate', slug: body.dir_name || 'skill', fallbackId: 'validate' });
          } catch (err) {
            violations.push({ rule: 'parse', level: 'error', field: 'file', message: (err as Error).message });
          }
        }
        // ok means "no errors": warnings (e.g. the upstream dialect) never block a save.
        const errors = violations.filter((v) => v.level === 'error').length;
        return { object: 'skill_md_validation', ok: errors === 0, errors, warnings: violations.length - errors, violations };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${A}/turns`,
      summary: 'report a finished chat turn for learning, with this turn’s extraction mode and turn limit',
      tag: 'extractions',
      body: ObserveTurnBody,
      async handle({ ctx, actor, body }) {
        // The same turn pipeline as the chat proxy and every adapter: same policy, first-turn rules included.
        const learning = await ctx.sdk.turns.learn(body.messages, {
          userId: actor.userId,
          sessionId: body.session_id,
          mode: body.mode,
          surface: body.surface ?? 'api',
          ...(body.turn_limit ? { turnLimit: body.turn_limit } : {}),
        });
        if (learning.status === 'failed') ctx.logger.warn('learning: could not schedule', { user: actor.userId, error: learning.reason });
        const job = learning.job_id ? await ctx.sdk.jobs.get(actor, learning.job_id) : undefined;
        return {
          object: 'turn_observation',
          scheduled: job !== undefined,
          reason: job ? 'scheduled' : learning.reason,
          extraction: learning,
          data: job ? jobEvent(job, ctx.sdk, actor) : null,
        };
      },
    }),
  ];
}
