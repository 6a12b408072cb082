import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { startProxy, type Proxy } from '../helpers/express-harness.js';
import { startFakeResponsesUpstream, type FakeResponsesUpstream } from '../helpers/fake-responses-upstream.js';

/**
 * The learning loop through `/v1/responses`: a rule stated in a turn is learned (offline
 * extractor, learning on) and injected into the next request, with the official `openai` client
 * (a follow-up sent with `previous_response_id` only carries its new input) and with
 * `@ai-sdk/openai`'s default provider (`openai(modelId)` speaks the Responses API) through
 * `generateText`, `streamText` and a tool loop. Everything on 127.0.0.1.
 */

let up: FakeResponsesUpstream;
let proxy: Proxy;

const lastCreate = () => up.createBodies().at(-1);
const provider = (user: string) => createOpenAI({ baseURL: `${proxy.base}/v1`, apiKey: 'k', headers: { 'x-autoskill-user': user } });

/** The user's only learning job, completed, and the skills it wrote. */
async function learnedFor(user: string) {
  const jobs = await proxy.sdk.jobs.list({ userId: user });
  expect(jobs).toHaveLength(1);
  const job = await proxy.sdk.jobs.wait(undefined, jobs[0]!.id);
  expect(job.state).toBe('completed');
  await proxy.sdk.settled();
  return proxy.sdk.list({ userId: user, scope: 'user' });
}

beforeAll(async () => {
  up = await startFakeResponsesUpstream();
  const upstream = new OpenAI({ apiKey: 'upstream-key', baseURL: up.url, maxRetries: 0, timeout: 5000 });
  proxy = await startProxy({ app: { upstream, model: 'fake-model' } });
});
afterAll(async () => {
  await proxy?.close();
  await up?.close();
});

