/**
 * Generalization bench (issue #12): does a durable preference stated once, in a task conversation,
 * reach later requests of the same kind in NEW conversations (other wording, other topic), and stay
 * out of unrelated ones? Preferences here are not the report / plain-text ones the lifecycle sets
 * were tuned on; every phrasing is new. Prints tables and every failure with its reason; asserts
 * nothing, never times.
 *
 *   npx tsx bench/generalization.ts [--langs en,zh] [--only key1,key2] [--set FILE]
 *
 * Driven exactly like the lifecycle tests: the 'sdk' driver of test/helpers/lifecycle-drivers.ts
 * (retrieveForTurn → what the model receives, observeTurn → learning), an SDK opened on a new empty
 * store with the offline defaults (no LLM: the rule-based extractor), one new user per preference.
 * Per preference:
 *   learned  a skill was created for the user (and `holds`: its text matches the preference's check)
 *   scope    `task` preferences should be learned task-bound, `always` ones standing
 *   reached  later requests (new conversations) whose model input carries one of the user's skills
 *   leaked   unrelated requests that got any of the user's skills (`task` preferences only);
 *            for `always` preferences the unrelated requests SHOULD get it and count under reached
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AutoSkill } from '../src/engine/autoskill.js';
import type { Skill } from '../src/engine/skill/schema.js';
import { isStanding } from '../src/engine/skill/standing.js';
import { openDriver, type Msg, type SurfaceDriver } from '../test/helpers/lifecycle-drivers.js';
import { injectedIn } from '../test/helpers/lifecycle.js';

type Lang = 'en' | 'zh';
interface Pref {
  key: string;
  applies: 'task' | 'always';
  /** one conversation: the user's messages in order (the fake answer goes between them) */
  learn: string[];
  /** what the learned skill's text should mention */
  check: RegExp;
  later: string[];
  unrelated: string[];
}
const P = (key: string, applies: Pref['applies'], learn: string[], check: RegExp, later: string[], unrelated: string[]): Pref => ({ key, applies, learn, check, later, unrelated });

