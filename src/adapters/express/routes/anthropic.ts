import type { Request, Response } from 'express';
import type { ChatMessage } from '../../../engine/ports/chat.js';
import { LEARNING_DISABLED, type CachedRetrieval, type TurnLearning } from '../../../engine/index.js';
import { anthropicErrorBody, isAnthropicErrorBody, renderAnthropicError } from '../anthropic/errors.js';
import { CountTokensRequest, MessagesRequest, replyTextOf, toTurnMessages, withSkillsSystem, type MessagesBody } from '../anthropic/messages.js';
import { MessageStreamCollector, SseScanner } from '../anthropic/stream.js';
import { forwardedSearch, postUpstream, relayedResponseHeaders, upstreamRequestHeaders, type AnthropicUpstream } from '../anthropic/upstream.js';
import type { RouteContext } from '../context.js';
import { HttpError } from '../errors.js';
import { abortOnDisconnect, idleWatchdog, proxyLearn, proxyRetrieve, setHeaders, setTurnHeaders, skillsHeader, wantsReport } from '../proxy-turn.js';
import { defineRoute, type RouteDef } from '../route.js';
import { commentFrame, eventFrame, startSse, write } from '../sse.js';

/**
 * `POST /v1/messages` and `POST /v1/messages/count_tokens`: a pass-through proxy for an
 * Anthropic-compatible upstream (Claude Code with `ANTHROPIC_BASE_URL`, the Anthropic SDKs,
 * `@ai-sdk/anthropic`). The caller's body goes upstream as sent, with one change: the retrieved
 * skills after the caller's system prompt (anthropic/messages.ts), so cached prefixes stay valid.
 * Headers pass through both ways (anthropic/upstream.ts); stream bytes are relayed as they arrive
 * while being read on the side for learning (anthropic/stream.ts). Retrieval and learning go
 * through the turn pipeline (`sdk.turns`) like every other surface.
 *
 * Reporting, as on `/v1/chat/completions`: header `X-AutoSkill-Skills` (id@version, comma-separated)
 * on every answer, `X-AutoSkill-Job` on non-stream answers; in streams the job id comes as an SSE
 * comment `: autoskill-job <id>` after the upstream's last event. With header
 * `X-AutoSkill-Return: 1` or body `autoskill: {return: true}`, the turn report is added as an
 * `autoskill` field (streams: a last event `autoskill`).
 *
 * count_tokens gets the same skills injected, so its count is the count of what /v1/messages
 * would send for the same request (Claude Code sizes its context with it). The retrieval is
 * shared with the following /v1/messages call of the same turn through the turn cache.
 */

const OFFLINE_MESSAGE =
  'autoskill has no Anthropic upstream, so it cannot answer /v1/messages. Start it with ' +
  '`autoskill serve --anthropic-base-url https://api.anthropic.com [--anthropic-api-key-env ANTHROPIC_API_KEY]` ' +
  '(env AUTOSKILL_ANTHROPIC_BASE_URL), or pass `anthropic: { baseURL }` to autoskillRouter().';

const STALLED_MESSAGE = 'the Anthropic upstream stopped sending';

/** The turn counter's session: ours if given, else Claude Code's session header. */
function sessionOf(req: Request, body: MessagesBody): string | undefined {
  if (body.autoskill?.session_id) return body.autoskill.session_id;
  const h = req.headers['x-claude-code-session-id'];
  return typeof h === 'string' && h.trim() && h.length <= 200 ? h.trim() : undefined;
}

/** One proxied request. */
interface Turn {
  ctx: RouteContext;
  up: AnthropicUpstream;
  req: Request;
  res: Response;
  user: string;
  sessionId: string | undefined;
  body: MessagesBody;
  /** the conversation as plain turns (system, user, assistant, tool) */
  messages: ChatMessage[];
  retrieval: CachedRetrieval | undefined;
  wantReport: boolean;
}

async function prepare(call: { req: Request; res: Response; ctx: RouteContext; user: string; body: MessagesBody }): Promise<Turn> {
  const { req, res, ctx, user, body } = call;
  const up = ctx.anthropic;
  if (!up) throw new HttpError(503, OFFLINE_MESSAGE, { type: 'server_error', code: 'upstream_not_configured' });
  const messages = toTurnMessages(body);
  const retrieval = await proxyRetrieve(ctx, user, body.autoskill, messages);
  res.locals.skills = retrieval?.context?.included.length ?? 0;
  const wantReport = wantsReport(req, body.autoskill);
  return { ctx, up, req, res, user, sessionId: sessionOf(req, body), body, messages, retrieval, wantReport };
}

