import { APIError } from 'openai';

/**
 * The `openai` client's reading of an event stream (its `Stream.fromSSEResponse` in the default
 * `legacy` mode: line decoder, SSE decoder, `[DONE]`, error payloads), over a node:http body
 * instead of a fetch `Response`. Why: on the proxy's stream path the web-stream adapter, the fetch
 * `Response`/`Headers` and the client's async-generator layers cost about a quarter of a streamed
 * request's CPU. What comes out is what the client yields, item for item and error for error;
 * test/integration/express-direct-upstream.test.ts holds the two side by side.
 *
 * The client's semantics, kept here:
 * - lines end at `\r\n`, `\r` or `\n` (a `\r` at a chunk's end completes its line, a `\n` opening
 *   the next chunk is then skipped); each line is UTF-8 decoded whole;
 * - a blank line dispatches the event if it has an `event` or `data` field; `:` lines are
 *   comments; `field: value` loses one leading space; data lines join with `\n`; at the end of the
 *   body an unterminated line and then an unterminated event are still dispatched;
 * - data `[DONE]` ends the stream (the rest of the body is not read); data that is not JSON fails
 *   with the client's SyntaxError; `event: error` and payloads with an `error` field fail as
 *   APIError; `thread.*` events come as `{event, data}`;
 * - an abort (or a body destroyed with an AbortError) ends the stream quietly.
 */

interface SseMessage {
  event: string | null;
  data: string;
}

const utf8 = new TextDecoder();

/** SSE messages of a byte stream, decoded as the client's LineDecoder and SSEDecoder do. */
async function* sseMessages(body: AsyncIterable<Buffer | Uint8Array>, signal: AbortSignal): AsyncGenerator<SseMessage> {
  let event: string | null = null;
  let data: string[] = [];
  let pending: Uint8Array = new Uint8Array(0);
  let skipLeadingLF = false;
  const decode = (line: string): SseMessage | null => {
    if (!line) {
      if (!event && data.length === 0) return null;
      const m = { event, data: data.join('\n') };
      event = null;
      data = [];
      return m;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    return null;
  };
  for await (const raw of body) {
    if (signal.aborted) return;
    let chunk: Uint8Array = raw;
    if (chunk.length === 0) continue;
    if (skipLeadingLF) {
      skipLeadingLF = false;
      if (chunk[0] === 0x0a) chunk = chunk.subarray(1);
      if (chunk.length === 0) continue;
    }
    const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b !== 0x0a && b !== 0x0d) continue;
      const m = decode(utf8.decode(buf.subarray(start, i)));
      if (b === 0x0d) {
        if (i + 1 < buf.length) {
          if (buf[i + 1] === 0x0a) i++;
        } else skipLeadingLF = true;
      }
      start = i + 1;
      if (m) {
        yield m;
        if (signal.aborted) return;
      }
    }
    pending = start < buf.length ? buf.slice(start) : new Uint8Array(0);
  }
  if (signal.aborted) return;
  if (pending.length) {
    const m = decode(utf8.decode(pending));
    if (m) yield m;
  }
  const last = decode('');
  if (last) yield last;
}

/** The client's test (internal/errors.js): an AbortError by name, or Expo's cancellation. */
function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && ((e as { name?: unknown }).name === 'AbortError' || String((e as { message?: unknown }).message).includes('FetchRequestCanceledException'));
}

/**
 * The items the client's stream yields for this body: parsed JSON events (through `normalize`, as
 * the chat completions resource normalizes its chunks), errors as the client raises them.
 * `headers` builds the response headers for an APIError (only when one is raised).
 */
export async function* openAiStreamItems<T>(
  body: AsyncIterable<Buffer | Uint8Array> & { destroy?(error?: Error): void; readableEnded?: boolean },
  ac: AbortController,
  headers: () => Headers,
  normalize: (item: never) => unknown = (x) => x,
): AsyncGenerator<T> {
  let done = false;
  let sentinel = false;
  try {
    for await (const sse of sseMessages(body, ac.signal)) {
      if (sse.data === '[DONE]') {
        sentinel = true;
        break;
      }
      let data: unknown;
      try {
        data = JSON.parse(sse.data);
      } catch {
        throw new SyntaxError('Error reading response: malformed server-sent event JSON.');
      }
      if (sse.event?.startsWith('thread.')) {
        yield { event: sse.event, data } as T;
        continue;
      }
      if (sse.event === 'error') throw new APIError(undefined, ((data as { error?: unknown } | null)?.error ?? data) as object, undefined, headers());
      if (data && (data as { error?: unknown }).error) throw new APIError(undefined, (data as { error: object }).error, undefined, headers());
      yield normalize(data as never) as T;
    }
    done = true;
  } catch (e) {
    if (sentinel || (!(e instanceof APIError) && isAbortError(e)) || (ac.signal.aborted && e === ac.signal.reason)) return;
    throw e;
  } finally {
    // The client stops reading at [DONE] and cancels the rest of the body; a consumer leaving early aborts the call.
    if (sentinel && !body.readableEnded) body.destroy?.();
    if (!done && !sentinel && !ac.signal.aborted) ac.abort();
  }
}
