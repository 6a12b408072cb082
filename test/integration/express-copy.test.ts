import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, startProxy, type Proxy } from '../helpers/express-harness.js';

/** "Copy to my skills": POST /v1/autoskill/skills/:id/copy, and capabilities.admin the page reads. */

let proxy: Proxy;
let commonId: string;

beforeAll(async () => {
  proxy = await startProxy();
  const skill = await proxy.sdk.upsert(
    {
      name: 'Meeting notes',
      description: 'Summarize meetings as short bullet lists with owners and dates.',
      instructions: '# Goal\nSummarize meetings.\n\n# Constraints & Style\n- Bullet list.',
      tags: ['meetings'],
      files: { 'references/template.md': '# Template\n- item' },
    },
    { owner: 'library:Common' },
  );
  commonId = skill.id;
});
afterAll(async () => {
  await proxy?.close();
});

const api = (method: string, url: string, opts: Parameters<typeof call>[3] = {}) => call(proxy.base, method, url, opts);

describe('copy a Common skill into my skills', () => {
  test('a user may not edit the Common skill, but gets an editable copy with its files; copying again finds the copy', async () => {
    const caps = await api('GET', '/v1/autoskill/capabilities', { user: 'bob' });
    expect(caps.body.data.admin).toBe(false);
    const del = await api('DELETE', `/v1/autoskill/skills/${commonId}`, { user: 'bob' });
    expect(del.status).toBe(403);

    const r = await api('POST', `/v1/autoskill/skills/${commonId}/copy`, { user: 'bob', body: {} });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ object: 'skill', copied_from: commonId, already_copied: false });
    const copy = r.body.data;
    expect(copy.id).not.toBe(commonId);
    expect(copy).toMatchObject({ owner: 'user:bob', name: 'Meeting notes', resource_paths: ['references/template.md'] });

    const md = await api('GET', `/v1/autoskill/skills/${copy.id}/md`, { user: 'bob' });
    const saved = await api('PUT', `/v1/autoskill/skills/${copy.id}/md`, { user: 'bob', body: { skill_md: md.body.skill_md.replace('- Bullet list.', '- Bullet list.\n- Dates in ISO format.') } });
    expect(saved.status).toBe(200);
    // the Common original is unchanged
    expect(proxy.sdk.get(commonId)?.instructions).not.toContain('ISO');

    const again = await api('POST', `/v1/autoskill/skills/${commonId}/copy`, { user: 'bob', body: {} });
    expect(again.body).toMatchObject({ already_copied: true, data: { id: copy.id } });
    const mine = await api('GET', '/v1/autoskill/skills', { user: 'bob' });
    expect(mine.body.data.filter((s: { name: string }) => s.name === 'Meeting notes')).toHaveLength(1);
    // another user's copy is their own
    const carol = await api('POST', `/v1/autoskill/skills/${commonId}/copy`, { user: 'carol', body: {} });
    expect(carol.body.data.owner).toBe('user:carol');
    expect(carol.body.data.id).not.toBe(copy.id);
  });

  test('a skill the caller cannot read is not found', async () => {
    const own = await api('POST', `/v1/autoskill/skills/${commonId}/copy`, { user: 'dave', body: {} });
    const r = await api('POST', `/v1/autoskill/skills/${own.body.data.id}/copy`, { user: 'erin', body: {} });
    expect(r.status).toBe(404);
  });
});
