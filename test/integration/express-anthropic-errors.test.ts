import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, startProxy, type Proxy } from '../helpers/express-harness.js';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';

/**
 * `/v1/messages*` failures keep Anthropic's shape, `{type:"error", error:{type, message}}`: our
 * own (validation, auth, host, offline, unreachable or stalled upstream) and the upstream's
 * (relayed as sent, or wrapped when they are not Anthropic-shaped). Credentials: which of the
 * caller's headers reach the upstream in each mode. Official `@anthropic-ai/sdk` client and fetch.
 */

let up: FakeAnthropic;
/** trusted mode, no upstream key: the caller's credentials pass through; a short stall timeout */
let open: Proxy;
/** keyed mode: callers present autoskill keys, which never reach the upstream */
let keyed: Proxy;
/** no Anthropic upstream at all */
let offline: Proxy;

const KEY = 'alice-key-0123456789abcdef';
const BODY = { model: 'claude-test', max_tokens: 16, messages: [{ role: 'user' as const, content: 'hello there' }] };

const client = (p: Proxy, apiKey = 'caller-key') => new Anthropic({ baseURL: p.base, apiKey, maxRetries: 0, timeout: 10_000 });

/** The SDK's error for a call that must fail. */
async function failure(p: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(Anthropic.APIError);
    return err as InstanceType<typeof Anthropic.APIError>;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  up = await startFakeAnthropic();
  const common = { sdk: { learning: { start: false } } };
  open = await startProxy({ ...common, app: { learning: false, upstreamTimeoutMs: 400, anthropic: { baseURL: `${up.url}/v1` } } });
  keyed = await startProxy({ ...common, app: { learning: false, apiKeys: { [KEY]: { user: 'alice' } }, anthropic: { baseURL: up.url } } });
  offline = await startProxy(common);
});
afterAll(async () => {
  for (const p of [open, keyed, offline]) await p?.close();
  await up?.close();
});

describe('our own errors are Anthropic-shaped', () => {
  test('validation (zod at the boundary): the SDK gets invalid_request_error naming the field', async () => {
    const err = await failure(client(open).messages.create({ model: 'claude-test', messages: BODY.messages } as never));
    expect(err.status).toBe(400);
    expect(err.error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') }, request_id: null });
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);

    const roles = await call(open.base, 'POST', '/v1/messages', { body: { ...BODY, messages: [{ role: 'system', content: 'x' }] } });
    expect(roles.status).toBe(400);
    expect(roles.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('messages.0.role') } });

    const json = await call(open.base, 'POST', '/v1/messages', { body: '{"model":', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  test('no Anthropic upstream: 503 naming the flag; the OpenAI surface keeps its own shape', async () => {
    const err = await failure(client(offline).messages.create(BODY));
    expect(err.status).toBe(503);
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('--anthropic-base-url') } });
    const count = await call(offline.base, 'POST', '/v1/messages/count_tokens', { body: { model: 'm', messages: BODY.messages } });
    expect(count.body).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    const chat = await call(offline.base, 'POST', '/v1/chat/completions', { body: { messages: [{ role: 'user', content: 'hi' }] } });
    expect(chat.status).toBe(503);
    expect(chat.body.error).toMatchObject({ code: 'upstream_not_configured' });
    expect(chat.body.type).toBeUndefined();
    expect((await call(offline.base, 'GET', '/v1/autoskill/capabilities')).body.data.messages).toMatchObject({ available: false });
  });

  test('keyed mode: a wrong key is authentication_error; unknown /v1/messages paths not_found_error; a foreign Origin permission_error', async () => {
    const err = await failure(client(keyed, 'wrong-key-0123456789').messages.create(BODY));
    expect(err.status).toBe(401);
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: 'invalid API key' } });

    const batches = await call(open.base, 'POST', '/v1/messages/batches', { body: {} });
    expect(batches.status).toBe(404);
    expect(batches.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });

    // A cross-site page (fetch cannot forge Host; Origin takes the same guard).
    const site = await call(open.base, 'POST', '/v1/messages', { body: BODY, headers: { origin: 'https://evil.example' } });
    expect(site.status).toBe(403);
    expect(site.body).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
  });

  test('unreachable upstream: 502 api_error', async () => {
    const dead = await startFakeAnthropic();
    const url = dead.url;
    await dead.close();
    const p = await startProxy({ sdk: { learning: { start: false } }, app: { learning: false, anthropic: { baseURL: url } } });
    try {
      const err = await failure(client(p).messages.create(BODY));
      expect(err.status).toBe(502);
      expect(err.error).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('cannot reach the Anthropic upstream') } });
    } finally {
      await p.close();
    }
  });
});

