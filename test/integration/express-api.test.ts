import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LlmPort } from '../../src/engine/ports/llm.js';
import { call, readSse, startProxy, type Proxy } from '../helpers/express-harness.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

/** The management API under /v1/autoskill/*, the generated OpenAPI document, and learning end to end. */

let up: FakeUpstream;
let proxy: Proxy;

const SKILL_MD = `---
name: plain-text-answers
description: Answer in plain text without markdown formatting.
metadata:
  id: plain-text-1
  version: "0.1.0"
---
# Plain text answers

## Prompt
Never use markdown. Use plain sentences.
`;

beforeAll(async () => {
  up = await startFakeUpstream();
  proxy = await startProxy({ upstream: up });
});
afterAll(async () => {
  await proxy?.close();
  await up?.close();
});

const api = (method: string, url: string, opts: Parameters<typeof call>[3] = {}) => call(proxy.base, method, url, opts);

describe('skills: CRUD, versions, diff, rollback, export', () => {
  let id: string;

  beforeAll(async () => {
    const skill = await proxy.sdk.upsert(
      {
        name: 'Meeting notes',
        description: 'Summarize meetings as short bullet lists with owners and dates.',
        instructions: '# Goal\nSummarize meetings.\n\n# Constraints & Style\n- Bullet list.\n- Name an owner per action item.',
        triggers: ['summarize the meeting', 'meeting notes', 'minutes please'],
        tags: ['meetings'],
        files: { 'references/template.md': '# Template\n- item' },
      },
      { owner: 'user:alice' },
    );
    id = skill.id;
  });

  test('list (own by default), get, get with md, md', async () => {
    const list = await api('GET', '/v1/autoskill/skills', { user: 'alice' });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ object: 'list', user: 'alice', scope: 'user' });
    expect(list.body.data.map((s: { id: string }) => s.id)).toContain(id);
    expect(list.body.data[0]).toMatchObject({ owner: 'user:alice', scope: 'user', version: '0.1.0' });

    expect((await api('GET', '/v1/autoskill/skills?user=bob')).body.data).toEqual([]);

    const get = await api('GET', `/v1/autoskill/skills/${id}?include_md=1`, { user: 'alice' });
    expect(get.body.object).toBe('skill');
    expect(get.body.data).toMatchObject({ id, name: 'Meeting notes', resource_paths: ['references/template.md'] });
    expect(get.body.data.skill_md).toContain('Meeting notes');

    const md = await api('GET', `/v1/autoskill/skills/${id}/md`, { user: 'alice' });
    expect(md.body).toMatchObject({ object: 'skill_md', skill_id: id, version: '0.1.0' });
    expect(md.body.skill_md).toMatch(/^---\n/);
  });

  test('PUT md bumps the version and keeps history; versions, one version, diff; rollback', async () => {
    const before = (await api('GET', `/v1/autoskill/skills/${id}/md`, { user: 'alice' })).body.skill_md as string;
    const edited = before.replace('Summarize meetings as short bullet lists', 'Summarize meetings as numbered lists');
    expect(edited).not.toBe(before);
    const put = await api('PUT', `/v1/autoskill/skills/${id}/md`, { user: 'alice', body: { skill_md: edited } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ ok: true, object: 'skill', history_count: 2 });
    expect(put.body.data.version).toBe('0.1.1');
    expect(put.body.data.description).toContain('numbered lists');

    // The same edit as a raw text/markdown body.
    const raw = await api('PUT', `/v1/autoskill/skills/${id}/md`, {
      user: 'alice',
      headers: { 'content-type': 'text/markdown' },
      body: edited.replace('numbered lists', 'numbered lists with dates'),
    });
    expect(raw.status).toBe(200);
    expect(raw.body.data.version).toBe('0.1.2');

    const versions = await api('GET', `/v1/autoskill/skills/${id}/versions`, { user: 'alice' });
    expect(versions.body.data.map((v: { version: string; is_current: boolean }) => [v.version, v.is_current])).toEqual([
      ['0.1.0', false],
      ['0.1.1', false],
      ['0.1.2', true],
    ]);

    const v0 = await api('GET', `/v1/autoskill/skills/${id}/versions/0.1.0`, { user: 'alice' });
    expect(v0.body).toMatchObject({ object: 'skill_version', version: '0.1.0', is_current: false, resource_paths: ['references/template.md'] });
    expect(v0.body.skill_md).toContain('short bullet lists');

    const diff = await api('GET', `/v1/autoskill/skills/${id}/diff?from=0.1.0&to=0.1.1`, { user: 'alice' });
    expect(diff.body).toMatchObject({ object: 'skill_diff', from: '0.1.0', to: '0.1.1' });
    expect(diff.body.diff).toMatch(/^-.*short bullet lists/m);
    expect(diff.body.diff).toMatch(/^\+.*numbered lists/m);
    const defaultDiff = await api('GET', `/v1/autoskill/skills/${id}/diff`, { user: 'alice' });
    expect(defaultDiff.body).toMatchObject({ from: '0.1.1', to: '0.1.2' });

    const rb = await api('POST', `/v1/autoskill/skills/${id}/rollback`, { user: 'alice', body: { version: '0.1.0' } });
    expect(rb.status).toBe(200);
    expect(rb.body).toMatchObject({ ok: true, restored_from: { version: '0.1.0' }, history_count: 4 });
    expect(rb.body.data.version).toBe('0.1.3');
    expect(rb.body.data.description).toContain('short bullet lists');
  });

  test('invalid SKILL.md and id changes are refused with 400, nothing written', async () => {
    const bad = await api('PUT', `/v1/autoskill/skills/${id}/md`, { user: 'alice', body: { skill_md: '---\nname: [unclosed\n---\nbody' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.type).toBe('invalid_request_error');
    const md = (await api('GET', `/v1/autoskill/skills/${id}/md`, { user: 'alice' })).body.skill_md as string;
    const otherId = md.replace(/^(\s+)id: .*$/m, '$1id: another-id');
    expect(otherId).toContain('id: another-id');
    expect((await api('PUT', `/v1/autoskill/skills/${id}/md`, { user: 'alice', body: { skill_md: otherId } })).status).toBe(400);
    expect((await api('PUT', `/v1/autoskill/skills/${id}/md`, { user: 'alice', body: {} })).body.error.param).toBe('skill_md');
    expect((await api('GET', `/v1/autoskill/skills/${id}`, { user: 'alice' })).body.data.version).toBe('0.1.3');
  });

  test('export: md, zip (base64 and download), files', async () => {
    const md = await api('GET', `/v1/autoskill/skills/${id}/export?format=md`, { user: 'alice' });
    expect(md.body).toMatchObject({ object: 'skill_export', format: 'md', skill_id: id });
    expect(md.body.skill_md).toContain('Meeting notes');

    const zb = await api('GET', `/v1/autoskill/skills/${id}/export?format=zip`, { user: 'alice' });
    expect(zb.body.format).toBe('zip_base64');
    const entries = unzipSync(Buffer.from(zb.body.zip_base64, 'base64'));
    expect(Object.keys(entries).sort()).toEqual([expect.stringMatching(/\/SKILL\.md$/), expect.stringMatching(/\/references\/template\.md$/)].sort());

    const dl = await fetch(`${proxy.base}/v1/autoskill/skills/${id}/export?format=zip&download=1`, { headers: { 'x-autoskill-user': 'alice' } });
    expect(dl.headers.get('content-type')).toBe('application/zip');
    expect(dl.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.zip"/);
    expect(Object.keys(unzipSync(new Uint8Array(await dl.arrayBuffer())))).toHaveLength(2);

    const files = await api('GET', `/v1/autoskill/skills/${id}/export`, { user: 'alice' });
    expect(files.body.format).toBe('files');
    expect(files.body.files['references/template.md']).toBe('# Template\n- item');
    expect(files.body.files['SKILL.md']).toContain('Meeting notes');
  });

  test('search (hybrid, no rewrite) and delete', async () => {
    const s = await api('POST', '/v1/autoskill/skills/search', { user: 'alice', body: { query: 'meeting notes summary', limit: 3, min_score: 0 } });
    expect(s.status).toBe(200);
    expect(s.body.data[0]).toMatchObject({ rank: 1, id, skill: { id } });
    expect(s.body.data_user[0].id).toBe(id);
    expect((await api('POST', '/v1/autoskill/skills/search', { user: 'bob', body: { q: 'meeting notes summary', min_score: 0 } })).body.data).toEqual([]);

    const del = await api('DELETE', `/v1/autoskill/skills/${id}`, { user: 'alice' });
    expect(del.body).toEqual({ ok: true, deleted: true, skill_id: id });
    expect((await api('GET', `/v1/autoskill/skills/${id}`, { user: 'alice' })).status).toBe(404);
    expect((await api('DELETE', `/v1/autoskill/skills/${id}`, { user: 'alice' })).status).toBe(404);
  });
});

describe('imports come from the request body only', () => {
  test('a SKILL.md as JSON and as text/markdown; a re-import is skipped', async () => {
    const a = await api('POST', '/v1/autoskill/skills/import', { user: 'erin', body: { skill_md: SKILL_MD } });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ ok: true, imported_count: 1 });
    expect(a.body.data[0]).toMatchObject({ id: 'plain-text-1', owner: 'user:erin' });
    const again = await api('POST', '/v1/autoskill/skills/import', { user: 'erin', headers: { 'content-type': 'text/markdown' }, body: SKILL_MD });
    expect(again.body.report[0]).toMatchObject({ status: 'skipped' });
  });

  test("an id that is another user's skill: the import gets an id of its own, and nothing names that user", async () => {
    await api('POST', '/v1/autoskill/skills/import', { user: 'erin', body: { skill_md: SKILL_MD } });
    const res = await api('POST', '/v1/autoskill/skills/import', { user: 'hank', body: { skill_md: SKILL_MD } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, imported_count: 1 });
    expect(res.body.report[0]).toMatchObject({ status: 'imported' });
    expect(res.body.report[0].id).not.toBe('plain-text-1');
    expect(JSON.stringify(res.body)).not.toContain('erin');
    expect((await api('GET', `/v1/autoskill/skills/${res.body.report[0].id}`, { user: 'hank' })).body.data).toMatchObject({ owner: 'user:hank' });
    expect((await api('GET', '/v1/autoskill/skills/plain-text-1', { user: 'erin' })).body.data).toMatchObject({ owner: 'user:erin' });
  });

  test('a zip upload with two skills (raw body and base64 JSON)', async () => {
    const zip = zipSync({
      'pack/one/SKILL.md': strToU8('---\nname: one-skill\ndescription: First skill from the zip.\n---\n# One\n\nDo one thing.\n'),
      'pack/two/SKILL.md': strToU8('---\nname: two-skill\ndescription: Second skill from the zip.\n---\n# Two\n\nDo two things.\n'),
      'pack/two/references/notes.md': strToU8('notes'),
    });
    const res = await api('POST', '/v1/autoskill/skills/import', { user: 'frank', headers: { 'content-type': 'application/zip' }, body: zip });
    expect(res.status).toBe(200);
    expect(res.body.imported_count).toBe(2);
    const two = res.body.data.find((s: { name: string }) => s.name === 'two-skill');
    expect(two.resource_paths).toEqual(['references/notes.md']);
    const b64 = await api('POST', '/v1/autoskill/skills/import?overwrite=1', { user: 'gina', body: { zip_base64: Buffer.from(zip).toString('base64') } });
    expect(b64.body.imported_count).toBe(2);
    expect(b64.body.data.every((s: { owner: string }) => s.owner === 'user:gina')).toBe(true);
  });

  test('server paths (root_dir, zip_path) are refused', async () => {
    for (const body of [{ root_dir: '/etc' }, { zip_path: '/tmp/x.zip' }]) {
      const res = await api('POST', '/v1/autoskill/skills/import', { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('unsupported');
    }
  });
});

describe('retrieval preview', () => {
  test('messages or a query; hits, the rendered context and the ids that would be injected', async () => {
    await proxy.sdk.upsert(
      {
        name: 'Commit messages',
        description: 'Write git commit messages in the imperative mood with a short subject line.',
        instructions: '# Goal\nWrite commit messages.\n\n# Constraints & Style\n- Imperative mood.\n- Subject under 50 characters.',
        triggers: ['write a commit message', 'commit message for this diff', 'git commit text'],
        tags: ['git'],
      },
      { owner: 'user:hank' },
    );
    await proxy.sdk.settled();
    const res = await api('POST', '/v1/autoskill/retrieval/preview', {
      user: 'hank',
      body: { messages: [{ role: 'user', content: 'write a commit message for this git diff' }], min_score: 0.05 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'retrieval_preview', user: 'hank', context_injected: true, original_query: 'write a commit message for this git diff' });
    expect(res.body.hits[0].name).toBe('Commit messages');
    expect(res.body.context).toContain('Imperative mood');
    expect(res.body.selected_for_context_ids).toEqual([res.body.hits[0].id]);

    const q = await api('POST', '/v1/autoskill/retrieval/preview', { user: 'bob', body: { query: 'write a commit message for this git diff' } });
    expect(q.body.hits).toEqual([]);
    expect(q.body.context_injected).toBe(false);

    expect((await api('POST', '/v1/autoskill/retrieval/preview', { body: {} })).status).toBe(400);
  });
});

describe('learning: extraction jobs, SSE events, and a learned skill', () => {
  const feedbackTurn = [
    { role: 'user', content: 'Write a report about self-evolving agents for the government.' },
    { role: 'assistant', content: 'Here is the report ...' },
    { role: 'user', content: "Don't hallucinate, cite sources." },
  ];

  test('a feedback turn through the proxy learns a skill; its events arrive over SSE; the next request gets it injected', async () => {
    const chat = await api('POST', '/v1/chat/completions', { user: 'ivy', body: { model: 'fake-model', messages: feedbackTurn } });
    expect(chat.status).toBe(200);
    const jobId = chat.headers.get('x-autoskill-job');
    expect(jobId).toMatch(/^job_/);

    const res = await fetch(`${proxy.base}/v1/autoskill/extractions/${jobId}/events?timeout_s=20`, { headers: { 'x-autoskill-user': 'ivy' } });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readSse(res);
    expect(events.at(-1)).toEqual({ event: 'message', data: '[DONE]' });
    const done = JSON.parse(events.find((e) => e.event === 'done')!.data);
    expect(events.filter((e) => e.event === 'update').length).toBeGreaterThanOrEqual(1);
    expect(done).toMatchObject({ job_id: jobId, user_id: 'ivy', status: 'completed' });
    expect(done.upserted).toHaveLength(1);
    expect(done.upserted[0].name).toBe('Reports: no made-up facts');

    const list = await api('GET', '/v1/autoskill/skills', { user: 'ivy' });
    expect(list.body.data.map((s: { name: string }) => s.name)).toEqual(['Reports: no made-up facts']);

    await api('POST', '/v1/chat/completions', { user: 'ivy', body: { model: 'fake-model', messages: [{ role: 'user', content: 'Write a report about tidal energy.' }] } });
    const sent = up.chatBodies().at(-1);
    expect(sent.messages[0].role).toBe('system');
    expect(sent.messages[0].content).toMatch(/cite sources/i);

    const latest = await api('GET', '/v1/autoskill/extractions/latest', { user: 'ivy' });
    expect(latest.body.object).toBe('extraction_event');
    const one = await api('GET', `/v1/autoskill/extractions/${jobId}`, { user: 'ivy' });
    expect(one.body.data).toMatchObject({ job_id: jobId, status: 'completed' });
    const all = await api('GET', '/v1/autoskill/extractions?limit=5', { user: 'ivy' });
    expect(all.body.data.map((j: { job_id: string }) => j.job_id)).toContain(jobId);
  });

  test('extract now (wait) and simulate (nothing written)', async () => {
    const sim = await api('POST', '/v1/autoskill/extractions/simulate', { user: 'jack', body: { messages: feedbackTurn } });
    expect(sim.status).toBe(200);
    expect(sim.body).toMatchObject({ object: 'extraction_simulation', count: 1, action: 'created', decision: { action: 'add' } });
    expect(sim.body.skills[0].instructions).toMatch(/cite sources/i);
    expect((await api('GET', '/v1/autoskill/skills', { user: 'jack' })).body.data).toEqual([]);

    const now = await api('POST', '/v1/autoskill/extractions', { user: 'jack', body: { messages: feedbackTurn, wait: true } });
    expect(now.status).toBe(200);
    expect(now.body.data).toMatchObject({ status: 'completed', user_id: 'jack' });
    expect(now.body.data.upserted).toHaveLength(1);
    expect((await api('POST', '/v1/autoskill/extractions', { user: 'jack', body: {} })).status).toBe(400);
  });

  test('the SSE stream pushes live transitions (running → completed) while a job is in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let called!: () => void;
    const started = new Promise<void>((r) => (called = r));
    const llm: LlmPort = {
      label: 'gated',
      async generate() {
        called();
        await gate;
        return JSON.stringify({
          skill: {
            name: 'report-writing-with-citations',
            title: 'Report writing with citations',
            description: 'Write reports that cite sources and never invent facts.',
            prompt: '# Goal\nWrite reports.\n\n# Constraints & Style\n- Cite sources.\n- Never invent facts.',
            triggers: ['write a report', 'report with sources', 'draft a report'],
            tags: ['report'],
            confidence: 0.9,
          },
          reason: 'durable preference',
        });
      },
    };
    const gated = await startProxy({ sdk: { llm } });
    try {
      const job = await call(gated.base, 'POST', '/v1/autoskill/extractions', { user: 'kim', body: { messages: feedbackTurn } });
      const jobId = job.body.data.job_id as string;
      await started;
      const streaming = fetch(`${gated.base}/v1/autoskill/extractions/${jobId}/events`, { headers: { 'x-autoskill-user': 'kim' } });
      const res = await streaming;
      release();
      const events = await readSse(res);
      const updates = events.filter((e) => e.event === 'update').map((e) => JSON.parse(e.data).status);
      expect(updates).toEqual(['running', 'completed']);
      expect(JSON.parse(events.find((e) => e.event === 'done')!.data).upserted[0].name).toBe('Report writing with citations');
    } finally {
      release();
      await gated.close();
    }
  });

  test('conversations/import learns from conversations in the body, synchronously', async () => {
    const res = await api('POST', '/v1/autoskill/conversations/import', {
      user: 'liz',
      body: {
        conversations: [
          { messages: feedbackTurn },
          [
            { role: 'user', content: 'Translate this into German.' },
            { role: 'assistant', content: 'Hier ist die Übersetzung.' },
            { role: 'user', content: 'Thanks!' },
          ],
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, object: 'conversation_import', user: 'liz', total_conversations: 2, processed: 2, failed: 0, upserted_count: 1 });
    expect(res.body.skills[0]).toMatchObject({ name: 'Reports: no made-up facts', owner: 'user:liz' });
    // A second, different upload is learned too (provenance refs are unique per request).
    const again = await api('POST', '/v1/autoskill/conversations/import', {
      user: 'liz',
      body: { messages: [{ role: 'user', content: 'Write an email to my landlord.' }, { role: 'assistant', content: 'Dear landlord...' }, { role: 'user', content: 'Never use exclamation marks.' }] },
    });
    expect(again.body.upserted_count).toBe(1);
    expect((await api('GET', '/v1/autoskill/skills', { user: 'liz' })).body.data).toHaveLength(2);
    expect((await api('POST', '/v1/autoskill/conversations/import', { user: 'liz', body: { file_path: '/etc/passwd' } })).status).toBe(400);
    expect((await api('POST', '/v1/autoskill/conversations/import', { user: 'liz', body: { conversations: Array(101).fill([]) } })).status).toBe(400);
  });

  test("someone else's job is not found; unknown jobs too", async () => {
    const [job] = await proxy.sdk.jobs.list({ userId: 'ivy' }, 1);
    expect((await api('GET', `/v1/autoskill/extractions/${job!.id}`, { user: 'mallory' })).status).toBe(404);
    expect((await api('GET', `/v1/autoskill/extractions/${job!.id}/events`, { user: 'mallory' })).status).toBe(404);
    expect((await api('GET', '/v1/autoskill/extractions/job_nope', { user: 'ivy' })).status).toBe(404);
  });
});

describe('meta: health, capabilities, OpenAPI, vectors', () => {
  test('health and capabilities', async () => {
    expect((await api('GET', '/health')).body).toMatchObject({ ok: true, upstream: 'configured' });
    const caps = await api('GET', '/v1/autoskill/capabilities');
    expect(caps.body.object).toBe('autoskill.capabilities');
    expect(caps.body.data.skills.export).toBe('/v1/autoskill/skills/{id}/export');
    expect(caps.body.data.auth).toBe('trusted');
  });

  test('the OpenAPI document is generated from the request schemas', async () => {
    const doc = (await api('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect((await api('GET', '/v1/autoskill/openapi.json')).body).toEqual(doc);
    const chat = doc.paths['/v1/chat/completions'].post;
    const chatSchema = chat.requestBody.content['application/json'].schema;
    expect(chatSchema.required).toContain('messages');
    expect(chatSchema.properties.messages.items.properties.role.enum).toContain('tool');
    const list = doc.paths['/v1/autoskill/skills'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['scope', 'limit']));
    const get = doc.paths['/v1/autoskill/skills/{id}'];
    expect(Object.keys(get).sort()).toEqual(['delete', 'get']);
    expect(get.get.parameters.find((p: { name: string }) => p.name === 'id')).toMatchObject({ in: 'path', required: true });
    expect(doc.paths['/v1/autoskill/skills/import'].post.requestBody.content).toHaveProperty('application/zip');
    expect(doc.paths['/v1/autoskill/extractions/{job_id}/events'].get.parameters.map((p: { name: string }) => p.name)).toContain('timeout_s');
    expect(doc.paths['/health'].get.security).toEqual([]);
  });

  test('vectors: status and rebuild', async () => {
    const status = await api('GET', '/v1/autoskill/vectors/status?scope=all', { user: 'frank' });
    expect(status.body.object).toBe('vector_status');
    expect(status.body.data).toMatchObject({ user: 'frank', total_skills: 2, indexed_skills: 2, missing_skills: 0 });
    expect(status.body.data.dims).toBeGreaterThan(0);
    const rebuilt = await api('POST', '/v1/autoskill/vectors/rebuild', { user: 'frank', body: { force: true } });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.data.rebuilt).toBeGreaterThan(0);
    expect(rebuilt.body.data.status.indexed_skills).toBe(2);
  });
});

describe('HTTP hygiene', () => {
  test('unknown routes → 404 in the OpenAI shape (GET and POST); the placeholder page at /', async () => {
    for (const [m, u] of [
      ['GET', '/v1/nope'],
      ['POST', '/v1/autoskill/nope'],
      ['GET', '/elsewhere'],
    ]) {
      const res = await api(m!, u!);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'unknown_endpoint' });
    }
    const home = await fetch(`${proxy.base}/`);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    expect(await home.text()).toContain('/v1/chat/completions');
  });

  test('wrong content type → 415; broken JSON → 400; oversized body → 413', async () => {
    const text = await api('POST', '/v1/autoskill/skills/search', { headers: { 'content-type': 'text/plain' }, body: '{"query":"x"}' });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
    const form = await api('POST', '/v1/chat/completions', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    expect(form.status).toBe(415);
    const broken = await api('POST', '/v1/autoskill/skills/search', { headers: { 'content-type': 'application/json' }, body: '{"query":' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const big = await api('POST', '/v1/chat/completions', { body: { messages: [{ role: 'user', content: 'x'.repeat(11 * 1024 * 1024) }] } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });
});
