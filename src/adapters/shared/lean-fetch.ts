import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type OpenAI from 'openai';

/**
 * A `fetch` for the proxy's upstream client on node:http(s), with one keep-alive agent per
 * proxy. The openai client does the rest as before (request building, timeouts, error mapping,
 * SSE parsing); only the transport changes. Why: on the request path the built-in fetch (undici
 * with its WASM parser and web-stream plumbing) cost about 0.2 to 0.3 ms of CPU per call, a large
 * share of everything the proxy adds; node:http with a kept-alive socket costs a fraction of it.
 *
 * Only what the proxy sends is handled here: string or absent bodies. Anything else (a Request
 * object, form data, streams) goes to the built-in fetch. Compressed answers are decompressed as
 * fetch would. Redirects are not followed (an API upstream answers, it does not redirect POSTs).
 */

export interface LeanFetch {
  fetch: typeof fetch;
  /** the keep-alive agents, shared with the direct path (direct-upstream.ts) */
  agents: { 'http:': http.Agent; 'https:': https.Agent };
  /** stop keeping sockets alive (idle ones close now, busy ones after their call) */
  close(): void;
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

/** The body as fetch would hand it over: decompressed per content-encoding. */
export function decoded(res: http.IncomingMessage): Readable {
  const enc = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (enc === 'gzip' || enc === 'x-gzip') return res.pipe(zlib.createGunzip());
  if (enc === 'deflate') return res.pipe(zlib.createInflate());
  if (enc === 'br') return res.pipe(zlib.createBrotliDecompress());
  return res;
}

export function leanFetch(): LeanFetch {
  const agents: LeanFetch['agents'] = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  const lean = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request || (init.body != null && typeof init.body !== 'string')) return fetch(input, init);
    const url = new URL(input);
    const agent = url.protocol === 'https:' ? agents['https:'] : url.protocol === 'http:' ? agents['http:'] : undefined;
    if (!agent) return fetch(input, init);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    const body = init.body ?? undefined;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise<Response>((resolve, reject) => {
      const request = (url.protocol === 'https:' ? https : http).request(url, { method: init.method ?? 'GET', headers, agent });
      let response: http.IncomingMessage | undefined;
      const onAbort = (): void => {
        const err = abortError(signal!);
        // Both the request and a body being read fail with an AbortError, as with fetch.
        response?.destroy(err);
        request.destroy(err);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      request.once('error', (err) => {
        done();
        reject(signal?.aborted ? abortError(signal) : new TypeError('fetch failed', { cause: err }));
      });
      request.once('response', (res) => {
        response = res;
        res.once('close', done);
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const status = res.statusCode ?? 502;
        const stream = decoded(res);
        if (stream !== res) {
          h.delete('content-encoding');
          h.delete('content-length');
        }
        if (NULL_BODY.has(status) || init.method === 'HEAD') {
          res.resume();
          return resolve(new Response(null, { status, headers: h }));
        }
        resolve(new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, statusText: res.statusMessage ?? '', headers: h }));
      });
      request.end(body);
    });
  };
  return {
    fetch: lean as typeof fetch,
    agents,
    close() {
      // Idle sockets now, busy ones once their answer is in: calls still in flight (a graceful
      // shutdown lets them finish) keep their sockets until then.
      for (const agent of Object.values(agents)) {
        for (const list of Object.values(agent.freeSockets)) for (const socket of list ?? []) socket.destroy();
        agent.on('free', (socket: import('node:net').Socket) => socket.destroy());
      }
    },
  };
}

/**
 * The proxy's upstream client: the caller's client on the lean transport, unless the caller chose
 * the transport themselves (a custom fetch or fetch options), which is kept as given.
 */
export function withLeanTransport(client: OpenAI, lean: LeanFetch): OpenAI {
  const options = (client as unknown as { _options?: { fetch?: unknown; fetchOptions?: unknown } })._options;
  if (!options || options.fetch !== undefined || options.fetchOptions !== undefined) return client;
  return client.withOptions({ fetch: lean.fetch });
}
