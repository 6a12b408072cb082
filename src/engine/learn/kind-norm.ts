import { FAMILIES, type TaskFamily } from './task-family.js';
import { withoutQuotes, type TemplateLanguage } from './text.js';

/**
 * A kind of work as the subject of a norm, said as feedback: "in my reports, …", "job posts I ask
 * you for should…", "请假条写清楚…就行", "改作文先说优点，再…". Part of the offline gate
 * (offline-gate.ts): such a sentence is a rule about that kind of work, whatever its wording.
 */

// A sentence about a whole class of deliverables ("my reports", "in reports", "every email",
// "报告里…", "周报只…") that tells how it should be, said as feedback: a rule about that task
// family, whatever its wording. One instance ("this report", "一份关于…的报告") is not a class.

const EN_CLASS_SCOPE = String.raw`(?:^(?:(?:also|and|but|oh|plus|ps|btw)[, ]+)?|\b(?:my|our|all|every|each|in|for|of|to|your|any|future)\s+(?:an?\s+)?|\b(?:scale|keep|make|write|give|format|start|end|convert|label|number|sort|translate)\s+(?:all\s+|my\s+|your\s+|the\s+|any\s+)?)`;
const EN_DIRECTIVE =
  /\b(?:should|shouldn'?t|mustn'?t|can'?t|must|need|needs|only|just|no|not|never|always|don'?t|skip|cap|limit|keep|put|open|start|end|close|sign|address|greet|add|include|use|avoid|make|source|cite|go out|fit|stay|be|list|number|link|write|format|attach|mention|stick|prefer|come with|contain)\b|^[^=:]{1,40}\s*[=:]\s*\S/i;
export const ZH_DIRECTIVE = /要|需要|只|不|别|先|再|都|就够|就好|就行|即可|一点|一些|必须|应该|尽量|确保|保证|务必|得/;
const PRAISE = /^(?:(?:oh|wow|really|very|so)[, ]+)*(?:great|good|nice|perfect|excellent|fine|love|thanks|thank you)\b|不错|很好|挺好|满意|谢谢|完美|喜欢/i;
const INSTANCE = /\b(?:this|that|these|those|the above|your last|the last)\s+(?:\w+\s+)?$|(?:这|那|该|上面|刚才)(?:份|篇|个|封|段)?$|一(?:份|篇|个|封|首)$/;

const classRes = new Map<string, RegExp>();
/** `f`'s words said as a class, compiled once per family and language */
function classRe(f: TaskFamily, lang: TemplateLanguage): RegExp {
  const key = `${lang}:${f.key}`;
  let re = classRes.get(key);
  if (!re) {
    // Chinese marks no plural: only an explicit class word counts ("每份报告", "所有邮件", "我的周报", "报告都…")
    re =
      lang === 'zh'
        ? new RegExp(String.raw`(?:每(?:一)?(?:份|篇|个|封|次的?)?|所有(?:的)?|全部(?:的)?|任何|凡是|我的|以后的?|这类|这种|此类|这一类)(?:${f.zhRe.source})|(?:${f.zhRe.source})[^，,。；;]{0,6}(?:都|一律|统一)|^[^，,。；;！!？?]{0,5}(?:${f.zhRe.source})(?:的时候|时|的话)?\s*[，,]?\s*(?:[:：]|(?:里面?|中)?(?:都|就|也)?(?:顺便|记得|最好)?(?:要|得|必须|需要|别|不要|不能|一定|先|只|直接|(?:帮我)?写得|写清楚|写明|写上|标(?:上|出|明|一下)|列(?:出|清楚)|控制在|带上|加上)(?!怎么|如何|几|多少|什么|改成|换成|删))`)
        : new RegExp(EN_CLASS_SCOPE + '(?:' + f.enRe.source + ')', 'i');
    classRes.set(key, re);
  }
  return re;
}

export function talksAboutClass(clause: string, lang: TemplateLanguage): boolean {
  const t = withoutQuotes(clause).trim();
  if (PRAISE.test(t) || /关于|\babout\b/i.test(t)) return false;
  for (const f of FAMILIES) {
    if (!f.inRules) continue;
    const m = classRe(f, lang).exec(t);
    if (!m || INSTANCE.test(t.slice(0, m.index))) continue;
    if (lang === 'en' && !/s\b/i.test(m[0]) && !/\b(?:every|each|any|in a|for a|to a|of a)\b/i.test(m[0] + ' ' + t.slice(Math.max(0, m.index - 8), m.index))) continue;
    return (lang === 'zh' ? ZH_DIRECTIVE : EN_DIRECTIVE).test(t);
  }
  return false;
}