const EN: Pref[] = [
  P('email-client-formal', 'task', ['Write an email to a client telling them the shipment is delayed a week.', 'Emails to clients should always be formal: no "hey", and sign off with "Kind regards".'], /formal|kind regards/i,
    ['Draft an email to a customer confirming we received their order.', 'can you reply to this client email? they want the invoice by friday', 'Write a follow-up email to a client after yesterday\'s product demo.'],
    ['What is a good name for a goldfish?', 'How long do I boil rice?']),
  P('sql-cte', 'task', ['Write a SQL query for the top 5 customers by revenue last month.', 'For SQL, always use CTEs instead of nested subqueries, they are easier for me to read.'], /cte|with clause|common table/i,
    ['query to find duplicate emails in the users table', 'Write SQL that returns monthly active users per country.', 'can u write a postgres query for average order value per week'],
    ['What is the capital of Kenya?', 'Suggest a name for a hiking club.']),
  P('python-type-hints', 'task', ['write a python function that merges two sorted lists', 'ugh no type hints again. whenever you write python for me, always add type hints'], /type hints?|typing|annotat/i,
    ['Python function that removes duplicates from a list but keeps the order?', 'Write a Python script that renames every .txt file in a folder to .md.', 'I need a python helper to parse ISO 8601 dates.'],
    ['How do I poach an egg?', 'Recommend a podcast about ancient history.']),
  P('summary-tldr', 'task', ['Summarize this: the board approved the budget, hiring is frozen until Q3, and the office moves in May.', 'Whenever you summarize something for me, put a one-line TL;DR at the very top.'], /tl;?dr|one-line/i,
    ['Summarize these meeting notes: launch moved to June, Sam leads QA, marketing needs copy by Friday.', 'Can you give me a quick summary of this thread: the vendor raised prices 10% and we are looking at two alternatives.', 'recap this call for me: customer wants SSO, pilot starts next month'],
    ['What is a good houseplant for low light?', 'Write a limerick about a frog.']),
  P('recipe-metric', 'task', ['Give me a recipe for chocolate chip cookies.', 'cups and ounces again... any recipe you give me should use grams and millilitres please'], /gram|millilit|metric|\bg\b|\bml\b/i,
    ['How do I make pizza dough at home?', 'recipe for a simple tomato soup please', 'Can you give me a pancake recipe for 4 people?'],
    ['How does a bill become law in the US?', 'Write a haiku about the sea.']),
  P('weekly-status-format', 'task', ['Write my weekly status update: finished the login page, next week payments, risk is API delays.', 'From now on my weekly updates should always have three sections: Done this week / Next week / Risks.'], /done this week|next week|risks/i,
    ['Weekly update time: shipped search, next up caching, no risks.', 'draft this week\'s status update: fixed 12 bugs, onboarding flow next week', 'Write my weekly update: migrated the database, monitoring is next, risk: the vendor contract.'],
    ['What is the best way to clean a cast iron pan?', 'Explain what a black hole is.']),
  P('translate-keep-terms', 'task', ['Translate into French: "Deploy the container to the Kubernetes cluster."', 'When you translate for me, leave technical terms like Kubernetes, container or pull request in English.'], /technical terms?|in english|kubernetes/i,
    ['translate to German: "Open a pull request after the build passes."', 'Can you translate this into Spanish: "The API returns a JSON payload."', 'Translate into Italian: "Restart the load balancer before the release."'],
    ['What is a good gift for a 10 year old?', 'How many planets are in the solar system?']),
  P('resume-bullets', 'task', ['Rewrite my resume summary: I am a marketing person with 6 years of experience in B2B.', 'For my CV: always bullet points that start with strong action verbs, and never first person.'], /bullet|action verb|first person/i,
    ['Help me add my new job to my resume: product manager at Acme since 2023.', 'Update my CV with a volunteer role at the food bank.', 'polish the skills section of my resume'],
    ['How long should I steep green tea?', 'Write a short poem about snow.']),
  P('slides-five-bullets', 'task', ['Make slides for my talk on remote work.', 'For my presentations: max 5 bullets per slide, and put speaker notes under every slide. Remember that.'], /5 bullets|five bullets|speaker notes/i,
    ['Create a slide deck about our Q3 results.', 'I need a presentation on cybersecurity basics for new hires.', 'make me some slides introducing our new product'],
    ['What does "carpe diem" mean?', 'Give me a recipe for guacamole.']),
  P('commit-conventional', 'task', ['Write a commit message for: fixed a null pointer in the login handler.', 'always use the conventional commits format for my commit messages (feat:, fix:, chore:)'], /conventional|feat:|fix:/i,
    ['commit message for adding a dark mode toggle', 'Write a git commit message: bumped lodash to 4.17.21.', 'what should the commit msg be for removing the old cron job?'],
    ['What is the tallest building in Europe?', 'Give me a stretching routine for the morning.']),
  P('no-emoji', 'always', ['Write a caption for my photo of the new office.', 'Please never use emoji with me, in any answer. It looks unprofessional.'], /emoji/i,
    ['Write a caption for my vacation photo at the beach.', 'Congratulate my team on hitting our sales goal.'],
    ['What is the speed of light?', 'Any tips for a job interview tomorrow?']),
  P('metric-units', 'always', ['How tall is Mount Everest?', 'I live in Germany, so always give me metric units and Celsius from now on.'], /metric|celsius/i,
    ['How far can a person walk in a day?', 'What is a healthy weight for a golden retriever?'],
    ['Write a short poem about friendship.', 'What year did the Berlin Wall fall?']),
  P('british-spelling', 'always', ['Write a paragraph about my favourite season.', 'By the way, I want British spelling in everything you write for me, colour, organise, etc.'], /british|colour|organise/i,
    ['Describe how to organize a small closet.', 'Write a short note about the colors of autumn.'],
    ['How many bones are in the human body?', 'Suggest a name for a bakery.']),
  P('bullets-always', 'always', ['What are the benefits of cycling to work?', 'I skim everything, so always answer me in bullet points from now on.'], /bullet/i,
    ['Why do leaves change color in autumn?', 'What should I pack for a weekend in Rome?'],
    ['Tell me about the history of chess.', 'How does compound interest work?']),
];

