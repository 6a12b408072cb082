/**
 * The offline extractor on forms a held-out red-team set (red-team-16: kinds of work none of the
 * earlier sets used) found missing, said here in other words: a norm introduced by "when you <do
 * the work>:", "anything for <a place>, …", a scope said before its rules ("you do this with
 * everything"), "<kind>的东西，要…", "<做某事>给我N个就行"; a kind asked for after the context
 * that names another ("…烘焙小店，帮我起几个店名"); and kinds that are cases of broader ones (a
 * regex is code, a cover letter is a letter, a study plan is a plan).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { familyOfRequest } from '../../src/engine/learn/task-family.js';
import { prepareChineseTypos } from '../../src/engine/retrieve/spelling.js';
import { expectStanding, expectTaskRule, learnOffline as learn } from '../helpers/offline-learn.js';

beforeAll(() => prepareChineseTypos());

describe('task rules said in forms the gate did not read', () => {
  test.each([
    ['Can you draft a few slides on our Q3 numbers?', 'when you put together a deck: one message per slide, and each title states the conclusion', 'slides', /one message per slide/],
    ['Write a LinkedIn post about my new job.', 'the emoji-per-line style makes me cringe. Everything for LinkedIn: plain paragraphs, two hashtags max.', 'social-post', /two hashtags/],
    ['I need a regex for IPv4 addresses.', "fine. I paste these into JavaScript so give them as JS literals and show two strings that shouldn't match", 'regex', /JS literals/],
    ['Write a cover letter for a barista job at a local cafe.', 'way too stiff. for cover letters, open with one real thing I did and stay under 200 words', 'cover-letter', /200 words/],
    ['Explain how to play Uno to my kids.', 'when I ask you to explain a game, first say how you win, then one turn, then the rest', 'game-rules', /how you win/],
    ['帮我给新开的奶茶店起个名字。', '一下给了十几个，看花眼了。起名字给我三个就够，每个说一下寓意。', 'naming', /三个就够/],
    ['帮我写个投诉，快递把我的东西弄丢了。', '太激动了。帮我写投诉这类东西，要按时间、经过、诉求来写，语气平和。', 'complaint', /诉求/],
    ['帮我做个考教资的复习计划。', '排得太满了。以后排学习计划，工作日只排一小时，周末三小时。', 'study-plan', /一小时/],
  ])('%s / %s', expectTaskRule);
});

describe('a scope said before the rules makes them standing', () => {
  test.each([
    ['How do vaccines work?', 'You do this with basically every answer: three paragraphs of warm-up. Get to the point in the first line, details after.'],
    ['周末去哪儿玩比较好？', '每次回答都是这样，铺垫一大堆。直接说结论，理由放后面。'],
  ])('%s / %s', expectStanding);
});

describe('the kind of work a request asks for', () => {
  test.each([
    // asked for after the context that names another kind
    ['我开了家小面馆，帮我想几个店名', 'naming'],
    // a broad kind asked for does not override the specific one said first
    ['五一去成都玩三天，帮我规划一下', 'trip'],
    ['What pattern would catch a US zip code?', 'regex'],
    ['How should I study for the GRE in two months?', 'study-plan'],
    ["I'm selling my old couch on Facebook Marketplace, can you write the ad?", 'sale-listing'],
    ['Need the letter that goes with my application for a library job.', 'cover-letter'],
    ['Teach me Catan so I can run it for my friends.', 'game-rules'],
    ['我想打12345反映一下小区噪音，帮我组织下语言', 'complaint'],
    ['侄女满月，发红包的时候留言写点什么好？', 'greeting-card'],
  ])('%s → %s', (request, key) => {
    expect(familyOfRequest(request)?.key).toBe(key);
  });

  test.each([
    // regularisation is not a regex
    ['正则化怎么防止过拟合？', 'regex'],
    // a game to buy is not a game's rules
    ['Recommend a board game for four adults.', 'game-rules'],
    // haggling with a seller is not a listing of one's own
    ['help me haggle with a guy selling a bike on craigslist', 'sale-listing'],
    // minutes to post in the group are minutes, not a notice
    ['把周会整理成会后发群里的那种纪要', 'invitation'],
  ])('%s is not %s', (request, key) => {
    expect(familyOfRequest(request)?.key).not.toBe(key);
  });
});

describe('kinds of work red-team-17 showed, said in other words', () => {
  test.each([
    ["Draft the 'Need' section of our grant to the county arts fund.", 'a bit fluffy — for any grant writing I do, lead with the number of people served and keep jargon out', 'grant', /number of people/],
    ["Write Priya's year-end review, she's a junior designer.", "When I'm writing reviews for my team, give one concrete example per point and a single goal for next year.", 'performance-review', /single goal/],
    ['Can you design the tables for a small recipe-sharing app?', 'ok but whenever you design tables for me use singular snake_case names and bigint ids', 'db-schema', /snake_case/],
    ['My take-home is $3,100, can you make me a monthly budget?', 'for budgets, put savings first and round to the nearest $10.', 'budget', /savings first/],
    ['帮我做个装修预算，两室一厅老房翻新。', '太粗了。以后做装修预算，分水电、泥瓦、木作几块列，每项写单价。', 'renovation-budget', /单价/],
    ['公众号这篇讲带娃露营，帮我起个标题。', '一个不够选。以后起标题给我三个备选，别用感叹号。', 'headline', /三个备选/],
  ])('%s / %s', expectTaskRule);

  test.each([
    ['Seeing a cardiologist next week about palpitations, help me prepare.', 'appointment-prep'],
    ['What should the app say when a password reset link has expired?', 'ui-copy'],
    ["Help me leave feedback on my colleague's pull request, it has no tests.", 'code-review'],
    ['Put together the estimate for repainting a garage door.', 'quote-estimate'],
    ['我这个分数能上哪些学校？河北物理类 590', 'college-choice'],
    ['知网查重这段标红了，帮我换个说法重写一下', 'rewording'],
    ['意外险条款写了高风险运动除外，滑雪摔伤能赔吗？', 'insurance'],
    ['店门口的小黑板今天写点什么？芒果特价', 'poster'],
  ])('%s → %s', (request, key) => {
    expect(familyOfRequest(request)?.key).toBe(key);
  });

  test('a rule said for everything stays the user\'s even when it names a kind of work in passing', () => {
    const c = learn('Is a heat pump worth it?', 'This goes for everything I ask you: the answer in the first line, and no recap of my question.');
    expect(c?.applies).toBe('always');
  });

  test.each([
    ['Write a toast for my brother\'s wedding.', 'ui-copy'],
    ['能不能换个说法，正常聊天那样说', 'rewording'],
  ])('%s is not %s', (request, key) => {
    expect(familyOfRequest(request)?.key).not.toBe(key);
  });
});

describe('common kinds named in passing (red-team-18 round)', () => {
  test.each([
    ['minutes pls\n\ncall w/ Acme, budget agreed, Jo owns the deck', 'summary'],
    ['every friday I send my manager a rundown of what I did that week, can you draft this one?', 'report'],
    ['what can I make for dinner with leeks and eggs', 'recipe'],
    ['we shipped dark mode today and I want to post about it on LinkedIn', 'social-post'],
    ['本科论文查重率太高了怎么降', 'rewording'],
    ['帮我写个论文摘要，研究的是城市内涝', 'paper'],
    ['这段帮我弄成英文：本合同一式两份', 'translation'],
    ['comments pls\n```py\ndef f(x): return x*2\n```', 'code'],
    ['周末去露营了，六张图，配个啥字好', 'social-post'],
    ['把这段群聊整理成会议记录发群里', 'summary'],
  ])('%s → %s', (request, key) => {
    expect(familyOfRequest(request)?.key).toBe(key);
  });

  test.each([
    ['Is a ball python a good first pet?', 'code'],
    ['Write a query letter to a literary agent.', 'code'],
    ['My PowerPoint file won\'t open, any idea why?', 'slides'],
    ['小红书账号被限流了怎么办', 'social-post'],
    ['英文缩写要么换成中文说法，要么加括号', 'translation'],
  ])('%s is not %s', (request, key) => {
    expect(familyOfRequest(request)?.key).not.toBe(key);
  });

  test('a time word before a rule is no kind of work ("之后这种出行安排，…")', () => {
    const c = learn('五一想去成都玩三天，帮我做个攻略', '太赶了，我带爸妈去。之后这种出行安排，每天最多两个地方，中午留时间休息。');
    expect(c?.family).toBe('trip');
  });
});

test('what a piece made someone feel is no kind of work ("makes me cringe")', () => {
  const c = learn('Write a tweet about our launch.', 'the hashtag spam makes me cringe. for tweets, one hashtag at most.');
  expect(c?.family).toBe('social-post');
  expect(c?.name).not.toMatch(/cringe/i);
});
