import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { defaultBackground } from '../../src/engine/index/background.js';
import { tokenize } from '../../src/engine/index/tokenize.js';
import { correctWord, prepareChineseTypos, typoTerms, withCorrections } from '../../src/engine/retrieve/spelling.js';

describe('query typo correction', () => {
  // tokenizer terms are stemmed: a vocabulary of stems, as the background table holds
  const vocab = (words: Record<string, number>) => {
    const df = new Map(Object.entries(words).map(([w, n]) => [tokenize(w)[0]!, n]));
    return { docFreq: (t: string) => df.get(t) ?? 0 };
  };
  const dictionary = (...words: string[]) => (w: string) => words.includes(w);

  test('one edit away: transposition, deletion, insertion, substitution; the most common word wins', () => {
    const v = vocab({ report: 248, email: 100, summary: 341, translate: 500, repost: 12 });
    const isWord = dictionary('report', 'email', 'summary', 'translate', 'repost');
    expect(correctWord('reprot', v, isWord)).toBe('report'); // transposition
    expect(correctWord('emaill', v, isWord)).toBe('email'); // deletion
    expect(correctWord('sumary', v, isWord)).toBe('summary'); // insertion
    expect(correctWord('translete', v, isWord)).toBe('translate'); // substitution
    expect(correctWord('repoxt', v, isWord)).toBe('report'); // both one substitution away: 248 beats "repost" (12)
  });

  test('real words, short words, rare corrections and non-letters are left alone', () => {
    const v = vocab({ report: 248, plan: 900, orbit: 4, slider: 50 });
    const isWord = dictionary('report', 'plan', 'orbit', 'slider', 'spider');
    expect(correctWord('report', v, isWord)).toBeUndefined();
    expect(correctWord('spider', v, isWord)).toBeUndefined(); // an English word, though no skill uses it
    expect(correctWord('plas', v, isWord)).toBeUndefined(); // under five letters: too many real words one edit away
    expect(correctWord('zorbit', v, isWord)).toBeUndefined(); // "orbit" is too rare to be what was meant
    expect(correctWord('rep0rt', v, isWord)).toBeUndefined();
  });

  test('on the shipped background table and the English word list', () => {
    const bg = defaultBackground();
    expect([...typoTerms('Can u do a reprot on cotton prices', bg)]).toEqual([[tokenize('reprot')[0], tokenize('report')[0]]]);
    expect([...typoTerms('transalte this email', bg)]).toEqual([[tokenize('transalte')[0], tokenize('translate')[0]]]);
    // everyday words no skill uses are words, not typos
    expect(typoTerms('how many legs does a spider have? is raw cookie dough safe? should I wear a jacket?', bg).size).toBe(0);
  });

  test('the correction joins the query terms; the typo stays, at a quarter weight', () => {
    const q = withCorrections(new Map([['reprot', 1], ['cotton', 1]]), new Map([['reprot', 'report']]));
    expect([...q]).toEqual([['reprot', 0.25], ['cotton', 1], ['report', 1]]);
    const same = new Map([['cotton', 1]]);
    expect(withCorrections(same, new Map())).toBe(same);
  });
});

describe('a learned skill is reached through a typo (SDK, 1-skill store)', () => {
  test.each([
    ['Can u do a reprot on cotton prices', 'report'],
    ['pls write a sumary of this meeting', 'summary'],
  ])('%s', async (query, topic) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-typo-'));
    const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
    try {
      await sdk.upsert(
        { name: `${topic}-rules`, description: `Use when writing a ${topic}: cite sources, never invent facts.`, instructions: `- Cite a source for every claim in a ${topic}.\n- Never invent facts.`, triggers: [`write a ${topic}`, topic] },
        { owner: 'user:alice' },
      );
      const hits = await sdk.search(query, { userId: 'alice' });
      expect(hits[0]?.skill.name).toBe(`${topic}-rules`);
      expect(hits[0]!.score).toBeGreaterThanOrEqual(0.5);
    } finally {
      await sdk.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a Chinese homophone typo of the task word (SDK, 1-skill store)', () => {
  test('写个越南大米出口的报高 reaches the report rule', async () => {
    await prepareChineseTypos();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-typo-zh-'));
    const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
    try {
      await sdk.upsert(
        { name: '报告-不编造', description: '在用户要求写报告时使用：不要编造事实，注明来源。', instructions: '- 不要编造事实。\n- 每个数据注明来源。', triggers: ['写报告', '报告', '周报'] },
        { owner: 'user:alice' },
      );
      const hits = await sdk.search('写个越南大米出口的报高', { userId: 'alice' });
      expect(hits[0]?.skill.name).toBe('报告-不编造');
      expect(hits[0]!.score).toBeGreaterThanOrEqual(0.5);
    } finally {
      await sdk.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
