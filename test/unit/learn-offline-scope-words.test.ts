/**
 * The forms a red-team set of new kinds of work (red-team-20) found the gate and the scope rules
 * missing, said here in other words: a scope over every answer ("across the board", "whatever the
 * topic is", "你每回复我一次", "给我推荐的时候"), what the user needs said after the output ("what
 * would work better for us is …", "would it be possible to do these as …"), "anything you plan for
 * my class …", a class named at the head of a clause ("Any trip I plan with her: …"), a kind named
 * in passing inside feedback on another kind, a work word used as a noun ("a list of facts"), and
 * the request part that asks, over the material before it.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { prepareChineseTypos } from '../../src/engine/retrieve/spelling.js';
import { expectStanding, expectTaskRule, learnOffline } from '../helpers/offline-learn.js';

beforeAll(() => prepareChineseTypos());

describe('a scope over every answer makes a standing preference', () => {
  test.each([
    ['Should I rent or buy in Leeds?', "Less enthusiasm, please. I'd like a neutral tone from you across the board, and no exclamation marks."],
    ['Is it worth learning Rust this year?', 'Whatever I bring to you, point out the main risk before anything else.'],
    ['Which phone plan is better value?', "I skim on my phone. A one-line 'In short:' at the end would help me, whatever the topic is."],
    ['怎么挑牛油果？', '我在背单词，你每回复我一次，最后都附两个相关的英文单词和意思。'],
    ['为什么秋天叶子会变黄？', '跟我聊天就随意一点，别用一二三的格式列。'],
    ['听说吃胡萝卜能明显提高视力，给我讲讲原理？', '我问的东西有错的时候，先直接告诉我错在哪，不要顺着说。'],
    ['周末想看本书，推荐几本？', '你给了十本，太多了。给我推荐的时候最多两个，直接说你选哪个。'],
  ])('%s / %s', expectStanding);

  test('a scope clause names nothing: the directive after it names the skill', () => {
    const c = learnOffline('西瓜怎么挑？', '你每回复我一次，结尾都附上一句相关的英文谚语。');
    expect(c?.applies).toBe('always');
    expect(c?.name).not.toMatch(/每回复/);
  });
});

describe('what the user needs, said after the output, is a rule about that kind of work', () => {
  test.each([
    [
      'Here is what we covered in the sync: the launch date moved, Priya owns the pricing page. Can you write up the action items?',
      'Thanks. What would work better for us is a table with owner and due date, then open risks underneath.',
      /table with owner/,
    ],
    [
      'The export button on the billing page does nothing in Firefox. Can you write this up for the engineers?',
      'They sent it back. Would it be possible to do these as: browser and version first, then numbered steps, then expected and actual?',
      /numbered steps/,
    ],
  ])('%s / %s', (request, feedback, text) => expectTaskRule(request, feedback, undefined, text));

  test('"anything you plan for my class needs …" is a lasting rule, not a new request', () => {
    const c = learnOffline(
      'Can you put together a lesson plan on volcanoes for my Year 2 class?',
      'Nice ideas. Anything you plan for my class needs a hands-on activity every fifteen minutes.',
    );
    expect(c?.applies).toBe('task');
    expect(c?.instructions).toMatch(/hands-on activity/);
  });

  test('a class named at the head of a clause is the scope ("Any trip I plan with her: …")', () => {
    expectTaskRule('Plan two days in Ghent for me and my mum.', 'She has a bad hip. Any trip I plan with her: no more than two sights a day, and say where to sit down.', 'trip');
  });
});

describe('feedback on a kind of work stays with that kind', () => {
  test('a kind named in passing ("…a short story to open with") is part of the rule', () => {
    // a speech, not a story: the story is what the speech is built around
    expectTaskRule(
      "I'm giving a speech at my sister's wedding. Can you write me a speech for it?",
      "ok but it's basically a list of facts lol. the good ones are two minutes tops, built round one real story, and end by asking everyone to raise a glass.",
      'speech',
    );
  });

  test('the request is the part that asks, not the material before it', () => {
    const c = learnOffline(
      "Here's the rough running order of this week's episode of our cooking podcast: we talk sourdough at 2:00, reader questions at 25:00. Can you write the show notes?",
      "Too gushy. What would work best is a two-sentence summary, then the timestamps as a list. No hype words.",
    );
    expect(c?.applies).toBe('task');
    expect(c?.family).toBe('show-notes');
  });
});

describe('names and scope of what such feedback learns', () => {
  test('answers that go with the questions a rule shapes belong to the piece of work (an FAQ, a Q&A page)', () => {
    const c = learnOffline(
      'Write a Q&A page for our pottery studio: classes, kiln firing, refunds.',
      'Each question should be phrased the way a student would ask it, and every answer should start with a plain yes or no.',
    );
    expect(c?.applies).toBe('task');
  });

  test('a scope or a polite frame before the directive names nothing', () => {
    const a = learnOffline('Draft a schedule for our team offsite.', 'Too packed. Anything you schedule for my team needs to leave the afternoons free for walks.');
    expect(a?.name).not.toMatch(/anything|schedule for my team/i);
    const b = learnOffline('Which printer should I buy?', "I lose track in long replies. A one-line 'Next step:' at the end would fix that for me, whatever the question is.");
    expect(b?.applies).toBe('always');
    expect(b?.name).not.toMatch(/would fix|whatever/i);
  });
});

describe('"出X的时候…": the occasion of making a kind of piece, then what to do', () => {
  test.each([
    ['帮我编几个脑筋急转弯给孩子玩。', '编脑筋急转弯的时候答案统一放在最后，别太难，小学生能猜出来就行。', /答案统一放在最后/],
    ['帮我画个活动海报的草图说明。', '太花了。画海报的时候主标题不超过八个字，颜色最多三种。', /主标题不超过八个字/],
  ])('%s / %s', (request, feedback, text) => {
    const c = learnOffline(request, feedback);
    expect(c?.applies).toBe('task');
    expect(c?.instructions).toMatch(text);
    expect(c?.name).not.toMatch(/的时候/);
  });
});

describe('what the user has or does makes a polite wish after it lasting', () => {
  test.each([
    ['Which houseplants are easy for a dark flat?', "Sorry, I should have mentioned I've got a puppy who chews everything, so it'd help if you marked the ones that are poisonous to dogs.", /poisonous to dogs/],
    ['Make me a 40-minute running playlist.', 'I coach a beginners group, so I really need the tempo next to every song.', /tempo next to every song/],
  ])('%s / %s', (request, feedback, text) => {
    const c = learnOffline(request, feedback);
    expect(c).not.toBeNull();
    expect(c!.instructions).toMatch(text);
    expect(c!.name).not.toMatch(/should have|it'?d help/i);
  });
});
