import type { ResponseCreateParamsStreaming, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { fromUpstream, HttpError, relayedHeaders, relayedRawHeaders, upstreamError } from '../errors.js';
import { openAiStreamItems } from '../../shared/sse-reader.js';
import { abortOnDisconnect, idleWatchdog, stallReason, skillsHeader, upstreamOptions } from '../proxy-turn.js';
import { commentFrame, eventFrame, startSse, write } from '../sse.js';
import { answerText } from './conversation.js';
import { learnFromResponse, rememberTurn, reportOf, type ResponsesTurn } from './turn.js';

/**
 * A streamed Responses turn. Every upstream event is relayed as it arrives, in the Responses wire
 * form (`event: <type>` + `data: <json>`; the stream ends after the terminal event, no `[DONE]`).
 * Learning starts only once the response has completed (its final `response.completed` or
 * `response.incomplete` object is what is learned from); the job id then follows as an SSE comment
 * `: autoskill-job <id>`. With the report opt-in, the terminal event is held until learning has
 * been handed off (at most `scheduleTimeoutMs`) and carries the report as an extra top-level
 * `autoskill` field: no event of our own, because the official client's `responses.stream()`
 * throws on an event type it does not know. Failures after the first byte end the stream with an
 * `error` event.
 */

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** What learning and the closing frames need from the relayed events. */
class EventCollector {
  /** the terminal event's response object, once seen */
  final: unknown;
  terminal = '';
  lastSequence = -1;

  add(event: ResponseStreamEvent): void {
    const seq = (event as { sequence_number?: unknown }).sequence_number;
    if (typeof seq === 'number' && seq > this.lastSequence) this.lastSequence = seq;
    if (TERMINAL.has(event.type)) {
      this.terminal = event.type;
      this.final = (event as { response?: unknown }).response;
    }
  }

  get responseId(): unknown {
    return (this.final as { id?: unknown } | undefined)?.id;
  }

  /** the next sequence number, for the events we add */
  get next(): number {
    return this.lastSequence + 1;
  }
}

/** The Responses stream's error event (`ResponseErrorEvent`). */
function errorEvent(e: HttpError, sequence: number): string {
  return eventFrame('error', { type: 'error', code: e.code ?? e.type, message: e.message, param: e.param, sequence_number: sequence });
}

/**
 * The upstream event stream and the headers to relay: on the direct path
 * (shared/direct-upstream.ts) read as `responses.create({stream: true})` reads it
 * (shared/sse-reader.ts); else through the client.
 */
async function openStream(t: ResponsesTurn, ac: AbortController): Promise<{ data: AsyncIterable<ResponseStreamEvent>; relayed: Record<string, string> }> {
  const { ctx, client } = t;
  const body = { ...t.upstreamBody, stream: true };
  if (ctx.direct) {
    const s = await ctx.direct.stream('/responses', JSON.stringify(body), { signal: ac.signal, timeoutMs: ctx.upstreamTimeoutMs });
    return { data: openAiStreamItems<ResponseStreamEvent>(s.body, ac, s.headers), relayed: relayedRawHeaders(s.rawHeaders) };
  }
  const { data, response } = await client.responses.create(body as unknown as ResponseCreateParamsStreaming, upstreamOptions(ctx, ac.signal)).withResponse();
  return { data, relayed: relayedHeaders(response.headers) };
}

export async function streamResponse(t: ResponsesTurn): Promise<void> {
  const { ctx, client, res, user, wantReport } = t;
  const ac = abortOnDisconnect(res);
  // Upstream errors before the first byte still get a real HTTP status: headers are not sent yet.
  const { data: events, relayed } = await fromUpstream(openStream(t, ac));
  startSse(res, { ...relayed, 'X-AutoSkill-Skills': skillsHeader(t.retrieval) });

  // The client's timeout covers the wait for headers; a stalled stream needs its own watchdog.
  const stall = stallReason('the upstream model stopped sending');
  const idle = idleWatchdog(ac, ctx.upstreamTimeoutMs, stall.make);
  const collector = new EventCollector();
  /** with the report opt-in: the terminal event and anything after it, sent once the report is known */
  const held: ResponseStreamEvent[] = [];
  // Whatever was held for the report still goes out, before the error that ended the stream.
  const heldThen = (e: HttpError) => held.map((h) => eventFrame(h.type, h)).join('') + errorEvent(e, collector.next);
  try {
    idle.arm();
    for await (const event of events) {
      idle.arm();
      collector.add(event);
      if (wantReport && (held.length > 0 || TERMINAL.has(event.type))) {
        held.push(event);
        continue;
      }
      if (!(await write(res, eventFrame(event.type, event)))) return; // client gone; the close handler aborted upstream
    }
  } catch (err) {
    if (res.destroyed || res.writableEnded) return;
    const e = stall.is(ac.signal.reason) ? stall.make() : upstreamError(err);
    ctx.logger.warn('responses stream failed', { user, status: e.status, error: e.message });
    res.locals.streamError = e.status;
    res.end(heldThen(e));
    return;
  } finally {
    idle.clear();
  }
  // The openai client ends a stream quietly when it is aborted: a stall or our client leaving.
  if (ac.signal.aborted) {
    if (!stall.is(ac.signal.reason) || res.destroyed || res.writableEnded) return;
    ctx.logger.warn('responses stream stalled', { user, timeoutMs: ctx.upstreamTimeoutMs });
    res.locals.streamError = 504;
    res.end(heldThen(stall.make()));
    return;
  }
  // A stream that ended without a terminal event was cut short: nothing finished to learn from.
  const reply = collector.terminal && collector.terminal !== 'response.failed' ? answerText(collector.final) : '';
  rememberTurn(t, collector.responseId, reply);
  const learning = await learnFromResponse(t, reply);
  if (learning.job_id) {
    res.locals.job = learning.job_id;
    await write(res, commentFrame(`autoskill-job ${learning.job_id}`));
  }
  if (wantReport) {
    const report = reportOf(t, learning);
    for (const [i, event] of held.entries()) {
      if (!(await write(res, eventFrame(event.type, i === 0 ? { ...event, autoskill: report } : event)))) return;
    }
  }
  res.end();
}
