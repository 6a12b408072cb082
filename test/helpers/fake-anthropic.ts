/**
 * TEST-ONLY fake Anthropic Messages upstream on 127.0.0.1 (node:http, no dependency).
 *
 * - `POST /v1/messages`: a message (text or tool_use) as JSON, or as the SSE events Anthropic
 *   sends (`message_start`, `content_block_*`, a `ping`, `message_delta`, `message_stop`) when the
 *   body says `stream: true`. The exact bytes of each stream are kept (`streams`), so tests can
 *   check they reach the client unchanged.
 * - `POST /v1/messages/count_tokens`: `{input_tokens}` derived from system, messages and tools
 *   (`countOf`), so a test can tell which prompt was counted.
 * - `GET /v1/models`: one model, `claude-test`, in Anthropic's list shape.
 * - Errors: Anthropic-shaped with any status and headers, a non-JSON body (a proxy's HTML page),
 *   or an `error` event in the middle of a stream.
 * - Every request is recorded with its headers, query and raw body text.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeAnthropicReply {
  /** the answer text (default: `echo: <last user text>`) */
  text?: string;
  /** answer with a tool call instead (stop_reason tool_use) */
  toolUse?: { name: string; input: Record<string, unknown> };
  /** answer with this HTTP error: Anthropic-shaped unless `raw` is given */
  error?: { status: number; type?: string; message?: string; raw?: string; headers?: Record<string, string> };
  /** streams only: after this many events, send an `error` event and end */
  failAfterEvents?: number;
  /** streams only: stop sending (without ending) after this many events */
  stallAfterEvents?: number;
  /** extra response headers */
  headers?: Record<string, string>;
}

export interface RecordedAnthropicRequest {
  path: string;
  /** the query string, `?` included, or '' */
  search: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

export interface FakeAnthropic {
  /** http://127.0.0.1:port (no /v1, as ANTHROPIC_BASE_URL) */
  readonly url: string;
  readonly requests: RecordedAnthropicRequest[];
  /** the bytes of every stream sent, in order */
  readonly streams: string[];
  enqueue(...replies: FakeAnthropicReply[]): void;
  last(path?: string): RecordedAnthropicRequest;
  close(): Promise<void>;
}

/** The fake's token count: a function of exactly what the model would see. */
export function countOf(body: any): number {
  return Math.ceil(JSON.stringify([body?.system ?? null, body?.messages ?? [], body?.tools ?? null]).length / 4);
}

function lastUserText(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    return (m.content as any[]).map((b) => (b?.type === 'text' ? b.text : '')).join('');
  }
  return '';
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function streamEvents(body: any, reply: FakeAnthropicReply, id: string): string[] {
  const usage = { input_tokens: 12, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const events = [
    frame('message_start', {
      type: 'message_start',
      message: { id, type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage },
    }),
  ];
  if (reply.toolUse) {
    const json = JSON.stringify(reply.toolUse.input);
    events.push(
      frame('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_fake', name: reply.toolUse.name, input: {} } }),
      frame('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: json } }),
      frame('content_block_stop', { type: 'content_block_stop', index: 0 }),
    );
  } else {
    const text = reply.text ?? `echo: ${lastUserText(body)}`;
    const cut = Math.ceil(text.length / 2);
    events.push(
      frame('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      frame('ping', { type: 'ping' }),
      frame('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(0, cut) } }),
      frame('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(cut) } }),
      frame('content_block_stop', { type: 'content_block_stop', index: 0 }),
    );
  }
  events.push(
    frame('message_delta', { type: 'message_delta', delta: { stop_reason: reply.toolUse ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }),
    frame('message_stop', { type: 'message_stop' }),
  );
  return events;
}

function message(body: any, reply: FakeAnthropicReply, id: string) {
  const content = reply.toolUse
    ? [{ type: 'tool_use', id: 'toolu_fake', name: reply.toolUse.name, input: reply.toolUse.input }]
    : [{ type: 'text', text: reply.text ?? `echo: ${lastUserText(body)}` }];
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: reply.toolUse ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake', ...headers });
  res.end(JSON.stringify(value));
}

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const requests: RecordedAnthropicRequest[] = [];
  const streams: string[] = [];
  const queue: FakeAnthropicReply[] = [];
  const sockets = new Set<Socket>();
  let n = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      requests.push({ path: url.pathname, search: url.search, headers: req.headers, raw, body });
      if (req.method === 'GET' && url.pathname === '/v1/models') {
        const model = { type: 'model', id: 'claude-test', display_name: 'Claude Test', created_at: '2026-01-01T00:00:00Z' };
        return sendJson(res, 200, { data: [model], has_more: false, first_id: model.id, last_id: model.id });
      }
      if (req.method !== 'POST' || (url.pathname !== '/v1/messages' && url.pathname !== '/v1/messages/count_tokens')) {
        return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `no route ${url.pathname}` }, request_id: 'req_fake' });
      }
      if (url.pathname === '/v1/messages/count_tokens') return sendJson(res, 200, { input_tokens: countOf(body) });
      const reply = queue.shift() ?? {};
      const headers = { 'anthropic-ratelimit-requests-remaining': '99', ...reply.headers };
      if (reply.error) {
        const e = reply.error;
        if (e.raw !== undefined) {
          res.writeHead(e.status, { 'content-type': 'text/html', ...e.headers });
          return res.end(e.raw);
        }
        return sendJson(res, e.status, { type: 'error', error: { type: e.type ?? 'api_error', message: e.message ?? 'fake error' }, request_id: 'req_fake_error' }, { ...headers, ...e.headers });
      }
      const id = `msg_fake_${++n}`;
      if (!body?.stream) return sendJson(res, 200, message(body, reply, id), headers);
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_fake', ...headers });
      let events = streamEvents(body, reply, id);
      if (reply.failAfterEvents !== undefined) {
        events = [...events.slice(0, reply.failAfterEvents), frame('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })];
      }
      if (reply.stallAfterEvents !== undefined) {
        const sent = events.slice(0, reply.stallAfterEvents).join('');
        streams.push(sent);
        res.write(sent);
        return; // never ends: drives the proxy's idle watchdog
      }
      const bytes = events.join('');
      streams.push(bytes);
      // Written in pieces that cut through events, as a network would deliver them.
      const pieces = [bytes.slice(0, 37), bytes.slice(37, 200), bytes.slice(200)];
      let i = 0;
      const next = () => {
        if (i === pieces.length) return res.end();
        res.write(pieces[i++]);
        setImmediate(next);
      };
      next();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    streams,
    enqueue: (...replies) => void queue.push(...replies),
    last(path = '/v1/messages') {
      const found = requests.filter((r) => r.path === path).at(-1);
      if (!found) throw new Error(`no request to ${path}`);
      return found;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
