import type { Response as ExpressResponse } from 'express';
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { normalizeChatCompletionChunk } from 'openai/lib/chat-completions/streaming';
import { z } from 'zod';
import { insertAfterSystem, type CachedRetrieval, type TurnLearning, type TurnReport } from '../../../engine/index.js';
import type { RouteContext } from '../context.js';
import { fromUpstream, HttpError, relayedHeaders, relayedRawHeaders, upstreamError } from '../errors.js';
import { openAiStreamItems } from '../../shared/sse-reader.js';
import { abortOnDisconnect, idleWatchdog, stallReason, proxyLearn, proxyRetrieve, setHeaders, setTurnHeaders, skillsHeader, upstreamOptions, wantsReport } from '../proxy-turn.js';
import { defineRoute, type RouteDef } from '../route.js';
import { commentFrame, dataFrame, DONE_FRAME, startSse, write } from '../sse.js';
import { proxyAutoskillField } from '../schemas.js';
import { nonStreamCall, parseUpstreamText } from '../upstream-body.js';

/**
 * `POST /v1/chat/completions`: a true pass-through proxy. The caller's request goes upstream as
 * given (messages, tools, tool_choice, response_format, n, stop, seed, ...) through the official
 * `openai` client; the only change is one system message with the retrieved skills, inserted after
 * the caller's leading system messages. Streams are relayed chunk by chunk (tool-call deltas and
 * usage included). Retrieval and learning go through the SDK's turn pipeline (`sdk.turns`), like
 * every other surface; the extraction runs after the answer, in the background.
 *
 * Reporting: header `X-AutoSkill-Skills` (id@version, comma-separated) on every answer; header
 * `X-AutoSkill-Job` on non-stream answers. A stream learns only once it has ended, so there the
 * job id comes as an SSE comment `: autoskill-job <id>` before `[DONE]`. With header
 * `X-AutoSkill-Return: 1` or body `autoskill: {return: true}`, the body also carries an
 * `autoskill` field, the turn report (engine/turn/report.ts; a last chunk with `choices: []` in
 * streams).
 */

const ContentPart = z.object({ type: z.string() }).loose();

const ChatMessageIn = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
    name: z.string().optional(),
    tool_calls: z
      .array(
        z
          .object({ id: z.string(), type: z.string(), function: z.object({ name: z.string(), arguments: z.string() }).loose() })
          .loose(),
      )
      .optional(),
    tool_call_id: z.string().optional(),
  })
  .loose();

/** Our own per-request options; stripped before the request goes upstream. */
const AutoskillField = proxyAutoskillField('add an `autoskill` field to the answer');

export const ChatCompletionRequest = z
  .object({
    model: z.string().min(1).max(256).optional(),
    messages: z.array(ChatMessageIn).min(1).max(5000),
    stream: z.boolean().nullable().optional(),
    user: z.string().max(256).optional(),
    n: z.number().int().min(1).max(128).nullable().optional(),
    tools: z.array(z.object({ type: z.string() }).loose()).optional(),
    autoskill: AutoskillField.optional(),
  })
  .loose()
  .describe('OpenAI Chat Completions request; unknown fields are forwarded unchanged');

type ChatBody = z.output<typeof ChatCompletionRequest>;
type Message = z.output<typeof ChatMessageIn>;

const OFFLINE_MESSAGE =
  'autoskill is running without an upstream model, so it cannot answer chat requests. Start it with ' +
  '`autoskill serve --upstream-base-url <OpenAI-compatible URL> [--upstream-api-key-env NAME] [--model M]`, ' +
  'or pass `upstream: new OpenAI({...})` to autoskillRouter(). The management API, retrieval preview and extraction work offline.';

/** The skills system message, in the role the caller's prefix uses (some models reject `system`). */
function withSkills(messages: Message[], text: string): Message[] {
  const role = messages[0]?.role === 'developer' ? 'developer' : 'system';
  return insertAfterSystem<Message>(messages, { role, content: text }, (m) => m.role);
}

