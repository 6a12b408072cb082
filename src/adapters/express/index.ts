import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from '../../engine/index.js';
import { resolveContext, type AutoskillRouterOptions, type RouteContext } from './context.js';
import { cors } from './cors.js';
import { errorHandler, hostGuard, notFound } from './errors.js';
import { mountRoutes, type RouteDef } from './route.js';
import { anthropicErrors } from './anthropic/errors.js';
import { anthropicRoutes } from './routes/anthropic.js';
import { chatRoutes } from './routes/chat.js';
import { responsesRoutes } from './routes/responses.js';
import { conversationRoutes } from './routes/conversations.js';
import { extractionRoutes } from './routes/extractions.js';
import { metaRoutes, VERSION } from './routes/meta.js';
import { openAiRoutes } from './routes/openai.js';
import { retrievalRoutes } from './routes/retrieval.js';
import { reviewRoutes } from './routes/review.js';
import { skillRoutes } from './routes/skills.js';
import { studioRoutes } from './routes/studio.js';
import { transferRoutes } from './routes/transfer.js';
import { copyRoutes } from './routes/copy.js';
import { vectorRoutes } from './routes/vectors.js';
import { versionRoutes } from './routes/versions.js';
import { buildOpenApi } from './openapi.js';

/**
 * autoskill for Express 5: an OpenAI-compatible proxy (`/v1/chat/completions`, `/v1/embeddings`,
 * `/v1/models`) that injects learned skills and learns from each turn, plus the management API
 * under `/v1/autoskill/*` (upstream-compatible paths). A thin shell over the `AutoSkill` facade.
 *
 * ```ts
 * const sdk = await AutoSkill.open({ storeDir: 'Skills' });
 * app.use(autoskillRouter({ sdk, upstream: new OpenAI({ baseURL, apiKey }) }));
 * ```
 * The router owns `/v1/*`: unknown paths under it answer 404 in the OpenAI error shape.
 */

export type { AutoskillRouterOptions } from './context.js';
export { KeyRing, parseApiKeysText, ApiKeysFileSchema, type ApiKeysFile } from './auth.js';
export { HttpError } from './errors.js';

export interface AutoskillRouter extends Router {
  /** Refuse new event streams and end the open ones (for graceful shutdown). */
  close(): void;
  readonly routes: readonly RouteDef[];
  readonly context: RouteContext;
  /** the generated OpenAPI 3.1 document */
  openapi(): Record<string, unknown>;
}

export function autoskillRouter(options: AutoskillRouterOptions): AutoskillRouter {
  const ctx = resolveContext(options);
  const router = express.Router();
  // Anthropic clients get Anthropic-shaped errors on /v1/messages*, host refusals included.
  router.use('/v1/messages', anthropicErrors);
  // Before CORS and auth: a rebinding or cross-site page is refused whatever else it sends.
  router.use(['/v1', '/mcp'], hostGuard(ctx.hostPolicy));
  const origins = options.cors === undefined ? [] : Array.isArray(options.cors) ? options.cors : [options.cors];
  if (origins.length > 0) router.use(cors(origins));
  const routes: RouteDef[] = [];
  routes.push(
    ...metaRoutes(() => routes),
    ...chatRoutes(),
    ...responsesRoutes(),
    ...anthropicRoutes(),
    ...openAiRoutes(),
    ...skillRoutes(),
    ...reviewRoutes(),
    ...versionRoutes(),
    ...transferRoutes(),
    ...copyRoutes(),
    ...retrievalRoutes(),
    ...extractionRoutes(),
    ...conversationRoutes(),
    ...vectorRoutes(),
    ...studioRoutes(),
  );
  mountRoutes(router, routes, ctx);
  router.use('/v1', notFound());
  router.use(errorHandler(ctx.logger));
  return Object.assign(router, {
    close() {
      ctx.closing = true;
      ctx.sse.closeAll();
      ctx.transport?.close();
    },
    routes,
    context: ctx,
    openapi: () => buildOpenApi(routes, { title: 'autoskill', version: VERSION }),
  });
}

export interface AutoskillAppOptions extends AutoskillRouterOptions {
  /**
   * Add more routes (e.g. the web UI) after the API and before the 404 handler. Without a route
   * for `/`, a minimal placeholder page is served there.
   */
  mount?(app: Express): void;
  /** one JSON log line per request (default true when a logger is given) */
  requestLog?: boolean;
}

export type AutoskillApp = Express & { close(): void; autoskill: AutoskillRouter };

/** One structured line per request; never the query string (it may name a user) or bodies. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on('close', () => {
      const fields: Record<string, unknown> = {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 100) / 100,
      };
      if (!res.writableFinished) fields.aborted = true;
      for (const k of ['user', 'skills', 'job', 'streamError'] as const) if (res.locals[k] !== undefined) fields[k] = res.locals[k];
      logger.info('request', fields);
    });
    next();
  };
}

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>autoskill</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:.1rem .3rem}</style>
</head><body>
<h1>autoskill</h1>
<p>The OpenAI-compatible proxy and the skill management API are running.</p>
<ul>
<li>Chat: <code>POST /v1/chat/completions</code> (point any OpenAI client's <code>baseURL</code> at <code>/v1</code>)</li>
<li>API: <code>/v1/autoskill/*</code> &mdash; see <a href="/openapi.json">/openapi.json</a> and <a href="/v1/autoskill/capabilities">capabilities</a></li>
<li>Health: <a href="/health">/health</a></li>
</ul>
</body></html>
`;

export function createAutoskillApp(options: AutoskillAppOptions): AutoskillApp {
  const app = express();
  app.disable('x-powered-by');
  if (options.logger && options.requestLog !== false) app.use(requestLogger(options.logger));
  const router = autoskillRouter(options);
  app.use(router);
  options.mount?.(app);
  app.get('/', (_req, res) => {
    res.type('html').send(PLACEHOLDER);
  });
  app.use(notFound());
  app.use(errorHandler(options.logger));
  return Object.assign(app, { close: () => router.close(), autoskill: router });
}
