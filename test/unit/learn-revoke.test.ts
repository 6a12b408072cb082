import { describe, expect, it } from 'vitest';
import { liftsOnly, takesBack } from '../../src/engine/learn/revoke.js';
import { isRuleClause } from '../../src/engine/learn/offline-gate.js';
import { detectLanguage } from '../../src/engine/learn/text.js';

/**
 * Which statements take back which rules (learn/revoke.ts), in the ways people refer back to an
 * earlier wish: the whole wish, a short handle of it ("the TL;DR", "克数那个", "the 'Dear' rule"),
 * a switch back ("go back to English", "换回简体"), a stop ("no more docstrings", "别叫我李老师了").
 * And the other direction: a cue about something else, a new rule on the same topic, or a stop
 * against a rule that already forbids, take nothing back.
 */

describe('a take-back names the rule it takes back', () => {
  it.each([
    // the whole wish, lifted
    ["You don't need to cite sources in my reports anymore.", 'Always cite your sources in my reports.'],
    ["The one-page limit on cover letters doesn't apply anymore, this employer wants more detail.", 'Keep my cover letters to one page.'],
    ["I moved to Ohio, imperial units are fine now, you don't have to convert to metric anymore.", 'Use metric units with me.'],
    // a short handle of it
    ['Drop the emoji from my captions, they look childish now.', 'Always add a couple of emoji to my Instagram captions.'],
    ['scrap the TL;DR at the top of summaries', 'Whenever you summarize something for me, put a TL;DR line at the top.'],
    ["I've changed jobs, so you can skip the 'Cheers, Tom' sign-off now.", "In my emails, always sign off with 'Cheers, Tom'."],
    ["About client emails: never mind the formal 'Dear' rule, our clients prefer casual now.", 'Emails to clients must always be formal and start with "Dear".'],
    ['You can write in normal paragraphs again, the bullet points thing is over.', 'Always answer me in bullet points.'],
    ['Re the CTE rule for SQL: ignore it from now on, subqueries are fine.', 'For SQL always use CTEs, never subqueries.'],
    ['Forget the Boss thing, it was a joke.', 'Call me Boss.'],
    // a switch back
    ["Let's go back to English, I'm done with the Spanish practice.", 'Answer me in Spanish.'],
    // a stop, against a wish that asked for something
    ['stop adding speaker notes to my slides, i never read them', 'Every slide deck you make me needs speaker notes under each slide.'],
    ['No more docstrings please, our linter generates them now.', 'Always add a docstring to every Python function you write for me.'],
    ['pls stop callin me captain lol', 'Call me Captain.'],
    // Chinese: handles, switch backs, stops
    ['繁体字看着累，还是换回简体吧', '回答都用繁体字。'],
    ['克数那个算了，我家没有秤', '菜谱的用量都写克数。'],
    ['之前说三句话以内那个，忘了吧，该详细就详细', '回答控制在三句话以内。'],
    ['分点那个不用了，正常写段落就好', '回答我都用分点列出来。'],
    ['英文回答就算了，太费劲了，还是中文吧', '用英文回答我，我在练英语。'],
    ['对了，SQL注释那个要求取消吧，太啰嗦了', '写SQL每一行都加注释。'],
    ['周报的风险那段不用再写了，领导说没必要', '写周报最后都加一段下周风险。'],
    ['单元测试以后就不用写了，项目赶时间', '每次给我写代码都要加单元测试。'],
    ['周报不用表格了，领导说看着费劲', '记住，我的周报都要写成表格。'],
    ['以后别叫我李老师了，叫我小李就行', '叫我李老师。'],
    ['王总这个称呼就算了，怪别扭的', '叫我王总。'],
    ['小红书的话题标签不要再加了', '小红书笔记结尾都加5个话题标签。'],
    // more ways to drop a part: "quit", "leave … out", "… can go", "删掉", "免了", "可以省了"
    ['Quit putting a summary at the end of my answers.', 'Always end your answers with a one-line summary.'],
    ['Leave the jokes out of my newsletters from now on.', 'Always include a joke in my newsletters.'],
    ["The hashtags can go, I don't want them in my tweets anymore.", 'Add 3 hashtags to my tweets.'],
    ['数据来源那条删掉吧，没人看', '周报都要附上数据来源。'],
    ['emoji就免了吧', '朋友圈文案都加emoji。'],
    ['配图建议那部分以后可以省了', '每篇公众号文章最后都给配图建议。'],
    // the clause before points at the wish (an unquoted comma splits the handle)
    ['邮件结尾那个Best regards, Lily以后不用加了', '英文邮件结尾都写 Best regards, Lily'],
    // a permission takes back a prohibition
    ['Emoji are fine again, use them if you like.', 'Never use emoji in your replies.'],
  ])('%s  ⟶  takes back "%s"', (statement, rule) => {
    expect(takesBack(statement, rule)).toBe(true);
  });
});