/**
 * The upstream body: the caller's parsed JSON (key order and unknown fields as sent, not zod's
 * output) without our `autoskill` field, skills appended to the system prompt.
 */
function upstreamBody(t: Turn): string {
  const { autoskill: _ours, ...forward } = t.req.body as Record<string, unknown>;
  if (t.retrieval?.context) forward.system = withSkillsSystem(forward.system, t.retrieval.context.text);
  return JSON.stringify(forward);
}

interface UpstreamExchange {
  response: globalThis.Response;
  ac: AbortController;
  /** re-arm the silence timeout (a stream chunk arrived) */
  touch(): void;
  /** stop the silence timeout */
  done(): void;
}

/**
 * Call the upstream for our caller. One controller aborts the call when our client leaves or when
 * the upstream is silent for `upstreamTimeoutMs` (re-armed by `touch` while a stream flows).
 */
async function callUpstream(
  ctx: RouteContext,
  up: AnthropicUpstream,
  req: Request,
  res: Response,
  call: { method?: 'GET'; path: string; body?: string; silentMessage: string },
): Promise<UpstreamExchange> {
  const ac = abortOnDisconnect(res);
  const idle = idleWatchdog(ac, ctx.upstreamTimeoutMs, () => new HttpError(504, call.silentMessage, { code: 'upstream_timeout' }));
  idle.arm();
  try {
    const response = await postUpstream(up, {
      ...(call.method ? { method: call.method } : {}),
      path: call.path,
      search: forwardedSearch(req.originalUrl),
      headers: upstreamRequestHeaders(req.headers, up, ctx.keys !== undefined, call.body !== undefined),
      ...(call.body !== undefined ? { body: call.body } : {}),
      signal: ac.signal,
    });
    return { response, ac, touch: idle.arm, done: idle.clear };
  } catch (err) {
    idle.clear();
    throw err;
  }
}

/** Read a whole upstream body within the time box, as an HttpError when it fails. */
async function readText(response: globalThis.Response, ac: AbortController): Promise<string> {
  try {
    return await response.text();
  } catch (err) {
    if (ac.signal.reason instanceof HttpError) throw ac.signal.reason;
    throw new HttpError(502, `the Anthropic upstream broke off its answer: ${(err as Error).message}`, { type: 'server_error', code: 'upstream_error', cause: err });
  }
}

/**
 * Relay a non-2xx answer: an Anthropic-shaped error goes out byte for byte with its status and
 * headers (Claude Code matches on the wording); anything else (an HTML page from a load
 * balancer) is wrapped in Anthropic's shape with the same status.
 */
function relayError(res: Response, response: globalThis.Response, text: string): void {
  const headers = relayedResponseHeaders(response.headers);
  res.status(response.status);
  if (isAnthropicErrorBody(text)) {
    setHeaders(res, headers);
    res.end(text);
    return;
  }
  delete headers['content-type'];
  setHeaders(res, headers);
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  res.json(anthropicErrorBody(response.status, `the Anthropic upstream answered ${response.status}${snippet ? `: ${snippet}` : ''}`));
}

/** Hand the turn to the learning loop, as on chat (proxy-turn.ts). */
function learn(t: Turn, replyText: string): Promise<TurnLearning> {
  const turn = { user: t.user, sessionId: t.sessionId, options: t.body.autoskill, messages: t.messages };
  return proxyLearn(t.ctx, turn, replyText, 'the answer is a tool call or did not complete; the turn is not finished');
}

function report(t: Turn, learning: TurnLearning) {
  return t.ctx.sdk.turns.report({ userId: t.user, sessionId: t.sessionId, retrieval: t.retrieval, learning });
}

async function nonStream(t: Turn, response: globalThis.Response, ac: AbortController, learnFrom: boolean): Promise<void> {
  const text = await readText(response, ac);
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new HttpError(502, 'unusable answer from the Anthropic upstream: not JSON', { type: 'server_error', code: 'upstream_error' });
  }
  const learning = learnFrom ? await learn(t, replyTextOf(message)) : LEARNING_DISABLED;
  const { res } = t;
  res.status(response.status);
  setHeaders(res, relayedResponseHeaders(response.headers));
  setTurnHeaders(res, t.retrieval, learning);
  // Unless the report was asked for, the bytes are the upstream's own.
  if (t.wantReport && message && typeof message === 'object') res.json({ ...message, autoskill: report(t, learning) });
  else res.end(text);
}

