import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startProxy, type Proxy } from '../helpers/express-harness.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

/**
 * A non-stream chat answer is passed on as the upstream sent it (no second serialization): the
 * bytes arrive unchanged, unknown fields and all, while learning still reads the reply text and
 * a requested report is still added. Driven with the official openai client and raw fetch.
 */

let up: FakeUpstream;
let proxy: Proxy;

// Odd spacing, an unknown field and non-ASCII text: a re-serialization would change the bytes.
const RAW =
  '{ "id": "chatcmpl-raw1", "object": "chat.completion", "created": 1700000000, "model": "fake-model",\n' +
  '  "choices": [ { "index": 0, "finish_reason": "stop", "message": { "role": "assistant", "content": "Grüße — 你好 🙂" } } ],\n' +
  '  "usage": { "prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7 }, "vendor_extra": { "b": 1, "a": [1.0, 2e3] } }';

beforeAll(async () => {
  up = await startFakeUpstream();
  proxy = await startProxy({ upstream: up, sdk: { learning: { start: false } } });
});
afterAll(async () => {
  await proxy?.close();
  await up?.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${proxy.base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-autoskill-user': 'pt', ...headers }, body: JSON.stringify(body) });

describe('non-stream pass-through', () => {
  test('the upstream bytes arrive unchanged; the openai client parses them; learning saw the reply', async () => {
    up.enqueue({ rawBody: RAW });
    const res = await post({ messages: [{ role: 'user', content: 'Always answer in German from now on, please.' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.text()).toBe(RAW);
    // A finished turn with a reply: a learning job was accepted for it.
    expect(res.headers.get('x-autoskill-job')).toMatch(/\S/);

    up.enqueue({ rawBody: RAW });
    const { data, response } = await proxy
      .client('k', { 'x-autoskill-user': 'pt' })
      .chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('Grüße — 你好 🙂');
    expect((data as unknown as { vendor_extra: unknown }).vendor_extra).toEqual({ b: 1, a: [1, 2000] });
    expect(response.headers.get('x-autoskill-skills')).toBe('');
  });

  test('a tool-call answer is relayed unchanged and not learned from', async () => {
    up.enqueue({ toolCalls: [{ name: 'lookup', arguments: '{"q":"x"}' }] });
    const res = await post({ messages: [{ role: 'user', content: 'Always cite sources in my reports.' }] });
    const body = (await res.json()) as { choices: Array<{ finish_reason: string; message: { tool_calls: unknown[] } }> };
    expect(body.choices[0]!.finish_reason).toBe('tool_calls');
    expect(body.choices[0]!.message.tool_calls).toHaveLength(1);
    expect(res.headers.get('x-autoskill-job')).toBeNull();
  });

  test('with a report requested, the parsed answer gains the autoskill field', async () => {
    up.enqueue({ rawBody: RAW });
    const res = await post({ messages: [{ role: 'user', content: 'hi there' }], autoskill: { return: true, learn: false } });
    const body = (await res.json()) as Record<string, any>;
    expect(body.vendor_extra).toEqual({ b: 1, a: [1, 2000] });
    expect(body.choices[0].message.content).toBe('Grüße — 你好 🙂');
    expect(body.autoskill).toMatchObject({ user: 'pt', extraction: { status: 'disabled' }, retrieval: { query: 'hi there' } });
  });
});