describe('what takes nothing back', () => {
  it.each([
    // a cue about something else (the rule shares a word, not what it is about)
    ["You don't need to add a title anymore.", 'Always cite your sources in my reports.'],
    ["You don't need to add type hints to Python functions anymore.", 'Always add a docstring to every Python function you write for me.'],
    ['Drop the hashtags from my captions.', 'Always add a couple of emoji to my Instagram captions.'],
    ['Cover letters no longer need a greeting line.', 'Keep my cover letters to one page.'],
    ['Drop the intro from my reports.', 'Start my reports with an executive summary.'],
    ['No more tables in my emails.', 'Always include a summary table in my reports.'],
    ['不用再加标题了', '以后我的报告都要注明来源'],
    ['日报不用表格了', '记住，我的周报都要写成表格。'],
    ['以后报告不用写摘要了', '报告都要写成表格。'],
    ['周报不用写下周计划了', '写周报最后都加一段下周风险。'],
    ['别再叫我老王了', '叫我王总。'],
    // a cue about something else in a statement that names the rule
    ['Stop asking me follow-up questions, Captain is busy.', 'Call me Captain.'],
    ['Drop the intro from bullet point answers.', 'Always answer me in bullet points.'],
    // a clause before that names the rule without pointing at it is not what the cue is about
    ["Metric units are great, but you don't need to convert currencies anymore.", 'Use metric units with me.'],
    // a permission does not take back a wish that asked for what it permits
    ['Metric is fine, but add imperial in brackets.', 'Use metric units with me.'],
    // a new rule on the same topic, without a release cue
    ['Cite sources with links.', 'Always cite your sources in my reports.'],
    ['Put the TL;DR in bold.', 'Whenever you summarize something for me, put a TL;DR line at the top.'],
    ['菜谱里的克数要精确到个位', '菜谱的用量都写克数。'],
    // a stop against a rule that already forbids restates it
    ['No more emoji please.', 'Never use emoji in your replies.'],
    ["Don't use emoji anymore.", 'Never use emoji in your replies.'],
    ['Stop using subqueries.', 'For SQL always use CTEs, never subqueries.'],
    ['stop making them longer than 500 words', 'Keep my reports under 500 words.'],
    ['别再用表情了', '不要用表情符号'],
    // a reminder is not a stop
    ['别忘了加单位', '答案都要加单位'],
  ])('%s  ⟶  keeps "%s"', (statement, rule) => {
    expect(takesBack(statement, rule)).toBe(false);
  });
});

describe('liftsOnly: a take-back with nothing to take back asks for nothing', () => {
  const ruleClause = (c: string): boolean => isRuleClause(c, true, detectLanguage(c));
  it.each([
    "You don't need to cite sources in my reports anymore.",
    'Forget the Boss thing, it was a joke.',
    'Ignore the 500 word limit from before.',
    'Emoji are fine again.',
    '以后报告不用再注明来源了',
    '克数那个算了，我家没有秤',
    '之前说三句话以内那个，忘了吧',
  ])('%s', (s) => expect(liftsOnly(s, ruleClause)).toBe(true));

  it.each([
    // a prohibition of its own
    'No more emoji please.',
    'Drop the emoji from my captions.',
    'stop adding speaker notes to my slides',
    '朋友圈别再加emoji了',
    // a lifting cue that presupposes no earlier wish is a preference of its own
    "You don't need to explain the basics, I'm a doctor.",
    'No need to apologize in every answer.',
    // a new wish next to the take-back
    'Forget the Boss thing, from now on call me Tom.',
  ])('not %s', (s) => expect(liftsOnly(s, ruleClause)).toBe(false));
});
