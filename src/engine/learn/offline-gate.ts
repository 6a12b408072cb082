import { isPreferenceStatement } from './preference-statement.js';
import { statesHouseRule, talksAboutClass, talksAboutKind, ZH_DIRECTIVE } from './kind-norm.js';
import { detectLanguage, EN_MADE_FEEL, QUOTE_RE, withoutQuotes, type TemplateLanguage } from './text.js';
import {
  EN_COMPLAINT,
  EN_HELP_IF_YOU,
  EN_NOT_RULES,
  EN_STRONG,
  EN_STYLE,
  SCOPE_WIDENING,
  pointsBack,
  TUNING,
  TUNING_CLAUSE,
  ZH_COMPLAINT,
  ZH_NOT_RULES,
  ZH_STRONG,
  ZH_STYLE,
} from './offline-markers.js';

/**
 * The offline gate: which sentences of a user message state a durable rule about how work must
 * be done. Three kinds of evidence, all from the user's own words:
 * - a marker ("don't", "always", "from now on", "only include", "不要", "以后…", "每份", "只写");
 * - style or quality feedback on the previous answer without a marker ("写的具体一些", "要有故事性",
 *   "more concise", "less jargon"): only right after an assistant answer, only when the sentence
 *   speaks about the output's qualities, and only as a wish (a complaint such as "太简单了" or
 *   "too long" revises this answer and teaches nothing durable);
 * - a stated preference ("I prefer …", "我喜欢…"), or a bare one about the answers' form or
 *   language, even as a first message ("Plain text only for me, please.", "用中文回答我。";
 *   preference-statement.ts).
 * Not evidence: a plain request, a factual correction of this answer ("I never said that", "并没有
 * 说…", "it's X, not Y"), rules quoted inside pasted material (quotes, code or markdown blocks,
 * text after "如下："), and anything the assistant or system said (the caller passes user text only).
 */

// ---------------------------------------------------------------------------------------------
// Factual corrections: about this answer's content, not about how to work

const ZH_FACT_CORRECTION = /并没有说|我没(?:有)?说|没有说过|不是[^，,。]{1,4}而是|应该是[^，,。]{1,12}(?:不是|而不是)|搞错|说错|写错|弄错|记错|有误|错了|不对[，,。！!]|事实上|实际上(?:是|并)|没有(?:发生|这回事)/u;
const EN_FACT_CORRECTION =
  /\b(?:that'?s (?:wrong|incorrect|not (?:true|right|correct|what I said))|that is (?:wrong|incorrect|not true)|I (?:never|didn'?t|did not) (?:say|said|mention|tell)|you got [\w\s]{1,20} wrong|actually,? (?:it|he|she|they|the|that|this) (?:is|was|were|are|did)|it'?s [\w\s-]{1,20}, not [\w\s-]{1,20}|(?:is|was) not [\w\s-]{1,20}, (?:it|he|she) (?:is|was)|wrong (?:date|name|number|year|figure|person|place)|not what happened|never happened)\b/i;

export function isFactualCorrection(text: string): boolean {
  return ZH_FACT_CORRECTION.test(text) || EN_FACT_CORRECTION.test(text);
}

/** A lasting marker that survives a factual correction ("…, and from now on never invent details"). */
export const DURABLE = /(?:^|[，,。；;！!])之后(?:回答|回复|都|就|请|每次|也|一律)|\b(?:from now on|from here on|going forward|in (?:the )?future|always|every time|each time|remember|update (?:your|the) (?:rules?|standards?)|(?:about|for|in|with) anything|ever again)\b|\bever\b(?=\s*[,.!])|以后|今后|从现在(?:开始|起)|每次|始终|永远|一律|记住|更新.{0,16}(?:标准|规则|规范)/i;

// ---------------------------------------------------------------------------------------------
// Sentences, own words, quotes

/** A sentence-ish unit of a message. Commas stay inside: "don't hallucinate, cite sources" is one rule. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+|(?<=[。！？])|\r?\n+|(?<!\b[Tt][Ll]);(?=\s|$)\s*|；\s*|(?<=\p{Script=Han})\s+(?=[\p{Script=Han}A-Za-z])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const MATERIAL_INTRO =
  /(?:proofread|translate|summari[sz]e|review|check|edit|polish|fix|rewrite|read|look (?:at|over)|go over|correct|format|reply to|respond to|看看|看一下|看下|翻译|总结|校对|润色|检查|修改|改一下|整理|回复|说了(?:啥|什么)|读一下)[^\n]{0,80}[:：]$/i;
const PASTE_INTRO = /(?:如下|以下内容|下面(?:是|的内容)|below|as follows|the following|here is|here's)\s*[:：]?\s*$/i;
const BLOCK_LINE = /^\s*(?:#{1,6}\s|```|\||>|!\[|<\w)/;

/**
 * The part of a message that is the user talking, not material they pasted (a draft, a README,
 * a document to translate): rules quoted inside pasted material are not the user's rules.
 * Short messages are taken whole; in long ones, markdown/code blocks and everything after an
 * introducer such as "如下：" / "below:" are dropped.
 */
