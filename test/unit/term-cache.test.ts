import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/engine/index/bm25.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import { FsTermCache } from '../../src/engine/index/term-cache.js';
import { tokenize } from '../../src/engine/index/tokenize.js';
import { retrievalHash, retrievalText, SkillIndex, textHash } from '../../src/engine/index/skill-index.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { makeSkill } from '../fixtures/store-helpers.js';

const skill = (id: string, name: string, description: string, triggers: string[], instructions: string, owner = 'library:t'): Skill =>
  makeSkill({ id, owner: owner as Skill['owner'], slug: name, name, description, instructions, triggers, tags: ['demo'] });

const SKILLS: Skill[] = [
  skill('a', 'weekly-report', 'Write a weekly status report', ['write my weekly report', '写周报'], '# Goal\nSummarize the week: done, next, blockers.'),
  skill('b', 'sql-review', 'Review SQL queries for performance', ['review this SQL', 'optimize query'], 'Check indexes, EXPLAIN plans and N+1 patterns.'),
  skill('c', 'gov-report', '撰写政府工作报告', ['写政府工作报告', '政府报告'], '按照公文格式撰写，先总结后展望。'),
  skill('d', 'camelCase-ids', 'Split computeMetrics identifiers', ['compute_metrics helper'], 'Use seq2SeqTrainer and compute_metrics.'),
  skill('e', 'my-report-style', 'How I want my weekly report', ['weekly report in bullets'], 'Bullet points, short.', 'user:u1'),
  skill('f', 'report-tables', 'Weekly status report as a table', ['status table'], 'Put it in a Markdown table.', 'user:u2'),
];
const QUERIES = ['weekly report', '写政府报告', 'optimize my SQL query', 'compute metrics', 'status blockers next week'];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-terms-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scores(index: SkillIndex): Promise<unknown[]> {
  const out = [];
  for (const q of QUERIES) {
    for (const userId of [undefined, 'u1', 'u2']) {
      out.push((await index.search(q, { scope: 'all', limit: 10, ...(userId ? { userId } : {}) })).map((h) => [h.skill.id, h.score, h.lexical, h.semantic]));
    }
  }
  return out;
}

