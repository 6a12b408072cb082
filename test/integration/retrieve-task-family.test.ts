/**
 * A rule learned while doing one kind of task reaches later requests of that kind that share no
 * word with it ("I need a python helper…" after a rule learned on a SQL query), through the SDK's
 * turn retrieval; requests of another kind do not get it (issue #12, generalisation).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';

let dir: string;
let sdk: AutoSkill;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-family-'));
  sdk = await AutoSkill.open({ storeDir: dir });
});
afterAll(async () => {
  await sdk.close();
  await rm(dir, { recursive: true, force: true });
});

async function learn(userId: string, request: string, rule: string): Promise<void> {
  const { job } = await sdk.turns.extractNow(
    [
      { role: 'user', content: request },
      { role: 'assistant', content: 'Here it is.' },
      { role: 'user', content: rule },
    ],
    { userId, wait: true },
  );
  expect(job.state).toBe('completed');
}

const injected = async (userId: string, content: string) =>
  (await sdk.retrieveForTurn([{ role: 'user', content }], { userId })).context?.included.map((i) => i.name) ?? [];

describe('task family', () => {
  test('a code rule reaches code requests in other words, in English', async () => {
    await learn('fam-en', 'Write a SQL query that counts orders per customer.', 'For code, always add comments that explain why, not what.');
    for (const q of ['I need a python helper to parse ISO 8601 dates.', 'Implement a debounce function in JavaScript.', 'refactor this script so it reads the file once']) {
      expect(await injected('fam-en', q), q).toHaveLength(1);
    }
    for (const q of ['Write a haiku about the sea.', 'What is the capital of Peru?', 'Plan a weekend in Lisbon.']) {
      expect(await injected('fam-en', q), q).toEqual([]);
    }
  });

  test('and in Chinese', async () => {
    await learn('fam-zh', '帮我写一个统计每个客户订单数的SQL', '以后写代码都要加中文注释');
    for (const q of ['用JavaScript实现一个防抖函数', '帮我写个函数判断字符串是不是回文']) {
      expect(await injected('fam-zh', q), q).toHaveLength(1);
    }
    for (const q of ['写一首关于大海的诗', '秘鲁的首都是哪里']) expect(await injected('fam-zh', q), q).toEqual([]);
  });

  test('only for the user who taught it', async () => {
    expect(await injected('someone-else', 'I need a python helper to parse ISO 8601 dates.')).toEqual([]);
  });
});

describe('a learned task rule stays with its task', () => {
  test('the same word in another sense does not bring it; a typo of the task still does', async () => {
    await learn('fam-report', 'Write a report on the global tea market.', "Don't hallucinate, and cite sources for my reports.");
    for (const q of ['How do I report a bug on GitHub?', "My kid's school report card says 'needs improvement in reading'."]) {
      expect(await injected('fam-report', q), q).toEqual([]);
    }
    for (const q of ['Can u do a reprot on cotton prices', 'Write my weekly update: shipped search, caching next.']) {
      expect(await injected('fam-report', q), q).toHaveLength(1);
    }
  });

  test('in Chinese too', async () => {
    await learn('fam-report-zh', '写一份关于全球茶叶市场的报告', '不要编造数据，我的报告都要注明来源');
    for (const q of ['怎么在GitHub上报告一个bug？', '孩子成绩报告单上写着阅读需加强，在家怎么帮他？']) {
      expect(await injected('fam-report-zh', q), q).toEqual([]);
    }
    expect(await injected('fam-report-zh', '写一份越南大米出口的报告')).toHaveLength(1);
  });
});
