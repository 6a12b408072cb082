import { APIUserAbortError } from 'openai';
import type { RouteContext } from './context.js';
import { fromUpstream, relayedHeaders, relayedRawHeaders, upstreamError } from './errors.js';

/**
 * An upstream's non-stream answer read once, as text: parsed the way the openai client parses it
 * (JSON when the content type says so, an empty JSON body as undefined, anything else as the
 * text itself), and kept as the bytes to relay. A proxy that only passes the answer on sends
 * `text` as it came instead of serializing the parsed object again.
 */
export interface UpstreamBody {
  data: unknown;
  text: string;
  /** a JSON answer with a body: `text` can be sent as is */
  json: boolean;
}

/** A 2xx non-stream answer, read whole, with what the proxy relays of it. */
export interface UpstreamText {
  status: number;
  text: string;
  contentType: string | undefined;
  /** the rate-limit and request-id headers to pass on (errors.ts relayedHeaders) */
  relayed: Record<string, string>;
}

/**
 * One non-stream upstream call: on the direct path when the client allows it
 * (shared/direct-upstream.ts; the body serialized here as the client would), else through the
 * client (`viaClient`, an `asResponse()` call). Both fail with the same HttpErrors: the upstream's
 * own status errors, timeouts, unreachable upstreams, a body cut off (502), our caller gone (499).
 */
export async function nonStreamCall(
  ctx: RouteContext,
  path: string,
  body: Record<string, unknown>,
  signal: AbortSignal,
  viaClient: () => Promise<Response>,
): Promise<UpstreamText> {
  if (ctx.direct) {
    const a = await fromUpstream(ctx.direct.post(path, JSON.stringify(body), { signal, timeoutMs: ctx.upstreamTimeoutMs }));
    return { status: a.status, text: a.text, contentType: a.contentType, relayed: relayedRawHeaders(a.rawHeaders) };
  }
  const response = await fromUpstream(viaClient());
  let text: string;
  try {
    // fetch refuses to read the body of a 204.
    text = response.status === 204 ? '' : await response.text();
  } catch (err) {
    throw upstreamError(signal.aborted ? new APIUserAbortError() : err);
  }
  return { status: response.status, text, contentType: response.headers.get('content-type') ?? undefined, relayed: relayedHeaders(response.headers) };
}

/** The client's parse of an answer's text (see UpstreamBody); a 2xx JSON answer that is not JSON is the upstream's fault (502). */
export function parseUpstreamText(text: string, contentType: string | undefined): UpstreamBody {
  const media = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!media || !(media.includes('application/json') || media.endsWith('+json'))) return { data: text, text, json: false };
  if (!text) return { data: undefined, text, json: false };
  try {
    return { data: JSON.parse(text) as unknown, text, json: true };
  } catch (err) {
    // A 200 whose body is not JSON: the upstream's fault (502), as with the client's parse.
    throw upstreamError(err);
  }
}
