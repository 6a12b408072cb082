/**
 * The offline extractor on phrasings a held-out red-team set found it missing (issue #12): rules
 * framed as questions after a greeting, "whenever you…", "any X you give me…", "in everything you
 * write", "for future reports", typos in the task word, reasons that name another task, and
 * one-off specifications that are no rule.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { fixChineseTypos, prepareChineseTypos } from '../../src/engine/retrieve/spelling.js';
import { expectStanding, expectTaskRule } from '../helpers/offline-learn.js';

function learn(...turns: string[]) {
  const messages = turns.flatMap((t, i) =>
    i < turns.length - 1 ? [{ role: 'user' as const, content: t }, { role: 'assistant' as const, content: 'Here you go.' }] : [{ role: 'user' as const, content: t }],
  );
  return extractOffline({ messages } as Parameters<typeof extractOffline>[0]).candidate;
}

beforeAll(() => prepareChineseTypos());


describe('learned, with the right scope', () => {
  test.each([
    ['Summarize this: the council met on Tuesday.', 'Whenever you summarize something for me, put a one-line TL;DR at the very top.', 'task', /summar/i, /TL;DR/],
    ['Translate this into Chinese: the pull request adds a container.', 'When you translate for me, leave technical terms like Kubernetes in English.', 'task', /translat/i, /Kubernetes/],
    ['Write a report on electric cars.', 'Thanks! For future reports, could you keep them under 600 words?', 'task', /report/i, /600 words/],
    ['Write a short bio for my website.', 'By the way, I want British spelling in everything you write for me.', 'always', /request|answer/i, /British spelling/],
  ])('%s / %s', (request, rule, applies, trigger, text) => {
    const c = learn(request, rule);
    expect(c?.applies).toBe(applies);
    expect(c!.triggers.some((t) => trigger.test(t))).toBe(true);
    expect(c!.instructions).toMatch(text);
  });

  test.each([
    ['Hi there, small favour: could you stop formatting your replies with markdown from now on?'],
    ['Could all of your future answers be plain text, without markdown?'],
    ['I paste your answers into emails, so please always write plain text.'],
  ])('a standing wish, as a question or with a reason naming another task: %s', (rule) => {
    const c = learn(rule);
    expect(c?.applies).toBe('always');
    expect(c!.instructions).not.toMatch(/^- (?:Hi|Could you)/m);
  });

  test.each([
    ['From now on, always use grams in recipes.', 'recipe'],
    ['Give me a recipe for pancakes.\n', 'recipe'],
    ['以后给我菜谱，用量都写克数。', '菜谱'],
  ])('a rule about a kind of thing is bound to it and found by it: %s', (rule, kind) => {
    const c = rule.endsWith('\n') ? learn(rule.trim(), 'any recipe you give me should use grams and millilitres please') : learn(rule);
    expect(c?.applies).toBe('task');
    expect(c!.triggers).toContain(kind);
  });

  test('a typo in the task word still files the rule under its task', () => {
    expect(learn('write a reprot on plastic bag bans', 'reprots under 600 words pls going forward')?.triggers).toContain('write a report');
    expect(learn('写一份限塑令的报高', '以后报高600字以内哈')?.name).toMatch(/^报告-/);
  });
});

describe('a rule said as a declaration of how a kind of work goes', () => {
  test.each([
    ["Help me write a toast for my sister's engagement party.", "When I'm writing anything I have to say out loud, I want short sentences and one personal story.", 'speech'],
    ['Draft this month\'s newsletter for our climbing gym.', 'Newsletters for me: no more than 300 words, and end with one link.', undefined],
    ['Write a short note to go with my portfolio.', 'Hmm, it reads like a legal contract. Keep these notes warm and under 100 words from now on.', undefined],
  ])('%s / %s', (request, rule, family) => {
    const c = learn(request, rule) as { applies?: string; family?: string } | null;
    expect(c?.applies).toBe('task');
    if (family) expect(c?.family).toBe(family);
    // a comparison says how it reads, not what it is
    expect(c?.family).not.toBe('contract');
  });
});

describe('a Chinese rule that opens with its topic is about that kind of work', () => {
  test.each([
    // the topic wins over other work named later in the rule, and over the request's topic
    // (开场白 is an opening speech: the speech family's)
    ['帮我写一段年会的开场白，我们是做物流的', '开场白以后都别超过三句话，也别提公司的合同纠纷', '发言稿'],
    ['帮我给孩子班主任留个言，说明天请假，顺便问下合同签了没', '给班主任的留言就两三句话，别太客套', '留言'],
    ['帮我给物业写个投诉，楼道灯坏了一个月了', '给物业的投诉信就直接列问题和诉求，不要带情绪', '投诉信'],
    // the piece named after "以后写", then the directive
    ['帮我给老师写一封感谢信，孩子毕业了', '太客套了，以后写感谢信别用那些套话，多写具体的小事', '感谢信'],
  ])('%s / %s', (request, rule, kind) => {
    const c = learn(request, rule);
    expect(c?.applies).toBe('task');
    if (kind) expect(c!.triggers).toContain(kind);
    expect(c!.triggers.some((t) => /合同|contract/.test(t))).toBe(false);
  });

  test.each([
    ['帮我写一篇关于春天的短文', '字数以后都控制在三百字以内'],
    ['帮我写一篇关于秋天的短文', '给出的例子要贴近生活'],
  ])('an aspect of the work is no kind of its own: %s / %s', (request, rule) => {
    expect(learn(request, rule)?.triggers ?? []).not.toContain('字数');
    expect(learn(request, rule)?.triggers ?? []).not.toContain('例子');
  });
});

describe('a wish scoped over every topic is standing, and said without the usual markers', () => {
  test.each([
    ['How far is it from Paris to Lyon?', "I'm in Ohio, so just give me miles and Fahrenheit whatever the topic is."],
    ['Write a caption for my beach photo.', 'Hey, stick to American spelling in whatever you write for me, thanks.'],
    ['Suggest a dinner menu for Friday.', "I'm in Toronto, so use Canadian dollars whatever we're talking about."],
    ['帮我推荐几个周末去的地方', '我对花粉过敏，跟户外有关的你都记着这点'],
    ['一部入门手机大概多少钱', '我在香港，你说到价格都直接给港币'],
    ['怎么给手机清理内存？', '别每句都“亲”“您”的，不管聊什么都随意一点就行'],
    ['帮我算算这个月的伙食费', '我住在吉隆坡，跟我聊钱都用令吉算'],
    // widened to everything after the rule, by a sentence of its own
    ['What does APR mean on a credit card?', "I have ADHD and walls of text lose me. Numbered steps, one idea each. That goes for everything you send me, honestly."],
    ['How do vaccines train the immune system?', 'Whenever something you say is a simplification, flag it as one. Applies to all my questions.'],
    ['周末带爸妈去哪儿吃饭好', '我爸有糖尿病，推荐什么都要考虑少糖，别的也一样'],
  ])('standing, and named after the rule: %s / %s', (request, rule) => {
    const c = learn(request, rule);
    expect(c?.applies).toBe('always');
    expect(c!.name).not.toMatch(/goes|applies|忘了说|别的也一样/i);
  });

  test('widened to a kind of work, it stays bound to that kind', () => {
    const c = learn('Write a limerick about my cat.', 'No rhymes with "hat" please. Applies to every poem you write for me.');
    expect(c?.applies).toBe('task');
  });

  test('a lead-in clause does not name the skill', () => {
    expect(learn('帮我安排一下五一去成都的行程', '忘了说，我腿脚不好，推荐什么都别安排爬山')?.name).not.toMatch(/忘了说/);
  });

  test('a place name is not a kind of work', () => {
    const c = learn('Write a note for the school bake sale.', "I'm in Brooks, so please keep the spelling Canadian in anything you write for me.");
    expect(c?.triggers ?? []).not.toContain('brook');
  });
});

describe('not learned', () => {
  test.each([
    ['Write a product description for a bamboo toothbrush, no more than 50 words.', 'Nice, thanks.'],
    ['写一首关于灯塔看守人的诗，这首不要押韵', '很好，正是我想要的'],
    ['不用鸡蛋的松饼怎么做', '我现在就去试试，多谢'],
  ])('a one-off specification or a question: %s', (...turns) => {
    expect(learn(...turns)).toBeNull();
  });
});

describe('Chinese homophone typos of task words', () => {
  test('are read as the word; real words that sound alike are not', () => {
    expect(fixChineseTypos('写个越南大米出口的报高')).toBe('写个越南大米出口的报告');
    expect(fixChineseTypos('帮我写周宝')).toBe('帮我写周报');
    for (const s of ['建立一个报告', '各式各样的东西', '今天的日报', '有件事想问你']) expect(fixChineseTypos(s)).toBe(s);
  });
});

describe('a sentence that points back at the rule said before it', () => {
  // the rule is what came before the pointer; the pointer adds the scope and, often, the kind of work
  test.each([
    ['Write a haiku about autumn.', 'Drop the title and put the syllable count after each line. That is how I want every haiku.', /syllable count/, /poem/i],
    ['Make a grocery list for the week.', 'Group it by aisle: produce, dairy, frozen. Same format for all my shopping lists.', /aisle/, /shopping/i],
    ['Draft an out-of-office message.', 'Give the return date and a backup contact first. Do that for every auto-reply.', /return date/, /out-of-office/i],
    ['I need a formula that adds column B where column A is empty.', 'My sheet is in French, so formulas need semicolons. Always give them to me that way.', /semicolons/, /formula/i],
    ['帮我写个会议通知。', '时间地点放最前面，参会人单独一行。以后写通知都这样。', /时间地点放最前面/, /通知/],
    ['帮我列个出差清单。', '按早中晚分开列，证件那一项放第一个。往后都照这个来。', /证件/, /清单/],
    ['帮我写首藏头诗。', '藏的字要放在每句第一个字，最后解释一下藏了什么，记住这个。', /每句第一个字/, /诗/],
  ])('%s / %s', (request, feedback, text, kind) => {
    const c = learn(request, feedback);
    expect(c?.applies).toBe('task');
    expect(c!.instructions).toMatch(text);
    expect(c!.name).toMatch(kind);
    // the pointer names nothing
    expect(c!.name).not.toMatch(/that is how|same format|do that|give them|都这样|照这个|记住这个/i);
  });

  test('a complaint that the answer is always like this points at no rule', () => {
    expect(learn('Write a cover note for my portfolio.', 'You always do it this way and it is too long.')).toBeNull();
  });
});

describe('scopes and kinds, said in passing', () => {
  test('"In code reviews <do this>" is a rule about code reviews', () => {
    const c = learn('Review this function for me.', 'Thanks. In code reviews label each comment as must-fix or optional.');
    expect(c?.applies).toBe('task');
    expect(c!.instructions).toMatch(/must-fix/);
  });

  test.each([
    ['Suggest a weekend plan.', "I'm vegan, so please keep meat out of any suggestions you give me, for anything."],
    ['帮我做个预算表。', '涉及钱的时候别用美元，一律用人民币。'],
  ])('a wish over every suggestion or topic is standing: %s', (request, rule) => {
    expect(learn(request, rule)?.applies).toBe('always');
  });

  test('a spreadsheet column is not a newspaper column', () => {
    const c = learn('I need a formula that sums column C where column A says "Paid".', 'Always use semicolons as separators in formulas.');
    expect(c?.family).not.toBe('article');
  });
});

describe('pointers and scopes said the way people say them (red-team-10 round)', () => {
  test.each([
    ['Write an announcement for the bake sale.', 'Every flyer I hand out needs the date, the place and a contact number. Please remember that for flyers.', 'task', /contact number/],
    ['Write unit tests for this parser.', 'One assertion per test, and name each test after the behaviour. That is how I want tests done in general.', 'task', /One assertion per test/],
    ['Plan a Saturday in Lisbon for us.', 'I should mention I use crutches. Keep that in mind whenever you suggest places or walks.', 'always', /crutches/],
    ['推荐几个周末的去处。', '忘了说，我对猫毛过敏。以后凡是跟出门有关的，都按这个来考虑哈。', 'always', /猫毛过敏/],
    ['推荐几个适合亲子的活动。', '补充一下，我家老人腿脚不好。你以后给我出主意的时候都记着这个。', 'always', /腿脚不好/],
  ])('%s / %s', (request, feedback, applies, text) => {
    const c = learn(request, feedback);
    expect(c?.applies).toBe(applies);
    expect(c!.instructions).toMatch(text);
  });

  test('"for quizzes I want…" is a rule about quizzes, said after praise', () => {
    const c = learn('Write 5 trivia questions about rivers.', 'Nice, but for quizzes I want true or false questions, with the answers at the end.');
    expect(c?.family).toBe('quiz');
    expect(c!.instructions).toMatch(/true or false/);
  });

  test('"跟我说话尽量全用中文" is a standing rule', () => {
    const c = learn('解释一下什么是哈希表。', '英文词太多了。跟我说话尽量全用中文，术语后面括号注英文。');
    expect(c?.applies).toBe('always');
    expect(c!.instructions).toMatch(/全用中文/);
  });

  test('a quotation in a rule names no kind of work', () => {
    const c = learn('Reply to this customer who got a broken mug.', "Don't say 'we apologize for any inconvenience'. When we reply to complaints, name what went wrong and give a date for the fix.");
    expect(c?.family).toBe('customer-reply');
  });

  test('"fix/ for bugs" inside a rule is no new request', () => {
    const c = learn('Give me a branch name for the search page. Ticket is APP-12.', 'no, I want them like type/ticket-short-desc, all lowercase, at most 4 words. fix/ for bugs, chore/ for maintenance.');
    expect(c?.family).toBe('branch-name');
  });
});

describe('common kinds, said plainly (red-team-11 round)', () => {
  test.each([
    ['Summarize these notes from the standup: API is late, Ana owns the fix.', 'When you summarize a meeting, start with the decisions, then the action items with an owner each.', 'summary', /decisions/],
    ['My JavaScript function returns undefined, here is the code: function f() { return; }', 'When I bring you a bug, first tell me what causes it in a sentence, then show only the lines to change.', 'code', /what causes it/],
    ['Give me a recipe for lentil soup.', 'Could you put the cooking time at the very top next time? And list the ingredients in the order I use them.', 'recipe', /cooking time/],
    ['帮我做个考驾照的学习计划。', '太理想了。学习计划要按我下班后的时间排，每周留一天机动。', 'study-plan', /下班后/],
  ])('%s / %s', expectTaskRule);

  test.each([
    ['Why do cats purr?', 'too long. in general just give me the short answer, two sentences.'],
    ['Suggest a menu for my birthday dinner.', "Nice, except I don't eat pork. Please keep that in mind any time food comes up."],
    ['我该不该换工作？', '看了半天没看到你的意见。我问问题的时候，你先直接给结论，再讲理由。'],
  ])('standing: %s / %s', expectStanding);

  test('a request whose content says "going forward" is a request, not a rule', () => {
    expect(learn('Write a note to my landlord saying the rent will go to the new account going forward.')).toBeNull();
  });
});

describe('what the red-team-9 to -11 rules must not take (held-out lifecycle phrasings)', () => {
  test.each([
    ['Write a summary of this article on tariffs.', 'Please make sure that every summary you write for me in the future starts with the conclusion.', 'task'],
    ['Draft a memo about the office move, and keep my memos under 300 words from now on.', 'ok', 'task'],
    ['What is a mutual fund?', 'Remember this for every chat: I only want short answers.', 'always'],
    ['解释一下什么是通胀。', '能不能以后都用中文回我？我看英文费劲', 'always'],
    ['写一份上季度销售的周报', '能不能以后周报都写上数据来源呀，领导按这个看的', 'task'],
  ])('%s / %s', (request, feedback, applies) => {
    expect(learn(request, feedback)?.applies).toBe(applies);
  });
});

describe('everyday kinds, and norms said without a marker (red-team-12 round)', () => {
  test.each([
    ['Write a commit message for: moved the cache into its own module.', 'Our team follows the Angular commit style, so each one needs a scope in brackets.', 'commit-message', /scope in brackets/],
    ['How do I list the files changed in the last day?', 'Thanks! For shell commands, could you always use the long options and comment each part?', 'shell-command', /long options/],
    ['My kitchen tap keeps dripping, how do I fix it?', 'List the tools first and put the safety step before step 1. Do it like that every time.', 'home-repair', /tools first/],
    ['Help my daughter with this one: 12 apples shared by 4 kids, how many each?', 'for her homework give hints and stop before the final answer', 'homework-help', /stop before the final answer/],
    ['Write blurbs for our three pizzas.', 'menu text for us = one line each, toppings only', 'menu-text', /one line each/],
    ['帮我写个请假条，明天去体检。', '请假条写明时间和原因就行，客套话都不要。', 'leave-request', /时间和原因/],
    ['帮我写段直播话术，卖茶叶。', '话术要分段标时间，开场、讲产品、逼单各写多久。', 'livestream', /分段标时间/],
    ['我家多肉怎么养？', '太笼统了。说养花就给具体数字，几天浇一次水、一次浇多少。', 'garden', /具体数字/],
    ['Excel里求和公式怎么写？', '给公式的时候顺便解释一下每个参数是干嘛的。', 'spreadsheet', /解释一下每个参数/],
  ])('%s / %s', expectTaskRule);

  test.each([
    ['When was the Eiffel Tower built?', "If you aren't sure about a date, just say so instead of guessing."],
    ['什么是区块链？', '别中英文夹着说，看着太累了。'],
    ['租房要注意什么？', '每次回答最后加一句话总结重点。'],
    ['公积金有什么用？', '说人话，别打官腔。'],
    ['Write a reply to this Yelp review: "Loved the tacos!"', "Thanks. Never say 'we apologize for any inconvenience' in anything you write for me."],
  ])('standing: %s / %s', expectStanding);

  test.each([
    ['Reply to this Google review: "Slow service but great coffee."', "Use the reviewer's first name and never say 'we apologize for any inconvenience'.", 'customer-reply'],
    ['Make me a vocabulary list of kitchen words for my Spanish class.', 'Each word needs its gender and one example sentence. Otherwise I cannot use it for flashcards.', 'vocab-list'],
  ])('a quotation or a consequence names no scope: %s', (request, feedback, family) => {
    const c = learn(request, feedback);
    expect(c?.applies).toBe('task');
    expect(c?.family).toBe(family);
  });
});

describe('preferences said in passing (red-team-13 round)', () => {
  test.each([
    ['give me a regex for UK postcodes', 'ok that works. fwiw whenever u give me a regex, use named groups and explain each piece underneath', 'regex', /named groups/],
    ['Write an update for my team channel: the office is closed Monday.', "ugh, these always sound like a press release. it's my team, casual is fine — write like a human.", 'invitation', /casual is fine/],
  ])('%s / %s', expectTaskRule);

  test('a class-scoped norm said with the first request, with a lasting marker, is learned; "add a few more" continues the piece', () => {
    const c = learn('make me flashcards on photosynthesis — and btw, for flashcards I always import them into anki, so give them as front;back one per line', 'can you add a few on the Calvin cycle?');
    expect(c?.applies).toBe('task');
    expect(c?.family).toBe('study-notes');
    expect(c!.instructions).toMatch(/front;back one per line/);
  });

  test.each([
    ['Who wrote the first cookbook?', "that's wrong, I checked. just say you're not sure instead of guessing — ever, about anything."],
    ['What does a notary do?', 'Sorry, English is not my first language. Please always use simple words and short sentences for me.'],
  ])('standing: %s / %s', expectStanding);
});

test('a kind the rule names in the request\'s own word is the request\'s kind of work', () => {
  const c = learn('Could you review this Go handler before I open a PR?', 'For future reviews, tag every comment as blocking or nit.');
  expect(c?.family).toBe('code-review');
  const z = learn('帮我写个闲鱼文案，出一个九成新的Switch', '帮我写闲鱼的都别吹那么狠，瑕疵要老老实实写清楚');
  expect(z?.family).toBe('product-copy');
});

describe('everyday users (red-team-14 round)', () => {
  test.each([
    ['pls help me write email to my landlord, the window is broken since 2 weeks', 'too soft. when I write to landlord it need to be more firm — put the exact date and ask him to answer in writing', 'email', /more firm/],
    ['A customer left a 1-star review on Yelp about slow service. Write a reply?', "For review replies use the customer's first name and never offer a discount in public.", 'customer-reply', /first name/],
    ['I need to chase a client who still hasn\'t paid me.', "Better, but it has to include the invoice number. And keep it friendly, none of that 'as per my last email' stuff.", 'payment-reminder', /friendly/],
    ['帮我改一下英语作文：Yesterday I go to park and play football.', '别直接重写，先把错的原句列出来，后面写改正和原因。', 'school-essay', /原句列出来/],
    ['帮我排一下下周的班，店里三个人。', '用表格排，每个人一周至少休一天。以后都这样。', 'shift-schedule', /至少休一天/],
  ])('%s / %s', expectTaskRule);

  test.each([
    ['What does a boiler service cost?', "I'm in Leeds, so prices in pounds please, and UK shops. Keep that in mind generally."],
    ['Ideas for a date night at home?', "Just so you know, I'm sober. Leave alcohol out of any suggestions you give me: no wine, no cocktails."],
    ['When did the first Walmart open?', "Is that right? You told me a wrong date last time. If you're not sure about a fact, just say you're not sure."],
    ['周末带娃去哪玩？', '忘了说我在成都，推荐啥都按成都本地的来。'],
    ['帮我找几篇讲睡眠的论文', '你给的我一篇都搜不到。以后不确定就直说，别瞎编，尤其是论文和数据。'],
  ])('standing: %s / %s', expectStanding);
});

describe('a typical week (red-team-15, measured once, then these general forms)', () => {
  test.each([
    ['Give me a recipe for beef chili.', 'I live alone and always cook for one, so scale recipes to a single portion.', 'recipe', /single portion/],
    ['How do I sum column B where column A says Done?', "That errors. I'm on Google Sheets, not Excel, so spreadsheet formulas for me need to work in Sheets.", 'spreadsheet', /work in Sheets/],
    ['帮我给领导写个请假的微信，周五要去办证。', '太长了。请假的消息直接说请几天、手上的活交给谁，三四句就够。', 'leave-request', /交给谁/],
    ['这道题怎么做：鸡兔同笼，头35脚94。', '你直接给答案了。以后讲题别一上来就给答案，先一步一步提示。', 'homework-help', /一步一步提示/],
  ])('%s / %s', expectTaskRule);

  test.each([
    ['Make a schedule for our study group next week.', 'Use 24-hour time and day/month dates. Do that for anything with times or dates from now on.'],
    ['帮我写个活动方案。', '以后我说得不清楚的时候，先问我几个问题再动手，别自己瞎猜。'],
  ])('standing: %s / %s', expectStanding);
});
