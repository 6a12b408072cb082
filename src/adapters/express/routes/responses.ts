import type { Request, Response } from 'express';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import type { RouteContext } from '../context.js';
import { fromUpstream, HttpError, relayedHeaders } from '../errors.js';
import { abortOnDisconnect, proxyRetrieve, setHeaders, setTurnHeaders, upstreamOptions, wantsReport } from '../proxy-turn.js';
import { defineRoute, type RouteDef } from '../route.js';
import { startSse, write } from '../sse.js';
import { answerText, inputMessages, instructionsWithSkills } from '../responses/conversation.js';
import { ResponseHistory } from '../responses/history.js';
import { InputItemsQuery, ResponseIdParams, ResponsesRequest, RetrieveResponseQuery } from '../responses/schema.js';
import { streamResponse } from '../responses/stream.js';
import { nonStreamCall } from '../upstream-body.js';
import { learnFromResponse, rememberTurn, reportOf, type ResponsesTurn } from '../responses/turn.js';

/**
 * The OpenAI Responses API (`POST /v1/responses`, the default of `@ai-sdk/openai`, the Agents SDK
 * and Codex) as a pass-through proxy with the same skill injection, reporting and learning as
 * `/v1/chat/completions`. The caller's body goes upstream as given (tools, `input` as a string or
 * items, `previous_response_id`, `store`, `reasoning`, `include`, ...) through the official
 * `openai` client; the one change is the skills, appended to `instructions` after the caller's own
 * text (why there: responses/conversation.ts). The answer comes back as the upstream sent it.
 *
 * Reporting as on chat: header `X-AutoSkill-Skills` (id@version, comma-separated) on every answer,
 * `X-AutoSkill-Job` on non-stream answers (streams: an SSE comment `: autoskill-job <id>` after
 * the last event), and with `X-AutoSkill-Return: 1` or body `autoskill: {return: true}` the turn
 * report as an `autoskill` field (streams: an `autoskill.report` event at the end).
 *
 * `GET`/`DELETE /v1/responses/{id}` and `GET /v1/responses/{id}/input_items` are relayed as they
 * are (status, JSON body, or the event stream of `?stream=true`). Stored responses belong to the
 * upstream account, shared by every user of this proxy: their ids are the only key.
 */

const OFFLINE_MESSAGE =
  'autoskill is running without an upstream model, so it cannot answer Responses requests. Start it with ' +
  '`autoskill serve --upstream-base-url <OpenAI-compatible URL> [--upstream-api-key-env NAME] [--model M]`, ' +
  'or pass `upstream: new OpenAI({...})` to autoskillRouter(). The management API, retrieval preview and extraction work offline.';

function upstreamOf(ctx: RouteContext) {
  if (!ctx.upstream) throw new HttpError(503, OFFLINE_MESSAGE, { type: 'server_error', code: 'upstream_not_configured' });
  return ctx.upstream;
}

/** A 2xx body the proxy cannot read is the upstream's fault, as on chat (→ 502). */
function parseUpstreamJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(502, 'unusable answer from the upstream model: the body is not a JSON object', { type: 'server_error', code: 'upstream_error' });
}

/**
 * Non-stream: the upstream body is relayed byte for byte (the client's parsed object would carry
 * its own convenience field `output_text`, which the wire does not); it is parsed only to learn
 * from it, and re-serialized only when the caller asked for the report.
 */
async function nonStream(t: ResponsesTurn): Promise<void> {
  const { ctx, client, res } = t;
  const ac = abortOnDisconnect(res);
  const response = await nonStreamCall(ctx, '/responses', t.upstreamBody, ac.signal, () =>
    client.responses.create(t.upstreamBody as unknown as ResponseCreateParamsNonStreaming, upstreamOptions(ctx, ac.signal)).asResponse(),
  );
  const text = response.text;
  const data = parseUpstreamJson(text);
  const reply = answerText(data);
  rememberTurn(t, data.id, reply);
  const learning = await learnFromResponse(t, reply);
  setHeaders(res, response.relayed);
  setTurnHeaders(res, t.retrieval, learning);
  res.status(response.status);
  if (t.wantReport) res.json({ ...data, autoskill: reportOf(t, learning) });
  else res.type('application/json').send(text);
}

/**
 * Express's query (`include[]=a&include[]=b` arrives as key `include[]`) in the form the openai
 * client writes back out (`include: [...]`, brackets format). `user` is ours (it names the user in
 * trusted mode) and stays here.
 */
