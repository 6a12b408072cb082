import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, readSse, startProxy, type Proxy } from '../helpers/express-harness.js';
import { startFakeResponsesUpstream, type FakeResponsesUpstream } from '../helpers/fake-responses-upstream.js';

/**
 * `POST /v1/responses` and the stored-response relays, driven by the official `openai` client
 * (`responses.create`, `responses.stream`, `retrieve`, `delete`, `inputItems.list`) against a fake
 * Responses upstream, everything on 127.0.0.1. The AI SDK provider and the learning loop through
 * this surface are in express-responses-loop.test.ts.
 */

let up: FakeResponsesUpstream;
/** learning off, so background jobs cannot add skills that change what later tests retrieve */
let proxy: Proxy;
let skillId: string;

const REPORT_SKILL = {
  name: 'Report writing with citations',
  description: 'Write reports that cite a source for every claim and never invent facts.',
  instructions: '# Goal\nWrite reports.\n\n# Constraints & Style\n- Cite a source for every claim (CITE-MARKER).',
  triggers: ['write a report', 'report with sources', 'draft a report'],
  tags: ['report', 'citations'],
};

const lastCreate = () => up.createBodies().at(-1);
const alice = () => proxy.client('k', { 'x-autoskill-user': 'alice' });

beforeAll(async () => {
  up = await startFakeResponsesUpstream();
  const upstream = new OpenAI({ apiKey: 'upstream-key', baseURL: up.url, maxRetries: 0, timeout: 5000 });
  proxy = await startProxy({ sdk: { learning: { start: false } }, app: { learning: false, upstream, model: 'fake-model' } });
  skillId = (await proxy.sdk.upsert(REPORT_SKILL, { owner: 'user:alice' })).id;
  await proxy.sdk.settled();
});
afterAll(async () => {
  await proxy?.close();
  await up?.close();
});

