/**
 * TEST-ONLY fake OpenAI Responses upstream on 127.0.0.1 (node:http, no dependency), in the wire
 * shapes of the openai package's types (resources/responses/responses.d.ts):
 *
 * - `POST /v1/responses`: a Response object, or with `stream: true` the event sequence
 *   `response.created`, `response.in_progress`, `response.output_item.added`,
 *   `response.content_part.added`, `response.output_text.delta`…, `response.output_text.done`,
 *   `response.content_part.done`, `response.output_item.done` (function calls:
 *   `response.function_call_arguments.delta/done`), `response.completed`; each as
 *   `event: <type>` + `data: <json>` with a `sequence_number`, and no `[DONE]`.
 * - Stored responses (`store` not false): `GET`/`DELETE /v1/responses/{id}` (`?stream=true`
 *   replays the answer's events after `starting_after`), `GET /v1/responses/{id}/input_items`
 *   (limit, order), and `previous_response_id` checked (an unknown id is OpenAI's 400
 *   `previous_response_not_found`).
 * - Errors with any status, delays, and an `error` event in mid-stream.
 *
 * The default answer echoes the newest user text of `input`.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readJsonBody } from './fake-upstream.js';

export interface FakeResponsesReply {
  content?: string;
  toolCalls?: Array<{ callId?: string; name: string; arguments: string }>;
  error?: { status: number; message?: string; type?: string; code?: string | null; param?: string | null; headers?: Record<string, string> };
  /** streams: after this many events, send an `error` event and stop */
  failAfterEvents?: number;
  /** wait before answering */
  delayMs?: number;
  /** streams: wait between events */
  eventDelayMs?: number;
  headers?: Record<string, string>;
}

export interface RecordedResponsesRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakeResponsesUpstream {
  /** base URL including `/v1` */
  readonly url: string;
  readonly requests: RecordedResponsesRequest[];
  /** bodies of `POST /v1/responses`, in order */
  createBodies(): any[];
  enqueue(...replies: FakeResponsesReply[]): void;
  /** stored responses by id (what `GET` returns) */
  readonly stored: Map<string, Stored>;
  close(): Promise<void>;
}

interface Stored {
  response: any;
  inputItems: any[];
  /** the answer's stream events, with sequence numbers */
  events: Array<Record<string, unknown>>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function send(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_fake_responses', ...headers });
  res.end(JSON.stringify(value));
}

function sendError(res: ServerResponse, e: NonNullable<FakeResponsesReply['error']>): void {
  send(res, e.status, { error: { message: e.message ?? `fake error ${e.status}`, type: e.type ?? 'invalid_request_error', param: e.param ?? null, code: e.code ?? null } }, e.headers);
}

const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((p: any) => (typeof p?.text === 'string' ? p.text : '')).join('') : '';

/** The newest user text of `input` (or the newest tool output, for a tool-loop step). */
function lastInputText(input: unknown): string {
  if (typeof input === 'string') return input;
  const items: any[] = Array.isArray(input) ? input : [];
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i];
    if (it?.type === 'function_call_output') return `tool said ${it.output}`;
    if (it?.role === 'user') return textOf(it.content);
  }
  return '';
}

/** `input` as stored input items (each with an id), as `input_items` lists them. */
function inputItemsOf(input: unknown, seq: number): any[] {
  const items: any[] = typeof input === 'string' ? [{ role: 'user', content: input }] : Array.isArray(input) ? input : [];
  return items.map((it, i) => {
    const id = it.id ?? `msg_in${seq}_${i}`;
    if (it.type !== undefined && it.type !== 'message') return { id, ...it };
    const partType = it.role === 'assistant' ? 'output_text' : 'input_text';
    const content = typeof it.content === 'string' ? [{ type: partType, text: it.content }] : it.content;
    return { id, type: 'message', role: it.role, status: 'completed', content };
  });
}

