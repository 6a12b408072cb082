import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHeldOut, evaluate, productRanker } from '../../bench/quality.js';
import { DEFAULT_BANK, loadBank } from '../../bench/bank.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import { SkillIndex, type SkillHit } from '../../src/engine/index/skill-index.js';
import type { Skill } from '../../src/engine/skill/schema.js';

/**
 * Search over REAL bank skills: every Users/ skill (owned by its user), two ConvSkill datasets
 * (one Chinese, one English) and one Common library, about 1,400 skills.
 */
const HAVE_BANK = existsSync(DEFAULT_BANK);
const SUBSET = ['Users', 'ConvSkill/chinese_gpt4_8', 'ConvSkill/english_gpt4_8', 'Common/anthropics-skill'];

let bank: Skill[] = [];
let index: SkillIndex;

const ids = (hits: SkillHit[]): string[] => hits.map((h) => h.skill.id);
const byName = (name: string, owner?: string): Skill => {
  const s = bank.find((x) => x.name === name && (owner === undefined || x.owner === owner));
  if (!s) throw new Error(`bank skill not found: ${name}`);
  return s;
};

describe.skipIf(!HAVE_BANK)('SkillIndex on real bank skills', () => {
  beforeAll(async () => {
    bank = loadBank(DEFAULT_BANK, { include: SUBSET, owners: 'users' }).skills;
    index = new SkillIndex({ embedder: new LocalEmbedder() });
    await index.upsert(bank);
  }, 120_000);

  it('loaded a realistic mix', () => {
    expect(bank.length).toBeGreaterThan(1000);
    expect(bank.some((s) => s.owner.startsWith('user:'))).toBe(true);
    expect(bank.some((s) => s.owner === 'library:anthropics-skill')).toBe(true);
    expect(index.size()).toBe(bank.length);
  });

  it('finds the user’s Chinese government-report skill for a Chinese request (upstream missed it)', async () => {
    const target = byName('government-report-writing-policy', 'user:u37');
    const hits = await index.search('写政府报告 不要用表格', { userId: 'u37', limit: 3 });
    expect(hits[0]?.skill.id).toBe(target.id);
    expect(hits[0]!.score).toBeGreaterThan(0.3);
  });

  it('finds an English library skill for an English request', async () => {
    const hits = await index.search('design a poster with a strong visual philosophy', { limit: 5 });
    expect(hits.map((h) => h.skill.name)).toContain('canvas-design');
  });

  it('finds English skills from Chinese-era ConvSkill sets and vice versa by their own words', async () => {
    const zh = await index.search('评估翻译模型 计算BLEU分数', { limit: 5 });
    expect(zh[0]?.skill.description).toMatch(/BLEU/);
    const en = await index.search('linux terminal simulation, reply only with terminal output', { limit: 5 });
    expect(en.slice(0, 3).some((h) => /linux|terminal/i.test(h.skill.name + h.skill.description))).toBe(true);
  });

  it('never returns another user’s skills; scope user / common / all', async () => {
    const q = '写政府报告';
    const all = await index.search(q, { userId: 'u8', scope: 'all', limit: 50, minScore: 0 });
    expect(all.length).toBeGreaterThan(0);
    for (const h of all) expect(h.skill.owner === 'user:u8' || h.skill.owner.startsWith('library:')).toBe(true);
    expect(all[0]!.skill.owner).toBe('user:u8');

    const user = await index.search(q, { userId: 'u8', scope: 'user', limit: 50 });
    expect(user.length).toBeGreaterThan(0);
    for (const h of user) expect(h.skill.owner).toBe('user:u8');

    const common = await index.search(q, { userId: 'u8', scope: 'common', limit: 50 });
    for (const h of common) expect(h.skill.owner.startsWith('library:')).toBe(true);

    // no user id: `all` means Common only, `user` means nothing
    const anon = await index.search(q, { limit: 50 });
    for (const h of anon) expect(h.skill.owner.startsWith('library:')).toBe(true);
    expect(await index.search(q, { scope: 'user', limit: 50 })).toEqual([]);
  });

  it('applies tag, metadata and id filters', async () => {
    const target = byName('government-report-writing-policy', 'user:u37');
    const tagged = await index.search('报告', { userId: 'u37', filters: { tags: ['GOVERNMENT-REPORT'] }, limit: 50 });
    expect(tagged.length).toBeGreaterThan(0);
    for (const h of tagged) expect(h.skill.tags.map((t) => t.toLowerCase())).toContain('government-report');

    const only = await index.search('报告', { userId: 'u37', filters: { ids: [target.id] } });
    expect(ids(only)).toEqual([target.id]);

    const meta = await index.search('报告', { userId: 'u37', filters: { metadata: { nonexistent: 'x' } } });
    expect(meta).toEqual([]);
  });

  it('honours limit and minScore, best first', async () => {
    const hits = await index.search('python pandas dataframe', { limit: 7 });
    expect(hits.length).toBe(7);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    for (const h of hits) {
      expect(h.score).toBeGreaterThan(0);
      expect(h.score).toBeLessThanOrEqual(1);
      expect(h.lexical).toBeGreaterThanOrEqual(0);
      expect(h.semantic).toBeGreaterThanOrEqual(0);
    }
    const cut = hits[3]!.score;
    const strict = await index.search('python pandas dataframe', { limit: 7, minScore: cut });
    expect(strict.every((h) => h.score >= cut)).toBe(true);
    expect(strict.length).toBeLessThan(7);
    expect((await index.search('python pandas dataframe', { limit: 0 })).length).toBe(1);
  });

  it('scores greetings and chit-chat low', async () => {
    for (const q of ['你好', 'hello', 'thanks!', '好的', 'ok', '谢谢']) {
      const [top] = await index.search(q, { limit: 1 });
      expect(top?.score ?? 0, q).toBeLessThan(0.2);
    }
    for (const q of ['今天天气怎么样', 'good morning', 'continue']) {
      const [top] = await index.search(q, { limit: 1 });
      expect(top?.score ?? 0, q).toBeLessThan(0.4);
    }
  });

  it('reflects removals and updates at once', async () => {
    const target = byName('government-report-writing-policy', 'user:u37');
    await index.remove([target.id]);
    expect(ids(await index.search('写政府报告', { userId: 'u37', limit: 20 }))).not.toContain(target.id);
    await index.upsert([{ ...target, name: '政府报告 zebra-unicorn 写作' }]);
    const hits = await index.search('zebra unicorn', { userId: 'u37', limit: 1 });
    expect(hits[0]?.skill.id).toBe(target.id);
    await index.upsert([target]);
  });

  it('held-out triggers: English and Chinese phrasings find their skill', async () => {
    // Like bench/quality.ts, on this subset: remove one trigger, query with it.
    // All as library skills so that scope `all` without a user sees every skill.
    const shared = bank.map((s) => ({ ...s, owner: 'library:bank' as const }));
    const { cases, skills } = buildHeldOut(shared, 42, 40);
    const heldOut = new SkillIndex({ embedder: new LocalEmbedder() });
    await heldOut.upsert(skills);
    const m = await evaluate(cases, productRanker(heldOut));
    expect(m.en.n).toBe(40);
    expect(m.zh.n).toBe(40);
    expect(m.en.hit5).toBeGreaterThanOrEqual(0.85);
    expect(m.zh.hit5).toBeGreaterThanOrEqual(0.85);
    expect(m.en.mrr).toBeGreaterThan(0.7);
    expect(m.zh.mrr).toBeGreaterThan(0.7);
  }, 120_000);
});

describe('SkillIndex basics (no bank needed)', () => {
  const mk = (id: string, owner: Skill['owner'], name: string, description: string, tags: string[] = []): Skill => ({
    id,
    slug: id,
    name,
    description,
    instructions: '',
    triggers: [],
    tags,
    examples: [],
    version: '0.1.0',
    owner,
    resources: [],
    metadata: { team: id === 'a' ? 'red' : 'blue' },
  });

  it('returns nothing for empty queries or an empty index, and treats `library` as `common`', async () => {
    const idx = new SkillIndex({ embedder: new LocalEmbedder({ dimensions: 64 }) });
    expect(await idx.search('anything')).toEqual([]);
    await idx.upsert([mk('a', 'user:alice', 'email writer', 'writes emails'), mk('b', 'library:x', 'email checker', 'checks emails')]);
    expect(await idx.search('   ')).toEqual([]);
    const lib = await idx.search('email', { scope: 'library' as never, userId: 'alice' });
    expect(ids(lib)).toEqual(['b']);
    const meta = await idx.search('email', { userId: 'alice', filters: { metadata: { team: 'red' } } });
    expect(ids(meta)).toEqual(['a']);
  });
});
