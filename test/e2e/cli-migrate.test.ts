import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const cli = (args: string[]) => run(process.execPath, [path.join(ROOT, 'bin/autoskill.js'), ...args], { cwd: ROOT });

let tmp: string;
let db: TestDatabase;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'autoskill-migrate-'));
  db = await createTestDatabase('cli_migrate');
});
afterAll(async () => {
  await db?.drop();
  await rm(tmp, { recursive: true, force: true });
});

describe('autoskill migrate', () => {
  test('a folder store → PostgreSQL → a new folder keeps skills, versions and files', { timeout: 120_000 }, async () => {
    const src = path.join(tmp, 'src');
    const sdk = await AutoSkill.open({ storeDir: src, learning: { start: false } });
    await sdk.importSkills(path.join(ROOT, 'Skills/Common'), { scope: 'common' });
    const mine = await sdk.upsert(
      { name: 'plain-report', description: 'Reports in plain text.', instructions: '# Goal\nReport.\n', triggers: ['plain report'], tags: ['report'], files: { 'references/style.md': 'No tables.\n' } },
      { owner: 'user:alice' },
    );
    await sdk.upsert({ id: mine.id, name: 'plain-report', description: 'Reports in plain text, cited.', instructions: '# Goal\nReport.\n- Cite sources.\n' }, { owner: 'user:alice' });
    await sdk.close();

    const there = await cli(['migrate', '--from', src, '--to', db.url, '--json']);
    expect(JSON.parse(there.stdout)).toMatchObject({ skills: 6, historyEntries: expect.any(Number) });
    const back = path.join(tmp, 'back');
    await cli(['migrate', '--from', db.url, '--to', back]);

    // the PostgreSQL store serves the same skills to the CLI
    const listed = JSON.parse((await cli(['list', '--store', db.url, '--user', 'alice', '--json'])).stdout) as Array<{ id: string }>;
    expect(listed.map((s) => s.id)).toContain(mine.id);

    const a = await AutoSkill.open({ storeDir: src, learning: { start: false } });
    const b = await AutoSkill.open({ storeDir: back, learning: { start: false } });
    try {
      const key = (s: AutoSkill) => s.skills.list({ admin: true }).map((k) => `${k.id}@${k.version}:${k.owner}`).sort();
      expect(key(b)).toEqual(key(a));
      expect((await b.versions(mine.id)).map((v) => v.version)).toEqual(['0.1.0', '0.1.1']);
      expect(b.skillMd(mine.id)).toBe(a.skillMd(mine.id));
      const file = await b.readResource(mine.id, 'references/style.md');
      expect(Buffer.from(file).toString()).toBe('No tables.\n');
      expect(await readFile(path.join(back, (await b.get(mine.id))!.owner === 'user:alice' ? 'Users/alice' : '', (await b.get(mine.id))!.slug, 'SKILL.md'), 'utf8')).toContain('Cite sources.');
    } finally {
      await a.close();
      await b.close();
    }

    // refusing to merge into a non-empty target protects existing data
    await expect(cli(['migrate', '--from', src, '--to', back])).rejects.toMatchObject({ stderr: expect.stringMatching(/not empty/) });
  });
});