/**
 * A kind of work as the subject of a norm, whatever the kind: "job posts I ask you for should…",
 * "my linkedin stuff should…", "quizzes for my class always need…". Said as feedback only.
 */
const EN_KIND_NORM =
  /^(?:(?:also|and|but|oh|so|ok(?:ay)?|btw)[, ]+)?(?:(?:my|our|all|any|every|the) )?(?:[a-z-]+ ){0,2}(?:[a-z-]{3,}s|stuff)(?: (?:I|we) (?:ask|get) (?:you )?for| (?:you|u) (?:write|make|give|do|send|draft|put together)(?: (?:me|us|for me|for us))?| for (?:my|our) [a-z]+| for (?:me|us))? (?:should|must|need|needs|have to|has to|always|never|shouldn'?t|can'?t)\b/i;
/** people and conversation, not work: "my kids should…", "your answers should…" (answers are standing) */
const EN_NOT_WORK = /^(?:(?:also|and|but|oh|so|ok(?:ay)?|btw)[, ]+)?(?:(?:my|our|all|any|every|the) )?(?:[a-z-]+ ){0,2}?(?:kids|children|students|customers|users|clients|people|friends|parents|guys|folks|colleagues|employees|readers|viewers|followers|members|candidates|things|others|days|times|answers|replies|responses|messages|you)\b/i;

/** "for the reviews I write about my team, use…", "In release notes, group…": a kind, then an imperative */
const EN_KIND_LEAD =
  /^(?:(?:also|and|but|so|ok(?:ay)?|btw)[, ]+)?(?:for|in|with|on) (?:(?:all|any|every|each|the|my|our) ){0,2}(?:[a-z-]+ ){0,2}(?:[a-z-]{3,}s|stuff|writing|copy)\b[^,:;]{0,40}?(?:[,:]\s*|\s)(?:please )?(?:use|put|add|start|end|open|keep|make|write|include|give|label|list|sort|mark|group|avoid|never|always|don'?t|no|leave|skip|cut|drop|one|two|three|four|five|\d+|no more than|at most|max(?:imum)?|under|fewer than|less than|only|just)\b/i;

/** "When we reply to complaints, name what went wrong…": a kind of work by what we do with it, then an imperative */
const EN_KIND_WHEN =
  /^(?:(?:also|and|but|so|ok(?:ay)?|btw|fwiw|tbh|oh|ps)[, ]+)*(?:when|whenever) (?:we|I|you|u|I'm|I am|we're|we are|you're|you are) (?:[a-z'-]+ ){1,2}(?:(?:all|any|every|each|the|my|our|a|an|someone's|people's|other people's) )?(?:[a-z-]+ ){0,2}[a-z-]{3,}\b[^,:;]{0,40}(?:[,:]\s*(?:please |pls )?(?:use|put|add|start|end|open|keep|make|write|include|give|label|list|sort|mark|group|avoid|never|always|don'?t|no|leave|skip|cut|drop|name|own|offer|say|state|mention|lead)\b|:\s*\S|\s(?:it|they|these|those) (?:needs?|should|must|has to|have to|gotta|got to)\b)/i;

/** "Anything for LinkedIn, write it as…", "Everything on the blog: …": whatever goes to one place or audience, then how */
const EN_ANY_FOR =
  /^(?:(?:also|and|but|so|ok(?:ay)?|btw)[, ]+)?(?:anything|everything|stuff|whatever)(?: (?:I|we) (?:ask|get) (?:you )?for| (?:you|u) (?:write|make|do|draft|post|put together))? (?:for|on|to|in) (?:my |our |the )?[A-Za-z][\w-]{1,30}\s*[,:]\s*(?:please |pls |just )?[a-z]/i;

