import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { HttpError } from './errors.js';
import { jsonDepthProblem } from '../shared/json-depth.js';

/**
 * Request validation: every body, query and path parameter passes a zod schema before a handler
 * sees it (the same schemas generate the OpenAPI document), and bodies must declare a content
 * type the route accepts. Requiring a non-simple content type for JSON also stops cross-site
 * form posts (CSRF) from reaching state-changing endpoints: browsers must preflight them.
 */

export type BodyKind = 'json' | 'zip' | 'markdown';

export const CONTENT_TYPES: Record<BodyKind, string[]> = {
  json: ['application/json', 'application/*+json'],
  zip: ['application/zip', 'application/x-zip-compressed', 'application/octet-stream'],
  markdown: ['text/markdown', 'text/x-markdown'],
};

function issuePath(path: readonly PropertyKey[]): string | null {
  return path.length ? path.map(String).join('.') : null;
}

/** Parse with a schema or throw a 400 in the OpenAI shape, naming the offending field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5);
  const first = issues[0];
  const param = first ? issuePath(first.path) : null;
  const text = issues.map((i) => (i.path.length ? `${issuePath(i.path)}: ${i.message}` : i.message)).join('; ');
  return raise(new HttpError(400, `invalid request ${where}: ${text}`, { code: 'invalid_request', param }));
}

function raise(err: HttpError): never {
  throw err;
}

/** True when the request carries a body (chunked, or a non-zero Content-Length). */
export function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const len = req.headers['content-length'];
  return len !== undefined && len !== '0';
}

/** 415 unless a present body has one of the accepted content types. */
export function requireContentType(kinds: readonly BodyKind[]): RequestHandler {
  const types = kinds.flatMap((k) => CONTENT_TYPES[k]);
  return (req, _res, next) => {
    if (!hasBody(req) || req.is(types)) return next();
    const got = req.headers['content-type'] ?? '(none)';
    next(new HttpError(415, `unsupported content type ${got}; send ${types.join(' or ')}`, { code: 'unsupported_media_type' }));
  };
}

/**
 * body-parser `verify` hook: refuses JSON nested deeper than MAX_JSON_DEPTH before it is parsed,
 * so no schema or handler ever recurses into it (a 2,000-deep array used to overflow the stack
 * and answer 500).
 */
export function checkJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  const problem = jsonDepthProblem(buf);
  if (problem) throw Object.assign(new Error(problem), { status: 400, type: 'entity.verify.failed', expose: true });
}
