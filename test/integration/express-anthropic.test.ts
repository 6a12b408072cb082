import Anthropic from '@anthropic-ai/sdk';
import { createAnthropic } from '@ai-sdk/anthropic';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startProxy, type Proxy } from '../helpers/express-harness.js';
import { countOf, startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';

/**
 * `POST /v1/messages` and `/v1/messages/count_tokens` in front of a fake Anthropic upstream on
 * 127.0.0.1, driven by the official `@anthropic-ai/sdk` client, `@ai-sdk/anthropic`, and raw
 * fetch where the exact bytes matter (Claude Code's wire shape). Errors: express-anthropic-errors.test.ts.
 */

let up: FakeAnthropic;
/** learning off, so background jobs cannot change what later tests retrieve */
let proxy: Proxy;
let skillId: string;

const REPORT_SKILL = {
  name: 'Report writing with citations',
  description: 'Write reports that cite a source for every claim and never invent facts.',
  instructions: '# Goal\nWrite reports.\n\n# Constraints & Style\n- Cite a source for every claim (CITE-MARKER).',
  triggers: ['write a report', 'report with sources', 'draft a report'],
  tags: ['report', 'citations'],
};
const ASK = 'Please write a report about solar panels';

const anthropic = (p: Proxy, headers: Record<string, string> = { 'x-autoskill-user': 'alice' }) =>
  new Anthropic({ baseURL: p.base, apiKey: 'caller-key', maxRetries: 0, timeout: 10_000, defaultHeaders: headers });

beforeAll(async () => {
  up = await startFakeAnthropic();
  proxy = await startProxy({ sdk: { learning: { start: false } }, app: { learning: false, anthropic: { baseURL: up.url, apiKey: 'upstream-key' } } });
  skillId = (await proxy.sdk.upsert(REPORT_SKILL, { owner: 'user:alice' })).id;
  await proxy.sdk.settled();
});
afterAll(async () => {
  await proxy?.close();
  await up?.close();
});

/** The caller's prompt-cached system blocks, with markers in the first and last position. */
const SYSTEM = [
  { type: 'text' as const, text: 'You are a careful analyst.', cache_control: { type: 'ephemeral' as const } },
  { type: 'text' as const, text: 'Answer in English. é ✓ "quoted"', cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } },
];

