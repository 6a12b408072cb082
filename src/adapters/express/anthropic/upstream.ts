import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '../errors.js';

/**
 * The Anthropic-compatible upstream of `/v1/messages` (api.anthropic.com, a gateway, or any
 * server that speaks the Messages API), independent of the OpenAI upstream: one proxy may front
 * both.
 *
 * Why a raw `fetch` relay and not the official `@anthropic-ai/sdk` client: a gateway for Claude
 * Code must pass the request and the answer through unchanged, and the client would not.
 * - It sets its own `anthropic-version`, `X-Stainless-*` and auth headers, and retries by itself
 *   (a proxy must leave retrying to its caller, who sees `retry-after`/`x-should-retry`).
 * - Its stream iterator drops `ping` events and events it does not know, and re-serializes the
 *   rest; here the upstream's SSE bytes are written to the caller as they arrive.
 * - It turns upstream errors into exceptions; here their status, headers and body are relayed as
 *   sent (Claude Code's recovery matches on the error wording).
 * - It would be a runtime dependency for one POST.
 * The request body is the caller's JSON with the skills appended (see messages.ts).
 */

export interface AnthropicUpstreamOptions {
  /**
   * Base URL in the form `ANTHROPIC_BASE_URL` takes, e.g. `https://api.anthropic.com`; requests go
   * to `<base>/v1/messages`. A trailing `/v1` is accepted too (the `@ai-sdk/anthropic` form).
   */
  baseURL: string;
  /**
   * Sent upstream as `x-api-key`; the caller's `x-api-key`/`Authorization` are then dropped.
   * Without it, in trusted mode (no autoskill API keys) the caller's own credentials pass through,
   * so Claude Code keeps its login; with autoskill API keys they never do (they are our keys).
   */
  apiKey?: string;
  /**
   * the fetch implementation (default: the router's keep-alive node:http transport,
   * shared/lean-fetch.ts; the global fetch where there is none)
   */
  fetch?: typeof fetch;
}

export interface AnthropicUpstream {
  /** normalized: no trailing slash, no trailing `/v1` */
  baseURL: string;
  apiKey: string | undefined;
  fetch: typeof fetch;
}

export function resolveAnthropicUpstream(o: AnthropicUpstreamOptions | undefined, transport: typeof fetch = fetch): AnthropicUpstream | undefined {
  if (!o) return undefined;
  let url: URL;
  try {
    url = new URL(o.baseURL);
  } catch {
    throw new Error(`anthropic.baseURL is not a URL: ${o.baseURL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`anthropic.baseURL must be http(s): ${o.baseURL}`);
  url.search = '';
  url.hash = '';
  const baseURL = url.toString().replace(/\/+$/, '').replace(/\/v1$/, '');
  return { baseURL, apiKey: o.apiKey?.trim() || undefined, fetch: o.fetch ?? transport };
}

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, never the next one. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Request headers that are about the caller's connection to us, not the request: the length and
 * encoding are recomputed (the body is re-serialized, fetch negotiates compression), the cookie
 * belongs to our origin, and `x-autoskill-*` are our own options.
 */
const NOT_FORWARDED = new Set(['host', 'content-length', 'content-type', 'accept-encoding', 'expect', 'cookie']);

function connectionTokens(value: string | string[] | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

/**
 * What goes upstream: every header of the caller (`anthropic-version`, `anthropic-beta`,
 * `x-claude-code-session-id`, `user-agent`, ... unchanged) except the ones above, with the
 * credentials decided by `AnthropicUpstreamOptions.apiKey` and the key mode.
 */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, up: AnthropicUpstream, keyed: boolean, withBody = true): Headers {
  const named = connectionTokens(incoming.connection);
  const out = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    const n = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(n) || named.has(n) || NOT_FORWARDED.has(n) || n.startsWith('x-autoskill-')) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.append(n, v);
  }
  if (withBody) out.set('content-type', 'application/json');
  if (up.apiKey || keyed) {
    out.delete('authorization');
    out.delete('x-api-key');
  }
  if (up.apiKey) out.set('x-api-key', up.apiKey);
  return out;
}

/**
 * Upstream response headers for the caller (`request-id`, `anthropic-ratelimit-*`,
 * `retry-after`, `x-should-retry`, ...), without hop-by-hop ones, the length and encoding of a
 * body that fetch already decoded, and cookies set for the upstream's site.
 */
export function relayedResponseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  const named = connectionTokens(headers.get('connection') ?? undefined);
  headers.forEach((value, name) => {
    const n = name.toLowerCase();
    if (HOP_BY_HOP.has(n) || named.has(n) || n === 'content-length' || n === 'content-encoding' || n === 'set-cookie') return;
    out[n] = value;
  });
  return out;
}

export interface UpstreamCall {
  /** default POST */
  method?: 'GET' | 'POST';
  /** `/v1/messages`, `/v1/messages/count_tokens` or `/v1/models` */
  path: string;
  /** the caller's query string, `?` included or empty (Claude Code sends `?beta=true`) */
  search: string;
  headers: Headers;
  /** POST only */
  body?: string;
  /** aborts the call: our client left, or a timeout fired (its reason is then an HttpError) */
  signal: AbortSignal;
}

/**
 * Call the upstream and resolve with its response once the headers are in, whatever the
 * status (errors are relayed by the caller). Network failures become 502, a timeout fired through
 * `signal` its own HttpError.
 */
export async function postUpstream(up: AnthropicUpstream, call: UpstreamCall): Promise<Response> {
  try {
    return await up.fetch(`${up.baseURL}${call.path}${call.search}`, {
      method: call.method ?? 'POST',
      headers: call.headers,
      ...(call.body !== undefined ? { body: call.body } : {}),
      signal: call.signal,
      redirect: 'manual',
    });
  } catch (err) {
    const reason: unknown = call.signal.aborted ? call.signal.reason : undefined;
    if (reason instanceof HttpError) throw reason;
    if (call.signal.aborted) throw new HttpError(499, 'the client closed the request', { code: 'client_closed', cause: err });
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new HttpError(502, `cannot reach the Anthropic upstream${cause}`, { type: 'server_error', code: 'upstream_unreachable', cause: err });
  }
}

/** `?a=b` without our own `user` parameter (it names the autoskill user in trusted mode). */
export function forwardedSearch(originalUrl: string): string {
  const q = originalUrl.indexOf('?');
  if (q < 0) return '';
  const params = new URLSearchParams(originalUrl.slice(q + 1));
  if (!params.has('user')) return originalUrl.slice(q);
  params.delete('user');
  const s = params.toString();
  return s ? `?${s}` : '';
}