const ZH: Pref[] = [
  P('code-zh-comments', 'task', ['写一个Python函数，计算两个日期之间有多少个工作日', '以后给代码加中文注释'], /中文注释|注释/,
    ['写个脚本批量重命名文件夹里的图片', '用JavaScript实现一个防抖函数', '帮我写个函数判断字符串是不是回文'],
    ['北京今天适合穿什么', '推荐一部好看的电影']),
  P('weekly-report-format', 'task', ['帮我写本周周报：完成了登录页，下周做支付，风险是接口可能延期', '以后周报都用固定格式：本周完成/下周计划/风险'], /本周完成|下周计划|风险/,
    ['这周周报：上线了搜索功能，下周做缓存', '帮我整理一下这周的周报，修了12个bug，下周接新人培训', '写周报：数据库迁移完了，下周接监控，供应商合同有风险'],
    ['猫为什么怕黄瓜', '怎么煮出好吃的米饭']),
  P('translate-keep-terms', 'task', ['把这句翻译成中文：Deploy the container to the Kubernetes cluster.', '翻译时保留英文术语，Kubernetes、container这种别翻'], /英文术语|术语|Kubernetes/,
    ['翻译一下：Open a pull request after the build passes.', '帮我把这句译成中文：The API returns a JSON payload.', '翻译：Restart the load balancer before the release.'],
    ['送十岁小孩什么礼物好', '太阳系有几颗行星']),
  P('email-client-formal', 'task', ['帮我给客户写封邮件，说发货要推迟一周', '给客户的邮件一律要正式，称呼用“您”，结尾写“此致敬礼”'], /正式|您|此致敬礼/,
    ['给客户回封邮件，确认订单已经收到了', '写一封邮件提醒客户本周五前付款', '客户问能不能延期交付，帮我回个邮件'],
    ['金鱼起什么名字好', '米饭要煮多久']),
  P('sql-cte', 'task', ['写个SQL查上个月销售额前五的客户', '以后写SQL都用CTE，别嵌套子查询，看着头疼'], /CTE|WITH|公用表/i,
    ['查用户表里重复的邮箱，SQL怎么写', '写条SQL统计每个国家的月活', '帮我写个查询，算每周的平均订单金额'],
    ['肯尼亚首都是哪里', '给徒步俱乐部起个名字']),
  P('summary-conclusion-first', 'task', ['总结一下这段会议记录：预算批了，三季度前冻结招聘，五月搬办公室', '以后给我做总结，第一句先写结论，再分点列细节'], /结论/,
    ['帮我总结这段：供应商涨价10%，我们在看两个替代方案', '把这次电话会议概括一下：客户要单点登录，试点下个月开始', '归纳一下这段聊天记录的要点：大家同意周五上线，小李负责回滚方案'],
    ['弱光环境适合养什么植物', '写一首关于青蛙的打油诗']),
  P('recipe-grams', 'task', ['给我一个红烧肉的做法', '以后给我菜谱，用量都写克数，别写“适量”“少许”'], /克|适量|少许/,
    ['番茄炒蛋怎么做', '教我做个戚风蛋糕', '可乐鸡翅的做法给我一个'],
    ['美国的法案是怎么通过的', '写一首关于大海的俳句']),
  P('resume-star', 'task', ['帮我改一下简历里的工作经历：在某电商公司做了三年运营', '我的简历以后都用STAR法则写，每条都要有数字结果'], /STAR|数字/,
    ['简历里加一段新实习：字节跳动数据分析实习生', '帮我优化简历的项目经历部分', '更新一下我的简历，加上志愿者经历'],
    ['绿茶泡多久合适', '写一首关于雪的短诗']),
  P('slides-five-points', 'task', ['帮我做个关于远程办公的PPT', '以后做PPT每页不超过五个要点，每页下面附演讲备注'], /五个要点|5个要点|演讲备注|备注/,
    ['做一份三季度业绩的PPT', '新员工网络安全培训的幻灯片帮我做一下', '给新产品发布会做个演示文稿'],
    ['“及时行乐”是什么意思', '牛油果酱怎么做']),
  P('xhs-no-hype', 'task', ['写一篇小红书种草文案，推荐一款保温杯', '以后写小红书文案别用“绝绝子”“yyds”这种词，语气自然点'], /绝绝子|yyds|自然/i,
    ['写篇小红书笔记推荐一家咖啡店', '帮我写个小红书文案，分享周末露营', '小红书种草：一款降噪耳机'],
    ['欧洲最高的建筑是哪栋', '早上做什么拉伸好']),
  P('no-emoji', 'always', ['给我新办公室的照片配一句文案', '以后跟我说话别用表情符号，任何回答都不要'], /表情|emoji/i,
    ['给我的海边度假照配个文案', '祝贺团队完成销售目标，帮我说几句'],
    ['光速是多少', '明天面试有什么建议']),
  P('metric-units', 'always', ['珠穆朗玛峰有多高', '以后涉及单位一律用公制，温度用摄氏度'], /公制|摄氏/,
    ['一个人一天能走多远', '金毛的健康体重是多少'],
    ['写一首关于友谊的短诗', '柏林墙是哪年倒的']),
  P('conclusion-first-always', 'always', ['骑车上班有什么好处', '以后回答我都先说结论，再解释原因'], /结论/,
    ['为什么秋天树叶会变色', '周末去杭州玩要带什么'],
    ['讲讲国际象棋的历史', '复利是怎么算的']),
];

