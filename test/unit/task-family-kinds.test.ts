import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { namesKind } from '../../src/engine/index/kind-match.js';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { kindOfRequest } from '../../src/engine/learn/request-kind.js';
import { familyOfRequest } from '../../src/engine/learn/task-family.js';
import { asksAboutWork } from '../../src/engine/retrieve/query-form.js';
import { afterAnswer } from '../helpers/feedback-turns.js';
import { openDriver, type Msg, type SurfaceDriver } from '../helpers/lifecycle-drivers.js';
import { injectedIn } from '../helpers/lifecycle.js';

const after = afterAnswer;

/**
 * Kinds of work people ask for in other words than the kind's name: a rule learned for one of
 * them must reach "what should we ask a candidate?" as well as "interview questions".
 */
describe('the kind of work a request asks for', () => {
  it.each([
    // interview questions, never one's own interview
    ['We are interviewing a data analyst on Monday, what should we ask?', 'interview'],
    ['questions I should ask applicants for a barista job', 'interview'],
    ['帮我出一套运营岗的笔试题', 'interview'],
    ['招个UI设计师，面试该问点什么', 'interview'],
    // study notes
    ['turn chapter 4 into revision notes', 'study-notes'],
    ['flashcards for my Spanish vocab quiz please', 'study-notes'],
    ['notes for my chemistry midterm on acids and bases', 'study-notes'],
    ['把这章的知识点整理一下，下周期末考', 'study-notes'],
    // trips, not plans in general
    ['Plan a 5 day trip to Vienna', 'trip'],
    ['two days in Porto, where should I go?', 'trip'],
    ['国庆想去青岛玩三天，帮我排一下', 'trip'],
    ['帮我安排一下桂林五日游', 'trip'],
    ['Write a project plan for the CRM migration', 'plan'],
    // social posts, not articles
    ['Instagram caption for a photo of my new puppy', 'social-post'],
    ['帮我配句话发朋友圈，今天第一次跑完半马', 'social-post'],
    ['写一篇小红书种草笔记，推荐一款防晒霜', 'social-post'],
    // invitations and notices
    ['send out an invite for the Friday design review', 'invitation'],
    ['起草一个周三下午消防演练的通知', 'invitation'],
    // complaints
    ['write a complaint letter to my landlord about the broken heater', 'complaint'],
    ['外卖洒了一半，我要投诉，帮我写一下', 'complaint'],
    // everyday work kinds, asked without their usual noun
    ['what could I call a budgeting app for students?', 'naming'],
    ['给双胞胎女儿想两个好听的名字', 'naming'],
    ['The recruiter offered 85k, I was hoping for 95k. what do I send back?', 'negotiation'],
    ['Here is my PR diff, can you look it over before I ask the team?', 'code-review'],
    ['Document GET /v1/customers/{id} for our developer portal.', 'api-docs'],
    ['I need five days of high-protein lunches I can prep on Sunday.', 'meal-plan'],
    ['We had a 3 hour outage because a certificate expired. Write up what happened.', 'postmortem'],
    ['电梯年检周四上午停运，写个公告贴电梯口', 'invitation'],
    ['新开的宠物医院，门头上写句什么标语比较好', 'slogan'],
    ['帮我看看这张化验单，血常规有几项偏高', 'medical-report'],
    ['帮我写一份体检报告的解读', 'medical-report'],
    ['Can you write a reference letter for my former intern?', 'letter'],
    ['孩子这道题怎么讲：鸡兔同笼', 'homework-help'],
    ['what should we watch tonight? something funny', 'watch-recs'],
    ['妈妈生日送什么好', 'gift'],
    ['midjourney prompt for a cozy cabin in the snow', 'image-prompt'],
    ['把这几条参考文献改成GB/T 7714格式', 'references'],
    ['公司年会的主持稿帮我写一下', 'host-script'],
    ['give me an NPC for a tavern in my campaign', 'characters'],
    ['add a Dockerfile for this Node app', 'code'],
    // the longer name wins: a year-end summary is a report
    ['帮我整理一下今年的年度个人总结', 'report'],
    // …when it ends with the other's word (its head): a speech's context that holds "年会…主持" is no kind of host script
    ['年会我来主持，帮我写一段开场的主持词', 'host-script'],
    ['要拍个探店短视频，帮我出个脚本', 'video-script'],
  ])('%s → %s', (request, family) => {
    expect(familyOfRequest(request)?.key).toBe(family);
  });

  it.each([
    'I have a job interview tomorrow, how do I calm down?',
    '明天去面试穿什么好',
    '朋友圈怎么设置三天可见',
    '邻居老投诉我家狗叫怎么办',
    'I spent three days in bed with the flu',
    'book two weeks in advance',
    'What should go in a code of conduct for an open source project?',
    'How do I register a business name in the UK?',
    'A coworker always seems to have a hidden agenda in meetings',
    '电脑蓝屏是怎么回事',
    '怎么关闭微信通知',
    'What is a relative clause?',
    '我该买什么手机',
    "How do I tell my family I don't want gifts this year?",
  ])('%s asks for none of them', (request) => {
    expect(['interview', 'social-post', 'complaint', 'trip', 'code', 'naming', 'agenda', 'text-reply', 'invitation', 'contract', 'shopping-list', 'gift']).not.toContain(familyOfRequest(request)?.key);
  });

  it.each([
    ["Who gave the 'I Have a Dream' speech?", true],
    ['When is the quarterly report due?', true],
    ['这首诗是谁写的？', true],
    ['周报什么时候交', true],
    ['Write a speech for my sister, who is graduating', false],
    ['When you write my reports, cite sources', false],
    ['帮我写个周报，什么时候交都行', false],
  ])('a who / when question asks about work, not for it: %s', (q, about) => {
    expect(asksAboutWork(q as string)).toBe(about);
  });
});

