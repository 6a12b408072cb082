import type { SkillApplies } from '../skill/standing.js';
import { hashSlug, slugOf } from '../skill/slug.js';
import { aspectOf } from './aspects.js';
import { isPreferenceStatement } from './preference-statement.js';
import { DECLARED_SPEC, EN_EVERY_ANSWER, EN_HELP_IF_YOU, EN_WHAT_WORKS, EN_WOULD_FIX, pointsBack, ZH_EVERY_ANSWER, ZH_RELATED_TO_ALL, ZH_SPEAKING_OF, ZH_STRONG, ZH_STYLE } from './offline-markers.js';
import { NOT_A_NOUN } from './request-kind.js';
import { familyLabel, familyTriggers, scopedFamily, type TaskFamily } from './task-family.js';
import { detectLanguage, uniquePhrases, withoutQuotes, type TemplateLanguage } from './text.js';

/**
 * What a learned rule is about (its aspect: sources, length, format, tone ...), whether it is a
 * standing preference about the user or bound to a kind of task, and the identity a learned skill
 * gets from its family and rules: a name that says both ("Reports: cite sources",
 * "报告-注明来源"), a description that says when to use it, task-phrase triggers, and tags.
 * Used by the offline extractor and, on merge, to rewrite description and triggers so they cover
 * every merged rule.
 */


// ---------------------------------------------------------------------------------------------
// Standing vs task-bound