describe('responses.create (non-stream)', () => {
  test("forwards every field; skills go after the caller's instructions; the answer comes back unchanged", async () => {
    const request = {
      model: 'fake-model',
      instructions: 'You are terse.',
      input: 'Please write a report about solar panels',
      temperature: 0.3,
      top_p: 0.9,
      max_output_tokens: 123,
      metadata: { trace: 't1' },
      store: true,
      reasoning: { effort: 'low' as const },
      include: ['message.output_text.logprobs' as const],
      text: { format: { type: 'text' as const } },
      prompt_cache_key: 'cache-1',
      truncation: 'auto' as const,
    };
    const { data, response } = await alice().responses.create(request).withResponse();
    expect(data.output_text).toBe('echo: Please write a report about solar panels');
    expect(data.id).toMatch(/^resp_fake/);
    expect(response.headers.get('x-autoskill-skills')).toBe(`${skillId}@0.1.0`);

    const sent = lastCreate();
    const { instructions, ...rest } = sent;
    expect(rest).toEqual({ ...request, instructions: undefined });
    expect(instructions.startsWith('You are terse.\n\n')).toBe(true);
    expect(instructions).toContain('CITE-MARKER');
    expect(sent).not.toHaveProperty('autoskill');
  });

  test('the body is relayed byte for byte (no client-side output_text), with the upstream status and request id', async () => {
    const res = await fetch(`${proxy.base}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-autoskill-user': 'alice' },
      body: JSON.stringify({ model: 'fake-model', input: 'write a report on wind' }),
    });
    const text = await res.text();
    const id = JSON.parse(text).id as string;
    expect(text).toBe(JSON.stringify(up.stored.get(id)!.response));
    expect(text).not.toContain('"output_text":');
    expect(res.headers.get('x-upstream-request-id')).toBe('req_fake_responses');
  });

  test('without caller instructions the skills are the instructions; another user gets the request unchanged', async () => {
    await alice().responses.create({ model: 'fake-model', input: 'draft a report about tides' });
    expect(lastCreate().instructions).toContain('CITE-MARKER');

    const request = { model: 'fake-model', input: 'Please write a report about solar panels', instructions: 'Be kind.' };
    const { response } = await proxy.client('k', { 'x-autoskill-user': 'bob' }).responses.create(request).withResponse();
    expect(response.headers.get('x-autoskill-skills')).toBe('');
    expect(lastCreate()).toEqual(request);
  });

  test('item input (system/developer/user parts/assistant output) goes up unchanged; the user text drives retrieval', async () => {
    const input: OpenAI.Responses.ResponseInput = [
      { role: 'developer', content: 'Answer in English.' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'write a report about bees' }, { type: 'input_image', image_url: 'https://example.invalid/b.png', detail: 'low' }] },
      { type: 'message', role: 'assistant', id: 'msg_prev', status: 'completed', content: [{ type: 'output_text', text: 'Bees are...', annotations: [] }] },
      { role: 'user', content: 'Make it a report with sources.' },
    ];
    const data = await alice().responses.create({ model: 'fake-model', input });
    expect(data.output_text).toBe('echo: Make it a report with sources.');
    expect(lastCreate().input).toEqual(input);
    expect(lastCreate().instructions).toContain('CITE-MARKER');
  });

  test('tools: function calls reach the client; previous_response_id and the tool output go back up unchanged', async () => {
    const tools: OpenAI.Responses.Tool[] = [
      { type: 'function', name: 'get_weather', description: 'weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: true },
    ];
    up.enqueue({ toolCalls: [{ callId: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const first = await alice().responses.create({ model: 'fake-model', input: 'weather in Paris?', tools, tool_choice: 'required', parallel_tool_calls: false });
    expect(lastCreate()).toMatchObject({ tools, tool_choice: 'required', parallel_tool_calls: false });
    const call = first.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', call_id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}' });

    const followUp: OpenAI.Responses.ResponseInput = [{ type: 'function_call_output', call_id: 'call_abc', output: '{"temp":21}' }];
    const second = await alice().responses.create({ model: 'fake-model', previous_response_id: first.id, input: followUp, tools, store: false });
    expect(second.output_text).toBe('echo: tool said {"temp":21}');
    expect(lastCreate()).toMatchObject({ previous_response_id: first.id, input: followUp, tools, store: false });
  });

  test('autoskill report: only when asked (body or header), stripped before forwarding', async () => {
    const plain = await call(proxy.base, 'POST', '/v1/responses', { user: 'alice', body: { input: 'write a report' } });
    expect(plain.body).not.toHaveProperty('autoskill');
    expect(lastCreate().model).toBe('fake-model');

    const viaBody = await call(proxy.base, 'POST', '/v1/responses', { user: 'alice', body: { input: 'write a report about rivers', autoskill: { return: true } } });
    expect(viaBody.status).toBe(200);
    expect(lastCreate()).not.toHaveProperty('autoskill');
    expect(viaBody.body.object).toBe('response');
    expect(viaBody.body.autoskill).toMatchObject({ user: 'alice', skills: [{ id: skillId, version: '0.1.0', standing: false }], extraction: { status: 'disabled' } });

    const viaHeader = await call(proxy.base, 'POST', '/v1/responses', { user: 'alice', headers: { 'x-autoskill-return': '1' }, body: { input: 'write a report' } });
    expect(viaHeader.body.autoskill.retrieval.hits[0].id).toBe(skillId);

    await call(proxy.base, 'POST', '/v1/responses', { user: 'alice', body: { input: 'write a report', autoskill: { retrieve: false } } });
    expect(lastCreate()).not.toHaveProperty('instructions');
  });
});

describe('streaming', () => {
  test('responses.stream: text deltas and the final response, skills injected', async () => {
    const stream = alice().responses.stream({ model: 'fake-model', instructions: 'Be brief.', input: 'write a report on owls' });
    let text = '';
    stream.on('response.output_text.delta', (e) => (text += e.delta));
    const final = await stream.finalResponse();
    expect(text).toBe('echo: write a report on owls');
    expect(final.output_text).toBe('echo: write a report on owls');
    expect(final.status).toBe('completed');
    expect(lastCreate()).toMatchObject({ stream: true, input: 'write a report on owls' });
    expect(lastCreate().instructions).toMatch(/^Be brief\.\n\n[\s\S]*CITE-MARKER/);
  });

  test('the wire: every upstream event relayed as `event: <type>` with its sequence number, no [DONE]', async () => {
    const res = await fetch(`${proxy.base}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-autoskill-user': 'alice' },
      body: JSON.stringify({ model: 'fake-model', stream: true, input: 'write a report on bats' }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(res.headers.get('x-autoskill-skills')).toBe(`${skillId}@0.1.0`);
    const events = await readSse(res);
    expect(events.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const data = events.map((e) => JSON.parse(e.data));
    expect(data.map((d) => d.type)).toEqual(events.map((e) => e.event));
    expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i));
    expect(data.at(-1).response.output[0].content[0].text).toBe('echo: write a report on bats');
  });

  test('stream with tools: function-call argument deltas reassemble', async () => {
    up.enqueue({ toolCalls: [{ callId: 'call_x', name: 'get_weather', arguments: '{"city":"Rome","unit":"C"}' }] });
    const stream = alice().responses.stream({ model: 'fake-model', input: 'weather in Rome?', tools: [{ type: 'function', name: 'get_weather', parameters: {}, strict: false }] });
    let args = '';
    stream.on('response.function_call_arguments.delta', (e) => (args += e.delta));
    const final = await stream.finalResponse();
    expect(args).toBe('{"city":"Rome","unit":"C"}');
    expect(final.output[0]).toMatchObject({ type: 'function_call', call_id: 'call_x', arguments: '{"city":"Rome","unit":"C"}' });
  });

  test('the report opt-in rides on response.completed (no event of our own); the official helper still completes', async () => {
    const client = proxy.client('k', { 'x-autoskill-user': 'alice', 'x-autoskill-return': '1' });
    const final = await client.responses.stream({ model: 'fake-model', input: 'write a report on moths' }).finalResponse();
    expect(final.output_text).toBe('echo: write a report on moths');

    const raw = await client.responses.create({ model: 'fake-model', stream: true, input: 'write a report on moths' });
    const seen: Array<{ type: string; autoskill?: unknown }> = [];
    for await (const event of raw) seen.push(event as { type: string; autoskill?: unknown });
    expect(seen.at(-1)).toMatchObject({ type: 'response.completed', autoskill: { user: 'alice', skills: [{ id: skillId }], extraction: { status: 'disabled' } } });
    expect(seen.filter((e) => e.autoskill !== undefined)).toHaveLength(1);
    expect(lastCreate()).not.toHaveProperty('autoskill');
  });

  test('an upstream error event mid-stream reaches the client as an error', async () => {
    up.enqueue({ failAfterEvents: 5 });
    const stream = alice().responses.stream({ model: 'fake-model', input: 'hi' });
    await expect(stream.finalResponse()).rejects.toThrow(/mid-stream/);
  });
});

describe('stored responses: retrieve, input_items, delete are relayed', () => {
  test('retrieve (with include[]), input items (the caller input only, paged), delete, then 404', async () => {
    const client = alice();
    const created = await client.responses.create({ model: 'fake-model', input: [{ role: 'user', content: 'write a report about kelp' }] });
    const got = await client.responses.retrieve(created.id, { include: ['message.output_text.logprobs'] });
    expect(got).toEqual(created);
    const getReq = up.requests.filter((r) => r.method === 'GET').at(-1)!;
    expect(getReq.path).toBe(`/v1/responses/${created.id}`);
    expect(getReq.query.getAll('include[]')).toEqual(['message.output_text.logprobs']);

    const items = await client.responses.inputItems.list(created.id, { limit: 5, order: 'asc' });
    expect(items.data).toEqual([{ id: expect.any(String), type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'write a report about kelp' }] }]);
    const listReq = up.requests.at(-1)!;
    expect(listReq.path).toBe(`/v1/responses/${created.id}/input_items`);
    expect(Object.fromEntries(listReq.query)).toEqual({ limit: '5', order: 'asc' });

    await client.responses.delete(created.id);
    expect(up.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/v1/responses/${created.id}` });
    const err = await client.responses.retrieve(created.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({ message: `No response found with id '${created.id}'.`, type: 'invalid_request_error' });
  });

  test('retrieve with stream=true re-streams the stored events after starting_after, as sent', async () => {
    const created = await alice().responses.create({ model: 'fake-model', input: 'write a report about krill' });
    const stream = await alice().responses.retrieve(created.id, { stream: true, starting_after: 8 });
    const types: string[] = [];
    for await (const event of stream) types.push(`${event.sequence_number}:${event.type}`);
    expect(types).toEqual(['9:response.output_item.done', '10:response.completed']);
    expect(Object.fromEntries(up.requests.at(-1)!.query)).toEqual({ stream: 'true', starting_after: '8' });
  });

  test('our ?user= stays here; a raw delete answers the upstream JSON', async () => {
    const created = await alice().responses.create({ model: 'fake-model', input: 'x' });
    const got = await call(proxy.base, 'GET', `/v1/responses/${created.id}?user=alice`);
    expect(got.status).toBe(200);
    expect([...up.requests.at(-1)!.query.keys()]).toEqual([]);
    const del = await call(proxy.base, 'DELETE', `/v1/responses/${created.id}`);
    expect(del.body).toEqual({ id: created.id, object: 'response', deleted: true });
  });
});

describe('errors', () => {
  test.each([
    [{ input: 5 }, 'input'],
    [{ input: [{ content: 'no role, no type' }] }, 'input.0'],
    [{ input: [{ role: 'wizard', content: 'x' }] }, 'input.0.role'],
    [{ input: 'x', stream: 'yes' }, 'stream'],
    [{ input: 'x', instructions: 7 }, 'instructions'],
    [{ input: 'x', autoskill: { bogus: 1 } }, 'autoskill'],
  ])('%j → 400 naming %s, nothing forwarded', async (body, param) => {
    const before = up.createBodies().length;
    const res = await call(proxy.base, 'POST', '/v1/responses', { body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(up.createBodies().length).toBe(before);
  });

  test('upstream errors keep status and shape: 401, 429 with retry headers, 400 previous_response_not_found', async () => {
    up.enqueue({ error: { status: 401, message: 'Incorrect API key provided', code: 'invalid_api_key' } });
    const e401 = await alice().responses.create({ model: 'fake-model', input: 'x' }).catch((e: unknown) => e);
    expect(e401).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((e401 as InstanceType<typeof OpenAI.AuthenticationError>).error).toEqual({ message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' });

    up.enqueue({ error: { status: 429, message: 'Rate limit reached', type: 'rate_limit_error', headers: { 'retry-after': '7', 'x-ratelimit-remaining-requests': '0' } } });
    const r429 = await call(proxy.base, 'POST', '/v1/responses', { body: { input: 'x' } });
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('7');
    expect(r429.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    const e400 = await alice().responses.create({ model: 'fake-model', input: 'x', previous_response_id: 'resp_nope' }).catch((e: unknown) => e);
    expect(e400).toBeInstanceOf(OpenAI.BadRequestError);
    expect((e400 as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: 'previous_response_id', code: 'previous_response_not_found' });
  });

  test('a 500 before the first stream byte stays a JSON 500; a control character in an id is refused', async () => {
    up.enqueue({ error: { status: 500, message: 'boom', type: 'server_error' } });
    const res = await call(proxy.base, 'POST', '/v1/responses', { body: { stream: true, input: 'x' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body.error).toMatchObject({ message: 'boom', type: 'server_error' });
    const bad = await call(proxy.base, 'GET', '/v1/responses/resp%01x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('id');
  });

  test('an upstream that does not answer in time → 504; a stalled stream ends with an error event', async () => {
    const upstream = new OpenAI({ apiKey: 'upstream-key', baseURL: up.url, maxRetries: 0, timeout: 5000 });
    const slow = await startProxy({ sdk: { learning: { start: false } }, app: { learning: false, upstream, model: 'fake-model', upstreamTimeoutMs: 300 } });
    try {
      up.enqueue({ delayMs: 3000 });
      const res = await call(slow.base, 'POST', '/v1/responses', { body: { input: 'x' } });
      expect(res.status).toBe(504);
      expect(res.body.error.code).toBe('upstream_timeout');

      up.enqueue({ eventDelayMs: 2000 });
      const stalled = await fetch(`${slow.base}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stream: true, input: 'x' }) });
      const events = await readSse(stalled);
      expect(events.map((e) => e.event)).toEqual(['response.created', 'error']);
      expect(JSON.parse(events[1]!.data)).toEqual({ type: 'error', code: 'upstream_timeout', message: 'the upstream model stopped sending', param: null, sequence_number: 1 });
    } finally {
      await slow.close();
    }
  });

  test('offline: 503 with how to configure an upstream; the routes are in the OpenAPI document', async () => {
    const offline = await startProxy({ sdk: { learning: { start: false } } });
    try {
      const res = await call(offline.base, 'POST', '/v1/responses', { body: { input: 'x' } });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'upstream_not_configured', message: expect.stringMatching(/--upstream-base-url/) });
      expect((await call(offline.base, 'GET', '/v1/responses/resp_1')).status).toBe(503);
      const doc = (await call(offline.base, 'GET', '/openapi.json')).body;
      expect(Object.keys(doc.paths['/v1/responses'])).toEqual(['post']);
      expect(Object.keys(doc.paths['/v1/responses/{id}']).sort()).toEqual(['delete', 'get']);
      expect(doc.paths['/v1/responses/{id}/input_items'].get.parameters.map((p: { name: string }) => p.name)).toContain('order');
    } finally {
      await offline.close();
    }
  });
});