/** Hand this turn to the learning loop (proxy-turn.ts says what the job id acknowledges). */
function learn(ctx: RouteContext, user: string, body: ChatBody, replyText: string): Promise<TurnLearning> {
  const turn = { user, sessionId: body.autoskill?.session_id, options: body.autoskill, messages: body.messages };
  return proxyLearn(ctx, turn, replyText, 'the answer is a tool call; the turn is not finished');
}

function report(ctx: RouteContext, user: string, body: ChatBody, r: CachedRetrieval | undefined, learning: TurnLearning): TurnReport {
  return ctx.sdk.turns.report({ userId: user, sessionId: body.autoskill?.session_id, retrieval: r, learning });
}

function replyTextOf(completion: ChatCompletion | undefined): string {
  if (!completion || typeof completion !== 'object') return '';
  const choice = completion.choices?.find((c) => c.index === 0) ?? completion.choices?.[0];
  if (!choice || choice.finish_reason === 'tool_calls') return '';
  return typeof choice.message?.content === 'string' ? choice.message.content : '';
}

/** One proxied chat turn. */
interface Turn {
  ctx: RouteContext;
  client: OpenAI;
  res: ExpressResponse;
  user: string;
  /** the caller's request, as validated */
  body: ChatBody;
  /** what goes upstream: the caller's fields, skills injected, our own fields stripped */
  upstreamBody: Record<string, unknown>;
  retrieval: CachedRetrieval | undefined;
  wantReport: boolean;
}

async function nonStream({ ctx, client, res, user, body, upstreamBody, retrieval: r, wantReport }: Turn) {
  const ac = abortOnDisconnect(res);
  const answer = await nonStreamCall(ctx, '/chat/completions', upstreamBody, ac.signal, () =>
    client.chat.completions.create(upstreamBody as unknown as ChatCompletionCreateParamsNonStreaming, upstreamOptions(ctx, ac.signal)).asResponse(),
  );
  const { data, text, json } = parseUpstreamText(answer.text, answer.contentType);
  const learning = await learn(ctx, user, body, replyTextOf(data as ChatCompletion | undefined));
  setHeaders(res, answer.relayed);
  setTurnHeaders(res, r, learning);
  if (wantReport) res.json({ ...(data as object), autoskill: report(ctx, user, body, r, learning) });
  else if (!json) res.json(data);
  else {
    // Passed on as it came: no second serialization, no ETag over a one-off answer.
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(text);
  }
}

/** Collects what learning needs from the relayed chunks: choice 0's text and how it ended. */
class ReplyCollector {
  text = '';
  finish: string | null = null;
  id = '';
  model = '';
  created = 0;

  add(chunk: ChatCompletionChunk): void {
    this.id ||= chunk.id;
    this.model ||= chunk.model;
    this.created ||= chunk.created;
    for (const c of chunk.choices ?? []) {
      if (c.index !== 0) continue;
      if (typeof c.delta?.content === 'string') this.text += c.delta.content;
      if (c.finish_reason) this.finish = c.finish_reason;
    }
  }

  get learnable(): string {
    return this.finish === 'tool_calls' ? '' : this.text;
  }
}

/**
 * The upstream stream and the headers to relay: on the direct path (shared/direct-upstream.ts)
 * read as the client reads it (shared/sse-reader.ts, chunks normalized as `create({stream: true})`
 * normalizes them); else through the client.
 */
async function openStream(
  ctx: RouteContext,
  client: OpenAI,
  upstreamBody: Record<string, unknown>,
  ac: AbortController,
): Promise<{ data: AsyncIterable<ChatCompletionChunk>; relayed: Record<string, string> }> {
  const body = { ...upstreamBody, stream: true };
  if (ctx.direct) {
    const s = await ctx.direct.stream('/chat/completions', JSON.stringify(body), { signal: ac.signal, timeoutMs: ctx.upstreamTimeoutMs });
    return { data: openAiStreamItems<ChatCompletionChunk>(s.body, ac, s.headers, normalizeChatCompletionChunk), relayed: relayedRawHeaders(s.rawHeaders) };
  }
  const { data, response } = await client.chat.completions.create(body as unknown as ChatCompletionCreateParamsStreaming, upstreamOptions(ctx, ac.signal)).withResponse();
  return { data, relayed: relayedHeaders(response.headers) };
}

