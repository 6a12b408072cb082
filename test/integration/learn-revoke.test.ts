import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../../src/engine/learn/sections.js';
import { takesBack } from '../../src/engine/learn/revoke.js';
import { guardMerge } from '../../src/engine/learn/merge.js';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { afterAnswer, useTempSdk } from '../helpers/feedback-turns.js';

/**
 * A wish taken back: "always cite sources in my reports", later "you don't need to cite sources
 * anymore". The newer statement wins: the old rule leaves the skill (it used to stay, oldest
 * first, next to its own negation), the statement joins the skill that held it whatever task it
 * was said during, and the skill's name says it was taken back.
 */

const turn = afterAnswer;

const openSdk = useTempSdk('autoskill-revoke-');

describe('a rule taken back leaves the skill', () => {
  it.each([
    ['Write a report on coffee exports.', 'Always cite your sources in my reports.', "You don't need to cite sources in my reports anymore.", 'Write a report on tea prices.'],
    ['Write a report on coffee exports.', 'Keep my reports under 500 words.', 'Ignore the 500 word limit from before, reports can be as long as needed.', 'Write a report on tea prices.'],
    ['Explain how DNS works.', 'Call me Captain from now on.', 'Please stop calling me Captain.', 'Write a haiku about autumn.'],
    ['Explain how DNS works.', 'Never use emoji in your replies.', 'Emoji are fine again, use them if you like.', 'What is a good name for a goldfish?'],
    ['写一份咖啡出口报告', '以后我的报告都要注明来源', '以后报告不用再注明来源了', '写一份茶叶价格报告'],
    ['写一份咖啡出口报告', '以后报告控制在800字以内', '之前说的800字限制取消吧，报告写多长都行', '写一份茶叶价格报告'],
    ['帮我解释一下DNS', '以后叫我老板', '别再叫我老板了', '推荐一本科幻小说'],
    // a short handle of the wish, a switch back, a stop said with a typo
    ['Write an Instagram caption for my beach photo.', 'Always add a couple of emoji to my Instagram captions.', 'Drop the emoji from my captions, they look childish now.', 'Caption for my hiking photo on Instagram please.'],
    ['Summarize this: sales rose 5%.', 'Whenever you summarize something for me, put a TL;DR line at the top.', 'scrap the TL;DR at the top of summaries', 'Summarize this: the launch slipped to July.'],
    ['What is the capital of Peru?', 'Answer me in Spanish from now on.', "Let's go back to English, I'm done with the Spanish practice.", 'How do plants breathe?'],
    ['Whats a good pasta shape for pesto?', 'from now on call me Captain', 'pls stop callin me captain lol', 'How do I clean suede shoes?'],
    ['红烧排骨怎么做', '以后菜谱的用量都写克数', '克数那个算了，我家没有秤', '鱼香肉丝怎么做'],
    ['写个SQL查上个月新增用户', '以后写SQL每一行都加注释', '对了，SQL注释那个要求取消吧，太啰嗦了', '写条SQL统计每天的订单数'],
    ['介绍一下长城', '以后回答都用繁体字', '繁体字看着累，还是换回简体吧', '怎么去除水垢'],
    ['帮我写周报：完成了登录页', '记住，我的周报都要写成表格', '周报不用表格了，领导说看着费劲', '这周周报：上线了搜索功能'],
  ])('%s / %s, then %s: one skill, without the old rule', async (request, older, newer, later) => {
    const sdk = await openSdk();
    let before: string[] = [];
    for (const [i, wish] of [older, newer].entries()) {
      const job = await sdk.observeTurn('sam', turn(request, wish), { sessionId: `s${i}` });
      expect((await sdk.jobs.wait(undefined, job!.id)).state).toBe('completed');
      await sdk.settled();
      if (i === 0) before = sdk.list({ userId: 'sam', scope: 'user' }).flatMap((s) => parsePrompt(s.instructions).constraints);
    }
    expect(before).toHaveLength(1);
    const skills = sdk.list({ userId: 'sam', scope: 'user' });
    expect(skills).toHaveLength(1);
    const rules = parsePrompt(skills[0]!.instructions).constraints;
    expect(rules).toHaveLength(1);
    expect(rules).not.toContain(before[0]);
    expect(skills[0]!.name).toMatch(/\(taken back\)$|（已取消）$/);
    // whatever reaches a later request no longer asks for what was taken back
    const r = await sdk.retrieveForTurn([{ role: 'user', content: later }], { userId: 'sam' });
    for (const s of r.standing) expect(parsePrompt(s.instructions).constraints).not.toContain(before[0]);
  });
});

