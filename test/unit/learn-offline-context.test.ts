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
import { expectStanding, expectTaskRule } from '../helpers/offline-learn.js';

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
