import { z } from 'zod';
import { ScopeSchema, skillIdProblem, SURFACES } from '../../engine/index.js';

/** zod pieces shared by several endpoints' request schemas. */

/**
 * Skill ids arrive in URLs (decoded by Express, so `..%2Fx` becomes `../x`). Ids are map keys,
 * not paths, but anything that looks like a path or holds control characters is refused
 * outright so it can never reach a filesystem call.
 */
export const SkillIdSchema = z.string().superRefine((s, ctx) => {
  // The same rule as every other door (engine/skill/ids.ts), so what is stored is addressable.
  const problem = skillIdProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid skill id: ${problem}` });
});

export const VersionSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Za-z.+-]+$/, 'invalid version');

export const ScopeParam = ScopeSchema.describe('user | common (alias library) | all');

/** `1`, `true`, `yes`, `on` (query strings are text). */
export const QueryBool = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes' || v === 'on');

export const UserField = z.string().max(128).optional().describe('user id (trusted mode only; ignored with API keys)');

/** Messages as any chat framework sends them; flattened to text by the engine. */
export const LooseMessageSchema = z.object({ role: z.string().min(1).max(32), content: z.unknown().optional() }).loose();

export const MessagesField = z.array(LooseMessageSchema).min(1).max(2000);

/** A chat turn given as messages or as one query string (upstream accepted `query` or `q`). */
/** The client reporting a turn (provenance of what is learned from it); the API when absent. */
export const SurfaceField = z
  .enum(SURFACES)
  .optional()
  .describe('the client this turn comes from, recorded with what is learned from it (default api)');

export const TurnInput = z.object({
  messages: MessagesField.optional(),
  query: z.string().min(1).max(100_000).optional(),
  q: z.string().min(1).max(100_000).optional(),
  user: UserField,
});

export function turnMessages(b: { messages?: unknown[] | undefined; query?: string | undefined; q?: string | undefined }): unknown[] {
  if (b.messages && b.messages.length > 0) return b.messages;
  const q = b.query ?? b.q;
  return q ? [{ role: 'user', content: q }] : [];
}

export const needsTurn = (b: { messages?: unknown[] | undefined; query?: string | undefined; q?: string | undefined }) =>
  (b.messages?.length ?? 0) > 0 || !!(b.query ?? b.q);

/**
 * Our own per-request options on every proxy surface (chat completions, responses, messages),
 * stripped before the request goes upstream. Only the wording of two fields differs per surface.
 */
export function proxyAutoskillField(returnWhat: string, sessionWhat = 'conversation id for the turn counter') {
  return z
    .object({
      return: z.boolean().optional().describe(returnWhat),
      retrieve: z.boolean().optional().describe('inject skills (default true)'),
      learn: z.boolean().optional().describe('observe this turn for learning (default true)'),
      scope: ScopeParam.optional(),
      top_k: z.number().int().min(1).max(20).optional(),
      min_score: z.number().min(0).max(1).optional(),
      session_id: z.string().max(200).optional().describe(sessionWhat),
    })
    .strict();
}
