import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, readSse, startProxy, type Proxy } from '../helpers/express-harness.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

/**
 * The OpenAI-compatible proxy, driven by the official `openai` client (and LangChain's
 * ChatOpenAI) against a fake upstream, everything on 127.0.0.1.
 */

let up: FakeUpstream;
/** learning off, so background jobs cannot add skills that change what later tests retrieve */
let proxy: Proxy;
/** learning on (turns are observed and jobs scheduled) */
let learner: Proxy;
let skillId: string;

const REPORT_SKILL = {
  name: 'Report writing with citations',
  description: 'Write reports that cite a source for every claim and never invent facts.',
  instructions: '# Goal\nWrite reports.\n\n# Constraints & Style\n- Cite a source for every claim (CITE-MARKER).',
  triggers: ['write a report', 'report with sources', 'draft a report'],
  tags: ['report', 'citations'],
};

const lastChat = () => up.chatBodies().at(-1);

beforeAll(async () => {
  up = await startFakeUpstream();
  proxy = await startProxy({ upstream: up, sdk: { learning: { start: false } }, app: { learning: false } });
  learner = await startProxy({ upstream: up, sdk: { learning: { start: false } } });
  skillId = (await proxy.sdk.upsert(REPORT_SKILL, { owner: 'user:alice' })).id;
  await proxy.sdk.settled();
});
afterAll(async () => {
  await proxy?.close();
  await learner?.close();
  await up?.close();
});

describe('chat completions: non-stream pass-through', () => {
  test('forwards every field, injects skills after the leading system messages, reports them', async () => {
    const client = proxy.client('k', { 'x-autoskill-user': 'alice' });
    const messages = [
      { role: 'system' as const, content: 'You are terse.' },
      { role: 'system' as const, content: 'Answer in English.' },
      { role: 'user' as const, content: 'Please write a report about solar panels' },
    ];
    const { data, response } = await client.chat.completions
      .create({
        model: 'fake-model',
        messages,
        temperature: 0.3,
        seed: 7,
        stop: ['END'],
        n: 1,
        top_p: 0.9,
        response_format: { type: 'text' },
        metadata: { trace: 't1' },
        max_completion_tokens: 123,
      })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('echo: Please write a report about solar panels');
    expect(data.usage?.total_tokens).toBe(18);
    expect(data.id).toMatch(/^chatcmpl-fake/);
    expect(response.headers.get('x-autoskill-skills')).toBe(`${skillId}@0.1.0`);

    const sent = lastChat();
    expect(sent).toMatchObject({ model: 'fake-model', temperature: 0.3, seed: 7, stop: ['END'], n: 1, top_p: 0.9, response_format: { type: 'text' }, metadata: { trace: 't1' }, max_completion_tokens: 123 });
    expect(sent.messages).toHaveLength(4);
    expect(sent.messages.slice(0, 2)).toEqual(messages.slice(0, 2));
    expect(sent.messages[2].role).toBe('system');
    expect(sent.messages[2].content).toContain('CITE-MARKER');
    expect(sent.messages[3]).toEqual(messages[2]);
    expect(sent).not.toHaveProperty('autoskill');
  });

  test('skill ids with any characters (imported files) are URI-encoded in the header', async () => {
    const md = '---\nname: tea-notes\ndescription: Write tea tasting notes with aroma, body and finish sections.\nmetadata:\n  id: 茶-notes 1\n---\n# Tea notes\n\nAroma, body, finish (TEA-MARKER).\n';
    const entry = await proxy.sdk.importSkillMd(md, { scope: 'user', userId: 'tina' });
    expect(entry.id).toBe('茶-notes 1');
    const { response } = await proxy
      .client('k', { 'x-autoskill-user': 'tina' })
      .chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'write tea tasting notes: aroma, body, finish' }] })
      .withResponse();
    expect(response.headers.get('x-autoskill-skills')).toBe(`${encodeURIComponent('茶-notes 1')}@0.1.0`);
    expect(JSON.stringify(lastChat())).toContain('TEA-MARKER');
  });

  test("another user's skills are never injected; the request goes upstream unchanged", async () => {
    const client = proxy.client('k', { 'x-autoskill-user': 'bob' });
    const messages = [{ role: 'user' as const, content: 'Please write a report about solar panels' }];
    const { response } = await client.chat.completions.create({ model: 'fake-model', messages }).withResponse();
    expect(response.headers.get('x-autoskill-skills')).toBe('');
    expect(lastChat()).toEqual({ model: 'fake-model', messages });
  });

  test('the body `user` names the user in trusted mode and is forwarded as the OpenAI field', async () => {
    await proxy.client().chat.completions.create({ model: 'fake-model', user: 'alice', messages: [{ role: 'user', content: 'write a report on wind' }] });
    expect(lastChat().user).toBe('alice');
    expect(lastChat().messages[0].content).toContain('CITE-MARKER');
  });

  test('a developer prefix gets a developer-role skills message; a model default applies when none is given', async () => {
    const res = await call(proxy.base, 'POST', '/v1/chat/completions', {
      user: 'alice',
      body: { messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'write a report about tides' }] },
    });
    expect(res.status).toBe(200);
    expect(lastChat().model).toBe('fake-model');
    expect(lastChat().messages.map((m: { role: string }) => m.role)).toEqual(['developer', 'developer', 'user']);
  });

  test('autoskill field: returned only when asked (body or header), stripped before forwarding', async () => {
    const plain = await call(proxy.base, 'POST', '/v1/chat/completions', { user: 'alice', body: { messages: [{ role: 'user', content: 'write a report' }] } });
    expect(plain.body).not.toHaveProperty('autoskill');

    const viaBody = await call(proxy.base, 'POST', '/v1/chat/completions', {
      user: 'alice',
      body: { messages: [{ role: 'user', content: 'write a report about rivers' }], autoskill: { return: true } },
    });
    expect(viaBody.status).toBe(200);
    expect(lastChat()).not.toHaveProperty('autoskill');
    expect(viaBody.body.autoskill.user).toBe('alice');
    expect(viaBody.body.autoskill.skills).toEqual([{ id: skillId, name: expect.any(String), version: '0.1.0', score: expect.any(Number), mode: expect.any(String), standing: false }]);
    expect(viaBody.body.autoskill.retrieval.hits[0].id).toBe(skillId);

    const viaHeader = await call(proxy.base, 'POST', '/v1/chat/completions', {
      user: 'alice',
      headers: { 'x-autoskill-return': '1' },
      body: { messages: [{ role: 'user', content: 'write a report' }] },
    });
    expect(viaHeader.body.autoskill.skills).toHaveLength(1);
  });

  test('autoskill.retrieve=false skips injection; learning reports the scheduled job', async () => {
    const res = await call(learner.base, 'POST', '/v1/chat/completions', {
      user: 'carol',
      body: {
        messages: [
          { role: 'user', content: 'write a report about oceans' },
          { role: 'assistant', content: 'Here it is.' },
          { role: 'user', content: "Don't hallucinate, cite sources." },
        ],
        autoskill: { retrieve: false, return: true },
      },
    });
    expect(res.status).toBe(200);
    expect(lastChat().messages).toHaveLength(3);
    const job = res.headers.get('x-autoskill-job');
    expect(job).toMatch(/^job_/);
    expect(res.body.autoskill.extraction).toMatchObject({ job_id: job, status: 'scheduled', state: expect.any(String) });
    const info = await learner.sdk.jobs.get(undefined, job!);
    expect(info?.userId).toBe('carol');
  });
});