describe('term cache', () => {
  it('an index rebuilt from the cache scores exactly like one built by tokenizing', async () => {
    const plain = new SkillIndex({ embedder: new LocalEmbedder() });
    await plain.upsert(SKILLS);
    const expected = await scores(plain);

    const first = new SkillIndex({ embedder: new LocalEmbedder(), termCache: new FsTermCache({ root: dir }) });
    await first.load();
    await first.upsert(SKILLS);
    await first.flush();

    const second = new SkillIndex({ embedder: new LocalEmbedder(), termCache: new FsTermCache({ root: dir }) });
    await second.load();
    await second.upsert(SKILLS);
    expect(second.buildStats).toMatchObject({ adopted: SKILLS.length, tokenized: 0 });
    expect(await scores(second)).toEqual(expected);
    expect(await scores(first)).toEqual(expected);
  });

  it('re-tokenizes a skill whose text changed and keeps serving the others', async () => {
    const first = new SkillIndex({ embedder: new LocalEmbedder(), termCache: new FsTermCache({ root: dir }) });
    await first.load();
    await first.upsert(SKILLS);
    await first.flush();

    const changed = [...SKILLS.slice(0, 3), { ...SKILLS[3]!, description: 'Split identifiers into parts for BM25' }, ...SKILLS.slice(4)];
    const plain = new SkillIndex({ embedder: new LocalEmbedder() });
    await plain.upsert(changed);
    const second = new SkillIndex({ embedder: new LocalEmbedder(), termCache: new FsTermCache({ root: dir }) });
    await second.load();
    await second.upsert(changed);
    expect(second.buildStats).toMatchObject({ adopted: 5, tokenized: 1 });
    expect(await scores(second)).toEqual(await scores(plain));
  });

  it('a skill gone from the store since the save is dropped, and the next save leaves it out', async () => {
    const first = new SkillIndex({ embedder: new LocalEmbedder(), termCache: new FsTermCache({ root: dir }) });
    await first.load();
    await first.upsert(SKILLS);
    await first.flush();

    const rest = SKILLS.filter((s) => s.id !== 'a' && s.id !== 'e');
    const plain = new SkillIndex({ embedder: new LocalEmbedder() });
    await plain.upsert(rest);
    const second = new SkillIndex({ embedder: new LocalEmbedder(), termCache: new FsTermCache({ root: dir }) });
    await second.load();
    await second.upsert(rest);
    expect(second.size()).toBe(rest.length);
    expect(await scores(second)).toEqual(await scores(plain));
    for (const userId of ['u1', 'u2']) {
      for (const h of await second.search('weekly report', { userId, limit: 10 })) expect(['a', 'e']).not.toContain(h.skill.id);
    }
    await second.flush();
    const snap = await new FsTermCache({ root: dir }).load(6);
    expect(snap?.ids.sort()).toEqual(rest.map((s) => s.id).sort());
  });

  it('a skill that moved to another owner with the same text is re-indexed for its new owner', async () => {
    const first = new SkillIndex({ embedder: new LocalEmbedder(), termCache: new FsTermCache({ root: dir }) });
    await first.load();
    await first.upsert(SKILLS);
    await first.flush();

    const moved = SKILLS.map((s) => (s.id === 'e' ? { ...s, owner: 'user:u2' as Skill['owner'] } : s));
    const second = new SkillIndex({ embedder: new LocalEmbedder(), termCache: new FsTermCache({ root: dir }) });
    await second.load();
    await second.upsert(moved);
    expect(second.buildStats).toMatchObject({ adopted: 5, tokenized: 1 });
    const ids = async (userId: string) => (await second.search('weekly report in bullets', { userId, scope: 'user', limit: 10 })).map((h) => h.skill.id);
    expect(await ids('u1')).toEqual([]);
    expect(await ids('u2')).toContain('e');
  });

  it('a corrupt, truncated or foreign file is a miss, not an error', async () => {
    const fc = new FsTermCache({ root: dir });
    const first = new SkillIndex({ embedder: new LocalEmbedder(), termCache: fc });
    await first.load();
    await first.upsert(SKILLS);
    await first.flush();
    const good = await readFile(fc.file);
    expect(await fc.load(6)).toBeDefined();
    expect(await fc.load(5)).toBeUndefined(); // other field layout
    const expected = await scores(first);

    const flipped = Buffer.from(good);
    flipped[flipped.length - 3]! ^= 0xff;
    for (const bad of [flipped, good.subarray(0, good.length - 7), Buffer.from('not a cache')]) {
      await writeFile(fc.file, bad);
      expect(await fc.load(6)).toBeUndefined();
      const idx = new SkillIndex({ embedder: new LocalEmbedder(), termCache: fc });
      await idx.load();
      await idx.upsert(SKILLS);
      expect(idx.buildStats).toMatchObject({ adopted: 0, tokenized: SKILLS.length });
      expect(await scores(idx)).toEqual(expected);
    }
  });

  it('retrievalHash equals the hash of the retrieval text (the vector files are keyed by it)', () => {
    const odd = { ...SKILLS[0]!, name: 'x\ud800', description: '\udc00y', tags: ['a', 'b'], resources: ['scripts/run.sh'] };
    for (const s of [...SKILLS, odd]) expect(retrievalHash(s)).toBe(textHash(retrievalText(s)));
  });

  it('Bm25Index.documents() round-trips through addCounts', () => {
    const fields = [{ name: 'a', weight: 2, b: 0.75 }, { name: 'b', weight: 1, b: 0.5 }];
    const x = new Bm25Index({ fields });
    x.add('1', [tokenize('weekly status report'), tokenize('report the blockers of the week')]);
    x.add('2', [tokenize('SQL review'), tokenize('explain plans and indexes')]);
    const y = new Bm25Index({ fields });
    for (const [id, d] of x.documents()) y.addCounts(id, d);
    for (const q of ['weekly report', 'sql indexes', 'blockers']) expect(y.search(tokenize(q))).toEqual(x.search(tokenize(q)));
  });
});