async function stream({ ctx, client, res, user, body, upstreamBody, retrieval: r, wantReport }: Turn) {
  const ac = abortOnDisconnect(res);
  // Upstream errors before the first byte still get a real HTTP status: headers are not sent yet.
  const { data: chunks, relayed } = await fromUpstream(openStream(ctx, client, upstreamBody, ac));
  startSse(res, { ...relayed, 'X-AutoSkill-Skills': skillsHeader(r) });

  // The client's timeout covers the wait for headers; a stalled stream needs its own watchdog.
  const stall = stallReason('the upstream model stopped sending');
  const idle = idleWatchdog(ac, ctx.upstreamTimeoutMs, stall.make);
  const collector = new ReplyCollector();
  try {
    idle.arm();
    for await (const chunk of chunks) {
      idle.arm();
      collector.add(chunk);
      if (!(await write(res, dataFrame(chunk)))) return; // client gone; the close handler aborted upstream
    }
  } catch (err) {
    if (res.destroyed || res.writableEnded) return;
    const e = stall.is(ac.signal.reason) ? stall.make() : upstreamError(err);
    ctx.logger.warn('chat stream failed', { user, status: e.status, error: e.message });
    res.locals.streamError = e.status;
    res.end(dataFrame(e.body()));
    return;
  } finally {
    idle.clear();
  }
  // The openai client ends a stream quietly when it is aborted: a stall or our client leaving.
  if (ac.signal.aborted) {
    if (!stall.is(ac.signal.reason) || res.destroyed || res.writableEnded) return;
    ctx.logger.warn('chat stream stalled', { user, timeoutMs: ctx.upstreamTimeoutMs });
    res.locals.streamError = 504;
    res.end(dataFrame(stall.make().body()));
    return;
  }
  const learning = await learn(ctx, user, body, collector.learnable);
  if (learning.job_id) {
    res.locals.job = learning.job_id;
    await write(res, commentFrame(`autoskill-job ${learning.job_id}`));
  }
  if (wantReport) {
    await write(
      res,
      dataFrame({
        id: collector.id,
        object: 'chat.completion.chunk',
        created: collector.created,
        model: collector.model,
        choices: [],
        autoskill: report(ctx, user, body, r, learning),
      }),
    );
  }
  res.end(DONE_FRAME);
}

export function chatRoutes(): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/chat/completions',
      summary: 'OpenAI-compatible chat completions with skill injection (pass-through proxy; stream or not)',
      tag: 'proxy',
      body: ChatCompletionRequest,
      returns: 'the upstream chat.completion (or its SSE chunks), unchanged',
      async handle({ req, res, ctx, actor, body }) {
        const client = ctx.upstream;
        if (!client) throw new HttpError(503, OFFLINE_MESSAGE, { type: 'server_error', code: 'upstream_not_configured' });
        const { autoskill: _ours, ...forward } = body;
        const wantReport = wantsReport(req, body.autoskill);
        const r = await proxyRetrieve(ctx, actor.userId, body.autoskill, body.messages);
        res.locals.skills = r?.context?.included.length ?? 0;
        const upstreamBody: Record<string, unknown> = {
          ...forward,
          model: forward.model ?? ctx.model ?? 'default',
          messages: r?.context ? withSkills(body.messages, r.context.text) : body.messages,
        };
        const turn: Turn = { ctx, client, res, user: actor.userId, body, upstreamBody, retrieval: r, wantReport };
        await (body.stream ? stream(turn) : nonStream(turn));
        return undefined;
      },
    }),
  ];
}