describe('a kind no family names is named by its own words', () => {
  it.each([
    ['kind:朋友圈文案', '发个朋友圈，今天拿到驾照了', true],
    ['kind:购物清单', '周末做火锅，列个购物清单', true],
    ['kind:packing-lists', 'what should be on my packing list for Iceland?', true],
    ['kind:packing-lists', 'how do I pack a suitcase?', false],
    ['kind:朋友圈文案', '文案怎么写', false],
    // the kind's words apart (ICU leaves 入职 as two characters: they are one word here)
    ['kind:入职清单', '新来的财务主管怎么安排入职？给我个清单', true],
    ['kind:心得体会', '写一篇学习体会，谈谈心得', true],
    ['kind:入职清单', '今天的购物清单', false],
    ['kind:朋友圈文案', '圈子里的朋友都说好', false],
    ['interview', 'interview questions', false],
  ])('%s in %s: %s', (family, query, named) => {
    expect(namesKind(family, query)).toBe(named);
  });
});

describe('through the engine: a rule about a kind of work reaches requests worded another way', () => {
  let dir: string;
  let sdk: AutoSkill;
  let d: SurfaceDriver;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-kinds-'));
    sdk = await AutoSkill.open({ storeDir: dir });
    d = await openDriver('sdk', sdk, 'Here you go.\n\n- one\n- two');
  });
  afterAll(async () => {
    await d.close();
    await sdk.close();
    await rm(dir, { recursive: true, force: true });
  });

  const learn = async (userId: string, turns: string[]): Promise<void> => {
    const convo: Msg[] = [];
    for (const text of turns) {
      convo.push({ role: 'user', content: text });
      await d.turn(userId, `${userId}-learn`, [...convo]);
      convo.push({ role: 'assistant', content: 'Here you go.\n\n- one\n- two' });
    }
    await d.flush(userId);
  };
  const taskSkillsFor = async (userId: string, request: string): Promise<number> =>
    injectedIn(sdk, (await d.turn(userId, `${userId}-${request}`, [{ role: 'user', content: request }])).text).task.length;

  it.each([
    ['interview questions', 'ivy', ['Give me interview questions for a backend engineer.', 'For every set of interview questions you write for me, add what a strong answer sounds like under each one.'], 'We are interviewing a data analyst on Monday, what should we ask them?', 'I have a job interview tomorrow, how do I calm my nerves?'],
    ['朋友圈', 'li', ['帮我写条朋友圈，周末去看海了', '太长了，以后朋友圈文案都控制在二十个字以内'], '晒一下新买的自行车，帮我配句话发朋友圈', '朋友圈怎么设置三天可见'],
    ['a question still asks for the kinds of work people ask for with questions (lab results)', 'mei', ['帮我看看体检报告：谷丙转氨酶68（参考0-40），其他都正常', '以后帮我看化验单、体检报告，先把超出参考范围的指标列出来，再说需不需要复查'], '我妈的血常规出来了：白细胞3.2，血红蛋白105，这严重吗', '体检前一天能喝咖啡吗'],
    // a request to make something that names no known kind: the skill's own evidence decides
    ['a request to make something, in words no family knows', 'quinn', ['Make a 10-question quiz on fractions for my 5th graders.', 'Whenever you write quiz questions for me, make them multiple choice with four options and put the answer key at the end.'], 'Can you make me some multiple choice for the test on photosynthesis?', 'my blood test came back, can you make sense of it?'],
    ['a question about a speech asks for none', 'sam', ['Write a best man toast for my brother.', 'Too long. Speeches for me should run under two minutes, with exactly one joke.'], 'Draft a retirement speech for my boss.', "Who gave the 'I Have a Dream' speech and when?"],
  ] as const)('%s', async (_name, userId, turns, later, unrelated) => {
    await learn(userId, [...turns]);
    expect(await taskSkillsFor(userId, later)).toBe(1);
    expect(await taskSkillsFor(userId, unrelated)).toBe(0);
  });
});

describe('the kind of work a request makes, when no family names it', () => {
  it.each([
    ['Write a short bio for my photography website.', 'bio'],
    ['Make me a meal plan for the week', 'meal plan'],
    ['Draft an essay outline on climate policy', 'essay outline'],
    ['帮我写一篇《小王子》的读后感，给我儿子', '读后感'],
    ['帮我拟个宿舍公约，四个人住', '宿舍公约'],
    ['make a list of fun facts', undefined],
    ['write it', undefined],
  ])('%s → %s', (request, kind) => {
    expect(kindOfRequest(request)).toBe(kind);
  });
});