async function stream(t: Turn, response: globalThis.Response, ac: AbortController, touch: () => void): Promise<void> {
  const { res, ctx } = t;
  startSse(res, { ...relayedResponseHeaders(response.headers), 'X-AutoSkill-Skills': skillsHeader(t.retrieval) });
  const collector = new MessageStreamCollector();
  const scanner = new SseScanner((event, data) => collector.add(event, data));
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      touch();
      scanner.push(value);
      if (!(await write(res, value))) return; // client gone; the close handler aborted upstream
    }
  } catch (err) {
    if (res.destroyed || res.writableEnded) return;
    const reason: unknown = ac.signal.reason;
    const e = reason instanceof HttpError ? reason : new HttpError(502, `the Anthropic upstream broke off the stream: ${(err as Error).message}`, { code: 'upstream_error' });
    ctx.logger.warn('messages stream failed', { user: t.user, status: e.status, error: e.message });
    res.locals.streamError = e.status;
    // After a 200 an error can only be an event; Anthropic's own streams do the same.
    res.end(eventFrame('error', anthropicErrorBody(e.status, e.message)));
    return;
  }
  scanner.end();
  const learning = await learn(t, collector.learnable);
  if (learning.job_id) {
    res.locals.job = learning.job_id;
    await write(res, commentFrame(`autoskill-job ${learning.job_id}`));
  }
  if (t.wantReport) await write(res, eventFrame('autoskill', { type: 'autoskill', autoskill: report(t, learning) }));
  res.end();
}

async function relay(t: Turn, path: string, learnFrom: boolean): Promise<void> {
  const { response, ac, touch, done } = await callUpstream(t.ctx, t.up, t.req, t.res, { path, body: upstreamBody(t), silentMessage: STALLED_MESSAGE });
  try {
    if (!response.ok) return relayError(t.res, response, await readText(response, ac));
    // The upstream's content type decides, not the request's `stream` flag: a server that
    // answers a stream request with one JSON message is relayed as what it is.
    const sse = /^text\/event-stream/i.test(response.headers.get('content-type') ?? '') && response.body;
    await (sse ? stream(t, response, ac, touch) : nonStream(t, response, ac, learnFrom));
  } finally {
    done();
  }
}

/**
 * `GET /v1/models` asked by an Anthropic client (it sends `anthropic-version`; Claude Code's
 * gateway model discovery does): the Anthropic upstream's list, relayed as sent, with errors in
 * Anthropic's shape. Called from the `/v1/models` route (openai.ts), which serves OpenAI clients.
 */
export async function relayAnthropicModels(req: Request, res: Response, ctx: RouteContext, up: AnthropicUpstream): Promise<void> {
  res.locals.renderError = renderAnthropicError;
  // One time box for the whole answer (headers and body): nothing re-arms it.
  const { response, ac, done } = await callUpstream(ctx, up, req, res, { method: 'GET', path: '/v1/models', silentMessage: 'the Anthropic upstream did not answer in time' });
  try {
    const text = await readText(response, ac);
    if (!response.ok) return relayError(res, response, text);
    res.status(response.status);
    setHeaders(res, relayedResponseHeaders(response.headers));
    res.end(text);
  } finally {
    done();
  }
}

export function anthropicRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/messages',
      summary: 'Anthropic Messages with skill injection (pass-through proxy to the Anthropic upstream; stream or not)',
      tag: 'proxy',
      errorShape: 'anthropic',
      body: MessagesRequest,
      returns: 'the upstream message (or its SSE events), unchanged',
      async handle({ req, res, ctx, actor, body }) {
        const t = await prepare({ req, res, ctx, user: actor.userId, body });
        await relay(t, '/v1/messages', true);
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/messages/count_tokens',
      summary: 'Anthropic token counting of the request as /v1/messages would send it (skills included)',
      tag: 'proxy',
      errorShape: 'anthropic',
      body: CountTokensRequest,
      returns: "the upstream's `{input_tokens}`, unchanged",
      async handle({ req, res, ctx, actor, body }) {
        const t = await prepare({ req, res, ctx, user: actor.userId, body });
        await relay(t, '/v1/messages/count_tokens', false);
        return undefined;
      },
    }),
  ];
}
