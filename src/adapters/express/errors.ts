import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { AutoskillError, LearnerError, type AutoskillErrorCode, type Logger } from '../../engine/index.js';
import { hostOriginProblem, type HostOriginPolicy } from '../shared/host-origin.js';

/**
 * Every error leaves the server in the OpenAI shape `{error:{message,type,param,code}}`, with a
 * real HTTP status (upstream answered 200 with the error as assistant text; clients could not
 * tell a failure from an answer). Upstream errors keep their status and body.
 */

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class HttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  /** headers to relay (retry-after, rate limits) */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    opts: { type?: string; code?: string | null; param?: string | null; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HttpError';
    this.status = status;
    this.type = opts.type ?? typeForStatus(status);
    this.code = opts.code ?? null;
    this.param = opts.param ?? null;
    this.headers = opts.headers ?? {};
  }

  body(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function typeForStatus(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

const STORE_STATUS: Record<AutoskillErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  invalid: 400,
  conflict: 409,
  too_large: 413,
  io: 500,
};

/** Upstream response headers worth passing on: the caller's retry logic depends on them. */
const RELAYED_HEADERS = /^(retry-after|retry-after-ms|x-ratelimit-[a-z-]+|x-request-id)$/i;

export function relayedHeaders(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((value, name) => {
    if (RELAYED_HEADERS.test(name)) out[name.toLowerCase() === 'x-request-id' ? 'x-upstream-request-id' : name] = value;
  });
  return out;
}

/**
 * relayedHeaders over a node:http raw header list (the direct path): the same names, duplicates
 * joined with ", " and names in sorted order, as a fetch `Headers` gives them.
 */
export function relayedRawHeaders(raw: readonly string[]): Record<string, string> {
  const found = new Map<string, string>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (!RELAYED_HEADERS.test(name)) continue;
    const k = name.toLowerCase();
    const prev = found.get(k);
    found.set(k, prev === undefined ? raw[i + 1]! : `${prev}, ${raw[i + 1]!}`);
  }
  const out: Record<string, string> = {};
  for (const k of [...found.keys()].sort()) out[k === 'x-request-id' ? 'x-upstream-request-id' : k] = found.get(k)!;
  return out;
}

/** Errors thrown by body-parser carry `type` and `status`. */
interface ParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
}

/** Map anything thrown in a handler to an HttpError with the right status and shape. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  // Checked before the engine errors it extends: its wire code predates the error classes.
  if (LearnerError.isInstance(err)) return new HttpError(400, err.message, { code: 'invalid_request', cause: err });
  if (AutoskillError.isInstance(err)) {
    return new HttpError(STORE_STATUS[err.code], err.message, { code: err.code, cause: err });
  }
  if (err instanceof APIUserAbortError) return new HttpError(499, 'the client closed the request', { code: 'client_closed', cause: err });
  if (err instanceof APIConnectionTimeoutError) {
    return new HttpError(504, 'the upstream model did not answer in time', { type: 'server_error', code: 'upstream_timeout', cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new HttpError(502, `cannot reach the upstream model: ${err.message}`, { type: 'server_error', code: 'upstream_unreachable', cause: err });
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const e = (err.error ?? {}) as { message?: unknown; type?: unknown; code?: unknown; param?: unknown };
    return new HttpError(err.status, typeof e.message === 'string' ? e.message : `upstream error ${err.status}`, {
      type: typeof e.type === 'string' ? e.type : typeForStatus(err.status),
      code: typeof e.code === 'string' ? e.code : null,
      param: typeof e.param === 'string' ? e.param : null,
      headers: relayedHeaders(err.headers),
      cause: err,
    });
  }
  if (err instanceof APIError) {
    // An error payload inside an upstream stream: no status of its own.
    const e = (err.error ?? {}) as { message?: unknown; type?: unknown; code?: unknown };
    return new HttpError(502, typeof e.message === 'string' ? e.message : 'the upstream model failed', {
      type: typeof e.type === 'string' ? e.type : 'server_error',
      code: typeof e.code === 'string' ? e.code : 'upstream_error',
      cause: err,
    });
  }
  if (err instanceof OpenAIError) {
    // The client could not make sense of what the upstream sent (e.g. a 200 that is not JSON).
    return new HttpError(502, `unusable answer from the upstream model: ${err.message}`, { type: 'server_error', code: 'upstream_error', cause: err });
  }
  if (err instanceof URIError || (err instanceof Error && /^Failed to decode param/.test(err.message))) {
    // A malformed percent escape in the path (`%ff%fe`): the client's mistake, not ours.
    return new HttpError(400, 'malformed percent-encoding in the request path', { code: 'invalid_request' });
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    // Last resort for nesting that got past the body depth limit: never a 500 for client input.
    return new HttpError(400, 'request nests too deeply', { code: 'invalid_request' });
  }
  const p = err as ParserError;
  if (p && typeof p === 'object' && typeof p.type === 'string' && typeof p.status === 'number') {
    if (p.type === 'entity.verify.failed') return new HttpError(400, p.message ?? 'invalid request body', { code: 'invalid_json' });
    if (p.type === 'entity.too.large') return new HttpError(413, 'request body too large', { code: 'payload_too_large' });
    if (p.type === 'entity.parse.failed') return new HttpError(400, `invalid JSON body: ${p.message ?? ''}`.trim(), { code: 'invalid_json' });
    if (p.type === 'encoding.unsupported' || p.type === 'charset.unsupported') {
      return new HttpError(415, p.message ?? 'unsupported body encoding', { code: 'unsupported_media_type' });
    }
    if (p.status >= 400 && p.status < 500) return new HttpError(p.status, p.expose && p.message ? p.message : 'bad request', { code: 'invalid_request' });
  }
  // Never echo internal exception text: it may carry paths or upstream bodies.
  return new HttpError(500, 'internal server error', { code: 'internal_error', cause: err });
}

/**
 * An error from an upstream call: the client's own errors keep their mapping; anything else it
 * throws (a 200 whose body is not JSON surfaces as a bare SyntaxError) is the upstream's fault → 502.
 */
export function upstreamError(err: unknown): HttpError {
  if (err instanceof OpenAIError || err instanceof HttpError) return toHttpError(err);
  return new HttpError(502, `unusable answer from the upstream model: ${err instanceof Error ? err.message : String(err)}`, {
    type: 'server_error',
    code: 'upstream_error',
    cause: err,
  });
}

export async function fromUpstream<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw upstreamError(err);
  }
}

export function sendError(res: Response, err: HttpError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  // A surface that speaks another protocol (Anthropic's /v1/messages) renders its own error shape.
  const render = res.locals.renderError as ((e: HttpError) => unknown) | undefined;
  res.status(err.status === 499 ? 400 : err.status).json(render ? render(err) : err.body());
}

/** The last handler: OpenAI-shaped JSON for every error, internals logged, never sent. */
export function errorHandler(logger?: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const http = toHttpError(err);
    if (http.status >= 500 && http.code === 'internal_error') {
      logger?.error('request failed', { error: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
    }
    sendError(res, http);
  };
}

/** 403 in the OpenAI shape for a foreign Host or Origin (see shared/host-origin.ts). */
export function hostGuard(policy: HostOriginPolicy): RequestHandler {
  return (req, res, next) => {
    const problem = hostOriginProblem(req.headers, policy);
    if (!problem) return next();
    sendError(res, new HttpError(403, problem, { code: 'forbidden_host' }));
  };
}

export function notFound(): RequestHandler {
  return (req, res) => {
    sendError(res, new HttpError(404, `unknown endpoint: ${req.method} ${req.path}`, { code: 'unknown_endpoint' }));
  };
}
