import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import type { Actor } from '../../engine/index.js';
import { authenticate, resolveActor, type Identity } from './auth.js';
import type { RouteContext } from './context.js';
import { checkJsonDepth, CONTENT_TYPES, parseWith, requireContentType, type BodyKind } from './validate.js';

/**
 * Routes are declared as data: method, path, zod schemas for path/query/body, and a handler.
 * One mounting function applies authentication, content-type checks, body limits and
 * validation to all of them, and the OpenAPI document is generated from the same list, so the
 * documentation cannot drift from what the server accepts.
 */

export type Method = 'get' | 'post' | 'put' | 'delete';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface Call<B, Q, P> {
  req: Request;
  res: Response;
  ctx: RouteContext;
  actor: Actor;
  body: B;
  query: Q;
  params: P;
  /** the body of a zip or markdown upload (then `body` is undefined) */
  raw?: { kind: 'zip'; bytes: Buffer } | { kind: 'markdown'; text: string };
}

export interface RouteSpec<B, Q, P> {
  method: Method;
  /** Express path syntax (`/v1/autoskill/skills/:id`) */
  path: string;
  /** more paths serving the same handler (upstream aliases) */
  aliases?: string[];
  summary: string;
  tag: string;
  /** false: no API key needed (health, OpenAPI) */
  auth?: boolean;
  /** accepted body kinds (default json for POST/PUT) */
  accepts?: BodyKind[];
  body?: B;
  query?: Q;
  params?: P;
  /** for the OpenAPI document: what a 200 answer is */
  returns?: string;
  /** the shape of this route's errors (default openai); `anthropic` is rendered by a middleware on its path, see index.ts */
  errorShape?: 'openai' | 'anthropic';
  /** return a value to send it as JSON; return undefined after writing the response yourself */
  handle(call: Call<Out<B>, Out<Q>, Out<P>>): unknown;
}

export type RouteDef = RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>;

export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<B, Q, P>): RouteDef {
  return spec as unknown as RouteDef;
}

function bodyParsers(kinds: readonly BodyKind[], ctx: RouteContext): RequestHandler[] {
  const parsers: RequestHandler[] = [];
  if (kinds.includes('json')) parsers.push(express.json({ limit: ctx.bodyLimit, strict: true, type: CONTENT_TYPES.json, verify: checkJsonDepth }));
  if (kinds.includes('zip')) parsers.push(express.raw({ limit: ctx.importLimit, type: CONTENT_TYPES.zip }));
  if (kinds.includes('markdown')) parsers.push(express.text({ limit: ctx.bodyLimit, type: CONTENT_TYPES.markdown }));
  return parsers;
}

function rawOf(req: Request, kinds: readonly BodyKind[]): Call<unknown, unknown, unknown>['raw'] {
  if (Buffer.isBuffer(req.body) && kinds.includes('zip')) return { kind: 'zip', bytes: req.body };
  if (typeof req.body === 'string' && kinds.includes('markdown')) return { kind: 'markdown', text: req.body };
  return undefined;
}

export function mountRoutes(router: Router, defs: readonly RouteDef[], ctx: RouteContext): void {
  const auth = authenticate(ctx.keys);
  const open: RequestHandler = (_req, res, next) => {
    res.locals.identity = { mode: 'trusted' } satisfies Identity;
    next();
  };
  for (const def of defs) {
    const withBody = def.method === 'post' || def.method === 'put';
    const kinds = def.accepts ?? (withBody ? ['json'] : []);
    const handlers: RequestHandler[] = [def.auth === false ? open : auth];
    if (withBody) handlers.push(requireContentType(kinds), ...bodyParsers(kinds, ctx));
    handlers.push(async (req, res) => {
      const params = def.params ? parseWith(def.params, req.params, 'path') : undefined;
      const query = def.query ? parseWith(def.query, req.query, 'query') : undefined;
      const raw = withBody ? rawOf(req, kinds) : undefined;
      const body = def.body && !raw ? parseWith(def.body, req.body ?? {}, 'body') : undefined;
      const identity = res.locals.identity as Identity;
      const actor: Actor =
        def.auth === false ? { userId: ctx.defaultUser } : resolveActor(req, identity, raw ? undefined : req.body, { defaultUser: ctx.defaultUser, admin: ctx.trustedAdmin });
      if (def.auth !== false) res.locals.user = actor.userId;
      const result = await def.handle({ req, res, ctx, actor, body, query, params, ...(raw ? { raw } : {}) });
      if (result !== undefined && !res.headersSent) res.json(result);
    });
    for (const path of [def.path, ...(def.aliases ?? [])]) router[def.method](path, ...handlers);
  }
}