export function ownWords(text: string, maxChars = 600): string {
  let clean = text.trim();
  // "Proofread our style guide:\n1. Always…": what follows a request to work on material is the material
  const lines = clean.split(/\r?\n/);
  const materialAt = lines.findIndex((l, i) => i < lines.length - 1 && MATERIAL_INTRO.test(l.trim()));
  if (materialAt >= 0) clean = lines.slice(0, materialAt + 1).join('\n');
  if (clean.length <= maxChars && !/\n\s*(?:#{1,6}\s|```)/.test(clean)) return clean;
  const intro = /如下|以下|below|as follows|the following/i.exec(clean);
  if (intro) {
    const rest = clean.slice(intro.index).search(/\r?\n|\s{2,}/);
    if (rest > 0) clean = clean.slice(0, intro.index + rest);
  }
  const kept: string[] = [];
  for (const line of clean.split(/\r?\n/)) {
    if (BLOCK_LINE.test(line)) break;
    const lineIntro = /(?:如下|以下|below|as follows|the following)\s*[:：]/i.exec(line);
    if (lineIntro) {
      kept.push(line.slice(0, lineIntro.index + lineIntro[0].length));
      break;
    }
    kept.push(line);
    if (PASTE_INTRO.test(line.trim())) break;
    if (kept.join('\n').length > maxChars) break;
  }
  const head = kept.join('\n').trim();
  return head.length > maxChars ? head.slice(0, maxChars) : head;
}

// ---------------------------------------------------------------------------------------------
// Classification

function hasMarker(clause: string, lang: TemplateLanguage): boolean {
  const t = withoutQuotes(clause)
    .split(/[,，]\s*/)
    .filter((c) => !TUNING_CLAUSE.test(c.trim()) || DURABLE.test(c))
    .join(lang === 'zh' ? '，' : ', ');
  if (lang === 'zh') return ZH_STRONG.test(t.replace(ZH_NOT_RULES, ''));
  return EN_STRONG.test(t.replace(EN_NOT_RULES, ''));
}

function isStyleFeedback(clause: string, lang: TemplateLanguage): boolean {
  const t = withoutQuotes(clause).trim();
  if (TUNING.test(t)) return false;
  // "Add a paragraph on battery swapping": more content about a topic, for this answer only
  if (/^(?:(?:please|also|and)[, ]+)*(?:add|include|insert|mention|cover)\b.*\b(?:about|regarding|covering|on (?!top\b|the (?:top|end|first|last)\b))/i.test(t)) return false;
  if (lang === 'zh') return !ZH_COMPLAINT.test(t) && ZH_STYLE.test(t);
  return !EN_COMPLAINT.test(t) && EN_STYLE.test(t);
}

// ---------------------------------------------------------------------------------------------
/** what follows if a rule is broken ("Otherwise I can't use it for flashcards."): a reason, not a rule */
const CONSEQUENCE = /^(?:otherwise|or else|否则|不然)\b/i;

export function isRuleClause(clause: string, feedback: boolean, lang: TemplateLanguage): boolean {
  if (CONSEQUENCE.test(clause.trim())) return false;
  return (
    hasMarker(clause, lang) ||
    isPreferenceStatement(withoutQuotes(clause), lang, feedback) ||
    (feedback && (isStyleFeedback(clause, lang) || talksAboutClass(clause, lang) || talksAboutKind(clause, lang) || statesHouseRule(clause))) ||
    // said with the first request too when it is lasting: "…, and btw for flashcards I always import them into anki, so give them as front;back"
    (!feedback && DURABLE.test(withoutQuotes(clause)) && talksAboutClass(clause, lang))
  );
}

export const EN_REQUEST = new RegExp(
  // (a word used as a noun names no request: "it's basically a list of facts", "the plan", "your draft")
  String.raw`\b(?<!\b(?:a|an|the|this|that|these|those|my|your|our|his|her|their|its) )(put together|come up with|write|draft|create|make(?!s? ${EN_MADE_FEEL})|build|generate|compose|prepare|produce|translate|summari[sz]e|explain|analy[sz]e|review|plan|design|outline|rewrite|edit|proofread|polish|implement|code|develop|fix|debug|refactor|convert|list|give me|tell me|find|research|describe|compare|calculate|help me)\b(?![/-])|^(?:(?:hi|hey|hello|ok(?:ay)?|so)[,!]?\s+)?(?:I|we) (?:need|want|'d like|would like) (?:an?|some) (?!(?:break|hand|minute|moment|favou?r|hug|rest|nap|drink|coffee|holiday|vacation|ride|lift)\b)\w`,
  'i',
);
export const ZH_REQUEST = /写(?![得的过完了])|优化|改改|改一下|撰写|起草|生成|创建|制作|翻译|总结|概括|分析|解释|设计|规划|编写|实现|修改|润色|改写|整理|列出|给我|帮我|帮忙|请你|准备|做一|做个|出一|画/;
/** a pointer's lead that says what to do ("后面也少用排比句，记住这个"), not only when ("以后凡是跟吃的有关的，都按这个来") */
const LEAD_DIRECTS = /要|需要|只|不|别|先|再|少|多|用|放|加|写|列|标|留|必须|应该|尽量|确保|务必|得|\b(?:use|put|add|keep|make|write|start|end|open|close|include|avoid|never|always|don'?t|no|only|list|give|mark|label|number|skip|leave|cite|format|lead)\b/i;
/** acknowledgements and thanks (ACK: a message that opens with one; ACK_ONLY: a sentence that is nothing else) */
const ACK_WORDS = String.raw`ok(?:ay)?|thanks?|thank you|thx|ty|great|good|nice|cool|perfect|got it|sounds good|looks good|yes|yep|yeah|sure|fine|awesome|好的?|谢谢|感谢|多谢|可以|不错|很好|嗯+|行|收到|明白|了解|没问题`;
/** a sentence that is only an acknowledgement or praise ("Thanks, this is good!", "好的。") */
const ACK_ONLY = new RegExp(String.raw`^(?:(?:${ACK_WORDS}|lovely|this is (?:good|great|nice|perfect)|that'?s (?:good|great|nice|perfect)|挺好)[\s!.。！,，~]*)+$`, 'i');
const ACK = new RegExp(String.raw`^(?:${ACK_WORDS})[\s!.。！,，~]*`, 'i');
/** a request part that asks for the work itself (a question to the assistant, an imperative, a need) */
const ASKS =
  /^(?:(?:hi|hey|hello|ok(?:ay)?|so|and|also|now|right)[,!]?\s+)*(?:(?:can|could|would|will) (?:you|u)|please|pls|help me|(?:I|we) (?:need|want|'d like|would like)|write|draft|make|create|give me|put together|come up with|prepare|compose|generate)\b|^(?:请你?|麻烦你?|帮我|帮忙|给我|能不能|可以帮)/i;

/** a request framed as a question, after a greeting or a lead-in too ("Hi, small favour: could you…") */
const EN_QUESTION_REQUEST = /(?:^|[,:;]\s*)(?:can|could|would|will|may)\b|\b(?:is there (?:any|a) way|any chance|would it be possible|is it possible)\b.{0,20}\b(?:you|u)\b/i;
/** a Chinese question without a question mark ("不用鸡蛋的松饼怎么做") */
const ZH_QUESTION_END = /(?:怎么|如何|怎样|咋)(?:回事|[\u4e00-\u9fff]{0,2})[呢啊呀吧]?$|(?:是什么|为什么|为啥|是谁|在哪|多少|几[个点]?)[呢啊呀吧]?$/;
/**
 * A rule clause about this one piece of work ("这首不要押韵", "this one shouldn't rhyme", "no more
 * than 50 words" inside the request itself) specifies the deliverable; it is no lasting rule
 * unless a durable marker says so.
 */
const INSTANCE_RULE = /^(?:(?:but|and|also|just)\s+)?(?:this (?:one|time|piece|post|poem|draft|version)|for this (?:one|time)|here|(?:just )?for now|right now|for today)\b|^(?:今天|今儿|现在|目前)?(?:这(?:首|篇|份|次|个|封|段|回)|本次|这一(?:首|篇|份|次))/i;
const SPEC_LIMIT = /\b(?:no more than|not more than|under|below|at most|max(?:imum)?|within|up to|less than|fewer than|around|about|exactly) \d+ (?:words?|characters?|lines?|sentences?|paragraphs?|bullets?|items?|points?|pages?)\b|(?:不超过|不多于|以内|之内|左右|控制在)\s*\d*/i;
/** A tag at the end turns a statement into a question only in form: "…, ok?", "…，好吗？" */
const QUESTION_TAG = /[\s,，]*(?:ok|okay|alright|right|please|got it|understood|好吗|行吗|可以吗|好不好|行不行|懂吗|明白吗)\s*[?？]$/i;

export interface StatementAnalysis {
  /** rule statements, in order */
  rules: string[];
  /** the task request part, if the message asks for a piece of work */
  request?: string;
  /** a short acknowledgement ("thanks", "好的") */
  ack: boolean;
  /** the message corrects facts of the answer */
  factual: boolean;
}

/** A sentence that points back at a value said just before it ("that's the max", "就这个上限"). */
const ANAPHOR = /^(?:(?:and|so|ok(?:ay)?)[, ]+)?(?:that'?s|that is|this is|that|this|those|these)\b|^(?:这|那)|就这|就按这|照这|这个(?:上限|标准|长度|字数|数)/i;
/** A marker said on its own, about the sentence before it: "Every time, I mean.", "以后都这样。" */
const MARKER_FRAGMENT =
  /^(?:(?:and|oh|but|i mean|so|please|pls)[, ]+)?(?:(?:do|keep doing|keep|stick (?:to|with)|go with|continue with|remember) (?:that|this|it)(?: (?:way|too))?[, ]*|(?:就)?(?:照这个|按这个)(?:来|做|办)?[，,]?)?(?:every time|each time|always|from now on|going forward|in future|in the future|for good|for all of them|permanently|not just this once|not only this time|everywhere(?:,? not (?:just|only) (?:for |in |with )?[\w -]{1,30})?|ever(?:,? (?:about|for|in) anything)?|(?:about|for|in) anything|以后都?(?:这样|是这样|按这个)?|每次都?(?:这样)?|一直这样|不只这次|不止这一次)[\s,.!，。！~]*(?:(?:I mean|please|pls|ok(?:ay)?|thanks|好吗|哈|啊|哦)[\s.!。！~]*)?$/i;

const SCOPE_FRAGMENT =
  /^(?:我们?的?)?(?:所有|全部|每一?[份篇个封])?的?[^，,。！!？?]{1,8}(?:都|也)(?:要|得)?(?:这样|是这样|如此|一样|照此|按这个来)[。！!~]*$|^(?:(?:and|this|that|it) )?(?:goes |applies )?(?:the )?(?:same )?(?:goes |applies )?(?:for|to) (?:all|every|each|any) (?:of )?(?:my |our )?[\w-]+(?: too| as well)?[.!]*$|^same (?:goes )?for (?:all|every|each|any) (?:of )?(?:my |our )?[\w-]+[.!]*$|^(?:(?:and|this|that|it) )?(?:goes|applies) (?:for|to) (?:everything|anything)\b[^.!?]*[.!]*$|^(?:not (?:just )?(?:in|for) this(?: one)?,\s*)?(?:and |but |or |nor |not )*(?:in|for|to) (?:anything|everything)(?: else)? (?:you|u) (?:write|make|send|give|do|say)\b[^.!?]*[.!]*$/i;

/** a change asked of the answer: "Could you drop all the exclamation marks?", "别加表情了" */
const CHANGE = /^(?:(?:ok|okay|hmm|also|and|but|oh)[, ]+)?(?:(?:could|can|would|will) you |please |pls )?(?:drop|remove|stop|avoid|cut|lose|skip|get rid of|don'?t|do not|no more|never|quit)\b|^(?:别|不要|去掉|删掉|少用|不用)/i;

/** "Not in this, not in anything else you write for me.": the scope of the last rule, even after a reason in between */
const EVERYTHING_SCOPE = /\b(?:anything|everything)(?: else)? (?:you|u) (?:write|make|send|give|do|say)\b|\b(?:goes|applies) (?:for|to) (?:everything|anything)\b/i;

/**
 * A request for a piece whose content holds the lasting marker: "Write a note to my manager
 * requesting to work from home on Thursdays going forward", "帮我写封邮件跟领导说以后每周五远程办公".
 * The marker is what the piece says, not a rule for the assistant.
 */
const EN_CONTENT_AFTER =
  /^(?:(?:hi|hey|ok(?:ay)?|please|pls|can you|could you|would you)[,!]?\s+)*(?:write|draft|compose|create|make|prepare|put together|send|give me|help me (?:write|draft|word))(?: me| us)? (?:a|an|the|my|our|this|some)\b[^.?!,;]{0,80}?\b(?:requesting|asking|saying|telling|announcing|explaining|letting|informing|notifying|reminding|about|regarding|to (?:ask|tell|say|request|announce|let|explain|confirm|inform|remind))\b/i;
const ZH_CONTENT_AFTER = /^(?:帮我|请|麻烦|给我|你)?(?:写|起草|拟|发|编)[^，,。]{0,12}?(?:说|告诉|通知|申请|问|请求|提醒|表示|宣布)/;
function markerInContent(sentence: string): boolean {
  const m = EN_CONTENT_AFTER.exec(sentence) ?? ZH_CONTENT_AFTER.exec(sentence);
  if (!m) return false;
  // only within the clause the piece is asked for in: "…about AI in radiology, and keep my reports under 600 words from now on" is a rule
  const clause = sentence.slice(m[0].length).split(/[,;，；]/)[0]!;
  return DURABLE.test(clause) && !DURABLE.test(sentence.slice(0, m[0].length));
}

/** A sentence that goes on with the rule before it: "they need real, cited sources". */
function continuesRule(sentence: string, lang: TemplateLanguage): boolean {
  const t = withoutQuotes(sentence).trim();
  if (lang === 'zh') return /^(?:它们?|这些|都要|并且|而且)/.test(t) && ZH_DIRECTIVE.test(t);
  // "…at the very top next time? And list the ingredients in the order I'll use them.": one more thing to do
  if (/^(?:and|also|plus|oh and)\s+(?:please\s+)?(?:list|put|add|use|keep|include|give|start|end|write|make|number|group|sort|mark|label|show|skip|leave|avoid|don'?t|never|always|mention|cite)\b/i.test(t)) return true;
  return /^(?:(?:and|so)\s+)?(?:they|it|these|those|each one|every one)\b/i.test(t) && /\b(?:need|needs|must|should|have to|has to|require|always|never)\b/i.test(t);
}

/** how to write whatever is asked ("write it as normal paragraphs"), not a request for a piece */
const FORM_DIRECTIVE = /\b(?:write|format|put|do|make|lay out|set) (?:it|them|these|those|everything|anything|each one)(?: out| up)? (?:as|in|like|with|without|using)\b/i;

/**
 * The scope said before the rules it widens: "This happens with basically everything I ask you.
 * Put the answer first." (the scope said after them is SCOPE_WIDENING's).
 */
const SCOPE_LEAD =
  /\b(?:every|each) (?:single )?(?:answer|reply|response)(?: of yours| you give)? (?:ends?|starts?|opens?|begins?|has|comes|is)\b|\b(?:it|you)(?:'s| has| have|'ve) been doing (?:this|that|it) (?:in|with|for|on) (?:basically |pretty much |almost )?(?:everything|every|all)\b|(?:每次|每回)(?:回答|回复|你)?(?:的)?(?:开头|结尾|最后)都|\b(?:this|that|it) (?:happens|keeps happening|is the (?:same|case)|goes on) (?:with|in|for|on|across) (?:basically |pretty much |almost |nearly |just about )?(?:everything|anything|all (?:of )?(?:your|my|the)|every|each)\b|\b(?:you|u) (?:do|did|keep doing) (?:this|that|it) (?:with|in|for|on) (?:basically |pretty much |almost |nearly )?(?:everything|every|all)\b|(?:每次|每回|回回|次次|老是|总是)(?:回答|回复|问你)?都(?:这样|是这样|这德性)|(?:所有|每个|每条|每一个)(?:回答|回复)都(?:这样|是这样)|(?:不管|无论)(?:我)?问(?:什么|啥)都(?:这样|是这样)/i;
/** a sentence that tells what to do, with no marker ("Put the actual answer in the first sentence.", "直接说结论") */
const IMPERATIVE = /^(?:(?:just|please|pls|and|also|so|then)[, ]+)*(?:put|give|start|lead|open|end|keep|make|use|write|answer|tell|say|skip|drop|cut|stop|avoid|list|state|get to|go straight)\b|^(?:请|就|你)?(?:直接|先|只|别|不要|要|少|多)/i;

/**
 * Feedback that gives a standing reason ("Marcus reads these on his phone", "I'm a designer", "our DBA
 * bounces any PR with nested subqueries", "my old assistant always…", "我们组的规矩是…", "我是第一次做饭")
 * makes its directives lasting: the reason outlives this answer, so does what it asks for.
 */
/** who or where the user is: case-sensitive, a place is a name */
const STANDING_WHO_EN = /\b(?:I'?m|I am) (?:in|from|based in) [A-Z][a-z]+/;
const STANDING_CONTEXT_EN =
  /\b(?:I'?m|I am) (?:an? [a-z-]+|blind|deaf|dyslexic|colou?r-?blind|vegan|vegetarian|new to)\b|\bI use (?:a )?screen ?reader\b|\b(?:the )?people I (?:write|send|email|talk|sell) to\b|\b(?:she|he|they)(?:'s| is| are) (?:\d{1,3}|blind|deaf|diabetic|celiac|pregnant|allergic)\b|\b(?:walks|gets around) with a (?:cane|walker|wheelchair)\b|\b(?:my|our) (?:boss|manager|partner|wife|husband|kids?|son|daughter|team|company|dba|lawyer|client|clients|readers|audience|servers?|editor|teacher|professor|chair)(?:'s)?\b[^.!?]{0,60}\b(?:[a-z]{3,}s|is|are|can'?t|won'?t|doesn'?t|don'?t|only|always|never|told me|have)\b|\bI(?:'ve| have)(?: got)? (?:(?:a|an|two|three|four|\d+|some) )?(?:[a-z-]+ )?(?:cats?|dogs?|kittens?|pupp(?:y|ies)|kids?|children|toddlers?|bab(?:y|ies)|pets?|(?:[a-z]+ )?allerg(?:y|ies)|diabetes|coeliac|celiac|bad (?:back|knees?|hips?))\b|\bI(?:'ve| have)(?: got)? (?:a|an|two|three|four|\d+) (?:[a-z-]+ ){1,2}(?:who|that) (?:chews?|bites?|is|are|can'?t|won'?t|hates?|gets?)\b|\bI (?:teach|coach|tutor|lecture)\b|\b(?:my|our) (?:class|classes|students|pupils|gym|shop|studio|school|customers|members|listeners|followers|church|congregation|venue)\b[^.!?]{0,60}\b(?:[a-z]{3,}s|is|are|can'?t|won'?t|doesn'?t|don'?t|only|always|never|have)\b|\b(?:my |the )?(?:old|previous|last|other|former) (?:assistant|ai|bot|chatbot|tool)\b|\b(?:these|those|they) go (?:straight )?(?:to|out to)\b|\breads? (?:these|them|it) on (?:his|her|my|their|a) phone\b/i;
const STANDING_CONTEXT_ZH = /我(?:是|在|平时|一般|基本都?|都是|第一次)|我们(?:老板|领导|组|公司|团队|部门|老大|导师|HR)|(?:老板|领导|导师|老大|HR|律师|老师)(?:有个|会|说|卡得|看了|吐槽)|我(?:爸妈|父母|粉丝|孩子)/;
/** what a sentence of such feedback asks for: an imperative, a "should", or a wish for the form */
const DIRECTS_EN = new RegExp(
  String.raw`^(?:(?:just|please|pls|and|also|so|then|but)[, ]+)*(?:put|give|start|lead|open|end|keep|make|use|write|answer|tell|say|skip|drop|cut|stop|avoid|list|state|add|include|leave|show|break|split|call out|round|convert|stick|plain|no|never|always|only)\b|\b(?:should|must|has to|have to|needs? to|got to|gotta)\b|^(?:any|every|each|all) [a-z-]+(?: [a-z-]+)? (?:I|we|you)\b|\bI (?:really |always |just )?need (?:the|a|an|you to)\b|\b${EN_HELP_IF_YOU}\b`,
  'i',
);
const DIRECTS_ZH = /^(?:所以|那|因此)?(?:你)?(?:直接|先|只|别|不要|不用|要|得|必须|都|少|多|尽量|最好|每)|(?:都|也|一定|必须|应该)(?:要|得)|必须|应该|就行|就好|即可|说清楚|写清楚|照实|的时候[，,]?[^，,。]|的就(?:写|用|标|填|说|放)/;
/** a description of this answer or of what happened, not a wish ("你这写得像流水账", "这行程也太赶了") */
const ZH_DESCRIBES = /^(?:你这|这|那|你(?:写|给|这|把)|我要是|他|她|对面)/;
/** what a better assistant did is what the user wants ("My old assistant always stuck to the standard library") */
const OLD_ASSISTANT = /\b(?:my |the )?(?:old|previous|last|other|former) (?:assistant|ai|bot|chatbot|tool)\b[^.!?]{0,20}\b(?:always|used to|would)\b|以前(?:的|那个)?(?:助手|AI|ai)(?:都|总是|一般)/;

/** a sentence that gives the standing reason ("The people I write to skim.") asks for nothing */
function statesContext(sentence: string, lang: TemplateLanguage): boolean {
  const t = withoutQuotes(sentence);
  return lang === 'zh' ? STANDING_CONTEXT_ZH.test(t) : STANDING_CONTEXT_EN.test(t) || STANDING_WHO_EN.test(t);
}

function directsInContext(sentence: string, lang: TemplateLanguage): boolean {
  const t = withoutQuotes(sentence).trim();
  if (/[?？]$/.test(t)) return false;
  if (OLD_ASSISTANT.test(t) || HABIT_ZH.test(t)) return true;
  if (lang !== 'zh') return DIRECTS_EN.test(t);
  // any clause may direct: "我买了个厨房秤，你直接告诉我几克几毫升"
  return t.split(/[，,]/).some((c) => !ZH_DESCRIBES.test(c.trim()) && DIRECTS_ZH.test(c.trim()));
}

/** what the user always does is what they want done ("我平时发的都是一两句话，带点自嘲") */
const HABIT_ZH = /^我平时(?:发|写|用|说|看)的?(?:都是|一般是)/;

/** "Make it shorter" / "再改一下" revise the current answer; they neither start a task nor state a rule. */
function isRevision(sentence: string, lang: TemplateLanguage): boolean {
  if (lang === 'zh') return /^(?:再|重新|改一下|修改一下|把它|这个|这段|上面)/.test(sentence) && sentence.length <= 30;
  // "can you add a few on which steps produce NADH?": more of the same piece, not a new one
  if (/^(?:(?:ok(?:ay)?|and|also|oh)[, ]+)?(?:(?:can|could|would) you |please |pls )?(?:also )?(?:add|include|throw in) (?:a few|a couple(?: of)?|some|another|one|two|three|\d+)(?: more)?\b/i.test(sentence)) return true;
  return /^(?:(?:good|great|nice|ok(?:ay)?|thanks|fine|not bad|close)?,? ?(?:but|though|just) )?(?:(?:can|could|would) you )?(?:please )?(?:(?:make|fix|change|redo|rewrite|shorten|expand) (?:it|this|that|them)|(?:redo|change|swap|replace|drop|remove) (?:the \w+|day \d+|step \d+|(?:the )?(?:first|second|third|last) \w+|\w+ \d+))\b/i.test(sentence);
}

/**
 * Classify one user message into rules, a task request and/or an acknowledgement. `feedback`:
 * the message follows an assistant answer (style feedback without a marker counts only then).
 */
export function analyzeStatement(text: string, opts: { feedback: boolean }): StatementAnalysis {
  const own = ownWords(text);
  const lang = detectLanguage(own);
  // Quoted spans become opaque tokens before the message is cut into sentences, so a quotation
  // with its own full stops ("“严禁吸烟。不要…”") is never taken apart into the user's rules.
  const quotes: string[] = [];
  const clean = own.replace(QUOTE_RE, (m) => `\u0001${quotes.push(m) - 1}\u0002`);
  const restore = (s: string): string => s.replace(/\u0001(\d+)\u0002/g, (_, i: string) => quotes[Number(i)] ?? '');
  const factual = isFactualCorrection(clean);
  const rules: string[] = [];
  const requestParts: string[] = [];
  // a request in either language: "帮我改一下英语作文：Last summer I go…" is mostly English and asks in Chinese
  const request = { test: (t: string): boolean => ZH_REQUEST.test(t) || EN_REQUEST.test(t) };
  /** the previous sentence when it was neither a rule nor a request ("500 words.") */
  let loose: string | undefined;
  let afterRule = false;
  /** the previous sentence when it stated no rule, and where its request part went */
  let previous: { text: string; requestAt: number } | undefined;
  /** the last change asked for ("Could you drop all the exclamation marks?"), which a later "that goes for anything you write" makes lasting */
  let change: string | undefined;
  /** the sentences said so far that a pointer ("that's how I want all my threads") may point back at, with the rules and requests counted before each */
  const said: Array<{ text: string; rules: number; requests: number }> = [];
  /** a scope said before its rules ("This happens with basically everything I ask you."), until a rule takes it */
  let scopeLead: string | undefined;
  const lasting = opts.feedback && statesContext(clean, lang);
  for (let sentence of sentences(clean)) {
    const before = rules.length;
    const bare = withoutQuotes(sentence).trim();
    if (opts.feedback && scopeLead === undefined && rules.length === 0 && SCOPE_LEAD.test(bare) && !isRuleClause(sentence, true, lang)) {
      scopeLead = sentence;
      continue;
    }
    if (scopeLead !== undefined && (IMPERATIVE.test(bare) || isRuleClause(sentence, true, lang))) {
      rules.push(`${restore(scopeLead)}${lang === 'zh' ? '' : ' '}${restore(sentence)}`);
      scopeLead = undefined;
      afterRule = true;
      previous = undefined;
      continue;
    }
    const clauses = bare.split(/[,，]\s*/);
    const pointer = clauses.length > 1 && pointsBack(clauses.at(-1)!);
    // a bare lasting marker ("Keep doing that every time.") is MARKER_FRAGMENT's, below
    if ((pointer || pointsBack(bare)) && !MARKER_FRAGMENT.test(sentence.trim())) {
      const lead = clauses.slice(0, -1).join(lang === 'zh' ? '，' : ', ');
      let made = false;
      if (pointer && !ACK_ONLY.test(lead) && (said.length === 0 || (isRuleClause(lead, opts.feedback, lang) && LEAD_DIRECTS.test(lead)))) {
        // "…，后面也少用排比句，记住这个。": the rule and its pointer in one sentence (a lead that states
        // no rule, "以后凡是跟吃的喝的有关的，都按这个来", points at what was said before it)
        rules.push(restore(sentence));
        made = true;
      } else if (said.length > 0) {
        // "put the pay range at the top. people skip ads that hide it. do that for every job ad": what
        // was said before is the rule, one rule with this scope, whatever each sentence was taken for
        const from = said[Math.max(0, said.length - 3)]!;
        rules.length = from.rules;
        requestParts.length = from.requests;
        const sep = lang === 'zh' ? '' : ' ';
        rules.push(`${said.slice(-3).map((x) => restore(x.text)).join(sep)}${lang === 'zh' ? '' : ' — '}${restore(sentence)}`);
        made = true;
      }
      // a pointer with nothing to point at ("Remember this for every chat: …") is read as any sentence
      if (made) {
        afterRule = true;
        previous = undefined;
        said.length = 0;
        continue;
      }
    }
    if (!ACK_ONLY.test(bare) && !(/[?？]$/.test(bare) && !EN_QUESTION_REQUEST.test(bare) && !/(?:能|可以)不?(?:能|可以)?/.test(bare))) said.push({ text: sentence, rules: rules.length, requests: requestParts.length });
    if (rules.length === 0 && change !== undefined && EVERYTHING_SCOPE.test(withoutQuotes(sentence))) {
      rules.push(`${restore(change.replace(/[?？]\s*$/, ''))}${lang === 'zh' ? '，' : ' — '}${restore(sentence)}`);
      afterRule = true;
      continue;
    }
    // "Numbered steps, one idea each. That goes for everything you send me.": the widening makes the sentence before it the rule
    const widened = withoutQuotes(sentence);
    if (rules.length === 0 && previous && !/[?？]\s*$/.test(previous.text) && sentence.length <= 80 && (SCOPE_WIDENING.test(widened) || EVERYTHING_SCOPE.test(widened))) {
      if (previous.requestAt >= 0) requestParts.splice(previous.requestAt, 1);
      rules.push(`${restore(previous.text)}${lang === 'zh' ? '，' : ' — '}${restore(sentence)}`);
      afterRule = true;
      previous = undefined;
      continue;
    }
    if (CHANGE.test(withoutQuotes(sentence).trim())) change = sentence;
    if (MARKER_FRAGMENT.test(sentence.trim())) {
      // "Could you keep reports under 500 words? Every time, I mean.": the marker makes the sentence before it a rule
      if (previous && !afterRule) {
        if (previous.requestAt >= 0) requestParts.splice(previous.requestAt, 1);
        rules.push(`${restore(previous.text.replace(/[?？]\s*$/, ''))}${lang === 'zh' ? '，' : ' — '}${restore(sentence)}`);
        afterRule = true;
      }
      previous = undefined;
      continue;
    }
    if ((afterRule || (rules.length > 0 && EVERYTHING_SCOPE.test(withoutQuotes(sentence).trim()))) && SCOPE_FRAGMENT.test(withoutQuotes(sentence).trim())) {
      // "…都要注明来源。我所有的报告都这样。": the scope of the rule just said, not a rule of its own
      rules[rules.length - 1] += (lang === 'zh' ? '' : ' ') + restore(sentence);
      continue;
    }
    const requestsBefore = requestParts.length;
    if (QUESTION_TAG.test(sentence)) sentence = sentence.replace(QUESTION_TAG, '');
    const question = /[?？]$/.test(sentence) || (lang === 'zh' && ZH_QUESTION_END.test(sentence));
    // "Why did you …?" is not a rule; "Can you always cite sources?" is.
    const askable = !question || EN_QUESTION_REQUEST.test(sentence) || /(?:能|可以)不?(?:能|可以)?.*吗?[?？]$/.test(sentence);
    // In a factual correction only lasting rules count: "不要有幻觉，并没有说…" corrects this answer.
    // "From now on answer in plain text, what is BM25?": the rule before the trailing question counts.
    const tail = question && !askable ? /^(.*\S)[\s,，]+([^\s,，][^,，]*)$/su.exec(sentence) : null;
    const asks = tail ? /^(?:what|how|why|who|when|where|which|is|are|can|could|do|does)\b|什么|怎么|为什么|如何|哪|吗|呢/i.test(tail[2]!) : false;
    if (tail && asks && isRuleClause(tail[1]!, opts.feedback, lang) && (!factual || DURABLE.test(withoutQuotes(tail[1]!)))) {
      rules.push(restore(tail[1]!));
      continue;
    }
    const ruleHere =
      askable &&
      !markerInContent(withoutQuotes(sentence)) &&
      isRuleClause(sentence, opts.feedback, lang) &&
      (!factual || DURABLE.test(withoutQuotes(sentence)) || statesHouseRule(sentence)) &&
      !(INSTANCE_RULE.test(sentence.trim()) && !DURABLE.test(withoutQuotes(sentence)));
    if (ruleHere) {
      // "Write a report about X, and don't make things up": the request precedes the first rule clause.
      const clauses = sentence.split(/[,，]\s*/);
      const first = clauses.findIndex((c) => isRuleClause(c, opts.feedback, lang));
      const lead = first > 0 ? clauses.slice(0, first).join(', ') : '';
      const rest = clauses.slice(first).join(lang === 'zh' ? '，' : ', ');
      if (lead && request.test(lead) && !isRuleClause(lead, false, lang) && !FORM_DIRECTIVE.test(lead) && !talksAboutKind(sentence, lang) && !(lasting && directsInContext(lead, lang))) {
        requestParts.push(restore(lead));
        // "Write a product description, no more than 50 words": a size for this piece, not a rule
        const spec = (SPEC_LIMIT.test(rest) || INSTANCE_RULE.test(rest.trim())) && !DURABLE.test(withoutQuotes(rest));
        if (!spec) rules.push(restore(rest));
      } else if (!(lead && isRevision(lead, lang) && !DURABLE.test(withoutQuotes(rest)))) rules.push(restore(sentence));
      // "can you redo day 2, I don't like museums": the reason for this revision, not a rule
    } else if (lasting && !factual && !isRevision(withoutQuotes(sentence).trim(), lang) && directsInContext(sentence, lang)) {
      // feedback with a standing reason: its directives last (STANDING_CONTEXT_EN)
      rules.push(restore(sentence));
    } else if (afterRule && continuesRule(sentence, lang)) {
      // "…in my reports; they need real, cited sources": the same rule, continued
      rules[rules.length - 1] += (lang === 'zh' ? '' : ' ') + restore(sentence);
      continue;
    } else if (request.test(sentence) && !isRevision(sentence, lang) && !factual && !(lasting && statesContext(sentence, lang))) {
      requestParts.push(restore(sentence));
    }
    // "500 words. That's the max for my reports from now on.": the value said just before
    if (rules.length > before && loose !== undefined && ANAPHOR.test(sentence)) rules[rules.length - 1] = `${restore(loose)}${lang === 'zh' ? '' : ' '}${rules[rules.length - 1]}`;
    afterRule = rules.length > before;
    previous = afterRule ? undefined : { text: sentence, requestAt: requestParts.length > requestsBefore ? requestsBefore : -1 };
    loose = !afterRule && requestParts.length === 0 && sentence.length <= 30 && /\d|[一二两三四五六七八九十百千]/.test(sentence) ? sentence : undefined;
  }
  const ack = rules.length === 0 && requestParts.length === 0 && clean.length <= 40 && ACK.test(clean);
  // the part that asks, over material or context that only mentions work ("Here's the outline of
  // this week's episode of our gardening podcast: … Can you write the show notes?")
  return { rules, request: requestParts.find((p) => ASKS.test(p.trim())) ?? requestParts[0], ack, factual };
}
