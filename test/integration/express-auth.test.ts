import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KeyRing, parseApiKeysText } from '../../src/adapters/express/index.js';
import { call, startProxy, type Proxy } from '../helpers/express-harness.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

/** Keyed mode (each API key is a user), ownership on every route, traversal and size limits, CORS. */

const ALICE = 'alice-key-0123456789';
const BOB = 'bob-key-0123456789ab';
const ADMIN = 'admin-key-0123456789';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let up: FakeUpstream;
let proxy: Proxy;
let aliceSkill: string;

const api = (method: string, url: string, opts: Parameters<typeof call>[3] = {}) => call(proxy.base, method, url, opts);

beforeAll(async () => {
  up = await startFakeUpstream();
  proxy = await startProxy({
    upstream: up,
    sdk: { learning: { mode: 'never' } },
    app: {
      apiKeys: {
        [ALICE]: { user: 'alice' },
        [BOB]: { user: 'bob' },
        [`sha256:${sha(ADMIN)}`]: { user: 'root', admin: true },
      },
    },
  });
  aliceSkill = (
    await proxy.sdk.upsert(
      {
        name: 'Secret recipe format',
        description: 'Format recipes as a numbered ingredient list then numbered steps (SECRET-A).',
        instructions: '# Goal\nFormat recipes.\n\n# Constraints & Style\n- SECRET-A numbered lists.',
        triggers: ['format this recipe', 'recipe format', 'write a recipe'],
        tags: ['recipes'],
      },
      { owner: 'user:alice' },
    )
  ).id;
  await proxy.sdk.settled();
});
afterAll(async () => {
  await proxy?.close();
  await up?.close();
});

