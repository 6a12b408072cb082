/**
 * The turn pipeline's parts: the first-turn rule cue (EN and ZH phrasings written for this test,
 * not taken from web_sessions), the per-turn retrieval cache, the policy applied through
 * `sdk.turns.learn`, user resolution, and the report marking standing skills.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { statesRule } from '../../src/engine/learn/rule-cue.js';
import { withApplies } from '../../src/engine/skill/standing.js';
import { TurnCache } from '../../src/engine/turn/cache.js';
import { TurnReportSchema } from '../../src/engine/turn/report.js';
import { resolveUser } from '../../src/engine/turn/user.js';
import { tempStoreDir } from '../helpers/adapter-fixtures.js';

const RULE_EN = [
  'From now on answer in plain text. What is BM25?',
  'Going forward, keep every answer under 100 words.',
  'Always reply in British English, please. How do I boil an egg?',
  "Don't use bullet points in your replies.",
  'Never invent citations. Summarize the attached paper.',
  'Please stick to metric units. How far is Paris from Lyon?',
  'In future, address me as Dr. Lee.',
  'Stop adding emojis to everything.',
  'Remember that I prefer short answers.',
  'Make sure every code sample has type hints. Write a CSV parser in Python.',
  'Only answer in Spanish from here on.',
  'Next time, put the summary first.',
  'Avoid jargon when you explain things to me.',
  'I prefer tables over long paragraphs.',
  'Do not apologize in your answers.',
  'Each time you write SQL, use uppercase keywords.',
  'You must include a source for each number.',
  'No more markdown headings, please.',
  'Respond with plain text only.',
  'One more thing: keep reports to one page.',
  "I'd like all answers in plain text from here.",
  'Keep answers short, I hate long replies.',
  'Use British spelling in everything you write for me.',
  'Reply in Chinese.',
];
const RULE_ZH = [
  '以后回答都不要用表情符号。今天天气怎么样？',
  '从现在开始，所有回答都用中文。',
  '今后写周报控制在三百字以内。',
  '请用表格列出要点，谢谢。',
  '不要编造数据，帮我写一份市场分析。',
  '每次回答都先给结论。',
  '记住：我喜欢简短的回答。',
  '务必注明出处。',
  '回答必须使用正式语气。',
  '别再用那么多感叹号了。',
  '以后报告控制在800字以内。',
  '每份报告都要有摘要。',
  '只写要点，不用展开。',
  '禁止使用网络流行语。',
  '总是用简体中文回答我。',
  '千万别用英文缩写，一律写全称。',
  '往后代码都加上注释。',
  '下次翻译保留原文的段落结构。',
  '避免使用被动语态。',
  '所有回答都不要超过五句话。',
  '我希望你的回答都简洁些。',
  '写的时候别太啰嗦。',
  '麻烦以后都用英文回复',
];
const PLAIN_EN = [
  'What is BM25?',
  'Write a short report about solar power adoption in Europe.',
  'How far is the Moon from the Earth?',
  'Summarize this article about tides.',
  'Translate "good morning" into French.',
  'Give me three ideas for a birthday party.',
  'Explain how a hash map works.',
  'What time zone is Tokyo in?',
  'Draft an email inviting the team to lunch on Friday.',
  'Write a haiku about autumn leaves.',
  'Compare Python and Go for web servers.',
  'Plan a three-day trip to Rome.',
  'Who wrote Pride and Prejudice?',
  'Convert 30 degrees Celsius to Fahrenheit.',
  'List the planets of the solar system.',
];
const PLAIN_ZH = [
  '今天天气怎么样？',
  '帮我写一份周报。',
  '解释一下什么是向量数据库。',
  '北京到上海有多远？',
  '给我推荐三本科幻小说。',
  '把这段话翻译成英文：你好，世界。',
  '写一首关于春天的诗。',
  '怎么做红烧肉？',
  '总结一下这篇文章的要点。',
  '帮我规划一次去成都的旅行。',
];

describe('first-turn rule cue', () => {
  test('finds the stated rule in English and Chinese first messages', () => {
    expect(RULE_EN.filter((t) => !statesRule(t))).toEqual([]);
    expect(RULE_ZH.filter((t) => !statesRule(t))).toEqual([]);
  });

  test('a plain first request carries no cue', () => {
    expect(PLAIN_EN.filter(statesRule)).toEqual([]);
    expect(PLAIN_ZH.filter(statesRule)).toEqual([]);
  });
});

describe('TurnCache', () => {
  test('serves the same turn, bounded in age and size; a refused or failed value is not kept', async () => {
    let now = 0;
    const cache = new TurnCache<number>({ maxEntries: 2, ttlMs: 100, now: () => now });
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.get('a', compute)).toEqual({ value: 1, hit: false });
    expect(await cache.get('a', compute)).toEqual({ value: 1, hit: true });
    now = 101;
    expect(await cache.get('a', compute)).toEqual({ value: 2, hit: false });
    await cache.get('b', compute);
    await cache.get('c', compute);
    expect(cache.size).toBe(2);
    expect((await cache.get('a', compute)).hit).toBe(false);
    expect((await cache.get('x', compute, () => false)).hit).toBe(false);
    expect((await cache.get('x', compute)).hit).toBe(false);
    await expect(cache.get('y', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await cache.get('y', compute)).hit).toBe(false);
  });

  test('concurrent lookups of one turn share one computation', async () => {
    const cache = new TurnCache<number>();
    let calls = 0;
    const slow = () => new Promise<number>((r) => setTimeout(() => r(++calls), 10));
    const [a, b] = await Promise.all([cache.get('k', slow), cache.get('k', slow)]);
    expect([a.value, b.value, calls]).toEqual([1, 1, 1]);
    expect([a.hit, b.hit].sort()).toEqual([false, true]);
  });
});

test('resolveUser: explicit > the request resolver > the default; a malformed id is an error', () => {
  expect(resolveUser({ explicit: 'a', fromRequest: () => 'b', fallback: 'c' })).toEqual({ ok: true, userId: 'a' });
  expect(resolveUser({ fromRequest: () => 'b', fallback: 'c' })).toEqual({ ok: true, userId: 'b' });
  expect(resolveUser({ fromRequest: () => undefined, fallback: 'c' })).toEqual({ ok: true, userId: 'c' });
  expect(resolveUser({})).toEqual({ ok: true, userId: 'default' });
  expect(resolveUser({ explicit: 42 })).toEqual({ ok: true, userId: '42' });
  expect(resolveUser({ explicit: { id: 1 } }).ok).toBe(false);
  expect(resolveUser({ explicit: '  ' }).ok).toBe(false);
  expect(
    resolveUser({
      fromRequest: () => {
        throw new Error('no header');
      },
    }),
  ).toEqual({ ok: false, error: 'getUserId failed: no header' });
});

describe('sdk.turns', () => {
  let sdk: AutoSkill;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const tmp = await tempStoreDir('turn-pipeline');
    cleanup = tmp.cleanup;
    sdk = await AutoSkill.open({ storeDir: tmp.dir, retrieval: { minScore: 0 } });
  });
  afterEach(async () => {
    await sdk.close();
    await cleanup();
  });

  const report = {
    name: 'Report writing with citations',
    description: 'Write reports that cite a source for every claim.',
    instructions: '# Goal\nWrite reports.\n\n# Constraints & Style\n- Cite a source for every claim.',
    triggers: ['write a report', 'draft a report'],
  };

  test('the steps of one tool loop share one retrieval; a new user message searches again', async () => {
    const skill = await sdk.upsert(report, { owner: 'user:u1' });
    await sdk.settled();
    // Every search of a turn goes through the facade's public `search`; count the calls.
    const search = vi.spyOn(sdk, 'search');
    const searches = () => search.mock.calls.length;
    const first = [{ role: 'user', content: 'Write a report about wind power in Denmark.' }];
    const step2 = [...first, { role: 'assistant', content: 'calling lookup' }, { role: 'tool', content: 'Denmark: 54% wind' }];
    const a = await sdk.turns.retrieve(first, { userId: 'u1' });
    const b = await sdk.turns.retrieve(step2, { userId: 'u1' });
    expect([a.cached, b.cached]).toEqual([false, true]);
    expect(b.context?.text).toBe(a.context?.text);
    expect(searches()).toBe(1);
    // counted once per turn, not once per step
    expect(sdk.retrieval.usage({ userId: 'u1' }, skill.id)).toMatchObject({ retrieved: 1, injected: 1 });
    const c = await sdk.turns.retrieve([...step2, { role: 'assistant', content: 'done' }, { role: 'user', content: 'Now one about solar.' }], { userId: 'u1' });
    expect(c.cached).toBe(false);
    expect(searches()).toBe(2);
    // a skill written meanwhile reaches the very next lookup, even of the same turn
    await sdk.upsert({ ...report, name: 'Report writing, edited' }, { owner: 'user:u1' });
    await sdk.settled();
    const d = await sdk.turns.retrieve(step2, { userId: 'u1' });
    expect(d.cached).toBe(false);
    expect(d.context?.text).toContain('Report writing, edited');
    // another user's change leaves this user's turns cached
    const e = await sdk.turns.retrieve(step2, { userId: 'u1' });
    expect(e.cached).toBe(true);
    await sdk.upsert({ ...report, name: 'Someone else' }, { owner: 'user:u9' });
    await sdk.settled();
    expect((await sdk.turns.retrieve(step2, { userId: 'u1' })).cached).toBe(true);
    // another user, or other settings, is another turn
    expect((await sdk.turns.retrieve(first, { userId: 'u2' })).cached).toBe(false);
    expect((await sdk.turns.retrieve(first, { userId: 'u1', topK: 1 })).cached).toBe(false);
  });

  test('the report marks standing skills (no score) apart from retrieved ones, and validates', async () => {
    const task = await sdk.upsert(report, { owner: 'user:u1' });
    const standing = await sdk.upsert(
      { name: 'Plain text answers', description: 'Answer in plain text.', instructions: 'Answer in plain text, no markdown.', metadata: withApplies({}, 'always') },
      { owner: 'user:u1' },
    );
    await sdk.settled();
    const r = await sdk.turns.retrieve([{ role: 'user', content: 'Write a report about tides.' }], { userId: 'u1' });
    const out = TurnReportSchema.parse(sdk.turns.report({ userId: 'u1', retrieval: r }));
    const byId = new Map(out.skills.map((s) => [s.id, s]));
    expect(byId.get(standing.id)).toMatchObject({ standing: true, score: null, name: 'Plain text answers' });
    expect(byId.get(task.id)).toMatchObject({ standing: false, score: expect.any(Number) });
    expect(out.extraction.status).toBe('not_scheduled');
  });

  test('learn: one policy for every surface (a plain first turn no, a first-turn rule yes, then every N turns)', async () => {
    const plain = await sdk.turns.learn([{ role: 'user', content: 'What is BM25?' }], { userId: 'u1', sessionId: 's' });
    expect(plain).toMatchObject({ status: 'not_scheduled', job_id: null });
    // an answer appended by the surface does not turn the first turn into a follow-up
    const withAnswer = await sdk.turns.learn(
      [
        { role: 'user', content: 'What is BM25?' },
        { role: 'assistant', content: 'A ranking function.' },
      ],
      { userId: 'u1', sessionId: 's' },
    );
    expect(withAnswer.status).toBe('not_scheduled');
    const rule = await sdk.turns.learn([{ role: 'user', content: '以后回答都不要用表情符号。今天天气怎么样？' }], { userId: 'u1', sessionId: 't' });
    expect(rule).toMatchObject({ status: 'scheduled', job_id: expect.any(String), reason: 'first turn states a rule' });
    const convo = [
      { role: 'user', content: 'What is BM25?' },
      { role: 'assistant', content: 'A ranking function.' },
    ];
    const every2 = { userId: 'u1', sessionId: 'n', mode: 'auto' as const, turnLimit: 2 };
    const second = await sdk.turns.learn([...convo, { role: 'user', content: 'And TF-IDF?' }], every2);
    const third = await sdk.turns.learn([...convo, { role: 'user', content: 'And TF-IDF?' }, { role: 'assistant', content: '…' }, { role: 'user', content: 'Thanks.' }], every2);
    expect([second.status, third.status]).toEqual(['not_scheduled', 'scheduled']);
    expect(await sdk.turns.learn(convo, { userId: 'u1', learn: false })).toMatchObject({ status: 'disabled' });
    await sdk.jobs.idle();
  });
});
