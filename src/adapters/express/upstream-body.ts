import { APIUserAbortError } from 'openai';
import { upstreamError } from './errors.js';

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

/** Reads `response` (from `APIPromise.asResponse()`); errors map like the client's own (see errors.ts). */
export async function readUpstreamBody(response: Response, signal: AbortSignal): Promise<UpstreamBody> {
  let text: string;
  try {
    // fetch refuses to read the body of a 204.
    text = response.status === 204 ? '' : await response.text();
  } catch (err) {
    throw upstreamError(signal.aborted ? new APIUserAbortError() : err);
  }
  const media = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (!media || !(media.includes('application/json') || media.endsWith('+json'))) return { data: text, text, json: false };
  if (!text) return { data: undefined, text, json: false };
  try {
    return { data: JSON.parse(text) as unknown, text, json: true };
  } catch (err) {
    // A 200 whose body is not JSON: the upstream's fault (502), as with the client's parse.
    throw upstreamError(err);
  }
}