/** "answer", "reply", "respond", "every conversation": the rule is about answers in general. */
const ABOUT_ANSWERS_WORDS =
  /(?<!-)(?<!\b(?:him|her|them|he|she|they|people|someone|customers?|clients?|readers?|users?|landlord|boss) (?:to )?)(?<!\b(?:a|written|formal|prompt|official) )\b(?:answers?|answering|repl(?:y|ies|ying)|respon(?:d|ds|se|ses|ding)|every (?:(?:one of )?(?:our|my) )?(?:conversation|chat|message)|(?<!\b(?:it|that|this|them|way) )every time(?! since\b| (?:I|he|she|they|we|it)\b)|all (?:(?:of )?(?:our|my) )?(?:conversations|chats|messages)|(?:our|my) (?:conversations|chats)|(?:whatever|anything|everything|all) (?:that )?I ask|(?:all|every|any) (?:of )?(?:my|our) (?:questions|requests)|talk(?:ing)? to me|with me|call me|address me|refer to me|(?:everything|anything)(?: else)? (?:that )?you (?:write|say|send|tell me|give me|make|suggest|recommend)|whenever (?:you|u) (?:suggest|recommend|propose)|in general,? (?:just )?(?:give me|answer|reply|keep (?:it|your answers?|things) )|(?:keep (?:that|this) in mind|remember (?:that|this)) (?:generally|in general|for everything|always)|(?:any ?time|whenever|every time) (?:[\w-]+ ){1,3}(?:comes? up|is involved|(?:is|are) (?:mentioned|involved))|(?:any|all|every) (?:of )?(?:the |your )?(?:suggestions?|ideas?|recommendations?|advice|tips?)(?: (?:that )?you (?:give|make|offer|send|come up with)(?: me| us)?)?(?= for (?:anything|everything)\b| at all\b|[,.;:!]|$)|(?:for|about|in|with) (?:anything|everything)(?: else)?(?=\s*(?:[,.;!]|$|not\b))|for (?:anything|everything) (?:with|that (?:has|involves|mentions)|involving)\b|(?:in )?whatever (?:(?:we|you)(?:'re| are)? )?(?:talk(?:ing)? about|discuss(?:ing)?|writ(?:e|ing)|say(?:ing)?|send(?:ing)?|suggest(?:ing)?|recommend(?:ing)?)|whatever the (?:topic|subject))\b|(?:推荐|建议|安排|介绍|说|问|写|回答)(?:啥|什么|任何东西)(?:都|也都)|(?:不管|无论|不论)(?:我|咱们?|你)?(?:问|说|聊|谈|让你|要求|写|干|做)?(?:什么|啥|哪种|哪方面)|(?:跟|和)我(?:聊|说|谈)[^，,。；;！!？?]{0,6}(?:都|也)|回答|回复|答复|所有(?:对话|消息|输出)|任何(?:问题|请求)|和我(?:说话|聊天|对话)|(?:以后|今后|你)说话|(?<!像)平时说话|跟我(?:说话|聊天)|我(?:问|提)(?:你)?[^，,。；;]{0,6}的时候|我(?:说|讲|写)得?[^，,。；;]{0,6}的时候|(?<![帮替给])叫我(?![去来做写])|称呼我|客套|寒暄|夸我|恭维|奉承|(?:别|不要|不用)(?:老是?|总是?)?道歉|(?:跟|对|和)我说实话|说实话(?:就行|就好|吧)|实话实说|直接说重点|直接指出|说人话|(?<!写得.{0,4})(?:像|跟|和)朋友(?:聊天|说话|聊)(?:那样|一样|似的)?|中英文?(?:夹|混)|\bif (?:you|u)(?:'re| are| r)?(?: not|n'?t)? (?:sure|certain|unsure|uncertain)\b|\bif (?:you|u) (?:don'?t|do not) know\b|\b(?:pleasantries|flattery|flatter me|sugar-?coat\w*|apologi[sz]\w*|brutally honest|be (?:blunt|honest|direct) with me|encouragement)\b/i;
/** …or whenever a topic comes up ('说到价格都…', '跟吃有关的都…') */
// "涉及颜色的时候别靠红绿区分": whenever the topic comes up, a wish said as a directive
const ZH_WHENEVER_TOPIC = '(?:说到|提到|讲到|聊到|谈到|涉及到?)[^，,。；;！!？?]{1,10}(?:的时候|时)[，,]?(?:都|也|就|请|要|得|别|不要|不许|一律|统一|记得)';
const ABOUT_ANSWERS = new RegExp(`${ABOUT_ANSWERS_WORDS.source}|${ZH_SPEAKING_OF}(?:都|也(?:都|按|用|要))|${ZH_RELATED_TO_ALL}|${ZH_WHENEVER_TOPIC}`, 'i');
/**
 * Stated as a rule for good, beyond the task at hand. Plain "always" / "never" do not count:
 * inside feedback on a report ("always use plain text") they are usually scoped to that task.
 */
const GENERAL_MARKER =
  /\b(?:from now on|from here on|going forward|in (?:the )?future|ever again|any ?more|no longer|at all times|in general|by default|(?:a|my|one|quick|general|standing|personal) preference|(?:a|my) habit|(?:is|are) (?:fine|ok|okay|allowed) again|(?:use|go back to|start using) [\w -]{1,20} again)\b|以后|今后|之后都|别再|不要再|再也别|从现在(?:开始|起)|从今(?:天|往后|以后)|永远|始终|一直|一律|默认|习惯|偏好|(?:又|重新)可以(?:用|使用)|恢复(?:用|使用)/i;

export interface StandingContext {
  /** the work item had a task request (feedback on a deliverable) */
  hasRequest: boolean;
  /** the family the rule or the request names, if any */
  family?: TaskFamily;
  /** the family came from the rule's own words ("my reports") */
  familyInRule: boolean;
  /** the kind of work the request asked for when no family names it ("bio", "读后感") */
  requestKind?: string;
  /** the family of the work item's request, if it had one */
  requested?: TaskFamily;
}

/**
 * A rule is standing when it is about the user in every conversation: it talks about answers or
 * replies in general, or it is a personal aspect (language, emoji, plain text, honesty, tone)
 * stated generally ("from now on", "always") or outside any task. A rule that names a deliverable
 * ("for my reports", "周报…") is bound to that task family.
 */
/** the nouns of a text's form, not its kind: "in short paragraphs" is a standing wish, "in recipes" is not */
const FORM_NOUNS =
  /^(?:answers?|repl(?:y|ies)|responses?|messages?|conversations?|chats?|questions?|requests?|words?|things?|terms?|units?|paragraphs?|sentences?|points?|bullets?|lists?|tables?|headings?|sections?|lines?|letters|numbers?|figures?|sources?|emojis?|details?|examples?|languages?|cases?|capitals?|times?|sessions?|rounds?|rows?|entries|versions?|drafts?|brackets?|parenthes[ie]s|quotes?|caps|bold|italics?)$/;
/**
 * A rule scoped to a kind of thing the user asks for ("grams in recipes", "any recipe you give me",
 * "给我菜谱…"): bound to that task, even when no task family names it.
 */
export function kindOfRule(said: string): string | undefined {
  // a quotation names no kind of work: "don't use 'we apologize for any inconvenience'"
  const text = said.replace(/[“「『‘][^”」』’]{0,300}[”」』’]|"[^"\n]{0,300}"|(?<![A-Za-z])'[^'\n]{2,300}'(?![A-Za-z])/g, ' … ');
  // the directive's own clause: a reason after it ("…, markdown looks like garbage in my notes app") names no task
  const lead = /^(?:(?:from now on|from here on|going forward|in (?:the )?future|by the way|btw|also|ok(?:ay)?|please|remember|note|以后|今后|从现在(?:开始|起)|从今天起|记住|记得|注意)[,，:：\s]*)+/i;
  // the clauses before any reason ("…, because my panel is junior" names no task); lead-ins
  // ("Hmm, one thing - …") are clauses too, so every clause up to the reason is looked at
  // a kind declared with its spec: "Podcast intros: under 30 seconds…", "Dating bios for me: no cliches…"
  const declared = DECLARED_KIND.exec(text.replace(lead, '').trim());
  if (declared) {
    const words = declared[1]!.toLowerCase().split(' ').filter((w) => !KIND_STOP.test(w));
    if (namesAKind(words)) return words.join(' ');
  }
  const clauses = text.replace(lead, '').split(/\b(?:because|since|as)\b/)[0]!.split(/[,，;；:：—]|\s-\s/);
  for (const clause of clauses) {
    const kind = kindInClause(clause.trim());
    if (kind !== undefined) return kind;
    // only lead-ins ("Hmm", "one thing") come before the directive; what follows it is a reason
    // ("…, markdown looks like garbage in my notes app" names no task)
    if (clause.trim().split(/\s+/).length > 3 || /\p{Script=Han}{4,}/u.test(clause)) break;
  }
  return undefined;
}

const DECLARED_KIND = new RegExp(String.raw`^((?:[a-z][\w-]* ){0,2}[a-z]{3,}s)(?: for (?:me|us))?\s*:\s*(?:${DECLARED_SPEC})\b`, 'i');

/**
 * Words that name a kind of work: not "stuff", not the answers themselves ("every reply", "in
 * every answer"), not a bare form ("in bullet points"; a modified one is a kind: "interview
 * questions", "study notes").
 */
function namesAKind(words: readonly string[]): boolean {
  const noun = words.join(' ');
  const head = words[words.length - 1] ?? '';
  return noun !== '' && !KIND_STOP.test(noun) && !CONVERSATION_NOUNS.test(head) && !(words.length === 1 && FORM_NOUNS.test(head));
}

const CONVERSATION_NOUNS = /^(?:answers?|repl(?:y|ies)|responses?|messages?|conversations?|chats?|requests?|times?|things?)$/;
const KIND_PREP = /^(?:for|to|in|on|with|about|that|which|from|at|by|of)$/;

function kindInClause(rule: string): string | undefined {
  // "when you make study notes for me", "any set of interview questions you put together", "for every itinerary"
  const made = String.raw`(?:make|write|create|draft|prepare|put together|give me|send me|do|plan|build|compose)`;
  const en = new RegExp(
    [
      String.raw`\bwhen(?:ever)? (?:you|u) ${made} (?:me |us )?(?:an? |the |my |our |some |any )?((?:[a-z]+ ){0,2}[a-z]{3,}s?)\b(?= for (?:me|us)\b|[ ,.;:]|$)`,
      String.raw`\bwhen(?:ever)? (?:I|we) (?:ask (?:you )?for|want|need) (?:an? |the |some |any )?((?:[a-z]+ ){0,2}[a-z]{3,}s?)\b(?=[ ,.;:]|$)`,
      String.raw`\b(?:any|every|each|all) (?:(?:set|kind|type) of )?((?:[a-z]+ ){0,2}[a-z]{3,}) (?:you|u) (?:give|write|send|make|create|suggest|recommend|draft|prepare|put together|do|plan)\b`,
      String.raw`\b(?:in|for|to) (?:(?:all|any|every|each|my|your|our|the|of) ){0,3}(?:[a-z]+ )?([a-z]{3,}s)\b`,
      String.raw`\b(?:in|for|to) (?:any|every|each) ([a-z]{3,})\b`,
      String.raw`^((?:[a-z]+ ){0,2}[a-z]{3,}s) for me (?:should|must|need|have to)\b`,
      // "job posts I ask you for should…", "my gift tags should…"
      String.raw`^(?:(?:my|our|all|any|every) )?((?:[a-z]+ ){0,2}[a-z]{3,}s)(?: (?:I|we) (?:ask|get) (?:you )?for| (?:you|u) (?:write|make|give|do|send|draft)(?: (?:me|us))?| for (?:my|our) [a-z]+)? (?:should|must|need|needs|have to|always|never)\b`,
    ].join('|'),
    'gi',
  );
  for (const m of rule.matchAll(en)) {
    const said = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? '').trim();
    // a capitalised word inside a sentence is a name, not a kind of work ("I'm in Leeds")
    if (m.index > 0 && /(?:^|\s)[A-Z][a-z]+s?$/.test(said)) continue;
    const raw = said.toLowerCase();
    const all = raw.split(' ');
    const cut = all.findIndex((w) => KIND_PREP.test(w));
    const words = (cut >= 0 ? all.slice(0, cut) : all).filter((w) => !KIND_STOP.test(w));
    if (!namesAKind(words)) continue;
    const noun = words.join(' ');
    return words.length === 1 && m[3] ? noun.replace(/ies$/, 'y').replace(/(?<=[^s])s$/, '') : noun;
  }
  const topic = topicKind(rule);
  if (topic !== undefined) return topic;
  // "给我的菜谱…", "以后朋友圈文案都…", "我发的会议邀请里…", "帮我写投诉的东西…"
  const zh =
    /(?:给我|你给的|给我的|每次给的?)(?:的)?(\p{Script=Han}{2,3}?)(?:[，,。、时里中的]|$)/u.exec(rule) ??
    /(?:你给的|给我的|每次给的?)(\p{Script=Han}{2,6}?)(?:都|一律)/u.exec(rule) ??
    /(?:以后|今后|之后|下次|每次)(?:帮我|给我|你)?(?:写|做|发|出)?的?(\p{Script=Han}{2,6}?)(?:都|一律|里|中|时|的时候)/u.exec(rule) ??
    // "以后写慰问信别用…", "下次写会议通知要…": the piece made, then the directive
    // (kindOfRule has taken a leading 以后 off already)
    /(?:^|以后|今后|之后|下次|每次)(?:帮我|给我|你)?(?:写|拟|做|出)(?:个|份|封|篇)?(\p{Script=Han}{2,6}?)(?:[，,]|别|不要|要|必须|一定|得|千万)/u.exec(rule) ??
    /我(?:发|写|做|要)的(\p{Script=Han}{2,6}?)(?:里|中|都|一律)/u.exec(rule) ??
    /(?:帮我|给我)(?:写|做|出)(\p{Script=Han}{2,6}?)(?:的东西|的时候|时)/u.exec(rule) ??
    // "出谜语的时候每条…", "做海报时…": the piece made, as the occasion
    /^(?:你)?(?:写|做|出|编|画|拍|整理|设计|策划)(\p{Script=Han}{2,6}?)(?:的时候|时)/u.exec(rule) ??
    // "操作流程这类东西…", "广告语这种以后都…", "这类通知以后…"
    /^(?:[^，,。；;]{0,4}[，,])?(\p{Script=Han}{2,6}?)(?:这类|这种|之类|这一类)/u.exec(rule) ??
    /(?:这类|这种|此类|这一类)(\p{Script=Han}{2,6}?)(?:以后|今后|都|一律|要|你|就|里|中)/u.exec(rule);
  // "所有回答", "你的回复": a quantifier or owner before the noun is not part of the kind
  // …nor a particle after it ("帮我写闲鱼的都别…" is about 闲鱼 listings)
  const kind = zh?.[1]!.replace(/^(?:所有|全部|每一?[个条次份篇封]?|任何|你的|我的)的?/, '').replace(/(?:的都|的|都)$/, '');
  return kind && kind.length >= 2 && !ZH_NOT_KIND.test(kind) && !NOT_A_NOUN.test(kind) ? kind : undefined;
}

/**
 * Aspects of a piece of work, not kinds of work: "字数以后都控制在500字" is a rule about length,
 * "语气就正式一点" one about tone. Said as a rule's topic they name no task.
 */
const ZH_ASPECT = /^(?:字数|篇幅|长度|语气|口吻|风格|文风|格式|排版|标题|开头|结尾|结构|字体|字号|语言|用词|措辞|称呼|单位|数字|标点|段落|内容|细节|重点|顺序|时间|时长|速度|态度|回答|回复)/;

/**
 * The kind of work a Chinese rule opens with as its topic, the way Chinese states a standing
 * instruction about a kind of thing: "自我介绍以后都控制在一分钟" (self-introductions, from now on
 * all…), "给领导的汇报就第一句先说结果" (reports to my boss: lead with the result). A lead-in
 * clause may come first ("太长了，自我介绍以后都…"). The topic is what the rule is about, even when
 * the rule names other work later ("…，别把简历念一遍" mentions a résumé; it is not about one).
 */
export function topicKind(rule: string): string | undefined {
  const m =
    // "给领导的汇报就…", "给客户的邮件都要…": the addressee's piece
    /^(?:[^，,。；;]{0,8}[，,。])?给(?![我出到予])\p{Script=Han}{1,4}?的(\p{Script=Han}{2,6}?)(?:以后|今后|往后)?(?:都|就|一律|统统|必须|一定|要|得)/u.exec(rule) ??
    // "自我介绍以后都…", "周报今后一律…": topic, then "from now on", then the directive
    /^(?:[^，,。；;]{0,8}[，,。])?(\p{Script=Han}{2,6}?)(?:以后|今后|往后|从今往后|从现在起|从现在开始)(?:都|就|一律|统统|必须|一定|要|得|也)/u.exec(rule);
  const kind = m?.[1]?.replace(/^(?:所有|全部|每一?[个条次份篇封]?|任何|你的|我的|这个|那个|这种|那种)的?/, '');
  return kind && kind.length >= 2 && !ZH_ASPECT.test(kind) && !ZH_NOT_KIND.test(kind) && !NOT_A_NOUN.test(kind) ? kind : undefined;
}

/** Words around a kind of work that are not the kind: "stuff", "things", articles. */
const KIND_STOP = /^(?:pounds?|dollars?|euros?|yen|yuan|rupees?|miles?|kilomet(?:er|re)s?|km|celsius|fahrenheit|grams?|ounces?|kilos?|metric|imperial|feet|inches|lit(?:er|re)s?|cups?|stuff|things?|suggestions?|ideas?|recommendations?|advice|tips?|answers?|replies|responses?|pieces?|parts?|bits?|items?|sections?|steps?|kinds?|sorts?|types?|pages?|words?|lines?|paragraphs?|sentences?|characters?|minutes?|hours?|days?|weeks?|months?|bullets?|points?|anything|something|everything|it|its|them|this|that|me|us|sure|one|ones|time|times|way|ways|always|sometimes|perhaps|unless|thanks|yes|less|was|has|does|is|his|hers|ours|yours|theirs)$/;
const ZH_NOT_KIND = /^(?:之后|以后|后面|接下来|下次|往后|能不能|可不可以|能否|可否|是否|要不要|请你|麻烦|你能|你可以|可以|回答|回复|答案|建议|内容|东西|意见|信息|结果|解释|纯文本|文本|中文|英文|表格|列表|要点|结论|格式|例子|总结|简短|详细|对话|聊天|交流|问题|请求|消息|都|我|你|时候)/;

/** where the user lives ("I'm in Leeds, so…", "忘了说我在成都，…"): case-sensitive, a place is a name */
const LOCATED = /^(?:(?:[Aa]lso|[Aa]nd|[Bb]ut|[Oo]h|[Ss]o|[Oo]k(?:ay)?|[Bb]tw)[, ]+)?(?:I'?m|I am|Im|I live|We'?re|We live) (?:in|based in|from) [A-Z][a-z]+|^(?:忘了说[，,]?)?我(?:在|住在|人在)\p{Script=Han}{2,4}[，,]/u;
const WHO_I_AM = /^(?:(?:also|and|but|oh|so|ok(?:ay)?|btw)[, ]+)?(?:I'?m|I am) (?:an? |the )?(?:[a-z-]+ ){0,2}(?:nurse|doctor|physician|engineer|developer|programmer|lawyer|teacher|designer|student|researcher|scientist|accountant|expert|professional|native speaker|beginner)\b|^(?:我)(?:本身|自己)?(?:就)?是(?:一名|一个|个)?[\p{Script=Han}]{0,6}(?:医生|护士|律师|老师|教师|工程师|程序员|设计师|学生|研究员|会计|专家|从业者|初学者|新手)/iu;

/**
 * `text` says the kind's head word ("formulas" for "formula", "闲鱼" for "闲鱼"); `endings` are the
 * English word endings that count (a plural by default; a verb's forms too for a request: "review
 * this handler" says "reviews").
 */
export function saysKind(text: string, kind: string, endings = 's?'): boolean {
  if (/\p{Script=Han}/u.test(kind)) return kind.length >= 2 && text.includes(kind);
  const head = kind.split(' ').pop()!.replace(/s$/, '');
  return head.length >= 3 && new RegExp(`\\b${head.replace(/[^\w-]/g, '')}${endings}\\b`, 'i').test(text);
}

/** the rule says outright that it is about everything ("This goes for everything I ask you: …", "不管我问什么都…") */
const EVERYTHING =
  /\b(?:this|that|it) (?:goes|applies) (?:for|to) (?:everything|anything|all (?:of )?your (?:answers|replies|responses)|all (?:of )?my (?:questions|requests|chats))\b|\b(?:everything|anything|whatever) (?:that )?I ask(?: you)?\b|\b(?:no matter what|whatever) I(?:'m| am)? ask(?:ing)?\b|\beverywhere\b|(?:每次|每回)(?:回答|回复|你)?(?:的)?(?:开头|结尾)都|\b(?:in|for) (?:all|every one of) (?:of )?your (?:answers|replies|responses)\b|(?:不管|无论|不论)(?:我)?(?:问|聊|说)(?:什么|啥)|所有(?:的)?回答(?:都|里)/i;

const EVERY_ANSWER = new RegExp(`${EN_EVERY_ANSWER}|${ZH_EVERY_ANSWER}`, 'i');

export function saysEverything(rule: string): boolean {
  const said = withoutQuotes(rule);
  return EVERYTHING.test(said) || EVERY_ANSWER.test(said);
}

/** how to address the user, said with the quoted word ("别老“您”来“您”去的", "stop calling me 'sir'"): quotes are kept here */
const ADDRESS = /(?:别|不要)(?:老|总|一口一个)?(?:是)?(?:用)?[“"'‘「『]?您|\b(?:stop|don'?t|do not|never) call(?:ing)? me\b/i;

/** questions as items of a piece of work: "Questions worded the way a customer would ask them", "每个问题…" */
const QA_CONTENT = /\b(?:the |each |every |all |our |your )?questions? (?:(?:should|must|need to|have to) )?(?:be )?(?:worded|phrased|written|framed|numbered|listed|ordered|grouped|sorted)\b|\b(?:each|every) question\b|(?:每个|每道|每条)问题/i;

export function isStandingRule(rule: string, ctx: StandingContext): boolean {
  if (saysEverything(rule) || ADDRESS.test(rule)) return true;
  // who the user is ("我是后端程序员，…", "I'm an ER nurse, …"), with no deliverable the rule is scoped to
  if ((WHO_I_AM.test(rule) || LOCATED.test(rule)) && scopedFamily(rule) === undefined && kindOfRule(rule) === undefined) return true;
  // "以后别编数据了，我的报告都要附参考文献": a clause scoped to the deliverable at hand binds the rule to it
  // (one scoped to another is usually a reason: "I paste your answers into emails, so…")
  if (ctx.familyInRule || (ctx.requested !== undefined && scopedFamily(rule) === ctx.requested)) return false;
  // the rule names the kind of work asked for ("I need a formula…" then "formulas need semicolons…")
  if (ctx.requestKind !== undefined && saysKind(rule, ctx.requestKind)) return false;
  // a kind of work named as the rule's scope wins over "answers" inside it ("when you make study
  // notes for me, …, with the answers hidden at the bottom")
  if (kindOfRule(rule) !== undefined) return false;
  // a quotation is what not to say, not whom it is about: "never say 'we apologize for…'"
  // (answers that go with questions the rule shapes are the deliverable's: an FAQ, a quiz)
  if (ABOUT_ANSWERS.test(withoutQuotes(rule)) && !(ctx.hasRequest && QA_CONTENT.test(rule))) return true;
  // a whole sentence about the answers' form or language ("Bullet points only.", "简短回答。") names no task
  if (isPreferenceStatement(rule, detectLanguage(rule))) return true;
  const personal = aspectOf(rule)?.personal ?? false;
  const general = GENERAL_MARKER.test(rule);
  // a personal preference with no task at all, none a deliverable names, or one stated as a lasting rule
  if (personal && (!ctx.hasRequest || !(ctx.family || ctx.requestKind) || general)) return true;
  // who the user is, said with the rule ("I'm an ER nurse, …", "我本身是内科医生，…"): about them, everywhere
  if (WHO_I_AM.test(rule) && !ctx.familyInRule) return true;
  // a lasting rule with no deliverable to bind it to (a bare question, chit-chat)
  return general && !ctx.family && !ctx.requestKind;
}

// ---------------------------------------------------------------------------------------------
// Names, descriptions, triggers, tags

export interface SkillIdentity {
  slug: string;
  name: string;
  description: string;
  goal: string;
  triggers: string[];
  tags: string[];
  /** the kind of work a task rule of no known family is about ("study notes"), if any */
  kind?: string;
}

const STANDING_TRIGGERS = {
  en: ['any request', 'every answer', 'answer a question'],
  zh: ['任何请求', '所有回答', '回答问题'],
};

/** Aspects too broad to name a skill by themselves ("tone": which tone?); the rule's own words do. */
const BROAD = new Set(['tone', 'structure', 'concise', 'specific', 'sorting', 'numbers', 'tests']);

/** a clause that only leads in ("忘了说", "对了", "太长了") */
const ZH_FILLER = /^(?:忘了说|还有(?:一点|个事)?|对了|另外|补充(?:一下|一句)?|顺便(?:说一下|提一句)?|哦|嗯+|啊|好的|谢谢|太长了|不对|不行|还行|可以)$/;
const ZH_LEAD = /^(?:另外|还有|而且|同时|并且|也|最后|请|要求?|需要|必须|一定要|务必|应该|尽量|以后都?|今后|每次都?|记得|写的|写得|语言|内容|整体|(?:不管|无论|不论)(?:我)?(?:问|聊|说|让你写)?(?:啥|什么)(?:问题)?都?|(?:跟|和)我(?:聊|说)(?:啥|什么)都)+/;
/** a clause that only says the scope ("不管我问啥", "跟我聊啥都") names nothing */
const ZH_SCOPE_ONLY = new RegExp(`^(?:以后|今后)?(?:不管|无论|不论)(?:我)?(?:问|聊|说)?(?:啥|什么)(?:问题)?$|^(?:以后|今后)?(?:你|请你?)?(?:${ZH_EVERY_ANSWER})$`);

/** The rule's own key words: a short phrase for a name (ZH: up to 8 characters; EN: up to 4 words). */
/** a clause that tells what to do, not why, when or what was wrong */
const EN_DIRECTS =
  /^(?:(?:please|pls|just|and|also|then|but|so)\s+)*(?:put|give|start|lead|open|end|keep|make|use|write|answer|tell|say|skip|drop|cut|stop|avoid|list|state|add|include|leave|show|break|name|own|offer|sign|thank|mark|label|number|group|sort|format|cite|no|never|always|don'?t|do not|only|max|under|at most|stick|go)\b|\b(?:should(?! have\b)|must|needs? to|has to|have to|at most|max(?:imum)?|no more than|or less|or fewer)\b/i;
/** a scope or a reason said before the directive ("when I ask you to explain a game", "I'm always putting these into Python so") */
const EN_LEAD_CLAUSE = /^(?:(?:and|but|so|also|ok(?:ay)?)\s+)?(?:when(?:ever)?|if|for|anything|everything|since|because|as)\b|^(?:I|I'm|I am|we|we're|my|our|this|that|it|these|those)\b(?!.*\b(?:should|must|needs? to|has to|have to)\b)/i;

/**
 * What a rule opens with before its directive, dropped for its name: a scope over a class ("Anything
 * you plan for my class needs …", "Whatever I run past you, …") or a polite frame ("Would it be
 * possible to do these as: …", "what would work best is …").
 */
const EN_NAME_LEAD = new RegExp(
  String.raw`^(?:(?:and|but|so|also|ok(?:ay)?)\s+)?(?:(?:anything|everything|whatever|any \w+|every \w+|each \w+) (?:you|u|I|we) [^,:;]{0,60}?\b(?:needs?|should|must|has to|have to)\s+(?:be\s+)?|(?:would it be possible|could you|can you|would you)(?: (?:maybe|please))? (?:to )?(?:do|write|format|lay out|set out|structure|present|give|send) (?:these|those|them|it|this)(?: for (?:me|us))? (?:as|like|in|with)\s*:?\s*|.{0,60}?\b${EN_WHAT_WORKS}\s+|.{0,100}?\b${EN_HELP_IF_YOU}\s+)`,
  'i',
);

const WOULD_FIX_TAIL = new RegExp(String.raw`\s+${EN_WOULD_FIX}\b.*$`, 'i');

/** The directing part of an English rule, for its name: "…, for apology messages to friends: own it in the first line, …" → "own it in the first line". */
function enDirective(rule: string): string {
  const lead = EN_NAME_LEAD.exec(rule);
  if (lead && lead[0].length < rule.length - 8) rule = rule.slice(lead[0].length);
  // "X would fix that for me": X is what to do
  rule = rule.replace(WOULD_FIX_TAIL, '');
  // (a colon that ends a quoted label, "starting 'Bottom line:'", splits nothing)
  const clauses = rule.split(/[,;.!?()—–]+\s*|:(?!['"’”])\s*|\s+so\s+/i).map((c) => c.trim()).filter((c) => c.length > 0);
  return clauses.find((c) => EN_DIRECTS.test(c) && !EN_LEAD_CLAUSE.test(c)) ?? rule;
}

export function keyphrase(rule: string, lang: TemplateLanguage): string {
  if (lang === 'zh') {
    // the first clause that directs: lead-ins and who the user is ("忘了说，我们家俩娃，推荐啥都得…") name nothing
    // a pointer back at the rule ("记住这个", "以后都按这个来") names nothing either
    const said = rule.split(/[，,。！!；;：:（(]|\.(?!\d)/).filter((c) => c.trim() !== '');
    const clauses = said.filter((c) => !pointsBack(c.trim()) && !ZH_SCOPE_ONLY.test(c.trim()));
    if (clauses.length === 0) clauses.push(...said);
    const head = clauses.find((c) => ZH_STRONG.test(c) || ZH_STYLE.test(c) || ABOUT_ANSWERS.test(c)) ?? clauses.find((c) => !ZH_FILLER.test(c.trim())) ?? clauses[0] ?? '';
    // the occasion said first names nothing: "出谜语的时候每条标上谜目" is about the labels
    const directing = head.replace(/^(?:以后|今后)?(?:你)?(?:帮我|给我)?(?:写|做|出|编|画|拍|整理|设计|策划)\p{Script=Han}{2,6}?(?:的时候|时)/u, '');
    const s = (directing.length >= 4 ? directing : head).replace(/[0-9０-９.%°μ~～-]+[a-zA-Zμ]{0,2}/gu, '').replace(/[A-Za-z]+/g, (w) => (w.length > 1 ? w : '')).replace(/\s+/g, '');
    const cut = s.replace(/[^\p{L}\p{N}]+/gu, '').replace(ZH_LEAD, '').replace(/(?:一些|一点|点|的|了|吧)+$/, '');
    return (cut.length >= 2 ? cut : s).slice(0, 8).replace(/(?:这一?|那一?|的)$/, '');
  }
  const stop = /^(?:please|always|never|don'?t|do|does|not|no|must|should|make|sure|to|the|a|an|be|use|keep|it|its|my|your|you|for|of|in|and|with|from|now|on|here|also|every|each|any|all|just|only|more|less|that|this|is|are|i|me|want|like|would|give|put|them|they|these|those|what|how)$/i;
  const words = enDirective(rule)
    .toLowerCase()
    .replace(/[^a-z0-9\s'-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !stop.test(w) && !/^\d+$/.test(w));
  return words.slice(0, 4).join(' ');
}

function ruleLabels(rules: string[], lang: TemplateLanguage): { label: string; slug: string; aspectKeys: string[] } {
  const first = rules[0] ?? '';
  const aspect = aspectOf(first);
  const aspectKeys = uniquePhrases(rules.map((r) => aspectOf(r)?.key ?? '').filter(Boolean), 6, 40);
  const own = keyphrase(first, lang);
  const label = aspect && (!BROAD.has(aspect.key) || own.length < 2) ? (lang === 'zh' ? aspect.zh : aspect.en) : own || aspect?.en || 'rule';
  const ownSlug = lang === 'en' ? slugOf(own.split(' ').slice(0, 3).join(' ')) : undefined;
  const slug = aspect && (!BROAD.has(aspect.key) || !ownSlug) ? aspect.key : ownSlug ?? `rule-${hashSlug(first).slice(6)}`;
  return { label, slug, aspectKeys };
}

function ruleList(rules: string[], lang: TemplateLanguage, max = 4): string {
  const items = rules.slice(0, max).map((r) => r.replace(/[.。!！]+$/, ''));
  if (lang === 'zh') return items.join('；');
  return items.map((r) => r[0]!.toLowerCase() + r.slice(1)).join('; ');
}

/**
 * The identity of a learned skill from its family (or none), its rules and whether it is
 * standing. `firstRule` names the skill (stable across merges); the description and triggers
 * cover all rules.
 */
export function composeIdentity(p: {
  lang: TemplateLanguage;
  family: TaskFamily | undefined;
  applies: SkillApplies;
  rules: string[];
  /** rules that name the skill (default: the first rule) */
  nameRules?: string[];
  /** the kind of work the rules are about, when no family names it ("bio"; default: the one the rules name) */
  kind?: string;
}): SkillIdentity {
  const { lang, family, applies, rules } = p;
  const { label, slug: ruleSlug, aspectKeys } = ruleLabels(p.nameRules ?? rules, lang);
  const standing = applies === 'always';
  // a task rule of no known family is found, and named, by the kind of thing it is about ("recipe", "菜谱")
  const kind = standing || family ? undefined : (p.kind ?? rules.map(kindOfRule).find((k) => k !== undefined));
  const kindLabel = kind === undefined ? undefined : kind[0]!.toUpperCase() + kind.slice(1);
  const scopeEn = standing ? 'Answers' : family ? family.en : (kindLabel ?? 'Answers');
  const scopeZh = standing ? '回答' : family ? family.zh : (kind ?? '回答');
  const slugScope = standing ? 'always' : family ? family.key : 'answers';
  const slug = `${slugScope}-${ruleSlug}`.replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  const name = lang === 'zh' ? `${scopeZh}-${label}` : `${scopeEn}: ${label}`;
  const list = ruleList(rules, lang);
  let description: string;
  let goal: string;
  if (standing) {
    description =
      lang === 'zh' ? `适用于该用户的所有回答（长期偏好，与任务无关）：${list}。` : `Applies to every answer for this user, whatever the task (standing preference): ${list}.`;
    goal = lang === 'zh' ? '该用户的长期偏好，每次回答都遵循。' : "This user's standing preference, followed in every answer.";
  } else if (family) {
    const fl = familyLabel(family, lang);
    description = lang === 'zh' ? `在用户要求写或处理${fl}时使用：${list}。` : `Use when the user asks for ${fl.toLowerCase()}: ${list}.`;
    goal = lang === 'zh' ? `按该用户的要求完成${fl}；每次主题不同，下列规则始终适用。` : `${fl} for this user; the subject changes each time, the rules below always apply.`;
  } else {
    description = lang === 'zh' ? `在回答该用户的请求时使用：${list}。` : `Use when answering this user's requests: ${list}.`;
    goal = lang === 'zh' ? '按该用户的要求回答；下列规则始终适用。' : "Answer this user's requests; the rules below always apply.";
  }
  const kindTriggers = kind === undefined ? [] : lang === 'zh' || /\p{Script=Han}/u.test(kind) ? [kind, `给我${kind}`, `写${kind}`] : kind.includes(' ') ? [kind, `make ${kind}`, `write ${kind}`] : [kind, `${kind}s`, `give me a ${kind}`, `write a ${kind}`];
  const base = standing ? STANDING_TRIGGERS[lang] : family ? familyTriggers(family, lang) : kindTriggers.length > 0 ? kindTriggers : STANDING_TRIGGERS[lang];
  const triggers = uniquePhrases(base, 5, 80);
  const tags = uniquePhrases([...(family && !standing ? [family.key] : standing ? ['standing'] : []), ...aspectKeys], 6, 40);
  return { slug, name, description, goal, triggers, tags: tags.length > 0 ? tags : ['preferences'], ...(kind !== undefined ? { kind } : {}) };
}

/** The template language of a set of rules (for merges of skills the offline extractor wrote). */
export function rulesLanguage(rules: string[]): TemplateLanguage {
  return detectLanguage(rules.join(' '));
}

/**
 * Wording the templates add to every skill. Maintenance ignores it when comparing two skills: it
 * says nothing about which capability a skill is.
 */
export const IDENTITY_TEMPLATE_WORDING = [
  'Applies to every answer for this user, whatever the task (standing preference)',
  "This user's standing preference, followed in every answer",
  'Use when the user asks for',
  'for this user; the subject changes each time, the rules below always apply',
  "Use when answering this user's requests",
  "Answer this user's requests; the rules below always apply",
  '适用于该用户的所有回答（长期偏好，与任务无关）',
  '该用户的长期偏好，每次回答都遵循',
  '在用户要求写或处理',
  '时使用',
  '按该用户的要求完成',
  '每次主题不同，下列规则始终适用',
  '在回答该用户的请求时使用',
  '按该用户的要求回答；下列规则始终适用',
];
