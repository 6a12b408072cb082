/**
 * Feedback that states its preference indirectly, the forms a red-team set of common kinds of work
 * in uncommon words (red-team-18) found the gate missing, said here in other words: a standing
 * reason that makes the directives after it lasting ("my readers are retirees", "我们领导只看数字"),
 * what a previous assistant did, "everywhere, not just …", a complaint about every answer before
 * its fix, the user's own habit ("我平时发的都是…"), and how to address them; and the scope words
 * that must not make a task rule standing ("every time since March", "写得像朋友聊天那样").
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { prepareChineseTypos } from '../../src/engine/retrieve/spelling.js';
import { familyOfRequest } from '../../src/engine/learn/task-family.js';
import { expectStanding, expectTaskRule, learnOffline } from '../helpers/offline-learn.js';

beforeAll(() => prepareChineseTypos());

describe('a standing reason makes the directives after it lasting', () => {
  test.each([
    ['Write the intro for this month\'s newsletter.', 'My readers are mostly retirees reading on tablets. Short paragraphs, the main news first, no slang.', /Short paragraphs/],
    ['Write a bash script that renames all .jpeg files to .jpg.', "It works. My old assistant always added set -euo pipefail and a usage line at the top; I'd like that back.", /set -euo pipefail/],
    ['Write the SQL for monthly active users.', 'Our DBA rejects anything with SELECT *. List the columns you need and alias every table.', /alias every table/],
    ['帮我写个周报，这周做了三个需求。', '我们领导只看数字。每一项都得写完成了多少、还差多少。', /每一项都得/],
    ['帮我写条朋友圈，今天跑完半马了。', '太长了吧。我平时发的都是一句话，带点自嘲，别煽情。', /一句话/],
  ])('%s / %s', (request, feedback, text) => expectTaskRule(request, feedback, undefined, text));
});

describe('standing preferences said indirectly', () => {
  test.each([
    ['How heavy is a gallon of milk?', "Pounds mean nothing to me, I'm in Lyon. Kilograms and litres. Everywhere, not just for groceries."],
    ['Any tips for a first marathon?', "Every single answer of yours opens with 'Great question!'. Skip the compliment and start with the answer."],
    ['Should I repaint or wallpaper?', "My old assistant gave me its pick in the first line, then the reasons. That's how I want it, whatever I'm asking."],
    ['推荐几本书吧。', '能不能别老“您”“您”的，咱正常说话就行。'],
    ['周末去哪玩？', '每次开头都是“好的！这是个好问题”，开场白都省了，直接说。'],
    ['帮我列一下出差要带的东西。', '我一般都转到微信里看，所以别用加粗和井号，纯文字就行。'],
  ])('%s / %s', expectStanding);
});

describe('scope words that do not make a task rule standing', () => {
  test.each([
    ['Write an email to my landlord about the broken boiler.', "Too soft. I've reported it every time since March, so these need to list each date I reported it and ask for a written reply by Friday.", 'email'],
    ['帮我写篇小红书，推荐楼下新开的面馆。', '太像广告了，我粉丝都是冲我说实话来的，写得像朋友聊天那样，缺点也照实写。', 'social-post'],
    ['帮我写个年会发言稿，三分钟左右。', '我要脱稿讲，所以要像平时说话那样，句子短一点，开头标上大概几分钟。', 'speech'],
  ])('%s / %s', (request, feedback, family) => expectTaskRule(request, feedback, family));
});

describe('red-team-19 round, said in other words', () => {
  test.each([
    ['Email the supplier asking to push the delivery to Friday.', 'The people I email are always busy. Lead with the ask in the first line and put dates in a short list.', 'email'],
    ['Plan three days in Porto for me and my dad.', "He's 81 and uses a walker. Any trip I plan with him: one sight a day, and say where the lifts are.", 'trip'],
    ['My blender from Argos died after two months, help me write to them.', "Too polite. I'm in the UK: whenever I'm writing to a company about a faulty product, cite the Consumer Rights Act and give them 14 days.", 'complaint'],
    ['What wine goes with roast chicken?', "Too pricey. From now on when I ask for a pairing, keep it under £10 and add one alcohol-free option.", 'drink-pairing'],
  ])('%s / %s', (request, feedback, family) => expectTaskRule(request, feedback, family));

  test.each([
    ['Who wrote the first cookbook?', "That turned out to be disputed. If something is uncertain or contested, say so and how sure you are."],
    ['Is oat milk healthy?', "Why does every answer start with 'Great question'? Skip the compliment and start with the answer."],
    ['推荐几部老电影。', '别一口一个「您」的，叫我小林就行，随意点。'],
  ])('standing: %s / %s', expectStanding);

  test.each([
    ['we\'re thinking Lisbon in May, what would 4 days look like?', 'trip'],
    ['the lamp I ordered arrived cracked and the shop keeps ignoring me, what do I send them', 'complaint'],
    ['Red or white with a mushroom risotto?', 'drink-pairing'],
    ['Could you write to the conference organisers and ask for an afternoon slot?', 'email'],
    ['What should the alt attribute say for a photo of our shop front?', 'alt-text'],
    ['need a quest seed for a level 3 party stuck in a haunted mill', 'rpg-hook'],
    ['can you draft the RCA for last night\'s login outage?', 'postmortem'],
  ])('%s → %s', (request, key) => {
    expect(familyOfRequest(request)?.key).toBe(key);
  });

  test('a plan document about an outing stays a plan ("团建方案，…去郊区玩一天")', () => {
    expect(familyOfRequest('部门团建方案，20个人，去郊区玩一天')?.key).toBe('plan');
  });

  test('a rule that forbids a kind of work names none ("no wine pairings")', () => {
    expect(learnOffline('Ideas for a birthday dinner?', "I'm sober, so leave alcohol out of anything you suggest: no wine pairings.")?.applies).toBe('always');
  });
});