describe('API keys', () => {
  test('missing or unknown key → 401 (OpenAI shape, WWW-Authenticate); health and OpenAPI stay open', async () => {
    for (const key of [undefined, 'wrong-key-0123456789', ALICE.slice(0, -1)]) {
      const res = await api('GET', '/v1/autoskill/skills', key ? { key } : {});
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body.error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    }
    expect((await api('POST', '/v1/chat/completions', { body: { messages: [{ role: 'user', content: 'x' }] } })).status).toBe(401);
    expect(up.chatBodies()).toHaveLength(0);
    expect((await api('GET', '/health')).status).toBe(200);
    expect((await api('GET', '/openapi.json')).status).toBe(200);
  });

  test('the official client with a bad key gets AuthenticationError', async () => {
    const err = await proxy
      .client('bad-key-000000000000')
      .chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  test('the key decides the user: body user and X-AutoSkill-User cannot override it', async () => {
    const list = await api('GET', '/v1/autoskill/skills?user=alice', { key: BOB, user: 'alice' });
    expect(list.body.user).toBe('bob');
    expect(list.body.data).toEqual([]);

    const asBob = await proxy.client(BOB, { 'x-autoskill-user': 'alice' }).chat.completions.create({
      model: 'fake-model',
      user: 'alice',
      messages: [{ role: 'user', content: 'format this recipe for pancakes' }],
    });
    expect(asBob.choices[0]!.message.content).toContain('pancakes');
    expect(JSON.stringify(up.chatBodies().at(-1))).not.toContain('SECRET-A');

    await proxy.client(ALICE).chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'format this recipe for pancakes' }] });
    expect(JSON.stringify(up.chatBodies().at(-1))).toContain('SECRET-A');
  });

  test("user B cannot read, edit, delete, export, diff or roll back user A's skill (404, as if missing)", async () => {
    const md = (await api('GET', `/v1/autoskill/skills/${aliceSkill}/md`, { key: ALICE })).body.skill_md as string;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/v1/autoskill/skills/${aliceSkill}`],
      ['GET', `/v1/autoskill/skills/${aliceSkill}/md`],
      ['PUT', `/v1/autoskill/skills/${aliceSkill}/md`, { skill_md: md.replace('SECRET-A', 'PWNED') }],
      ['DELETE', `/v1/autoskill/skills/${aliceSkill}`],
      ['GET', `/v1/autoskill/skills/${aliceSkill}/export?format=zip`],
      ['GET', `/v1/autoskill/skills/${aliceSkill}/export?format=md`],
      ['GET', `/v1/autoskill/skills/${aliceSkill}/versions`],
      ['GET', `/v1/autoskill/skills/${aliceSkill}/versions/0.1.0`],
      ['GET', `/v1/autoskill/skills/${aliceSkill}/diff?from=0.1.0&to=0.1.0`],
      ['POST', `/v1/autoskill/skills/${aliceSkill}/rollback`, {}],
    ];
    for (const [method, url, body] of attempts) {
      const res = await api(method, url, { key: BOB, ...(body !== undefined ? { body } : {}) });
      expect([method, url, res.status]).toEqual([method, url, 404]);
      expect(JSON.stringify(res.body)).not.toContain('SECRET-A');
    }
    const search = await api('POST', '/v1/autoskill/skills/search', { key: BOB, body: { query: 'format this recipe', min_score: 0 } });
    expect(search.body.data).toEqual([]);
    const still = await api('GET', `/v1/autoskill/skills/${aliceSkill}`, { key: ALICE });
    expect(still.body.data).toMatchObject({ version: '0.1.0' });
    expect(still.body.data.instructions).toContain('SECRET-A');
  });

  test('an import cannot take over or reveal the owner of an existing id', async () => {
    const md = (await api('GET', `/v1/autoskill/skills/${aliceSkill}/md`, { key: ALICE })).body.skill_md as string;
    const res = await api('POST', '/v1/autoskill/skills/import', { key: BOB, body: { skill_md: md.replace('SECRET-A', 'PWNED'), overwrite: true } });
    // bob's copy comes in under an id of bob's; alice's skill is untouched and not named
    expect(res.body.report[0].status).toBe('imported');
    expect(res.body.report[0].id).not.toBe(aliceSkill);
    expect(JSON.stringify(res.body)).not.toContain('alice');
    expect(proxy.sdk.get(aliceSkill)!.instructions).toContain('SECRET-A');
  });

  test('Common skills: readable by everyone, writable by admins only', async () => {
    const md = '---\nname: house-style\ndescription: House style for all answers (COMMON-MARK).\n---\n# House style\n\nBe kind.\n';
    const denied = await api('POST', '/v1/autoskill/skills/import', { key: ALICE, body: { skill_md: md, scope: 'common' } });
    expect(denied.status).toBe(403);
    const ok = await api('POST', '/v1/autoskill/skills/import', { key: ADMIN, body: { skill_md: md, scope: 'common' } });
    expect(ok.body.imported_count).toBe(1);
    const id = ok.body.data[0].id as string;
    expect(ok.body.data[0]).toMatchObject({ scope: 'common', owner: 'library:Common' });

    expect((await api('GET', `/v1/autoskill/skills/${id}`, { key: ALICE })).status).toBe(200);
    expect((await api('GET', '/v1/autoskill/skills?scope=common', { key: BOB })).body.data.map((s: { id: string }) => s.id)).toContain(id);
    const current = (await api('GET', `/v1/autoskill/skills/${id}/md`, { key: ALICE })).body.skill_md as string;
    const put = await api('PUT', `/v1/autoskill/skills/${id}/md`, { key: ALICE, body: { skill_md: current.replace('Be kind.', 'Be rude.') } });
    expect(put.status).toBe(403);
    expect(put.body.error.type).toBe('permission_error');
    expect((await api('DELETE', `/v1/autoskill/skills/${id}`, { key: BOB })).status).toBe(403);
    const adminPut = await api('PUT', `/v1/autoskill/skills/${id}/md`, { key: ADMIN, body: { skill_md: current.replace('Be kind.', 'Be very kind.') } });
    expect(adminPut.status).toBe(200);
    expect(adminPut.body.data.version).toBe('0.1.1');
  });

  test('extraction jobs are private; rebuilding vectors needs an admin', async () => {
    const job = await api('POST', '/v1/autoskill/extractions', { key: ALICE, body: { query: 'Always answer in French.' } });
    const jobId = job.body.data.job_id as string;
    expect((await api('GET', `/v1/autoskill/extractions/${jobId}`, { key: BOB })).status).toBe(404);
    expect((await api('GET', `/v1/autoskill/extractions/${jobId}`, { key: ALICE })).status).toBe(200);
    expect((await api('GET', '/v1/autoskill/extractions', { key: BOB })).body.data.map((j: { job_id: string }) => j.job_id)).not.toContain(jobId);
    expect((await api('POST', '/v1/autoskill/vectors/rebuild', { key: ALICE, body: {} })).status).toBe(403);
    expect((await api('POST', '/v1/autoskill/vectors/rebuild', { key: ADMIN, body: {} })).status).toBe(200);
  });

  test('keys file parsing: both forms, short keys and bad user ids refused', () => {
    expect(parseApiKeysText(JSON.stringify([{ key: ALICE, user: 'alice', admin: true }])).lookup(ALICE)).toEqual({ user: 'alice', admin: true });
    expect(parseApiKeysText(JSON.stringify({ [ALICE]: { user: 'alice' } })).lookup(BOB)).toBeUndefined();
    expect(() => parseApiKeysText('{"short": {"user": "a"}}')).toThrow(/16 characters/);
    expect(() => parseApiKeysText(JSON.stringify({ [ALICE]: { user: '../x' } }))).toThrow(/invalid/);
    expect(() => parseApiKeysText('not json')).toThrow(/not JSON/);
    expect(() => new KeyRing({})).toThrow(/no keys/);
  });
});

describe('trusted mode: traversal and size limits', () => {
  let open: Proxy;
  beforeAll(async () => {
    open = await startProxy({ upstream: up, sdk: { learning: { start: false } }, app: { importLimit: '64kb' } });
  });
  afterAll(async () => open?.close());
  const o = (method: string, url: string, opts: Parameters<typeof call>[3] = {}) => call(open.base, method, url, opts);

  test.each([['../x'], ['..'], ['a/b'], ['a\\b'], ['.hidden'], ['x'.repeat(200)], ['con']])('user id %j → 400', async (user) => {
    const viaHeader = await o('GET', '/v1/autoskill/skills', { headers: { 'x-autoskill-user': user } });
    expect(viaHeader.status).toBe(400);
    expect(viaHeader.body.error.code).toBe('invalid_user');
    const viaQuery = await o('GET', `/v1/autoskill/skills?user=${encodeURIComponent(user)}`);
    expect(viaQuery.status).toBe(400);
    const viaChat = await o('POST', '/v1/chat/completions', { body: { user, messages: [{ role: 'user', content: 'x' }] } });
    expect(viaChat.status).toBe(400);
  });

  test('no folder is ever created for a rejected user id', async () => {
    await o('POST', '/v1/autoskill/extractions', { body: { user: '../../escape', query: 'Always answer in French.' } });
    expect(existsSync(path.join(open.dir, '..', 'escape'))).toBe(false);
    expect(existsSync(path.join(open.dir, 'Users', '..', '..', 'escape'))).toBe(false);
  });

  test.each([['..%2Fx'], ['a..b'], ['a%2Fb'], ['a%5Cb'], ['x%00y']])('skill id %s → 400', async (id) => {
    for (const suffix of ['', '/md', '/export', '/versions']) {
      const res = await o('GET', `/v1/autoskill/skills/${id}${suffix}`);
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe('invalid_request_error');
    }
  });

  test('zip-slip entries are refused and reported; safe entries import; nothing lands outside the store', async () => {
    const zip = zipSync({
      '../evil/SKILL.md': strToU8('---\nname: evil\ndescription: escapes.\n---\nbody\n'),
      '/abs/SKILL.md': strToU8('---\nname: abs\ndescription: absolute.\n---\nbody\n'),
      'ok/SKILL.md': strToU8('---\nname: ok-skill\ndescription: A safe skill.\n---\n# OK\n\nFine.\n'),
      'ok/../../outside.txt': strToU8('nope'),
    });
    const res = await o('POST', '/v1/autoskill/skills/import', { user: 'zed', headers: { 'content-type': 'application/zip' }, body: zip });
    expect(res.status).toBe(200);
    expect(res.body.imported_count).toBe(1);
    expect(res.body.data[0].name).toBe('ok-skill');
    const errors = res.body.report.filter((r: { status: string }) => r.status === 'error').map((r: { path: string }) => r.path);
    expect(errors).toEqual(expect.arrayContaining(['../evil/SKILL.md', '/abs/SKILL.md', 'ok/../../outside.txt']));
    const parent = await readdir(path.dirname(open.dir));
    expect(parent).not.toContain('evil');
    expect(parent).not.toContain('outside.txt');
    expect(existsSync(path.join(open.dir, 'Users', 'evil'))).toBe(false);
  });

  test('oversized inputs: upload over the import limit → 413; SKILL.md over 1 MB → 400; not a zip → 400', async () => {
    const big = new Uint8Array(100 * 1024).fill(65);
    const tooBig = await o('POST', '/v1/autoskill/skills/import', { headers: { 'content-type': 'application/zip' }, body: big });
    expect(tooBig.status).toBe(413);
    const hugeMd = await o('POST', '/v1/autoskill/skills/import', { body: { skill_md: 'x'.repeat(1_000_001) } });
    expect(hugeMd.status).toBe(400);
    expect(hugeMd.body.error.param).toBe('skill_md');
    const notZip = await o('POST', '/v1/autoskill/skills/import', { headers: { 'content-type': 'application/zip' }, body: strToU8('not a zip at all') });
    expect(notZip.status).toBe(400);
    const longQuery = await o('POST', '/v1/autoskill/skills/search', { body: { query: 'q'.repeat(10_001) } });
    expect(longQuery.status).toBe(400);
  });
});

describe('CORS', () => {
  test('off by default: no CORS headers, preflight is not answered', async () => {
    const res = await fetch(`${proxy.base}/health`, { headers: { origin: 'http://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${proxy.base}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('configured origins only', async () => {
    const p = await startProxy({ sdk: { learning: { start: false } }, app: { cors: 'http://app.example' } });
    try {
      const pre = await fetch(`${p.base}/v1/autoskill/skills`, { method: 'OPTIONS', headers: { origin: 'http://app.example', 'access-control-request-method': 'GET' } });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('http://app.example');
      expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      const get = await fetch(`${p.base}/health`, { headers: { origin: 'http://app.example' } });
      expect(get.headers.get('access-control-expose-headers')).toMatch(/X-AutoSkill-Skills/);
      const other = await fetch(`${p.base}/health`, { headers: { origin: 'http://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await p.close();
    }
  });
});
