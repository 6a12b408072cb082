/**
 * TEST-ONLY fake OpenAI-compatible upstream on 127.0.0.1 (node:http, no dependency).
 *
 * - `POST /v1/chat/completions`: non-stream JSON or SSE (`stream: true`), with text, tool calls,
 *   `finish_reason`, and usage (always in non-stream answers; in streams as a final `choices: []`
 *   chunk when `stream_options.include_usage` is set, as OpenAI does).
 * - `POST /v1/embeddings`: deterministic vectors derived from the input text.
 * - `GET /v1/models`: the configured model list.
 * - Errors (any status with the OpenAI error shape and optional headers such as `retry-after`),
 *   delays before the headers and between stream chunks, and a mid-stream error.
 * - Every request is recorded (method, path, headers, parsed body) in `requests`.
 *
 * Behaviour per chat request comes from, in order: a queued reply (`enqueue`), then the
 * `reply` function given at start (default: echo the last user message).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A fake upstream's request body as JSON (undefined when empty or not JSON: the test inspects what arrived). */
export async function readJsonBody(req: AsyncIterable<unknown>): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  try {
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

export interface FakeToolCall {
  id?: string;
  name: string;
  /** JSON text of the arguments; streamed in several fragments */
  arguments: string;
}

export interface FakeError {
  status: number;
  message?: string;
  type?: string;
  code?: string | null;
  param?: string | null;
  headers?: Record<string, string>;
}

export interface FakeReply {
  content?: string;
  toolCalls?: FakeToolCall[];
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** wait before sending anything (drives client/proxy timeouts) */
  delayMs?: number;
  /** wait between stream chunks */
  chunkDelayMs?: number;
  /** answer with this HTTP error instead */
  error?: FakeError;
  /** streams only: after this many chunks, send an error payload and stop */
  failAfterChunks?: number;
  /** extra response headers */
  headers?: Record<string, string>;
  /** answer 200 with this body as is (e.g. broken JSON) */
  rawBody?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** parsed JSON body (undefined for GET or unparsable bodies) */
  body: any;
  at: number;
}

export interface FakeUpstreamOptions {
  /** default reply for chat requests without a queued one */
  reply?: (body: any) => FakeReply;
  models?: string[];
  /** require `Authorization: Bearer <apiKey>` (401 otherwise) */
  apiKey?: string;
  /** embedding dimensions (default 8) */
  dims?: number;
}

export interface FakeUpstream {
  /** base URL including `/v1`, for `new OpenAI({ baseURL })` */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** recorded bodies of chat completion requests, in order */
  chatBodies(): any[];
  /** the reply for the next chat request(s), first in first out */
  enqueue(...replies: FakeReply[]): void;
  /** the embeddings/models/all routes answer with this error until cleared (undefined) */
  failEverything(error: FakeError | undefined): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function lastUserText(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.map((p: any) => p?.text ?? '').join('');
  }
  return '';
}

/** Deterministic unit vector from text: character codes folded into `dims` buckets. */
export function fakeEmbedding(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (let i = 0; i < text.length; i++) v[(text.charCodeAt(i) * 31 + i) % dims]! += 1;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

function sendError(res: ServerResponse, e: FakeError): void {
  const body = JSON.stringify({
    error: { message: e.message ?? `fake upstream error ${e.status}`, type: e.type ?? 'server_error', param: e.param ?? null, code: e.code ?? null },
  });
  res.writeHead(e.status, { 'content-type': 'application/json', 'x-request-id': 'req_fake_error', ...e.headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_fake', ...headers });
  res.end(JSON.stringify(value));
}

function completion(body: any, reply: FakeReply, id: string, created: number) {
  const toolCalls = (reply.toolCalls ?? []).map((t, i) => ({
    id: t.id ?? `call_${i}`,
    type: 'function',
    function: { name: t.name, arguments: t.arguments },
  }));
  const content = reply.content ?? (toolCalls.length ? null : `echo: ${lastUserText(body)}`);
  return {
    id,
    object: 'chat.completion',
    created,
    model: body?.model ?? 'fake-model',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: reply.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop'),
      },
    ],
    usage: reply.usage ?? { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
    system_fingerprint: 'fp_fake',
  };
}

/** The chunks of a streamed answer (without the `[DONE]` terminator). */
function streamChunks(body: any, reply: FakeReply, id: string, created: number): unknown[] {
  const model = body?.model ?? 'fake-model';
  const base = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake' };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(body?.stream_options?.include_usage ? { usage: null } : {}),
  });
  const chunks: unknown[] = [chunk({ role: 'assistant', content: '' })];
  const toolCalls = reply.toolCalls ?? [];
  const content = reply.content ?? (toolCalls.length ? '' : `echo: ${lastUserText(body)}`);
  // Split text into ~3 pieces so that clients see several deltas.
  const step = Math.max(1, Math.ceil(content.length / 3));
  for (let i = 0; i < content.length; i += step) chunks.push(chunk({ content: content.slice(i, i + step) }));
  toolCalls.forEach((t, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: t.id ?? `call_${index}`, type: 'function', function: { name: t.name, arguments: '' } }] }));
    const half = Math.ceil(t.arguments.length / 2);
    for (const part of [t.arguments.slice(0, half), t.arguments.slice(half)]) {
      if (part) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
    }
  });
  chunks.push(chunk({}, reply.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop')));
  if (body?.stream_options?.include_usage) {
    chunks.push({ ...base, choices: [], usage: reply.usage ?? { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } });
  }
  return chunks;
}

export async function startFakeUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  const sockets = new Set<Socket>();
  const models = opts.models ?? ['fake-model', 'fake-embed'];
  const dims = opts.dims ?? 8;
  let failing: FakeError | undefined;
  let seq = 0;

  const server: Server = createServer(async (req, res) => {
    const body = await readJsonBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, at: Date.now() });

    if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      return sendError(res, { status: 401, message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' });
    }
    if (failing) return sendError(res, failing);

    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' })) });
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      const input = body?.input;
      const texts: string[] = typeof input === 'string' ? [input] : Array.isArray(input) ? input.map((x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x))) : [];
      if (texts.length === 0) return sendError(res, { status: 400, message: "'input' is required", type: 'invalid_request_error', param: 'input' });
      return sendJson(res, 200, {
        object: 'list',
        data: texts.map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(t, dims) })),
        model: body?.model ?? 'fake-embed',
        usage: { prompt_tokens: texts.join(' ').length, total_tokens: texts.join(' ').length },
      });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      const reply = queue.shift() ?? opts.reply?.(body) ?? {};
      if (reply.delayMs) await sleep(reply.delayMs);
      if (res.destroyed) return;
      if (reply.error) return sendError(res, reply.error);
      if (reply.rawBody !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(reply.rawBody);
        return;
      }
      const id = `chatcmpl-fake${++seq}`;
      const created = Math.floor(Date.now() / 1000);
      if (!body?.stream) return sendJson(res, 200, completion(body, reply, id, created), reply.headers);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'req_fake', ...reply.headers });
      res.flushHeaders();
      const all = streamChunks(body, reply, id, created);
      for (let i = 0; i < all.length; i++) {
        if (reply.failAfterChunks !== undefined && i >= reply.failAfterChunks) {
          res.end(`data: ${JSON.stringify({ error: { message: 'fake upstream failed mid-stream', type: 'server_error', param: null, code: null } })}\n\n`);
          return;
        }
        if (res.destroyed) return;
        res.write(`data: ${JSON.stringify(all[i])}\n\n`);
        if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      }
      res.end('data: [DONE]\n\n');
      return;
    }
    sendError(res, { status: 404, message: `fake upstream: no route ${req.method} ${path}`, type: 'invalid_request_error' });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    chatBodies: () => requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body),
    enqueue: (...replies) => void queue.push(...replies),
    failEverything: (e) => void (failing = e),
    close: () =>
      new Promise<void>((resolve) => {
        // Pending delayed requests would keep close() waiting; cut them.
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A structured-extraction answer that learns a report rule (cite sources, don't invent facts). */
export const REPORT_EXTRACTION = JSON.stringify({
  skill: {
    name: 'report-writing-with-citations',
    title: 'Report writing with citations',
    description: 'Writes reports that cite a source for every factual claim. Use when the user asks for a report.',
    prompt: '# Goal\nWrite a report on <TOPIC> for the user.\n\n# Constraints & Style\n- Cite a source for every factual claim.\n- Do not invent facts.',
    triggers: ['write a report', 'draft a report on a topic', 'report with sources'],
    tags: ['report', 'writing', 'citations'],
    confidence: 0.8,
  },
  reason: 'the user stated a durable rule',
});