/** ZH lead-ins before the kind of work: "还有", "另外", "以后"… */
const ZH_OPEN = String.raw`^(?:(?:还有|另外|而且|对了|然后|以后|今后|麻烦|请)[，,]?)?`;
/** not a kind of work: people, pronouns, times, connectives ("我要…", "这个要…", "今天要…", "但是要…") */
const ZH_NOT_KIND = String.raw`(?!我|你|他|她|它|这|那|咱|大家|别人|今天|明天|现在|时间|还|也|都|就|所以|但|不过|而且|如果|因为|主要|一定|真的|其实|最好|千万|整体|内容|语言)`;
/**
 * A kind of work, then how it must be done, said as feedback:
 * - when doing it: "给公式的时候顺便解释下…", "回复差评时先道歉";
 * - when it comes up: "说养花就给具体的";
 * - as a procedure for it: "给小孩讲诗先一句一句翻成大白话，再…";
 * - as the subject of a norm: "话术要按时间分段", "每顿标一下热量" (not 得: "口号喊得挺响" says how it was done).
 */
const ZH_KIND_NORM = new RegExp(
  [
    String.raw`${ZH_OPEN}(?:你)?(?:给|写|做|改|讲|说|问|出|回答|回复|发|弄|列|算|推荐)${ZH_NOT_KIND}[\u4e00-\u9fffA-Za-z]{1,8}?(?:的时候|时)[，,]?(?:你)?(?:都|就|也)?(?:顺便|记得|最好|先|要|得|必须|需要|一定要|只|别|不要|直接|请)`,
    String.raw`${ZH_OPEN}(?:说|讲|聊|问|提到|说到|讲到)${ZH_NOT_KIND}[\u4e00-\u9fff]{2,6}?(?:的话)?[，,]?就(?:给|要|得|用|写|按|别|不要|直接|先)`,
    String.raw`${ZH_OPEN}${ZH_NOT_KIND}[\u4e00-\u9fff]{2,4}?(?:都)?(?:要|必须|需要|一定要)(?!是|有|不是|怎么|如何|几|多少|什么|改成|换成|删|去掉)`,
    String.raw`${ZH_OPEN}(?:给|写|做|改|讲|批改|回复|出|列|推荐)${ZH_NOT_KIND}[\u4e00-\u9fff]{1,8}?先[^，,。；;]{1,24}[，,]?(?:再|然后|之后|最后)`,
    // a procedure with no kind named, said as feedback: "先把错的原句列出来，后面写改正和原因" (not a revision of parts: "先把第二段删了，再…")
    String.raw`${ZH_OPEN}(?:你)?先(?!把(?:这|那|第|上面|标题|开头|结尾))[^，,。；;]{2,24}[，,]\s*(?:再|然后|之后|后面|接着)`,
    String.raw`${ZH_OPEN}每(?:一)?(?:顿|餐|条|段|首|道|题|篇|份|封|句)(?:都)?(?:要|得|标|写|加|列|放|用|只|别|不要|控制)`,
    // things of a kind, then how: "帮我写投诉、反映问题的东西，要按…写清楚"
    String.raw`${ZH_OPEN}(?:帮我|给我|你)?(?:写|做|弄|出|回|列|整理)${ZH_NOT_KIND}[^，,。；;]{1,16}?(?:的东西|这类东西?|之类的?东西?|这种东西|这一类)[，,]\s*(?:都|也|就)?(?:要|得|必须|需要|先|别|不要|只|按)`,
    // a kind by its verb, then how many is enough: "起名字给我5个以内就行", "写标题三个就够"
    String.raw`${ZH_OPEN}(?:给|写|做|起|取|列|出|推荐|回)${ZH_NOT_KIND}[\u4e00-\u9fff]{1,4}?(?:的话|时)?[，,]?(?:给我|你就?|就)?[^，,。；;]{0,8}?(?:\d+|[一两二三四五六七八九十几]+)(?:个|条|句|段|行|字|点|页|分钟|秒)(?:以内|之内|左右|以下)?[^，,。；;]{0,4}?(?:就行|就够了?|就好|即可)`,
  ].join('|'),
  'u',
);

