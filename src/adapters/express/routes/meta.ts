import { createRequire } from 'node:module';
import { buildOpenApi, openApiPath } from '../openapi.js';
import { defineRoute, type RouteDef } from '../route.js';

/** Health, capabilities and the generated OpenAPI document. */

const pkg = createRequire(import.meta.url)('../../../../package.json') as { version: string };
export const VERSION = pkg.version;

const A = '/v1/autoskill';

export function metaRoutes(all: () => readonly RouteDef[]): RouteDef[] {
  const openapi = defineRoute({
    method: 'get',
    path: '/openapi.json',
    aliases: [`${A}/openapi.json`],
    summary: 'this OpenAPI 3.1 document (generated from the request schemas)',
    tag: 'meta',
    auth: false,
    handle: () =>
      buildOpenApi(all(), {
        title: 'autoskill',
        version: VERSION,
        description: 'OpenAI-compatible proxy with skill injection and learning, plus the skill management API.',
      }),
  });
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      aliases: ['/api/health'],
      summary: 'liveness',
      tag: 'meta',
      auth: false,
      handle: ({ ctx }) => ({
        ok: true,
        status: ctx.closing ? 'closing' : 'ok',
        version: VERSION,
        upstream: ctx.upstream ? 'configured' : 'offline',
      }),
    }),
    openapi,
    defineRoute({
      method: 'get',
      path: `${A}/capabilities`,
      summary: 'what this server offers (upstream-compatible layout plus the full endpoint list)',
      tag: 'meta',
      handle: ({ ctx, actor }) => ({
        object: 'autoskill.capabilities',
        data: {
          version: VERSION,
          user: actor.userId,
          // the page hides Edit/Delete on Common skills unless the caller may write them
          admin: actor.admin === true,
          auth: ctx.keys ? 'api_keys' : 'trusted',
          llm: { provider: ctx.upstream ? 'openai-compatible' : 'offline', model: ctx.model ?? null, extractor: ctx.extractor },
          chat: { path: '/v1/chat/completions', stream: true, available: ctx.upstream !== undefined },
          responses: { path: '/v1/responses', stream: true, available: ctx.upstream !== undefined },
          // Anthropic Messages (Claude Code, the Anthropic SDKs): its own upstream, see anthropic/upstream.ts
          messages: { path: '/v1/messages', count_tokens: '/v1/messages/count_tokens', stream: true, available: ctx.anthropic !== undefined },
          // review mode (serve --review): learned skills wait for approval before they are injected
          learning: { review: ctx.sdk.learning.reviewMode, review_list: `${A}/review`, approve: `${A}/skills/{id}/approve` },
          embeddings: { path: '/v1/embeddings', available: ctx.upstream !== undefined },
          models: { path: '/v1/models' },
          skills: {
            list: `${A}/skills`,
            get: `${A}/skills/{id}`,
            get_md: `${A}/skills/{id}/md`,
            save_md: `${A}/skills/{id}/md`,
            delete: `${A}/skills/{id}`,
            rollback: `${A}/skills/{id}/rollback`,
            versions: `${A}/skills/{id}/versions`,
            version: `${A}/skills/{id}/versions/{version}`,
            diff: `${A}/skills/{id}/diff`,
            export: `${A}/skills/{id}/export`,
            search: `${A}/skills/search`,
            import: `${A}/skills/import`,
            copy: `${A}/skills/{id}/copy`,
          },
          conversations: { import: `${A}/conversations/import` },
          retrieval: { preview: `${A}/retrieval/preview` },
          extractions: {
            extract_now: `${A}/extractions`,
            simulate: `${A}/extractions/simulate`,
            latest: `${A}/extractions/latest`,
            list: `${A}/extractions`,
            get: `${A}/extractions/{job_id}`,
            events_stream: `${A}/extractions/{job_id}/events`,
          },
          vectors: { status: `${A}/vectors/status`, rebuild: `${A}/vectors/rebuild` },
          meta: { capabilities: `${A}/capabilities`, openapi: `${A}/openapi.json`, health: '/health' },
          endpoints: all().map((d) => ({ method: d.method.toUpperCase(), path: openApiPath(d.path), summary: d.summary })),
        },
      }),
    }),
  ];
}
