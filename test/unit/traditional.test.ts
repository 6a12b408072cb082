/**
 * Traditional Chinese (retrieve/traditional.ts): a preference written in traditional characters is
 * learned as its simplified twin would be, and a request in traditional characters finds skills
 * written in simplified ones. Text with no traditional-only character is left alone.
 */
import { describe, expect, test } from 'vitest';
import { OfflineExtractor } from '../../src/engine/learn/offline-extractor.js';
import { hasTraditional, prepareTraditional, toSimplified } from '../../src/engine/retrieve/traditional.js';
import { afterAnswer, useTempSdk } from '../helpers/feedback-turns.js';

const openSdk = useTempSdk('traditional-');
const extractor = new OfflineExtractor();
const learn = async (request: string, feedback: string) => (await extractor.extract({ messages: afterAnswer(request, feedback) })).candidate;

describe('preferences written in traditional characters', () => {
  test('a standing wish is learned as standing', async () => {
    const c = await learn('推薦幾本入門的經濟學書。', '我在台北，你給的是簡體字。之後回答都用繁體中文跟台灣的用語。');
    expect(c?.applies).toBe('always');
  });

  test('a report rule is bound to reports', async () => {
    const c = await learn('幫我寫一份關於電動車市場的報告。', '以後報告裡的數據都要註明來源，不要編造。');
    expect(c).toMatchObject({ applies: 'task', family: 'report' });
  });
});

describe('requests in traditional characters', () => {
  test('find a skill written in simplified characters', async () => {
    const sdk = await openSdk();
    await sdk.upsert({ name: '周报格式', description: '写周报时使用。', instructions: '按本周完成、下周计划、风险三块写。', triggers: ['写周报', '周报'] }, { owner: 'user:lin' });
    await sdk.settled();
    const hits = await sdk.search('幫我寫這週的週報', { userId: 'lin', scope: 'user' });
    expect(hits.map((h) => h.skill.name)).toContain('周报格式');
  });
});

test('text without traditional-only characters is left as it is', async () => {
  await prepareTraditional(['這是']);
  expect(hasTraditional('这是简体')).toBe(false);
  expect(toSimplified('这是简体，Write a report')).toBe('这是简体，Write a report');
  expect(toSimplified('這是繁體')).toBe('这是繁体');
});