describe('a take-back with nothing to take back', () => {
  it.each([
    ['What is the capital of Peru?', "You don't need to cite sources in my reports anymore.", 'Write a report on tea prices in Kenya.'],
    ['秘鲁首都是哪', '以后报告不用再注明来源了', '写一份肯尼亚茶叶价格的报告'],
    ['红烧排骨怎么做', '克数那个算了，我家没有秤', '鱼香肉丝怎么做'],
  ])('%s / %s: learns nothing (a skill would be named after, and inject, the wish it lifts)', async (request, newer, later) => {
    const sdk = await openSdk();
    const job = await sdk.observeTurn('sam', turn(request, newer), { sessionId: 's0' });
    if (job) expect((await sdk.jobs.wait(undefined, job.id)).state).toBe('completed');
    await sdk.settled();
    expect(sdk.list({ userId: 'sam', scope: 'user' })).toEqual([]);
    const r = await sdk.retrieveForTurn([{ role: 'user', content: later }], { userId: 'sam' });
    expect(r.context?.text ?? '').not.toMatch(/cite sources|注明来源|克数/);
  });

  it('a stop with nothing to take back is a prohibition of its own', async () => {
    const sdk = await openSdk();
    const job = await sdk.observeTurn('sam', turn('Write an Instagram caption for my beach photo.', 'No more emoji in my captions please.'), { sessionId: 's0' });
    expect((await sdk.jobs.wait(undefined, job!.id)).state).toBe('completed');
    await sdk.settled();
    const rules = sdk.list({ userId: 'sam', scope: 'user' }).flatMap((s) => parsePrompt(s.instructions).constraints);
    expect(rules.join(' | ')).toMatch(/No more emoji/);
  });
});

describe('takesBack', () => {
  it('needs a release cue and most of what the rule is about', () => {
    expect(takesBack("You don't need to cite sources anymore.", 'Always cite your sources in my reports.')).toBe(true);
    expect(takesBack('No need to add a summary at the end any more.', 'Always end your answers with a one-line summary.')).toBe(true);
    expect(takesBack('诗不需要再押韵了', '我的诗都要押韵')).toBe(true);
    // a cue about something else takes nothing back
    expect(takesBack("You don't need to add a title anymore.", 'Always cite your sources in my reports.')).toBe(false);
    expect(takesBack('不用再加标题了', '以后我的报告都要注明来源')).toBe(false);
    // a new rule on the same topic without a release cue is not a take-back
    expect(takesBack('Cite sources with links.', 'Always cite your sources in my reports.')).toBe(false);
  });

  it('"stop" takes back a wish that asked for something, not a prohibition', () => {
    expect(takesBack('Stop calling me Captain.', 'Call me Captain from now on.')).toBe(true);
    expect(takesBack('Stop using emoji.', 'Never use emoji in your replies.')).toBe(false);
    expect(takesBack('别再叫我老板了', '以后叫我老板')).toBe(true);
    expect(takesBack('别再用表情了', '不要用表情符号')).toBe(false);
  });

  it('the merge guard drops a rule the candidate takes back even when a model merge kept it', () => {
    const existing = {
      id: 'x', name: 'Reports: cite sources', description: 'd', owner: 'user:u', version: '0.1.0', triggers: [], tags: [], metadata: {}, resources: [],
      instructions: '# Goal\ng\n\n# Constraints & Style\n- Always cite your sources in my reports.\n- Keep reports under 500 words.\n',
    } as unknown as Parameters<typeof guardMerge>[0];
    const cand = extractOffline({ userId: 'u', messages: turn('Write a report on tea.', "You don't need to cite sources in my reports anymore.") }).candidate!;
    const modelKeptIt = { name: existing.name, description: 'd', triggers: [], tags: [], instructions: existing.instructions.replace('500 words.', `500 words.\n- You don't need to cite sources in my reports anymore.`) };
    const rules = parsePrompt(guardMerge(existing, cand, modelKeptIt).instructions).constraints;
    expect(rules.join(' | ')).not.toMatch(/Always cite/);
    expect(rules.join(' | ')).toMatch(/500 words/);
    expect(rules.join(' | ')).toMatch(/don't need to cite/);
  });
});
