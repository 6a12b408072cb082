import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/engine/index/bm25.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import { FsTermCache, type TermCache, type TermCacheSnapshot } from '../../src/engine/index/term-cache.js';
import { tokenize } from '../../src/engine/index/tokenize.js';
import { retrievalHash, retrievalText, SkillIndex, textHash } from '../../src/engine/retrieve/search.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { makeSkill } from '../fixtures/store-helpers.js';

const skill = (id: string, name: string, description: string, triggers: string[], instructions: string, owner = 'library:t'): Skill =>
  makeSkill({ id, owner: owner as Skill['owner'], slug: name, name, description, instructions, triggers, tags: ['demo'] });

const SKILLS: Skill[] = [
  skill('a', 'weekly-report', 'Write a weekly status report', ['write my weekly report', '写周报'], '# Goal\nSummarize the week: done, next, blockers.'),
  skill('b', 'sql-review', 'Review SQL queries for performance', ['review this SQL', 'optimize query'], 'Check indexes, EXPLAIN plans and N+1 patterns.'),
  skill('c', 'gov-report', '撰写政府工作报告', ['写政府工作报告', '政府报告'], '按照公文格式撰写，先总结后展望。'),
  skill('d', 'camelCase-ids', 'Split computeMetrics identifiers', ['compute_metrics helper'], 'Use seq2SeqTrainer and compute_metrics.'),
];
const QUERIES = ['weekly report', '写政府报告', 'optimize my SQL query', 'compute metrics', 'status blockers next week'];

/** A term cache that counts how many documents it served. */
function counting(inner: TermCache): TermCache & { hits: number } {
  const c = {
    hits: 0,
    async load(n: number): Promise<TermCacheSnapshot | undefined> {
      const snap = await inner.load(n);
      if (!snap) return undefined;
      return {
        size: snap.size,
        get: (h: string) => {
          const d = snap.get(h);
          if (d) c.hits++;
          return d;
        },
      };
    },
    save: (n: number, docs: Parameters<TermCache['save']>[1]) => inner.save(n, docs),
  };
  return c;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-terms-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scores(index: SkillIndex): Promise<unknown[]> {
  const out = [];
  for (const q of QUERIES) out.push((await index.search(q, { scope: 'all', limit: 10 })).map((h) => [h.skill.id, h.score, h.lexical, h.semantic]));
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

    const cache = counting(new FsTermCache({ root: dir }));
    const second = new SkillIndex({ embedder: new LocalEmbedder(), termCache: cache });
    await second.load();
    await second.upsert(SKILLS);
    expect(cache.hits).toBe(SKILLS.length);
    expect(await scores(second)).toEqual(expected);
    expect(await scores(first)).toEqual(expected);
  });

  it('re-tokenizes a skill whose text changed and keeps serving the others', async () => {
    const first = new SkillIndex({ embedder: new LocalEmbedder(), termCache: new FsTermCache({ root: dir }) });
    await first.load();
    await first.upsert(SKILLS);
    await first.flush();

    const changed = [...SKILLS.slice(0, 3), { ...SKILLS[3]!, description: 'Split identifiers into parts for BM25' }];
    const plain = new SkillIndex({ embedder: new LocalEmbedder() });
    await plain.upsert(changed);
    const cache = counting(new FsTermCache({ root: dir }));
    const second = new SkillIndex({ embedder: new LocalEmbedder(), termCache: cache });
    await second.load();
    await second.upsert(changed);
    expect(cache.hits).toBe(3);
    expect(await scores(second)).toEqual(await scores(plain));
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

    const flipped = Buffer.from(good);
    flipped[flipped.length - 3]! ^= 0xff;
    for (const bad of [flipped, good.subarray(0, good.length - 7), Buffer.from('not a cache')]) {
      await writeFile(fc.file, bad);
      expect(await fc.load(6)).toBeUndefined();
      const idx = new SkillIndex({ embedder: new LocalEmbedder(), termCache: fc });
      await idx.load();
      await idx.upsert(SKILLS);
      expect((await idx.search('weekly report'))[0]?.skill.id).toBe('a');
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
