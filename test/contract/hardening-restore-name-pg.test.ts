/**
 * Issue 16, restore keeps the folder name, on the PostgreSQL store (the filesystem side is
 * test/hardening-restore-name.test.ts): `POST /v1/autoskill/skills/{id}/restore` gives the skill
 * back its slug and SKILL.md `name:`, read through the API, also from a second replica.
 */
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPostgresBackends } from '../../src/engine/store/postgres/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { call, startProxy, type Proxy } from '../helpers/express-harness.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

let tdb: TestDatabase;
let proxy: Proxy;
const opened: Array<{ close(): Promise<void> }> = [];

async function pgStore(name: string) {
  const backends = createPostgresBackends(tdb.url, { applicationName: name, poolSize: 2, store: { lockPoolSize: 2 } });
  opened.push(backends);
  await backends.store.open();
  return backends.store;
}

beforeAll(async () => {
  tdb = await createTestDatabase('pgrestore');
  proxy = await startProxy({ sdk: { store: await pgStore('restore-a'), learning: { mode: 'never' } } });
}, 180_000);
afterAll(async () => {
  await proxy?.close();
  for (const o of opened.reverse()) await o.close().catch(() => undefined);
  await tdb?.drop();
});

const A = (method: string, url: string, body?: unknown) => call(proxy.base, method, url, { user: 'alice', ...(body !== undefined ? { body } : {}) });

async function folderAndName(id: string): Promise<{ slug: string; name: string | undefined }> {
  const detail = await A('GET', `/v1/autoskill/skills/${id}?include_md=1`);
  expect(detail.status).toBe(200);
  const md = (await A('GET', `/v1/autoskill/skills/${id}/md`)).body.skill_md as string;
  return { slug: detail.body.slug ?? detail.body.data?.slug, name: /^name:\s*"?([^"\n]*)"?$/m.exec(md)?.[1] };
}

test('a "-2" slug comes back as it was, although its base name is free again', async () => {
  const first = await proxy.sdk.upsert({ name: 'Weekly report', description: 'How I want weekly reports', instructions: 'Five bullets.' }, { actor: { userId: 'alice' } });
  const second = await proxy.sdk.upsert({ name: 'Weekly report', description: 'Weekly reports for the board', instructions: 'Three bullets.' }, { actor: { userId: 'alice' } });
  const before = await folderAndName(second.id);
  expect(before).toEqual({ slug: 'weekly-report-2', name: 'weekly-report-2' });
  expect((await A('DELETE', `/v1/autoskill/skills/${first.id}`)).status).toBe(200);
  expect((await A('DELETE', `/v1/autoskill/skills/${second.id}`)).status).toBe(200);

  // The tombstone holds the slug: another replica lists it and restores from it.
  const replica = await AutoSkill.open({ store: await pgStore('restore-b'), learning: { mode: 'never' } });
  expect((await replica.listDeleted({ userId: 'alice' })).find((d) => d.id === second.id)).toMatchObject({ slug: 'weekly-report-2' });
  await replica.close();

  const res = await A('POST', `/v1/autoskill/skills/${second.id}/restore`, {});
  expect(res.status).toBe(200);
  expect(await folderAndName(second.id)).toEqual(before);
});

test('a slug outside the spec (kept by an import) is kept as well', async () => {
  const zip = zipSync({ 'Team_Notes/SKILL.md': strToU8('---\nname: Team_Notes\ndescription: How I want notes for my team\n---\n\n# Team notes\n\nDecisions first.\n') });
  const imported = await call(proxy.base, 'POST', '/v1/autoskill/skills/import', { user: 'alice', body: zip, headers: { 'content-type': 'application/zip' } });
  const id = imported.body.report.find((r: any) => r.status === 'imported')?.id as string;
  expect((await folderAndName(id)).slug).toBe('Team_Notes');
  expect((await A('DELETE', `/v1/autoskill/skills/${id}`)).status).toBe(200);
  expect((await A('POST', `/v1/autoskill/skills/${id}/restore`, {})).status).toBe(200);
  expect((await folderAndName(id)).slug).toBe('Team_Notes');
});
