import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { HttpError } from '../errors.js';

/**
 * Errors on the Anthropic surface (`/v1/messages*`) leave in Anthropic's shape,
 * `{type:"error", error:{type, message}, request_id}`, because Anthropic clients (the official
 * SDK, `@ai-sdk/anthropic`, Claude Code) parse that shape and branch on `error.type`. Our own
 * errors (validation, auth, host checks, offline) are rendered here; upstream errors are relayed
 * as the upstream sent them (see routes/anthropic.ts), since Claude Code's recovery matches on
 * their wording.
 */

export const AnthropicErrorSchema = z
  .object({
    type: z.literal('error'),
    error: z.object({ type: z.string(), message: z.string() }),
    request_id: z.string().nullable(),
  })
  .meta({ description: 'Anthropic-shaped error' });

export type AnthropicErrorBody = z.output<typeof AnthropicErrorSchema>;

/** Anthropic's error types by HTTP status (its documented table; other 4xx are invalid requests). */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

export function anthropicErrorBody(status: number, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(status), message }, request_id: null };
}

/** The renderer `sendError` uses for this request (see errors.ts). */
export function renderAnthropicError(err: HttpError): AnthropicErrorBody {
  // 499 (our client left) is sent as 400, like on the OpenAI surface.
  return anthropicErrorBody(err.status === 499 ? 400 : err.status, err.message);
}

/** Mounted before the host guard on `/v1/messages`, so every refusal there is Anthropic-shaped. */
export const anthropicErrors: RequestHandler = (_req, res, next) => {
  res.locals.renderError = renderAnthropicError;
  next();
};

/** True when a relayed upstream error body already has Anthropic's shape (then it goes out as is). */
export function isAnthropicErrorBody(text: string): boolean {
  try {
    const v = JSON.parse(text) as { type?: unknown; error?: { type?: unknown; message?: unknown } };
    return v?.type === 'error' && typeof v.error?.type === 'string' && typeof v.error?.message === 'string';
  } catch {
    return false;
  }
}
