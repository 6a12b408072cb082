import { describe, expect, it } from 'vitest';
import { buildInWorkers } from '../../src/engine/index/build-pool.js';
import { docTokens, type DocText } from '../../src/engine/index/doc-terms.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import { tokenize } from '../../src/engine/index/tokenize.js';
import { retrievalFields, retrievalText, SkillIndex } from '../../src/engine/index/skill-index.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { makeSkill } from '../fixtures/store-helpers.js';

/** Tokenizing on worker threads must give the index exactly what tokenizing inline gives. */
const TEXTS = [
  ['weekly-report', 'Write a weekly status report', 'write my weekly report\n写周报', 'Summarize the week: done, next, blockers.'],
  ['gov-report', '撰写政府工作报告', '写政府工作报告\n政府报告', '按照公文格式撰写，先总结后展望。C++ and C# and Q&A.'],
  ['camelCase-ids', 'Split computeMetrics identifiers', 'compute_metrics helper', 'Use seq2SeqTrainer and compute_metrics; XMLHttpRequest, naïve café, Привет мир.'],
];

function skills(n: number): Skill[] {
  return Array.from({ length: n }, (_, i) => {
    const [name, description, triggers, instructions] = TEXTS[i % TEXTS.length]!;
    const owner = (i % 4 === 0 ? `user:u${i % 3}` : 'library:t') as Skill['owner'];
    return makeSkill({ id: `s${i}`, owner, slug: `${name}-${i}`, name: `${name} ${i}`, description, instructions: `${instructions} item${i}`, triggers: triggers!.split('\n'), tags: ['t'] });
  });
}

describe('index build workers', () => {
  it('tokenize and embed as the calling thread does, in input order', async () => {
    const all = skills(150);
    const docs: DocText[] = all.map((s) => ({ fields: retrievalFields(s), triggers: s.triggers, name: s.name }));
    const emb = new LocalEmbedder();
    const texts = all.map((s) => retrievalText(s));
    const out = await buildInWorkers(
      docs.map((doc, i) => (i % 3 === 0 ? { doc } : i % 3 === 1 ? { embed: { text: texts[i]!, ...emb.workerSpec } } : { doc, embed: { text: texts[i]!, ...emb.workerSpec } })),
      2,
    );
    out.forEach((r, i) => {
      expect(r.tokens).toEqual(i % 3 === 1 ? undefined : docTokens(docs[i]!, tokenize));
      expect(r.vector).toEqual(i % 3 === 0 ? undefined : emb.embedOne(texts[i]!));
    });
  });

  it('an index built with workers scores exactly like one built inline', async () => {
    const all = skills(600);
    const a = new SkillIndex({ embedder: new LocalEmbedder(), buildThreads: 2 });
    const b = new SkillIndex({ embedder: new LocalEmbedder(), buildThreads: 0 });
    await a.upsert(all);
    await b.upsert(all);
    expect(a.vectorCount()).toBe(600);
    expect(a.buildStats).toEqual({ adopted: 0, tokenized: 600, onWorkers: 600 });
    expect(b.buildStats).toEqual({ adopted: 0, tokenized: 600, onWorkers: 0 });
    for (const q of ['weekly report item7', '写政府报告', 'compute metrics helper', 'café request']) {
      for (const userId of [undefined, 'u0', 'u1']) {
        const opts = { limit: 10, ...(userId ? { userId } : {}) };
        expect((await a.search(q, opts)).map((h) => [h.skill.id, h.score, h.semantic])).toEqual((await b.search(q, opts)).map((h) => [h.skill.id, h.score, h.semantic]));
      }
    }
  });
});