describe('messages: the official @anthropic-ai/sdk client', () => {
  test('non-stream: system blocks and cache_control byte-identical, skills appended after them, headers both ways', async () => {
    const { data, response } = await anthropic(proxy)
      .messages.create(
        { model: 'claude-test', max_tokens: 64, system: SYSTEM, messages: [{ role: 'user', content: ASK }], temperature: 0.2, metadata: { user_id: 'u-1' } },
        { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31,extended-cache-ttl-2025-04-11', 'x-claude-code-session-id': 'sess-1' } },
      )
      .withResponse();
    expect(data.content).toEqual([{ type: 'text', text: `echo: ${ASK}` }]);
    expect(data.id).toMatch(/^msg_fake_/);
    expect(response.headers.get('x-autoskill-skills')).toBe(`${skillId}@0.1.0`);
    expect(response.headers.get('request-id')).toBe('req_fake');
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('99');

    const sent = up.last();
    // The caller's blocks are a byte-identical prefix of what went upstream.
    expect(sent.raw).toContain(`"system":${JSON.stringify(SYSTEM).slice(0, -1)},{"type":"text","text":`);
    expect(sent.body.system).toHaveLength(3);
    expect(sent.body.system.slice(0, 2)).toEqual(SYSTEM);
    expect(sent.body.system[2]).toEqual({ type: 'text', text: expect.stringContaining('CITE-MARKER') });
    expect(sent.body).toMatchObject({ model: 'claude-test', max_tokens: 64, temperature: 0.2, metadata: { user_id: 'u-1' }, messages: [{ role: 'user', content: ASK }] });
    // Headers pass through, ours and the caller's credentials do not.
    expect(sent.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sent.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,extended-cache-ttl-2025-04-11');
    expect(sent.headers['x-claude-code-session-id']).toBe('sess-1');
    expect(sent.headers['user-agent']).toMatch(/^Anthropic\/JS/);
    expect(sent.headers['x-api-key']).toBe('upstream-key');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers['x-autoskill-user']).toBeUndefined();
  });

  test('a string system prompt stays a string with the skills after it; no system prompt: the skills are it', async () => {
    const client = anthropic(proxy);
    await client.messages.create({ model: 'claude-test', max_tokens: 16, system: 'Be brief.', messages: [{ role: 'user', content: ASK }] });
    expect(up.last().body.system).toMatch(/^Be brief\.\n\n[\s\S]*CITE-MARKER/);
    await client.messages.create({ model: 'claude-test', max_tokens: 16, messages: [{ role: 'user', content: ASK }] });
    expect(up.last().body.system).toContain('CITE-MARKER');
  });

  test('nothing to inject: the upstream gets the caller\'s body byte for byte, our own field stripped', async () => {
    const caller = `{"model":"claude-test","max_tokens":8,"messages":[{"role":"user","content":"What is 2+2? \\u00e9"}],"system":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}]}`;
    const res = await fetch(`${proxy.base}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-autoskill-user': 'nobody' },
      body: caller,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-autoskill-skills')).toBe('');
    expect(up.last().raw).toBe(JSON.stringify(JSON.parse(caller)));
    expect(up.last().raw.replace('é', '\\u00e9')).toBe(caller);

    await fetch(`${proxy.base}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-autoskill-user': 'nobody' },
      body: JSON.stringify({ model: 'claude-test', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], autoskill: { retrieve: false } }),
    });
    expect(up.last().body).toEqual({ model: 'claude-test', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
  });

  test('stream: the SDK gets every event; the bytes reaching the client are the upstream\'s', async () => {
    const client = anthropic(proxy);
    const stream = client.messages.stream({ model: 'claude-test', max_tokens: 64, system: SYSTEM, messages: [{ role: 'user', content: ASK }] });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: `echo: ${ASK}` }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(types).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(up.last().body.system.slice(0, 2)).toEqual(SYSTEM);
    expect(up.last().body.system[2].text).toContain('CITE-MARKER');

    const res = await fetch(`${proxy.base}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-autoskill-user': 'alice' },
      body: JSON.stringify({ model: 'claude-test', max_tokens: 64, stream: true, messages: [{ role: 'user', content: ASK }] }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-autoskill-skills')).toBe(`${skillId}@0.1.0`);
    const bytes = await res.text();
    expect(bytes).toBe(up.streams.at(-1)); // ping included, nothing added (learning is off here)
    expect(bytes).toContain('event: ping');
  });

  test('count_tokens counts what /v1/messages sends: the same skills, appended the same way', async () => {
    const client = anthropic(proxy);
    const params = { model: 'claude-test', system: SYSTEM, messages: [{ role: 'user' as const, content: ASK }] };
    const { data, response } = await client.messages.countTokens(params).withResponse();
    expect(response.headers.get('x-autoskill-skills')).toBe(`${skillId}@0.1.0`);
    const counted = up.last('/v1/messages/count_tokens');
    expect(counted.body.system.slice(0, 2)).toEqual(SYSTEM);
    expect(counted.body.system[2].text).toContain('CITE-MARKER');

    await client.messages.create({ ...params, max_tokens: 16 });
    const sent = up.last();
    expect(sent.body.system).toEqual(counted.body.system);
    expect(data.input_tokens).toBe(countOf(sent.body));
    expect(data.input_tokens).toBeGreaterThan(countOf(params));
  });
});

test('GET /v1/models: Anthropic clients (anthropic-version) get the Anthropic upstream\'s list; others the OpenAI one', async () => {
  const ids: string[] = [];
  for await (const model of anthropic(proxy).models.list()) ids.push(model.id);
  expect(ids).toEqual(['claude-test']);
  expect(up.requests.at(-1)).toMatchObject({ path: '/v1/models', headers: { 'anthropic-version': expect.any(String), 'x-api-key': 'upstream-key' } });
  const plain = await (await fetch(`${proxy.base}/v1/models`)).json();
  expect(plain).toMatchObject({ object: 'list' });
  const caps = await (await fetch(`${proxy.base}/v1/autoskill/capabilities`)).json();
  expect(caps.data.messages).toEqual({ path: '/v1/messages', count_tokens: '/v1/messages/count_tokens', stream: true, available: true });
});

describe('messages: @ai-sdk/anthropic', () => {
  const provider = () => createAnthropic({ baseURL: `${proxy.base}/v1`, apiKey: 'caller-key', headers: { 'x-autoskill-user': 'alice' } });

  test('generateText: answer relayed, skills after the system prompt', async () => {
    const { text } = await generateText({ model: provider()('claude-test'), system: 'You are terse.', prompt: ASK, maxOutputTokens: 64, maxRetries: 0 });
    expect(text).toBe(`echo: ${ASK}`);
    const sent = up.last();
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers['user-agent']).toMatch(/^ai\//);
    expect(sent.body.system[0]).toEqual({ type: 'text', text: 'You are terse.' });
    expect(sent.body.system.at(-1).text).toContain('CITE-MARKER');
  });

  test('streamText: the text streams through', async () => {
    const result = streamText({ model: provider()('claude-test'), prompt: ASK, maxOutputTokens: 64, maxRetries: 0 });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text).toBe(`echo: ${ASK}`);
    expect(await result.finishReason).toBe('stop');
    expect(up.last().body.stream).toBe(true);
    expect(up.last().body.system).toContain('CITE-MARKER');
  });
});

describe('learning through /v1/messages', () => {
  let learner: Proxy;
  const RULE = 'From now on, always answer in plain text without markdown. What is BM25?';
  const LATER = 'What is the capital of Peru?';
  beforeAll(async () => {
    learner = await startProxy({ sdk: { learning: { mode: 'auto' } }, app: { anthropic: { baseURL: up.url } } });
  });
  afterAll(async () => {
    await learner?.close();
  });

  /** The learned rule is in the system prompt of this user's next, unrelated request. */
  async function injectedNext(user: string): Promise<void> {
    await learner.sdk.settled();
    expect(learner.sdk.list({ userId: user, scope: 'user' })).toHaveLength(1);
    await anthropic(learner, { 'x-autoskill-user': user }).messages.create({ model: 'claude-test', max_tokens: 16, system: SYSTEM, messages: [{ role: 'user', content: LATER }] });
    const sent = up.last();
    expect(sent.body.system.slice(0, 2)).toEqual(SYSTEM);
    expect(sent.body.system[2].text).toMatch(/markdown|plain text/i);
  }

  test('non-stream: a rule stated in one turn is learned (job header and report) and injected in the next request', async () => {
    const { data, response } = await anthropic(learner, { 'x-autoskill-user': 'ann', 'x-autoskill-return': '1' })
      .messages.create({ model: 'claude-test', max_tokens: 16, messages: [{ role: 'user', content: RULE }] })
      .withResponse();
    const report = (data as unknown as { autoskill: { extraction: { status: string; job_id: string } } }).autoskill;
    expect(report.extraction.status).toBe('scheduled');
    expect(response.headers.get('x-autoskill-job')).toBe(report.extraction.job_id);
    expect((await learner.sdk.jobs.wait(undefined, report.extraction.job_id)).state).toBe('completed');
    await injectedNext('ann');
  });

  test('stream: learned once the stream has ended (job id as an SSE comment after the upstream\'s events), then injected', async () => {
    const res = await fetch(`${learner.base}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-autoskill-user': 'ben' },
      body: JSON.stringify({ model: 'claude-test', max_tokens: 16, stream: true, messages: [{ role: 'user', content: RULE }] }),
    });
    const bytes = await res.text();
    const upstream = up.streams.at(-1)!;
    expect(bytes.startsWith(upstream)).toBe(true);
    const job = /^: autoskill-job (\S+)\n\n$/.exec(bytes.slice(upstream.length))?.[1];
    expect(job).toBeDefined();
    expect((await learner.sdk.jobs.wait(undefined, job!)).state).toBe('completed');
    await injectedNext('ben');

    // The SDK reads such a stream (the comment is ignored) and a report event after message_stop.
    const stream = anthropic(learner, { 'x-autoskill-user': 'cid', 'x-autoskill-return': '1' }).messages.stream({ model: 'claude-test', max_tokens: 16, messages: [{ role: 'user', content: RULE }] });
    expect((await stream.finalMessage()).content).toEqual([{ type: 'text', text: `echo: ${RULE}` }]);
    await learner.sdk.settled();
    expect(await learner.sdk.jobs.list({ userId: 'cid' })).toHaveLength(1);
  });

  test('a tool call is not a finished turn: nothing is scheduled', async () => {
    up.enqueue({ toolUse: { name: 'search', input: { q: 'BM25' } } });
    const data = (await anthropic(learner, { 'x-autoskill-user': 'dan', 'x-autoskill-return': '1' }).messages.create({
      model: 'claude-test',
      max_tokens: 16,
      messages: [{ role: 'user', content: RULE }],
    })) as unknown as { stop_reason: string; autoskill: { extraction: { status: string; reason: string } } };
    expect(data.stop_reason).toBe('tool_use');
    expect(data.autoskill.extraction).toMatchObject({ status: 'not_scheduled', reason: expect.stringContaining('tool call') });
    expect(await learner.sdk.jobs.list({ userId: 'dan' })).toEqual([]);
  });
});