export async function startFakeResponsesUpstream(): Promise<FakeResponsesUpstream> {
  const requests: RecordedResponsesRequest[] = [];
  const queue: FakeResponsesReply[] = [];
  const stored = new Map<string, Stored>();
  const sockets = new Set<Socket>();
  let seq = 0;

  function build(body: any, reply: FakeResponsesReply, n: number) {
    const calls = (reply.toolCalls ?? []).map((c, i) => ({
      id: `fc_fake${n}_${i}`,
      type: 'function_call',
      status: 'completed',
      call_id: c.callId ?? `call_${n}_${i}`,
      name: c.name,
      arguments: c.arguments,
    }));
    const text = reply.content ?? (calls.length ? undefined : `echo: ${lastInputText(body?.input)}`);
    const message =
      text === undefined
        ? []
        : [{ id: `msg_fake${n}`, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] }];
    const response = {
      id: `resp_fake${n}`,
      object: 'response',
      created_at: 1_760_000_000 + n,
      status: 'completed',
      background: false,
      error: null,
      incomplete_details: null,
      instructions: body?.instructions ?? null,
      max_output_tokens: body?.max_output_tokens ?? null,
      metadata: body?.metadata ?? {},
      model: body?.model ?? 'fake-model',
      output: [...message, ...calls],
      parallel_tool_calls: body?.parallel_tool_calls ?? true,
      previous_response_id: body?.previous_response_id ?? null,
      reasoning: body?.reasoning ?? { effort: null, summary: null },
      store: body?.store ?? true,
      temperature: body?.temperature ?? 1,
      text: body?.text ?? { format: { type: 'text' } },
      tool_choice: body?.tool_choice ?? 'auto',
      tools: body?.tools ?? [],
      top_p: body?.top_p ?? 1,
      truncation: body?.truncation ?? 'disabled',
      usage: { input_tokens: 11, input_tokens_details: { cached_tokens: 0 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 18 },
      user: body?.user ?? null,
    };
    return { response, message: message[0], calls };
  }

  /** The event sequence of a streamed answer, without sequence numbers. */
  function events(built: ReturnType<typeof build>): Array<Record<string, unknown>> {
    const { response, message, calls } = built;
    const pending = { ...response, status: 'in_progress', output: [], usage: null };
    const out: Array<Record<string, unknown>> = [
      { type: 'response.created', response: pending },
      { type: 'response.in_progress', response: pending },
    ];
    let index = 0;
    if (message) {
      const text: string = message.content[0].text;
      const base = { item_id: message.id, output_index: index, content_index: 0 };
      out.push({ type: 'response.output_item.added', output_index: index, item: { ...message, status: 'in_progress', content: [] } });
      out.push({ type: 'response.content_part.added', ...base, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
      const step = Math.max(1, Math.ceil(text.length / 3));
      for (let i = 0; i < text.length; i += step) out.push({ type: 'response.output_text.delta', ...base, delta: text.slice(i, i + step), logprobs: [] });
      out.push({ type: 'response.output_text.done', ...base, text, logprobs: [] });
      out.push({ type: 'response.content_part.done', ...base, part: message.content[0] });
      out.push({ type: 'response.output_item.done', output_index: index, item: message });
      index++;
    }
    for (const call of calls) {
      out.push({ type: 'response.output_item.added', output_index: index, item: { ...call, status: 'in_progress', arguments: '' } });
      const half = Math.ceil(call.arguments.length / 2);
      for (const part of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
        if (part) out.push({ type: 'response.function_call_arguments.delta', item_id: call.id, output_index: index, delta: part });
      }
      out.push({ type: 'response.function_call_arguments.done', item_id: call.id, output_index: index, name: call.name, arguments: call.arguments });
      out.push({ type: 'response.output_item.done', output_index: index, item: call });
      index++;
    }
    out.push({ type: 'response.completed', response });
    return out;
  }

  async function create(body: any, res: ServerResponse): Promise<void> {
    const reply = queue.shift() ?? {};
    if (reply.delayMs) await sleep(reply.delayMs);
    if (reply.error) return sendError(res, reply.error);
    const prev = body?.previous_response_id;
    if (prev && !stored.has(prev)) {
      return sendError(res, { status: 400, message: `Previous response with id '${prev}' not found.`, param: 'previous_response_id', code: 'previous_response_not_found' });
    }
    const n = ++seq;
    const built = build(body, reply, n);
    const all = events(built).map((e, i) => ({ ...e, sequence_number: i }));
    if (body?.store !== false) stored.set(built.response.id, { response: built.response, inputItems: inputItemsOf(body?.input, n), events: all });
    if (!body?.stream) return send(res, 200, built.response, reply.headers);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'req_fake_responses', ...reply.headers });
    for (let i = 0; i < all.length; i++) {
      if (reply.failAfterEvents !== undefined && i >= reply.failAfterEvents) {
        const err = { type: 'error', code: 'server_error', message: 'fake upstream failed mid-stream', param: null, sequence_number: i };
        res.end(`event: error\ndata: ${JSON.stringify(err)}\n\n`);
        return;
      }
      if (res.destroyed) return;
      res.write(`event: ${String(all[i]!.type)}\ndata: ${JSON.stringify(all[i])}\n\n`);
      if (reply.eventDelayMs) await sleep(reply.eventDelayMs);
    }
    res.end();
  }

  const server: Server = createServer(async (req, res) => {
    const body = await readJsonBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    requests.push({ method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body });

    if (req.method === 'POST' && path === '/v1/responses') return create(body, res);
    const m = /^\/v1\/responses\/([^/]+)(\/input_items)?$/.exec(path);
    const id = m ? decodeURIComponent(m[1]!) : '';
    const entry = m ? stored.get(id) : undefined;
    if (m && !entry) return sendError(res, { status: 404, message: `No response found with id '${id}'.` });
    if (entry && req.method === 'GET' && m![2]) {
      const order = url.searchParams.get('order') ?? 'desc';
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const items = order === 'asc' ? entry.inputItems : [...entry.inputItems].reverse();
      const data = items.slice(0, limit);
      return send(res, 200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: items.length > limit });
    }
    if (entry && req.method === 'GET' && url.searchParams.get('stream') === 'true') {
      const after = Number(url.searchParams.get('starting_after') ?? -1);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_fake_responses' });
      for (const e of entry.events) if (Number(e.sequence_number) > after) res.write(`event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`);
      return res.end();
    }
    if (entry && req.method === 'GET') return send(res, 200, entry.response);
    if (entry && req.method === 'DELETE') {
      stored.delete(id);
      return send(res, 200, { id, object: 'response', deleted: true });
    }
    sendError(res, { status: 404, message: `fake upstream: no route ${req.method} ${path}` });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    createBodies: () => requests.filter((r) => r.method === 'POST' && r.path === '/v1/responses').map((r) => r.body),
    enqueue: (...replies) => void queue.push(...replies),
    stored,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