describe('feedback about a kind of work in general is a rule about that kind', () => {
  it.each([
    ['Make a 10-question quiz on the solar system for my 6th graders.', 'great, my kids liked it. can you remember something: quizzes for my class always need the answer key on a separate page', 'quiz'],
    ['write a job description for a junior frontend developer', 'job posts I ask you for should have the salary range right up top', 'job-posting'],
    ['帮我写一个需求文档：给App加一个夜间模式', 'PRD里面要有“不做什么”这一节，还要写验收标准。', 'requirements'],
    ['上班迟到被抓了，领导让交检讨书，帮我写一份', '太卑微了吧，这类检讨你写清楚原因和改进措施就行，控制在800字以内', 'apology'],
    ['帮我写个读后感，《城南旧事》', '读后感别复述情节，以后都要联系孩子自己的生活', 'book-report'],
    ['帮我拟个宿舍公约，四个人住', '写得太官方了，以后都要口语一点，像室友之间商量', 'kind:宿舍公约'],
  ])('%s / %s → %s', (request, reply, family) => {
    const c = extractOffline({ userId: 'u', messages: after(request, reply) }).candidate;
    expect(c?.applies).toBe('task');
    expect(c?.family).toBe(family);
  });

  it('a scope said after a reason still widens the rule to everything: standing', () => {
    const c = extractOffline({ userId: 'u', messages: after('Write a short bio for my photography website.', 'Nice, but please stop using em dashes. People say it screams AI. Not in this, not in anything else you write for me.') }).candidate;
    expect(c?.applies).toBe('always');
  });

  it('a change asked of one answer becomes lasting when a later sentence says it goes for everything', () => {
    const c = extractOffline({ userId: 'u', messages: after('Write a short welcome message for my running club.', 'Could you drop all the exclamation marks? They sound fake to me. That goes for anything you write for me.') }).candidate;
    expect(c?.applies).toBe('always');
    expect(c?.instructions).toMatch(/exclamation/);
  });

  it('a profession is who the user is, not a kind of work: 程序员 names no code', () => {
    const c = extractOffline({ userId: 'u', messages: after('通货膨胀到底是怎么回事', '我是写后端的程序员，你以后给我讲什么东西都可以拿编程来打比方') }).candidate;
    expect(c?.applies).toBe('always');
  });

  it('a kind named as "这种X以后都…" binds the rule to it (心得体会 is a noun, not a clause)', () => {
    const c = extractOffline({ userId: 'u', messages: after('单位让每人交一篇安全培训的心得体会，帮我写一下', '这种心得体会以后都分三部分，每部分加个小标题') }).candidate;
    expect(c).toMatchObject({ applies: 'task', family: 'reflection' });
    const d = extractOffline({ userId: 'u', messages: after('帮我排个宿舍值日表，四个人', '这种值日表以后都按周排，每人负责的事写清楚') }).candidate;
    expect(d).toMatchObject({ applies: 'task', family: 'kind:值日表' });
  });

  it('who the user is, said with the rule, is about them everywhere', () => {
    const c = extractOffline({ userId: 'u', messages: after('二甲双胍的作用机制是什么', '我本身是内科医生，基础的东西不用解释，术语直接用就行') }).candidate;
    expect(c?.applies).toBe('always');
  });
});

describe('new report requests and standing wishes, worded freshly', () => {
  it.each([
    'I need a write-up on the state of the used car market.',
    'Compose a report summarizing the risks of rising sea levels for Miami.',
    '我需要一份关于人工智能对翻译行业影响的报告',
    '非洲之角干旱的情况，写成报告给我',
  ])('%s is a report', (request) => {
    expect(familyOfRequest(request)?.key).toBe('report');
  });

  it('a deliverable the rule scopes itself to binds it, after a standing-sounding clause', () => {
    const c = extractOffline({ userId: 'u', messages: after('帮我写一份咖啡出口的报告', '以后别编数据了，我的报告都要附参考文献') }).candidate;
    expect(c).toMatchObject({ applies: 'task', family: 'report' });
  });

  it.each([
    ['Report text is above.', 'Please stop with the bullet points in your replies, just write normal paragraphs.'],
    ['非洲最高的山是哪座', '所有回答都用繁体字'],
    ['帮我写一份咖啡出口的报告', '以后说话别那么正式，随意一点'],
  ])('%s / %s is standing', (request, reply) => {
    expect(extractOffline({ userId: 'u', messages: after(request, reply) }).candidate?.applies).toBe('always');
  });

  it('a unit is no kind of work: "limit each report to two pages" stays a report rule', () => {
    const c = extractOffline({ userId: 'u', messages: after('Write a report about ferry routes in Norway.', 'From here on, limit each report to two pages.') }).candidate;
    expect(c?.family).toBe('report');
  });
});
