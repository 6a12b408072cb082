import { z } from 'zod';
import { proxyAutoskillField } from '../schemas.js';

/**
 * The boundary of the Responses surface (`/v1/responses`). Only what the proxy itself reads is
 * checked (input items it flattens for retrieval and learning, `instructions` it extends, the
 * fields that pick the user and the mode); everything else is the caller's and goes upstream
 * unchanged, so new Responses fields and tool types work without a release of ours.
 */

const ContentPart = z.object({ type: z.string().max(100) }).loose();

const ROLES = ['user', 'assistant', 'system', 'developer'] as const;
type Role = (typeof ROLES)[number];

/**
 * One `input` item: a message (`{role, content}`, with or without `type: "message"`) or any other
 * item (`function_call`, `function_call_output`, `reasoning`, `item_reference`, ...), which needs
 * a `type`. The role is checked in a refinement, not a zod enum: inside the string-or-items union
 * an enum failure is reported as a failed union on `input`, a refinement at `input.<i>.role`.
 */
export const ResponseInputItem = z
  .object({
    type: z.string().min(1).max(100).optional(),
    role: z.string().max(40).optional().describe(ROLES.join(' | ')),
    content: z.union([z.string(), z.array(ContentPart)]).optional(),
  })
  .loose()
  .superRefine((item, ctx) => {
    if (item.type === undefined && item.role === undefined) ctx.addIssue({ code: 'custom', message: 'an input item needs a `type` or a message `role`' });
    if (item.role !== undefined && !(ROLES as readonly string[]).includes(item.role)) {
      ctx.addIssue({ code: 'custom', path: ['role'], message: `role must be one of ${ROLES.join(', ')}` });
    }
  })
  .transform((item) => item as typeof item & { role?: Role });

/** Our own per-request options; stripped before the request goes upstream (the same as chat's). */
export const ResponsesAutoskillField = proxyAutoskillField('add an `autoskill` field to the answer (an `autoskill.report` event in streams)');

export const ResponsesRequest = z
  .object({
    model: z.string().min(1).max(256).optional(),
    input: z.union([z.string(), z.array(ResponseInputItem).max(5000)]).optional(),
    instructions: z.string().nullable().optional(),
    stream: z.boolean().nullable().optional(),
    previous_response_id: z.string().min(1).max(256).nullable().optional(),
    store: z.boolean().nullable().optional(),
    user: z.string().max(256).optional(),
    tools: z.array(z.object({ type: z.string() }).loose()).optional(),
    autoskill: ResponsesAutoskillField.optional(),
  })
  .loose()
  .describe('OpenAI Responses request; unknown fields are forwarded unchanged');

export type ResponsesBody = z.output<typeof ResponsesRequest>;

/**
 * A response id in a path. Ids are opaque (`resp_…` at OpenAI, other forms elsewhere); they are
 * URI-encoded on the way up, and anything with control characters is refused outright.
 */
export const ResponseIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(256)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'invalid response id'),
});

const QueryText = z.union([z.string().max(1000), z.array(z.string().max(1000)).max(50)]);

/** `GET /v1/responses/{id}`: the query goes upstream as sent; these are the documented keys. */
export const RetrieveResponseQuery = z
  .object({
    include: QueryText.optional().describe('additional output data to include (repeat as include[]=…)'),
    'include[]': QueryText.optional(),
    include_obfuscation: z.enum(['true', 'false']).optional(),
    starting_after: z.string().regex(/^\d+$/).optional().describe('stream: the sequence number after which to resume'),
    stream: z.enum(['true', 'false']).optional().describe('re-stream a (background) response as server-sent events'),
  })
  .loose();

/** `GET /v1/responses/{id}/input_items` (a cursor page). */
export const InputItemsQuery = z
  .object({
    after: z.string().max(256).optional(),
    before: z.string().max(256).optional(),
    include: QueryText.optional(),
    'include[]': QueryText.optional(),
    limit: z.string().regex(/^\d+$/).refine((v) => Number(v) >= 1 && Number(v) <= 100, 'limit is 1 to 100').optional(),
    order: z.enum(['asc', 'desc']).optional(),
  })
  .loose();
