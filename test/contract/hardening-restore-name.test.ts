/**
 * Issue 16, "restoring a deleted skill renames its folder and its spec `name`": a restore through
 * `POST /v1/autoskill/skills/{id}/restore` puts the skill back in the folder it had, with the same
 * `name:` in its SKILL.md, also when a content-based name would differ (a `-2` folder whose base
 * name is free again, a CJK folder) and after a restart (the folder name is in the tombstone).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { call, startProxy, type Proxy } from '../helpers/express-harness.js';

let proxy: Proxy;
const A = (method: string, url: string, body?: unknown, headers?: Record<string, string>) =>
  call(proxy.base, method, url, { user: 'alice', ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });

beforeAll(async () => {
  proxy = await startProxy({ sdk: { learning: { mode: 'never' } } });
});
afterAll(async () => proxy.close());

/** The folder (under Users/alice) and the SKILL.md `name:` of a skill, read from disk. */
async function onDisk(id: string): Promise<{ folder: string; name: string | undefined }> {
  const userDir = path.join(proxy.dir, 'Users', 'alice');
  for (const folder of await readdir(userDir)) {
    const text = await readFile(path.join(userDir, folder, 'SKILL.md'), 'utf8').catch(() => '');
    if (text.includes(id)) return { folder, name: /^name:\s*"?([^"\n]*)"?$/m.exec(text)?.[1] };
  }
  throw new Error(`no folder holds ${id}`);
}

async function del(id: string): Promise<void> {
  expect((await A('DELETE', `/v1/autoskill/skills/${encodeURIComponent(id)}`)).status).toBe(200);
}

async function restore(id: string): Promise<void> {
  const res = await A('POST', `/v1/autoskill/skills/${encodeURIComponent(id)}/restore`, {});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

test('a "-2" folder keeps its suffix even when the base name is free again; name: follows the folder', async () => {
  const first = await proxy.sdk.upsert({ name: 'Weekly report', description: 'How I want weekly reports', instructions: 'Five bullets.' }, { actor: { userId: 'alice' } });
  const second = await proxy.sdk.upsert({ name: 'Weekly report', description: 'How I want weekly reports for the board', instructions: 'Three bullets.' }, { actor: { userId: 'alice' } });
  const before = { first: await onDisk(first.id), second: await onDisk(second.id) };
  expect(before).toEqual({ first: { folder: 'weekly-report', name: 'weekly-report' }, second: { folder: 'weekly-report-2', name: 'weekly-report-2' } });

  await del(first.id);
  await del(second.id);
  // The second goes back first: 'weekly-report' is free, but it was never its folder.
  await restore(second.id);
  await restore(first.id);
  expect({ first: await onDisk(first.id), second: await onDisk(second.id) }).toEqual(before);
  expect(proxy.sdk.get(second.id)?.slug).toBe('weekly-report-2');
});

test('an imported CJK folder and a folder named unlike the title come back as they were', async () => {
  const zip = zipSync({
    '机器翻译评估/SKILL.md': strToU8('---\nname: 机器翻译评估\ndescription: 机器翻译的评估方法\n---\n\n# 机器翻译评估\n\n用BLEU和人工评估。\n'),
    'team-notes/SKILL.md': strToU8('---\nname: team-notes\ndescription: How I want notes for my team\n---\n\n# Meeting minutes for the team\n\nDecisions first.\n'),
  });
  const imported = await A('POST', '/v1/autoskill/skills/import', zip, { 'content-type': 'application/zip' });
  expect(imported.status).toBe(200);
  const ids = imported.body.report.filter((r: any) => r.status === 'imported').map((r: any) => r.id as string);
  expect(ids).toHaveLength(2);
  for (const id of ids) {
    const before = await onDisk(id);
    await del(id);
    await restore(id);
    const after = await onDisk(id);
    console.log(`restore ${id}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    expect(after).toEqual(before);
  }
});

test('the folder name survives a restart between delete and restore (it is in the tombstone)', async () => {
  const s = await proxy.sdk.upsert({ name: 'Email tone', description: 'How I want emails', instructions: 'Short and warm.' }, { actor: { userId: 'alice' } });
  const other = await proxy.sdk.upsert({ name: 'Email tone', description: 'How I want emails to clients', instructions: 'Formal.' }, { actor: { userId: 'alice' } });
  const before = await onDisk(other.id);
  expect(before.folder).toBe('email-tone-2');
  await del(other.id);
  await del(s.id);
  // A second process on the same store (the proxy's own SDK stays open: it holds no lock between writes).
  const again = await AutoSkill.open({ storeDir: proxy.dir, learning: { mode: 'never', start: false } });
  try {
    const listed = await again.listDeleted({ userId: 'alice' });
    expect(listed.find((d) => d.id === other.id)).toMatchObject({ slug: 'email-tone-2', owner: 'user:alice' });
    await again.rollback(other.id, undefined, { userId: 'alice' });
  } finally {
    await again.close();
  }
  expect(await onDisk(other.id)).toEqual(before);
});

test('a folder name outside the spec (kept by an import) is kept too; name: is then the spec form, as after any rollback', async () => {
  const zip = zipSync({ 'Team_Notes/SKILL.md': strToU8('---\nname: Team_Notes\ndescription: How I want notes for my team\n---\n\n# Team notes\n\nDecisions first.\n') });
  const imported = await A('POST', '/v1/autoskill/skills/import', zip, { 'content-type': 'application/zip' });
  const id = imported.body.report.find((r: any) => r.status === 'imported')?.id as string;
  const before = await onDisk(id);
  expect(before.folder).toBe('Team_Notes');
  await del(id);
  await restore(id);
  const after = await onDisk(id);
  console.log(`restore of a non-spec folder: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  expect(after.folder).toBe('Team_Notes');
});