/** "for his math homework go step by step": a kind of work (singular, no comma), then an imperative */
const EN_KIND_FOR =
  /^(?:(?:also|and|but|so|ok(?:ay)?|btw)[, ]+)?for (?:his|her|their|my|our|any|all|every|each) (?:[a-z-]+ ){0,2}[a-z-]{3,}(?: (?:I|we) (?:do|write|send|make|get|put out))?,? (?:please |pls )?(?:go|use|put|add|start|end|open|keep|make|write|include|give|label|list|mark|group|avoid|never|always|don'?t|leave|skip|explain|show|walk|stop|break|ask)\b/i;
/** "menu text for us = one line per item", "commit messages for me: …" */
const EN_KIND_DEFINED = /^(?:[a-z-]+ ){0,3}[a-z-]{3,} for (?:us|me)\s*(?:=|:|means\b)\s*\S/i;

export function talksAboutKind(clause: string, lang: TemplateLanguage): boolean {
  const said = withoutQuotes(clause).trim();
  if (lang === 'zh') return ZH_KIND_NORM.test(said);
  // the norm after a dash: "reviewers score these in 5 minutes — for any grant writing I do, open with…"
  const dash = /\s[—–-]\s+(.+)$/.exec(said);
  if (dash && kindNormEn(dash[1]!)) return true;
  return kindNormEn(said);
}

function kindNormEn(said: string): boolean {
  // the norm after its reason: "I'm on Google Sheets, not Excel, so spreadsheet formulas for me need to…"
  const t = /^(?:I|I'm|I am|we|we're|my|our)\b[^.]{0,80}?,?\s+so\s+(.+)$/i.exec(said)?.[1] ?? said;
  if (EN_KIND_DEFINED.test(t)) return true;
  if (EN_KIND_FOR.test(t) && !EN_NOT_WORK.test(t.replace(/^(?:(?:also|and|but|so|ok(?:ay)?|btw)[, ]+)?for (?:his|her|their|my|our|any|all|every|each) /i, ''))) return true;
  if (EN_KIND_WHEN.test(t)) return true;
  if (EN_ANY_FOR.test(t)) return true;
  return (EN_KIND_NORM.test(t) || EN_KIND_LEAD.test(t.replace(/^(?:(?:also|and|but|so|ok(?:ay)?|btw)[, ]+)?/i, ''))) && !EN_NOT_WORK.test(t.replace(/^(?:(?:also|and|but|so|ok(?:ay)?|btw)[, ]+)?(?:for|in|with|on) /i, ''));
}

/**
 * A house rule the answers must follow, said as feedback: a convention of the user's team or
 * place ("Our team uses Conventional Commits, so…", "我们公司用的是WPS") or what to do in a case
 * ("If you're not sure about something, just say so").
 */
const CONVENTION =
  /^(?:(?:also|and|but|so|oh|btw)[, ]+)?(?:our|my) (?:team|company|org|organi[sz]ation|school|class|shop|store|office|department|dept|group|lab|firm|editor|boss|manager|teacher|professor|client|publisher|style guide) (?:uses|follows|requires|wants|prefers|needs|sticks to|has a rule|insists|only (?:uses|accepts|allows))\b|^(?:(?:还有|另外|而且)[，,]?)?我们(?:公司|单位|学校|团队|部门|这边|组|老师|领导)(?:用的是|都用|只用|统一用|要求|规定)/i;
const IF_THEN =
  /^(?:(?:also|and|but|so)[, ]+)?(?:if|when|whenever) (?:something|anything|it|a fact|a claim|the answer)(?:'s| is| are)? (?:uncertain|unclear|disputed|contested|unknown|not (?:certain|sure|known|settled))\b[^.]{0,40}?,?\s*(?:say|tell|flag|mark|note|admit)\b|^(?:(?:also|and|but|so|oh|btw)[, ]+)?(?:if|when|whenever) (?:you(?:'re| are)?|u)\b[^,.;!?]{2,50},?\s*(?:then |please |pls |just )*(?:say|tell|ask|admit|mark|flag|note|let me know|check|use|give|put|add|skip|leave|write|don'?t|do not|never|always|stop)\b/i;

/** how it should sound, said as feedback: "casual is fine — write like a human", "sound less corporate" */
const REGISTER =
  /\b(?:casual|informal|relaxed|plain|simple|chatty|conversational) is (?:fine|ok|okay|better|good|what I want)\b|(?:^|[,;—–-]\s*)(?:write|talk|sound|speak)(?: it| them| these| this)? (?:like (?:a |an )?(?:human|person|friend|normal person|real person|coworker|colleague)|more (?:casual|human|natural|relaxed|friendly)|less (?:formal|stiff|corporate|salesy))\b/i;

export function statesHouseRule(clause: string): boolean {
  const t = withoutQuotes(clause).trim();
  return CONVENTION.test(t) || IF_THEN.test(t) || REGISTER.test(t);
}