const ANSWER: Record<Lang, string> = { en: 'Sure, here it is.\n\n- First point.\n- Second point.\n\nAnything else?', zh: '好的，给你。\n\n- 第一点。\n- 第二点。\n\n还需要别的吗？' };
const { values } = parseArgs({ options: { langs: { type: 'string', default: 'en,zh' }, only: { type: 'string' }, set: { type: 'string' } } });

/**
 * --set FILE: run an external set (JSON: { "en": [pref...], "zh": [pref...] }, each pref as above with
 * `check` a regular-expression source, matched case-insensitively) instead of the built-in one, so
 * held-out preferences written by others run unchanged (bench/generalization-sets/).
 */
const PrefJson = z.object({
  key: z.string().min(1),
  applies: z.enum(['task', 'always']),
  learn: z.array(z.string().trim().min(1)).min(1),
  check: z.string().min(1),
  later: z.array(z.string().trim().min(1)).min(1),
  unrelated: z.array(z.string().trim().min(1)),
});
const PrefFile = z.object({ en: z.array(PrefJson).optional(), zh: z.array(PrefJson).optional() });
async function loadSet(file: string): Promise<Record<Lang, Pref[]>> {
  const raw = PrefFile.parse(JSON.parse(await readFile(path.resolve(file), 'utf8')));
  const of = (lang: Lang) => (raw[lang] ?? []).map((p) => ({ ...p, check: new RegExp(p.check, 'iu') }));
  return { en: of('en'), zh: of('zh') };
}
const SETS: Record<Lang, Pref[]> = values.set ? await loadSet(values.set) : { en: EN, zh: ZH };
const langs = values.langs.split(',').map((s) => s.trim()) as Lang[];
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : undefined;

