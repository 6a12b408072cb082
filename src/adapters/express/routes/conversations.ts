import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { loadConversations, type Skill } from '../../../engine/index.js';
import { HttpError } from '../errors.js';
import { defineRoute, type RouteDef } from '../route.js';
import { MessagesField, UserField } from '../schemas.js';
import { skillSummary } from '../shapes.js';

/**
 * `POST /v1/autoskill/conversations/import`: learn from recorded conversations sent in the body
 * (OpenAI chat format; the same shapes the batch loader accepts). Never a server file path.
 * Runs in the request (the caller wants the outcome), capped per request, and stops when the
 * caller goes away.
 */

const MAX_CONVERSATIONS = 100;

export const ConversationsImportBody = z
  .object({
    conversations: z.array(z.unknown()).max(MAX_CONVERSATIONS).optional(),
    dialogues: z.array(z.unknown()).max(MAX_CONVERSATIONS).optional(),
    records: z.array(z.unknown()).max(MAX_CONVERSATIONS).optional(),
    items: z.array(z.unknown()).max(MAX_CONVERSATIONS).optional(),
    dataset: z.array(z.unknown()).max(MAX_CONVERSATIONS).optional(),
    data: z.unknown().optional(),
    messages: MessagesField.optional().describe('a single conversation'),
    hint: z.string().max(10_000).optional(),
    continue_on_error: z.boolean().default(true),
    max_messages_per_conversation: z.number().int().min(0).max(10_000).default(0).describe('keep the last N messages (0 = all)'),
    file_path: z.unknown().optional().describe('not supported: server paths are never read'),
    user: UserField,
  })
  .describe(`learn from up to ${MAX_CONVERSATIONS} conversations given in the body`);

export function conversationRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/autoskill/conversations/import',
      summary: `learn from recorded conversations in the body (at most ${MAX_CONVERSATIONS} per request; runs before answering)`,
      tag: 'extractions',
      body: ConversationsImportBody,
      async handle({ res, ctx, actor, body }) {
        if (body.file_path !== undefined) {
          throw new HttpError(400, 'importing from a server path (file_path) is not supported; send the conversations in the body', {
            code: 'unsupported',
            param: 'file_path',
          });
        }
        const data = body.conversations ?? body.dialogues ?? body.records ?? body.items ?? body.dataset ?? body.data ?? (body.messages ? [body.messages] : undefined);
        if (data === undefined) throw new HttpError(400, 'no conversations: send conversations (or data, or messages)', { code: 'invalid_request', param: 'conversations' });
        const { conversations, errors: parseErrors } = await loadConversations({ data });
        if (conversations.length > MAX_CONVERSATIONS) {
          throw new HttpError(413, `at most ${MAX_CONVERSATIONS} conversations per request; split the upload`, { code: 'too_many_conversations' });
        }
        const ac = new AbortController();
        res.on('close', () => {
          if (!res.writableFinished) ac.abort(new Error('client disconnected'));
        });
        // A fresh provenance ref per request: refs make re-running one job idempotent, and must
        // not make a later, different upload look "already applied".
        const batch = randomUUID();
        const errors: Array<{ index: number; error: string }> = parseErrors.map((e, i) => ({ index: -1 - i, error: `${e.source}: ${e.reason}` }));
        const touched = new Map<string, Skill>();
        let processed = 0;
        for (const conv of conversations) {
          if (ac.signal.aborted) return undefined;
          try {
            const result = await ctx.sdk.learning.ingest(actor, conv.messages, {
              ...(body.hint ? { hint: body.hint } : {}),
              trigger: 'api_import',
              surface: 'api',
              ref: `import_${batch}#${conv.index}`,
              windowSize: body.max_messages_per_conversation > 0 ? body.max_messages_per_conversation : Infinity,
              signal: ac.signal,
            });
            processed++;
            for (const ref of result.skills) {
              const skill = ctx.sdk.get(ref.id, actor);
              if (skill) touched.set(skill.id, skill);
            }
          } catch (err) {
            if (ac.signal.aborted) return undefined;
            errors.push({ index: conv.index, error: err instanceof Error ? err.message : String(err) });
            if (!body.continue_on_error) break;
          }
        }
        await ctx.sdk.settled();
        return {
          ok: errors.length === 0,
          object: 'conversation_import',
          user: actor.userId,
          total_conversations: conversations.length,
          processed,
          failed: errors.length,
          upserted_count: touched.size,
          skills: [...touched.values()].map(skillSummary),
          errors,
          source_file: null,
        };
      },
    }),
  ];
}