describe('Claude Code on the wire', () => {
  test('?beta=true, tools, reminders and a tool loop: query and tools unchanged, one retrieval for the turn, reminders not read as the user', async () => {
    const tools = [{ name: 'Read', description: 'read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } }, cache_control: { type: 'ephemeral' } }];
    const system = [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1; cc_entrypoint=cli' },
      { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
    ];
    const first = [{ role: 'user', content: [{ type: 'text', text: '<system-reminder>\nCLAUDE.md says: use tabs\n</system-reminder>' }, { type: 'text', text: ASK }] }];
    const loop = [
      ...first,
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'notes.md' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'solar notes' }] },
    ];
    const post = (messages: unknown[]) =>
      fetch(`${proxy.base}/v1/messages?beta=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'claude-code-20250219', 'x-claude-code-session-id': 'cc-1', 'x-autoskill-user': 'alice', 'x-autoskill-return': '1' },
        body: JSON.stringify({ model: 'claude-test', max_tokens: 64, system, tools, messages }),
      }).then((r) => r.json() as Promise<any>);

    const a = await post(first);
    expect(up.last().search).toBe('?beta=true');
    expect(up.last().raw).toContain(`"tools":${JSON.stringify(tools)}`);
    expect(up.last().raw).toContain(`"system":${JSON.stringify(system).slice(0, -1)},{"type":"text"`);
    expect(a.autoskill).toMatchObject({ user: 'alice', session_id: 'cc-1', retrieval: { cached: false } });
    expect(a.autoskill.retrieval.query).toContain('solar panels');
    expect(a.autoskill.retrieval.query).not.toContain('CLAUDE.md');

    const b = await post(loop);
    expect(b.autoskill.retrieval).toMatchObject({ cached: true });
    expect(b.autoskill.skills.map((s: { id: string }) => s.id)).toEqual([skillId]);
  });
});