describe('chat completions: streaming', () => {
  test('relays SSE chunks with usage and the skills header; the official client reassembles the answer', async () => {
    const client = proxy.client('k', { 'x-autoskill-user': 'alice' });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'fake-model', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'write a report on bees' }] })
      .withResponse();
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(response.headers.get('x-autoskill-skills')).toBe(`${skillId}@0.1.0`);
    let text = '';
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    expect(text).toBe('echo: write a report on bees');
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage?.total_tokens).toBe(18);
    expect(lastChat().stream).toBe(true);
    expect(lastChat().stream_options).toEqual({ include_usage: true });
  });

  test('ends with [DONE]; the learning job id arrives as an SSE comment; the autoskill chunk when asked', async () => {
    const res = await fetch(`${learner.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-autoskill-user': 'dave', 'x-autoskill-return': '1' },
      body: JSON.stringify({
        model: 'fake-model',
        stream: true,
        messages: [
          { role: 'user', content: 'write a report about owls' },
          { role: 'assistant', content: 'Owls...' },
          { role: 'user', content: 'Always cite sources.' },
        ],
      }),
    });
    const events = await readSse(res);
    expect(events.at(-1)).toEqual({ event: 'message', data: '[DONE]' });
    const comment = events.find((e) => e.event === 'comment' && e.data.startsWith('autoskill-job '));
    const jobId = comment!.data.slice('autoskill-job '.length);
    expect((await learner.sdk.jobs.get(undefined, jobId))?.userId).toBe('dave');
    const last = JSON.parse(events.at(-2)!.data);
    expect(last.choices).toEqual([]);
    expect(last.autoskill.extraction.job_id).toBe(jobId);
    expect(last.id).toMatch(/^chatcmpl-fake/);
  });

  test('an upstream error in mid-stream reaches the client as an error', async () => {
    up.enqueue({ content: 'a long answer that breaks', failAfterChunks: 2 });
    const stream = await proxy.client().chat.completions.create({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const c of stream) seen.push(c.choices[0]?.delta?.content ?? '');
      })(),
    ).rejects.toThrow(/mid-stream/);
    expect(seen.length).toBe(2);
  });
});

describe('tool calls pass through both ways', () => {
  const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
    {
      type: 'function',
      function: { name: 'get_weather', description: 'weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    },
  ];

  test('non-stream: tools reach the upstream, tool_calls reach the client, tool results go back up', async () => {
    up.enqueue({ toolCalls: [{ id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const client = proxy.client();
    const first = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
    });
    expect(lastChat().tools).toEqual(tools);
    expect(lastChat().tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(lastChat().parallel_tool_calls).toBe(false);
    const msg = first.choices[0]!.message;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(msg.tool_calls).toEqual([{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);

    const followUp = [
      { role: 'user' as const, content: 'weather in Paris?' },
      { role: 'assistant' as const, content: null, tool_calls: msg.tool_calls },
      { role: 'tool' as const, tool_call_id: 'call_abc', content: '{"temp":21}' },
    ];
    up.enqueue({ content: 'It is 21 degrees.' });
    const second = await client.chat.completions.create({ model: 'fake-model', messages: followUp, tools });
    expect(second.choices[0]!.message.content).toBe('It is 21 degrees.');
    expect(lastChat().messages).toEqual(followUp);
  });

  test('stream: tool_call deltas arrive and reassemble', async () => {
    up.enqueue({ toolCalls: [{ id: 'call_x', name: 'get_weather', arguments: '{"city":"Rome","unit":"C"}' }] });
    const stream = await proxy.client().chat.completions.create({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'weather in Rome?' }], tools });
    let name = '';
    let args = '';
    let id = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const c = chunk.choices[0];
      for (const t of c?.delta?.tool_calls ?? []) {
        id ||= t.id ?? '';
        name += t.function?.name ?? '';
        args += t.function?.arguments ?? '';
      }
      finish = c?.finish_reason ?? finish;
    }
    expect({ id, name, args, finish }).toEqual({ id: 'call_x', name: 'get_weather', args: '{"city":"Rome","unit":"C"}', finish: 'tool_calls' });
    expect(lastChat().tools).toEqual(tools);
  });
});

describe('upstream errors keep their meaning', () => {
  test('401 is relayed with the upstream message and OpenAI shape', async () => {
    up.enqueue({ error: { status: 401, message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    const err = await proxy
      .client()
      .chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    const e = err as InstanceType<typeof OpenAI.AuthenticationError>;
    expect(e.status).toBe(401);
    expect(e.error).toEqual({ message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
  });

  test('429 keeps retry-after and rate-limit headers', async () => {
    up.enqueue({ error: { status: 429, message: 'Rate limit reached', type: 'rate_limit_error', headers: { 'retry-after': '7', 'x-ratelimit-remaining-requests': '0' } } });
    const res = await call(proxy.base, 'POST', '/v1/chat/completions', { body: { messages: [{ role: 'user', content: 'x' }] } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(res.body.error).toMatchObject({ message: 'Rate limit reached', type: 'rate_limit_error' });
  });

  test('500 stays a server error, also for streams (before the first byte)', async () => {
    up.enqueue({ error: { status: 500, message: 'boom' } });
    const res = await call(proxy.base, 'POST', '/v1/chat/completions', { body: { stream: true, messages: [{ role: 'user', content: 'x' }] } });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body.error.message).toBe('boom');
  });

  test('an upstream that does not answer in time → 504; a stalled stream ends with an error', async () => {
    const slow = await startProxy({ upstream: up, sdk: { learning: { start: false } }, app: { upstreamTimeoutMs: 300 } });
    try {
      up.enqueue({ delayMs: 3000 });
      const res = await call(slow.base, 'POST', '/v1/chat/completions', { body: { messages: [{ role: 'user', content: 'x' }] } });
      expect(res.status).toBe(504);
      expect(res.body.error.code).toBe('upstream_timeout');

      up.enqueue({ content: 'slow stream answer', chunkDelayMs: 2000 });
      const stream = await slow.client().chat.completions.create({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'x' }] });
      await expect(
        (async () => {
          for await (const _ of stream) void _;
        })(),
      ).rejects.toThrow(/stopped sending/);
    } finally {
      await slow.close();
    }
  });

  test('an upstream 200 that is not JSON → 502', async () => {
    up.enqueue({ rawBody: '<html>gateway page</html>' });
    const res = await call(proxy.base, 'POST', '/v1/chat/completions', { body: { messages: [{ role: 'user', content: 'x' }] } });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ type: 'server_error', code: 'upstream_error' });
  });

  test('an unreachable upstream → 502', async () => {
    const dead = await startFakeUpstream();
    await dead.close();
    const p = await startProxy({ upstream: dead, sdk: { learning: { start: false } } });
    try {
      const res = await call(p.base, 'POST', '/v1/chat/completions', { body: { messages: [{ role: 'user', content: 'x' }] } });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('upstream_unreachable');
    } finally {
      await p.close();
    }
  });
});

describe('request validation', () => {
  test.each([
    [{}, 'messages'],
    [{ messages: [] }, 'messages'],
    [{ messages: [{ role: 'wizard', content: 'x' }] }, 'messages.0.role'],
    [{ messages: [{ role: 'user', content: 'x' }], stream: 'yes' }, 'stream'],
    [{ messages: [{ role: 'user', content: 'x' }], autoskill: { bogus: 1 } }, 'autoskill'],
  ])('%j → 400 naming %s', async (body, param) => {
    const before = up.chatBodies().length;
    const res = await call(proxy.base, 'POST', '/v1/chat/completions', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('invalid_request_error');
    expect(res.body.error.param).toBe(param);
    expect(up.chatBodies().length).toBe(before);
  });
});

describe('embeddings and models', () => {
  test('embeddings are forwarded (floats by default)', async () => {
    const res = await proxy.client().embeddings.create({ model: 'fake-embed', input: ['alpha', 'beta'] });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]!.embedding).toHaveLength(8);
    expect(res.data[1]!.index).toBe(1);
    const sent = up.requests.filter((r) => r.path === '/v1/embeddings').at(-1)!.body;
    expect(sent.input).toEqual(['alpha', 'beta']);
    expect(sent.model).toBe('fake-embed');
  });

  test('embeddings: invalid input → 400 before anything is forwarded', async () => {
    const res = await call(proxy.base, 'POST', '/v1/embeddings', { body: { model: 'x', input: { nope: 1 } } });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('input');
  });

  test("models: the upstream's list", async () => {
    const page = await proxy.client().models.list();
    expect(page.data.map((m) => m.id)).toEqual(['fake-model', 'fake-embed']);
  });
});

describe('offline (no upstream)', () => {
  let offline: Proxy;
  beforeAll(async () => {
    offline = await startProxy({ sdk: { learning: { start: false } }, app: { model: 'my-model' } });
  });
  afterAll(async () => offline?.close());

  test('chat → 503 explaining how to configure an upstream', async () => {
    const res = await call(offline.base, 'POST', '/v1/chat/completions', { body: { messages: [{ role: 'user', content: 'x' }] } });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('upstream_not_configured');
    expect(res.body.error.message).toMatch(/--upstream-base-url/);
  });

  test('models lists the configured model; embeddings → 503; health says offline', async () => {
    const models = await offline.client().models.list();
    expect(models.data.map((m) => m.id)).toEqual(['my-model']);
    expect((await call(offline.base, 'POST', '/v1/embeddings', { body: { input: 'x' } })).status).toBe(503);
    const health = await call(offline.base, 'GET', '/health');
    expect(health.body).toMatchObject({ ok: true, upstream: 'offline' });
  });
});

describe('LangChain ChatOpenAI pointed at the proxy', () => {
  const model = () =>
    new ChatOpenAI({
      model: 'fake-model',
      apiKey: 'lc-key',
      maxRetries: 0,
      configuration: { baseURL: `${proxy.base}/v1`, defaultHeaders: { 'x-autoskill-user': 'alice' } },
    });

  test('invoke: answer comes back, skills were injected after the system message', async () => {
    const answer = await model().invoke([new SystemMessage('Be brief.'), new HumanMessage('write a report about moss')]);
    expect(answer.content).toBe('echo: write a report about moss');
    const sent = lastChat();
    expect(sent.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'system', 'user']);
    expect(sent.messages[1].content).toContain('CITE-MARKER');
  });

  test('stream: chunks concatenate to the answer', async () => {
    let text = '';
    for await (const chunk of await model().stream('write a report about ferns')) text += typeof chunk.content === 'string' ? chunk.content : '';
    expect(text).toBe('echo: write a report about ferns');
    expect(lastChat().stream).toBe(true);
  });

  test('tool calls via bindTools', async () => {
    up.enqueue({ toolCalls: [{ id: 'call_lc', name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const withTools = model().bindTools([
      { type: 'function', function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ]);
    const msg = await withTools.invoke('weather in Oslo?');
    expect(msg.tool_calls).toEqual([{ id: 'call_lc', name: 'get_weather', args: { city: 'Oslo' }, type: 'tool_call' }]);
    expect(lastChat().tools[0].function.name).toBe('get_weather');
  });
});