describe('official openai client', () => {
  test('a correction sent with previous_response_id is learned with the turn it corrects, and injected next time', async () => {
    const client = proxy.client('k', { 'x-autoskill-user': 'ivy' });
    const first = await client.responses.create({ model: 'fake-model', input: 'Write a report about self-evolving agents for the government.' });
    expect(await proxy.sdk.jobs.list({ userId: 'ivy' })).toEqual([]);

    const { data, response } = await client.responses
      .create({ model: 'fake-model', previous_response_id: first.id, input: "Don't hallucinate, cite sources." })
      .withResponse();
    expect(data.output_text).toBe("echo: Don't hallucinate, cite sources.");
    expect(lastCreate()).toEqual({ model: 'fake-model', previous_response_id: first.id, input: "Don't hallucinate, cite sources." });
    const jobId = response.headers.get('x-autoskill-job');
    expect(jobId).toMatch(/^job_/);
    const skills = await learnedFor('ivy');
    // The name comes from the report the correction is about: the remembered first turn.
    expect(skills.map((s) => s.name)).toEqual(['Reports: no made-up facts']);

    const next = await client.responses.create({ model: 'fake-model', instructions: 'Be brief.', input: 'Write a report about tidal energy.' }).withResponse();
    expect(next.response.headers.get('x-autoskill-skills')).toBe(`${skills[0]!.id}@0.1.0`);
    expect(lastCreate().instructions).toMatch(/^Be brief\.\n\n[\s\S]*cite sources/i);
    expect(lastCreate().input).toBe('Write a report about tidal energy.');
  });

  test("another user naming that response id gets none of its context", async () => {
    const ivy = proxy.client('k', { 'x-autoskill-user': 'ivy2' });
    const first = await ivy.responses.create({ model: 'fake-model', input: 'Write a report about self-evolving agents for the government.' });
    const eve = proxy.client('k', { 'x-autoskill-user': 'eve' });
    await eve.responses.create({ model: 'fake-model', previous_response_id: first.id, input: "Don't hallucinate, cite sources." });
    // Learned from eve's own words alone: a rule about answers, not about ivy2's report.
    expect((await learnedFor('eve')).map((s) => s.name)).toEqual(['Answers: no made-up facts']);
  });

  test('responses.stream: learned after the stream completes, the job id as an SSE comment', async () => {
    const client = proxy.client('k', { 'x-autoskill-user': 'sam' });
    const res = await fetch(`${proxy.base}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-autoskill-user': 'sam' },
      body: JSON.stringify({ model: 'fake-model', stream: true, input: 'From now on answer in plain text. What is BM25?' }),
    });
    const text = await res.text();
    const completedAt = text.indexOf('event: response.completed');
    const comment = /\n: autoskill-job (job_\S+)\n/.exec(text);
    expect(completedAt).toBeGreaterThan(-1);
    expect(comment!.index).toBeGreaterThan(completedAt);
    const skills = await learnedFor('sam');
    expect(skills).toHaveLength(1);

    const final = await client.responses.stream({ model: 'fake-model', input: 'What is a suffix array?' }).finalResponse();
    expect(final.output_text).toBe('echo: What is a suffix array?');
    expect(lastCreate().instructions).toMatch(/plain text/i);
  });
});

describe('@ai-sdk/openai default provider (Responses API)', () => {
  test('generateText: the answer comes back, the system prompt and prompt go up unchanged, skills in instructions', async () => {
    const openai = provider('ada');
    const first = await generateText({ model: openai('fake-model'), system: 'Be brief.', prompt: 'From now on answer in plain text. What is BM25?' });
    expect(first.text).toBe('echo: From now on answer in plain text. What is BM25?');
    expect(up.requests.at(-1)!.path).toBe('/v1/responses');
    expect(lastCreate()).toMatchObject({
      model: 'fake-model',
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'input_text', text: 'From now on answer in plain text. What is BM25?' }] },
      ],
    });
    expect(lastCreate()).not.toHaveProperty('instructions');
    expect(first.response.headers?.['x-autoskill-job']).toMatch(/^job_/);
    expect(await learnedFor('ada')).toHaveLength(1);

    const second = await generateText({ model: openai('fake-model'), prompt: 'What is TF-IDF?' });
    expect(second.text).toBe('echo: What is TF-IDF?');
    expect(lastCreate().instructions).toMatch(/plain text/i);
    expect(second.response.headers?.['x-autoskill-skills']).not.toBe('');
  });

  test('streamText: the text streams through; the turn is learned after the stream ends', async () => {
    const openai = provider('bea');
    const result = streamText({ model: openai('fake-model'), prompt: 'From now on answer in plain text. What is a B-tree?' });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('echo: From now on answer in plain text. What is a B-tree?');
    expect(lastCreate().stream).toBe(true);
    // The job is recorded once the stream has ended; give the background write its moment.
    for (let i = 0; i < 100 && (await proxy.sdk.jobs.list({ userId: 'bea' })).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await learnedFor('bea')).toHaveLength(1);

    const again = streamText({ model: openai('fake-model'), prompt: 'What is a trie?' });
    await again.text;
    expect(lastCreate().instructions).toMatch(/plain text/i);
  });

  test('a tool loop: the call goes out, the result comes back up; the same skills on every step, learned once at the end', async () => {
    const openai = provider('tom');
    await proxy.sdk.upsert(
      { name: 'Weather answers', description: 'Give weather in Celsius with the source (WX-MARKER).', instructions: 'Use Celsius; name the source (WX-MARKER).', triggers: ['what is the weather in'] },
      { owner: 'user:tom' },
    );
    up.enqueue({ toolCalls: [{ callId: 'call_w', name: 'weather', arguments: '{"city":"Oslo"}' }] });
    const before = up.createBodies().length;
    const result = await generateText({
      model: openai('fake-model'),
      prompt: 'From now on answer in plain text. What is the weather in Oslo?',
      tools: { weather: tool({ inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => `${city}: 4 degrees` }) },
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('echo: tool said Oslo: 4 degrees');
    const [step1, step2, ...more] = up.createBodies().slice(before);
    expect(more).toEqual([]);
    expect(step1.tools[0]).toMatchObject({ type: 'function', name: 'weather' });
    expect(step2.input).toContainEqual({ type: 'function_call_output', call_id: 'call_w', output: 'Oslo: 4 degrees' });
    expect(step1.instructions).toContain('WX-MARKER');
    expect(step2.instructions).toBe(step1.instructions);
    // The tool-call step is not a finished turn: only the final answer schedules learning.
    expect((await learnedFor('tom')).map((s) => s.name)).toContain('Weather answers');
  });
});
