import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { z } from 'zod';
import { fromUpstream, HttpError, relayedHeaders } from '../errors.js';
import { defineRoute, type RouteDef } from '../route.js';
import { relayAnthropicModels } from './anthropic.js';

/** `POST /v1/embeddings` (forwarded) and `GET /v1/models` (upstream's list, or ours offline). */

export const EmbeddingsRequest = z
  .object({
    input: z.union([
      z.string(),
      z.array(z.string()).min(1).max(4096),
      z.array(z.number().int()).min(1),
      z.array(z.array(z.number().int()).min(1)).min(1).max(4096),
    ]),
    model: z.string().min(1).max(256).optional(),
    encoding_format: z.enum(['float', 'base64']).optional(),
    dimensions: z.number().int().positive().optional(),
    user: z.string().max(256).optional(),
  })
  .loose()
  .describe('OpenAI embeddings request; forwarded to the upstream');

export function openAiRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/embeddings',
      summary: 'OpenAI-compatible embeddings (forwarded to the upstream)',
      tag: 'proxy',
      body: EmbeddingsRequest,
      async handle({ res, ctx, body }) {
        if (!ctx.upstream) {
          throw new HttpError(503, 'no upstream configured for embeddings: start autoskill serve with --upstream-base-url URL', {
            type: 'server_error',
            code: 'upstream_not_configured',
          });
        }
        const { data, response } = await fromUpstream(
          ctx.upstream.embeddings
            .create({ ...body, model: body.model ?? ctx.model ?? 'default' } as EmbeddingCreateParams, ctx.upstreamTimeoutMs ? { timeout: ctx.upstreamTimeoutMs } : {})
            .withResponse(),
        );
        for (const [k, v] of Object.entries(relayedHeaders(response.headers))) res.setHeader(k, v);
        return data;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/models',
      summary: "the upstream's model list (offline: the configured model); Anthropic clients (header anthropic-version) get the Anthropic upstream's",
      tag: 'proxy',
      async handle({ req, res, ctx }) {
        if (ctx.anthropic && req.headers['anthropic-version'] !== undefined) return relayAnthropicModels(req, res, ctx, ctx.anthropic);
        if (!ctx.upstream) {
          return {
            object: 'list',
            data: [{ id: ctx.model ?? 'autoskill', object: 'model', created: Math.floor(Date.now() / 1000), owned_by: 'autoskill' }],
          };
        }
        const page = await fromUpstream(ctx.upstream.models.list(ctx.upstreamTimeoutMs ? { timeout: ctx.upstreamTimeoutMs } : {}));
        return { object: 'list', data: page.data };
      },
    }),
  ];
}