const own = (sdk: AutoSkill, userId: string): Skill[] => sdk.list({ userId, scope: 'user' });
const describe = (s: Skill) => `"${s.name}"${isStanding(s) ? ' (standing)' : ''}`;
const textOf = (s: Skill) => [s.name, s.description, s.instructions].join('\n');

async function converse(d: SurfaceDriver, userId: string, sessionId: string, turns: string[], answer: string) {
  const convo: Msg[] = [];
  const seen = [];
  for (const text of turns) {
    convo.push({ role: 'user', content: text });
    seen.push(injectedIn(d.sdk, (await d.turn(userId, sessionId, [...convo])).text));
    convo.push({ role: 'assistant', content: answer });
  }
  await d.flush(userId);
  return seen;
}

/** what the user's learning jobs concluded, for "not learned" */
async function jobNote(sdk: AutoSkill, userId: string): Promise<string> {
  const jobs = (await sdk.jobs.list({ userId }, 1000)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (!jobs.length) return 'no learning job was scheduled';
  return jobs
    .map((j) => {
      const r = j.result as { status?: string; reason?: string } | undefined;
      return j.state !== 'completed' ? `${j.state} ${j.error ?? ''}` : `${r?.status ?? '?'}${r?.reason ? ` (${r.reason.slice(0, 140)})` : ''}`;
    })
    .join('; ');
}

/** rank and score of the user's skills for a request that did not get them */
async function scoreNote(sdk: AutoSkill, query: string, userId: string, ids: string[]): Promise<string> {
  const hits = await sdk.search(query, { userId, limit: 50 });
  return ids
    .map((id) => {
      const i = hits.findIndex((h) => h.skill.id === id);
      return i < 0 ? 'not in top 50' : `rank ${i + 1} score ${hits[i]!.score.toFixed(3)}`;
    })
    .join(', ') + ` (needs >= ${sdk.retrievalDefaults.minScore} in top ${sdk.retrievalDefaults.topK})`;
}

interface Row {
  lang: Lang;
  key: string;
  applies: Pref['applies'];
  learned: boolean;
  holds: boolean;
  scopeOk: boolean;
  skills: string;
  reached: number;
  reachTotal: number;
  leaked: number;
  leakTotal: number;
}
const rows: Row[] = [];
const failures: string[] = [];

for (const lang of langs) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-generalization-'));
  const sdk = await AutoSkill.open({ storeDir: dir });
  const d = await openDriver('sdk', sdk, ANSWER[lang]);
  try {
    for (const p of SETS[lang]) {
      if (only && !only.has(p.key)) continue;
      const userId = `gen-${lang}-${p.key}-${Date.now().toString(36)}`;
      const fail = (what: string) => failures.push(`${lang} ${p.key}: ${what}`);
      await converse(d, userId, `${userId}-learn`, p.learn, ANSWER[lang]);
      const skills = own(sdk, userId);
      const row: Row = { lang, key: p.key, applies: p.applies, learned: skills.length > 0, holds: skills.some((s) => p.check.test(textOf(s))), scopeOk: false, skills: skills.map(describe).join(', '), reached: 0, reachTotal: 0, leaked: 0, leakTotal: 0 };
      row.scopeOk = skills.length > 0 && skills.every((s) => isStanding(s) === (p.applies === 'always'));
      if (!row.learned) fail(`NOT LEARNED from ${JSON.stringify(p.learn.join(' ⏎ '))} → jobs: ${await jobNote(sdk, userId)}`);
      else {
        if (!row.holds) fail(`learned ${row.skills} but its text misses the preference (${p.check}): ${JSON.stringify(skills[0]!.instructions.slice(0, 160))}`);
        if (!row.scopeOk) fail(`learned ${row.skills}, expected ${p.applies === 'always' ? 'standing (applies: always)' : 'task-bound'}`);
      }
      const ids = skills.map((s) => s.id);
      const probe = async (q: string, i: number) => {
        const [seen] = await converse(d, userId, `${userId}-p${i}`, [q], ANSWER[lang]);
        const mine = [...seen!.standing, ...seen!.task].filter((s) => s.owner === `user:${userId}`);
        return { mine };
      };
      // later requests, and for standing preferences the unrelated ones too, should get the skill
      const expectReach = p.applies === 'always' ? [...p.later, ...p.unrelated] : p.later;
      let i = 0;
      for (const q of expectReach) {
        row.reachTotal++;
        const { mine } = await probe(q, i++);
        if (mine.length) row.reached++;
        else if (row.learned) fail(`LEARNED BUT NOT INJECTED for ${JSON.stringify(q)}: ${row.skills} ${await scoreNote(sdk, q, userId, ids)}; triggers ${JSON.stringify(skills.flatMap((s) => s.triggers))}`);
        else fail(`not injected (nothing learned) for ${JSON.stringify(q)}`);
      }
      if (p.applies === 'task') {
        for (const q of p.unrelated) {
          row.leakTotal++;
          // any of the user's skills counts: a task preference learned as standing leaks everywhere
          const { mine } = await probe(q, i++);
          if (mine.length) {
            row.leaked++;
            fail(`LEAKED into unrelated ${JSON.stringify(q)}: ${mine.map(describe).join(', ')}${mine.some(isStanding) ? '' : ` ${await scoreNote(sdk, q, userId, mine.map((s) => s.id))}`}`);
          }
        }
      }
      const extra = own(sdk, userId).length - skills.length;
      if (extra > 0) fail(`learned ${extra} more skill(s) from the later/unrelated requests`);
      rows.push(row);
      console.log(`${lang} ${p.key}: learned ${row.learned ? row.skills : 'nothing'}; reached ${row.reached}/${row.reachTotal}; leaked ${row.leaked}/${row.leakTotal}`);
    }
  } finally {
    await d.close();
    await sdk.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const pct = (n: number, t: number) => (t ? `${n}/${t} ${((n / t) * 100).toFixed(0)}%` : '-');
const table = (header: string[], body: string[][]) => {
  const w = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(w[i]!)).join(' | ') + ' |';
  console.log('\n' + line(header) + '\n|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|');
  for (const r of body) console.log(line(r));
};
const sum = (rs: Row[], f: (r: Row) => number) => rs.reduce((a, r) => a + f(r), 0);
table(
  ['lang', 'prefs', 'learned', 'holds pref', 'scope right', 'reached (task)', 'reached (always)', 'leaked (task)'],
  langs.map((lang) => {
    const rs = rows.filter((r) => r.lang === lang);
    const t = rs.filter((r) => r.applies === 'task');
    const a = rs.filter((r) => r.applies === 'always');
    return [lang, String(rs.length), pct(rs.filter((r) => r.learned).length, rs.length), pct(rs.filter((r) => r.holds).length, rs.length), pct(rs.filter((r) => r.scopeOk).length, rs.length),
      pct(sum(t, (r) => r.reached), sum(t, (r) => r.reachTotal)), pct(sum(a, (r) => r.reached), sum(a, (r) => r.reachTotal)), pct(sum(t, (r) => r.leaked), sum(t, (r) => r.leakTotal))];
  }),
);
table(
  ['lang', 'preference', 'applies', 'learned skill', 'reached', 'leaked'],
  rows.map((r) => [r.lang, r.key, r.applies, r.learned ? `${r.skills}${r.holds ? '' : ' [misses pref]'}${r.scopeOk ? '' : ' [wrong scope]'}` : 'NOT LEARNED', `${r.reached}/${r.reachTotal}`, r.applies === 'task' ? `${r.leaked}/${r.leakTotal}` : '-']),
);
console.log('\n"reached (always)": later AND unrelated requests for standing preferences. Target: learned, reached 100%, leaked 0%.');
if (failures.length) {
  console.log(`\nFailures (${failures.length}):`);
  for (const f of failures) console.log(`- ${f}`);
}
