import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { decoded, type LeanFetch } from './lean-fetch.js';

/**
 * The proxy's non-stream upstream calls without the `openai` client on the request path. Why: in
 * the serving-phase profile of `bench/proxy.ts` (relay only, c=32) the client's per-call work
 * (option merging, header building, its request log, the web `Response`/`Headers`/stream objects
 * its fetch contract needs) was about a quarter of all the CPU the proxy spent per request.
 *
 * What goes out is what the client would send: the URL and headers are the ones the client itself
 * builds (`buildRequest`, asked once per path and timeout, then reused), the body is the JSON text
 * the client would serialize, on the same keep-alive agents as the client's transport
 * (lean-fetch.ts). Failures are the client's own error classes, made as the client makes them
 * (status errors through `APIError.generate`, "Connection error.", timeouts while waiting for the
 * headers, the caller's abort), so errors.ts maps them exactly as before.
 *
 * Only for a client that does nothing per call: no retries, a fixed API key, no custom fetch or
 * fetch options, no request hooks, no provider or workload identity. Any other client keeps going
 * through the `openai` client (`DirectUpstream.for` returns undefined).
 */

export interface DirectAnswer {
  status: number;
  /** the response's raw header list (name, value, name, value, ...) */
  rawHeaders: string[];
  contentType: string | undefined;
  /** the body, decoded (gzip, deflate, br) */
  text: string;
}

/** A 2xx streaming answer (see `DirectUpstream.stream`). */
export interface DirectStream {
  rawHeaders: string[];
  /** the body, decoded (gzip, deflate, br) */
  body: Readable;
  /** the headers as a fetch `Headers` (for the client's error classes) */
  headers(): Headers;
}

interface Prepared {
  url: URL;
  headers: Record<string, string>;
  agent: http.Agent;
  timeoutMs: number;
}

type ClientInternals = OpenAI & {
  _options: Record<string, unknown>;
  logLevel?: string;
  buildRequest(o: Record<string, unknown>): Promise<{ url: string; req: { headers: Headers }; timeout: number }>;
};

/** what a write to a pooled socket the peer has just closed fails with */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

/** Methods a subclass could override to change a call; the direct path is for the stock client only. */
const HOOKS = ['buildRequest', 'buildHeaders', 'buildURL', 'prepareOptions', 'prepareRequest', 'makeRequest', 'fetchWithAuth', 'fetchWithTimeout', 'authHeaders'] as const;

function plain(client: OpenAI): client is ClientInternals {
  const c = client as ClientInternals;
  const o = c._options;
  if (!o || c.maxRetries !== 0 || typeof o.apiKey !== 'string') return false;
  for (const k of ['fetch', 'fetchOptions', 'provider', 'workloadIdentity', 'x509Transport', 'credential', 'defaultQuery']) if (o[k] != null) return false;
  // debug/info logging writes a line per call from inside the client; keep that behaviour.
  if (c.logLevel === 'debug' || c.logLevel === 'info') return false;
  const proto = OpenAI.prototype as unknown as Record<string, unknown>;
  return HOOKS.every((h) => (c as unknown as Record<string, unknown>)[h] === proto[h]);
}

function userAbort(signal: AbortSignal): APIUserAbortError {
  const e = new APIUserAbortError();
  Object.defineProperty(e, 'cause', { value: signal.reason, writable: true, configurable: true });
  return e;
}

/** The client's parse of an error body: JSON when it is JSON, else the text as the message. */
function statusError(a: DirectAnswer): APIError {
  let json: unknown;
  try {
    json = JSON.parse(a.text);
  } catch {
    json = undefined;
  }
  const headers = new Headers();
  for (let i = 0; i < a.rawHeaders.length; i += 2) headers.append(a.rawHeaders[i]!, a.rawHeaders[i + 1]!);
  return APIError.generate(a.status, json as object | undefined, json === undefined ? a.text : undefined, headers);
}

/** A failure before any answer: a timeout when it says so (as the client tells them apart), else a connection error. */
function connectionError(err: Error): APIError {
  const wrapped = new TypeError('fetch failed', { cause: err });
  if (/timed? ?out/i.test(`${String(wrapped)}${String(err)}`)) return Object.assign(new APIConnectionTimeoutError(), { cause: wrapped });
  return new APIConnectionError({ cause: wrapped });
}

export class DirectUpstream {
  private readonly client: ClientInternals;
  private readonly agents: LeanFetch['agents'];
  private readonly prepared = new Map<string, Promise<Prepared>>();

  private constructor(client: ClientInternals, agents: LeanFetch['agents']) {
    this.client = client;
    this.agents = agents;
  }

  /** The direct path for `client`, or undefined when the client must make the call itself (see above). */
  static for(client: OpenAI, transport: LeanFetch): DirectUpstream | undefined {
    return plain(client) ? new DirectUpstream(client, transport.agents) : undefined;
  }