describe('upstream errors', () => {
  test('an Anthropic-shaped error is relayed byte for byte with its status and headers', async () => {
    up.enqueue({ error: { status: 429, type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit', headers: { 'retry-after': '7', 'x-should-retry': 'true' } } });
    const err = await failure(client(open).messages.create(BODY));
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.error).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' }, request_id: 'req_fake_error' });
    expect(err.headers?.get('retry-after')).toBe('7');
    expect(err.headers?.get('x-should-retry')).toBe('true');
    expect(err.requestID).toBe('req_fake');

    up.enqueue({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } });
    const over = await call(open.base, 'POST', '/v1/messages', { body: BODY });
    expect(over.status).toBe(529);
    expect(over.body).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_fake_error' });
  });

  test('a non-Anthropic error page is wrapped in Anthropic\'s shape with the same status', async () => {
    up.enqueue({ error: { status: 502, raw: '<html><body>Bad Gateway</body></html>' } });
    const err = await failure(client(open).messages.create(BODY));
    expect(err.status).toBe(502);
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('Bad Gateway') } });
  });

  test('an error event inside the stream reaches the SDK as its error; the bytes are the upstream\'s', async () => {
    up.enqueue({ failAfterEvents: 3 });
    const stream = client(open).messages.stream(BODY);
    const err = await failure(stream.finalMessage());
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });

    up.enqueue({ failAfterEvents: 3 });
    const res = await fetch(`${open.base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...BODY, stream: true }) });
    expect(await res.text()).toBe(up.streams.at(-1));
  });

  test('a stalled stream ends with a timeout_error event after upstreamTimeoutMs of silence', async () => {
    up.enqueue({ stallAfterEvents: 2 });
    const res = await fetch(`${open.base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...BODY, stream: true }) });
    const text = await res.text();
    expect(text.startsWith(up.streams.at(-1)!)).toBe(true);
    expect(text.slice(up.streams.at(-1)!.length)).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"timeout_error","message":"the Anthropic upstream stopped sending"\}/);
  });
});

describe('credentials', () => {
  test('trusted mode without an upstream key: the caller\'s x-api-key / Authorization reach the upstream', async () => {
    await call(open.base, 'POST', '/v1/messages', { body: BODY, headers: { 'x-api-key': 'sk-caller', 'anthropic-version': '2023-06-01' } });
    expect(up.last().headers['x-api-key']).toBe('sk-caller');
    await call(open.base, 'POST', '/v1/messages', { body: BODY, headers: { authorization: 'Bearer oauth-token' } });
    expect(up.last().headers.authorization).toBe('Bearer oauth-token');
    expect(up.last().headers['x-api-key']).toBeUndefined();
  });

  test('keyed mode: the autoskill key never reaches the upstream', async () => {
    const { data } = await client(keyed, KEY).messages.create(BODY).withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text' });
    expect(up.last().headers.authorization).toBeUndefined();
    expect(up.last().headers['x-api-key']).toBeUndefined();
    await call(keyed.base, 'POST', '/v1/messages', { body: BODY, headers: { 'x-api-key': KEY } });
    expect(up.last().headers['x-api-key']).toBeUndefined();
  });
});

test('OpenAPI lists both routes with the Anthropic error schema', async () => {
  const doc = (await call(open.base, 'GET', '/openapi.json')).body;
  for (const path of ['/v1/messages', '/v1/messages/count_tokens']) {
    expect(doc.paths[path].post.responses.default.content['application/json'].schema.$ref).toBe('#/components/schemas/AnthropicError');
    expect(doc.paths[path].post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['model', 'messages']));
  }
  expect(doc.paths['/v1/messages'].post.requestBody.content['application/json'].schema.required).toContain('max_tokens');
  expect(doc.components.schemas.AnthropicError.properties.type).toMatchObject({ const: 'error' });
});