function forwardedQuery(req: Request): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [rawKey, value] of Object.entries(req.query as Record<string, unknown>)) {
    const isArray = rawKey.endsWith('[]');
    const key = isArray ? rawKey.slice(0, -2) : rawKey;
    if (key === 'user') continue;
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (values.length === 0) continue;
    const prev = out[key];
    const merged = [...(prev === undefined ? [] : Array.isArray(prev) ? prev : [prev]), ...values];
    out[key] = isArray || merged.length > 1 ? merged : merged[0]!;
  }
  return out;
}

/** Relay one stored-response call: status, rate-limit headers and body as the upstream sent them. */
async function relay(ctx: RouteContext, req: Request, res: Response, method: 'get' | 'delete', path: string): Promise<void> {
  const client = upstreamOf(ctx);
  const ac = abortOnDisconnect(res);
  const query = forwardedQuery(req);
  const options = { ...upstreamOptions(ctx, ac.signal), ...(Object.keys(query).length ? { query } : {}) };
  const response = await fromUpstream((method === 'get' ? client.get(path, options) : client.delete(path, options)).asResponse());
  const type = response.headers.get('content-type') ?? 'application/json';
  if (/^text\/event-stream/i.test(type) && response.body) {
    // `?stream=true` re-streams a (background) response: the events pass through as bytes.
    startSse(res, relayedHeaders(response.headers));
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!(await write(res, decoder.decode(value, { stream: true })))) return; // caller gone; the close handler aborted upstream
      }
    } catch {
      // the upstream went away mid-stream: end what was sent
    } finally {
      reader.releaseLock();
    }
    res.end();
    return;
  }
  const text = await fromUpstream(response.text());
  setHeaders(res, relayedHeaders(response.headers));
  res.status(response.status).type(type).send(text);
}

const responsePath = (id: string) => `/responses/${encodeURIComponent(id)}`;

export function responsesRoutes(): RouteDef[] {
  // Per router: the conversations behind the response ids this proxy relayed (see history.ts).
  const history = new ResponseHistory();
  return [
    defineRoute({
      method: 'post',
      path: '/v1/responses',
      summary: 'OpenAI Responses API with skill injection (pass-through proxy; stream or not)',
      tag: 'proxy',
      body: ResponsesRequest,
      returns: 'the upstream response object (or its SSE events), unchanged',
      async handle({ req, res, ctx, actor, body }) {
        const client = upstreamOf(ctx);
        const { autoskill: _ours, ...forward } = body;
        const wantReport = wantsReport(req, body.autoskill);
        const conversation = [...history.get(body.previous_response_id, actor.userId), ...inputMessages(body.input)];
        const retrieval = await proxyRetrieve(ctx, actor.userId, body.autoskill, conversation);
        res.locals.skills = retrieval?.context?.included.length ?? 0;
        const model = forward.model ?? ctx.model;
        const upstreamBody: Record<string, unknown> = {
          ...forward,
          ...(model ? { model } : {}),
          ...(retrieval?.context ? { instructions: instructionsWithSkills(body.instructions, retrieval.context.text) } : {}),
        };
        const turn: ResponsesTurn = { ctx, client, res, user: actor.userId, body, upstreamBody, conversation, retrieval, wantReport, history };
        await (body.stream ? streamResponse(turn) : nonStream(turn));
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/responses/:id',
      summary: 'a stored response (relayed to the upstream)',
      tag: 'proxy',
      params: ResponseIdParams,
      query: RetrieveResponseQuery,
      returns: "the upstream's response object (or its SSE events with stream=true)",
      async handle({ req, res, ctx, params }) {
        await relay(ctx, req, res, 'get', responsePath(params.id));
        return undefined;
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/responses/:id',
      summary: 'delete a stored response (relayed to the upstream)',
      tag: 'proxy',
      params: ResponseIdParams,
      returns: "the upstream's deletion result",
      async handle({ req, res, ctx, params }) {
        history.delete(params.id);
        await relay(ctx, req, res, 'delete', responsePath(params.id));
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/responses/:id/input_items',
      summary: "a stored response's input items (relayed to the upstream)",
      tag: 'proxy',
      params: ResponseIdParams,
      query: InputItemsQuery,
      returns: "the upstream's list of input items",
      async handle({ req, res, ctx, params }) {
        await relay(ctx, req, res, 'get', `${responsePath(params.id)}/input_items`);
        return undefined;
      },
    }),
  ];
}