  /** URL and headers as the client builds them for a POST to `path` (its own timeout unless given). */
  private prepare(path: string, timeoutMs: number | undefined): Promise<Prepared> {
    const key = `${path}|${timeoutMs ?? ''}`;
    let p = this.prepared.get(key);
    if (!p) {
      p = this.client.buildRequest({ method: 'post', path, body: {}, ...(timeoutMs ? { timeout: timeoutMs } : {}) }).then(({ url, req, timeout }) => {
        const u = new URL(url);
        const headers: Record<string, string> = {};
        req.headers.forEach((v, k) => (headers[k] = v));
        return { url: u, headers, agent: u.protocol === 'https:' ? this.agents['https:'] : this.agents['http:'], timeoutMs: timeout };
      });
      p.catch(() => this.prepared.delete(key));
      this.prepared.set(key, p);
    }
    return p;
  }

  /**
   * Send the request; resolves with the answer once its headers are in. Before that: the
   * client's timeout, connection and abort errors. After it, an abort destroys the body with an
   * AbortError, as fetch does.
   */
  private send(p: Prepared, body: string, signal: AbortSignal, resent = false): Promise<http.IncomingMessage> {
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const headers = { ...p.headers, 'content-length': String(Buffer.byteLength(body)) };
      const req = (p.url.protocol === 'https:' ? https : http).request(p.url, { method: 'POST', headers, agent: p.agent });
      let answer: http.IncomingMessage | undefined;
      const fail = (err: Error) => {
        clearTimeout(timer);
        if (answer) return;
        signal.removeEventListener('abort', onAbort);
        req.destroy();
        reject(err);
      };
      const onAbort = () => {
        if (!answer) return fail(userAbort(signal));
        answer.destroy(new DOMException('This operation was aborted', 'AbortError'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => fail(Object.assign(new APIConnectionTimeoutError(), { cause: new DOMException('This operation was aborted', 'AbortError') })), p.timeoutMs);
      req.on('error', (err) => {
        // A pooled keep-alive socket the upstream closed as we reused it: the request never reached
        // it, so it is sent once more on a new connection (the race Node's http docs describe).
        if (!resent && !answer && !signal.aborted && req.reusedSocket && STALE_SOCKET.has((err as NodeJS.ErrnoException).code ?? '')) {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          req.destroy();
          this.send(p, body, signal, true).then(resolve, reject);
          return;
        }
        fail(signal.aborted ? userAbort(signal) : connectionError(err));
      });
      req.once('response', (res) => {
        clearTimeout(timer);
        answer = res;
        res.once('close', () => signal.removeEventListener('abort', onAbort));
        resolve(res);
      });
      req.end(body);
    });
  }

  /** The whole body, decoded; a body cut off or aborted fails (the caller's abort as APIUserAbortError). */
  private readAll(res: http.IncomingMessage, signal: AbortSignal): Promise<DirectAnswer> {
    return new Promise<DirectAnswer>((resolve, reject) => {
      const stream = decoded(res);
      const chunks: Buffer[] = [];
      let settled = false;
      const broken = (err: Error) => {
        if (settled) return;
        settled = true;
        reject(signal.aborted ? userAbort(signal) : err);
      };
      stream.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', broken);
      if (stream !== res) stream.on('error', broken);
      // A body cut off mid-way: the message closes without having completed.
      res.once('close', () => {
        if (!res.complete) broken(new TypeError('terminated'));
      });
      stream.once('end', () => {
        if (settled) return;
        settled = true;
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 502, rawHeaders: res.rawHeaders, contentType: res.headers['content-type'], text });
      });
    });
  }

  /**
   * POST `body` (JSON text) to `path` and read the whole answer. Resolves with a 2xx answer;
   * rejects with the client's error classes otherwise. `timeoutMs` bounds the wait for the
   * headers, as the client's timeout does; `signal` aborts the call and the body read.
   */
  async post(path: string, body: string, opts: { signal: AbortSignal; timeoutMs?: number | undefined }): Promise<DirectAnswer> {
    const p = await this.prepare(path, opts.timeoutMs);
    if (opts.signal.aborted) throw userAbort(opts.signal);
    const answer = await this.readAll(await this.send(p, body, opts.signal), opts.signal);
    if (answer.status < 200 || answer.status > 299) throw statusError(answer);
    return answer;
  }

  /**
   * POST a streaming request: resolves once the headers are in, with a 2xx answer's decoded body
   * (read it with sse-reader.ts, the client's own reading of an event stream); a non-2xx answer
   * is read and rejected as in `post`. After the headers, `signal` ends the body with an
   * AbortError, which the reader ends on quietly, as the client does.
   */
  async stream(path: string, body: string, opts: { signal: AbortSignal; timeoutMs?: number | undefined }): Promise<DirectStream> {
    const p = await this.prepare(path, opts.timeoutMs);
    if (opts.signal.aborted) throw userAbort(opts.signal);
    const res = await this.send(p, body, opts.signal);
    const status = res.statusCode ?? 502;
    if (status < 200 || status > 299) throw statusError(await this.readAll(res, opts.signal));
    const decodedBody = decoded(res);
    return {
      rawHeaders: res.rawHeaders,
      body: decodedBody,
      headers() {
        // As a fetch Response would carry them: a decoded body has no encoding or length.
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        if (decodedBody !== res) {
          h.delete('content-encoding');
          h.delete('content-length');
        }
        return h;
      },
    };
  }
}
