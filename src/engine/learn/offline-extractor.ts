import type { ProposedSkill } from './candidate.js';
import type { ExtractionInput, ExtractionOutcome, Extractor } from './extractor.js';
import { stripPlaceholders } from './redact.js';
import { renderPrompt, uniqueItems } from './sections.js';
import { hashSlug, slugOf } from '../skill/slug.js';
import { detectLanguage, uniquePhrases, type TemplateLanguage } from './text.js';

/**
 * The offline extractor: deterministic rules, no model. It learns only what a user states as a
 * durable rule or correction ("don't …", "always …", "from now on …", "不要…", "以后都…",
 * "请用…格式"), never from a plain request. This gate is the point: the upstream heuristic
 * extractor produced a skill for every turn and flooded the store.
 *
 * Evidence comes from user messages of the current work item only: walking back from the newest
 * user message, rule statements are collected until the message that started the task (a request
 * such as "write a report about …"). That request gives the goal, de-identified down to its
 * capability ("write a report"); its subject is dropped.
 */

// ---------------------------------------------------------------------------------------------
// Statement analysis

const EN_NOT_RULES =
  /\b(don'?t worry|do not worry|never ?mind|don'?t bother|no (problem|worries|thanks|thank you)|doesn'?t matter|don'?t mention it)\b/gi;
const EN_STRONG = new RegExp(
  [
    String.raw`\b(?:don'?t|do not|never|always|must|mustn'?t|shall not|should (?:always|never)|make sure|ensure|be sure to|remember to|from now on|in (?:the )?future|going forward|next time|each time|every time|avoid|refrain from|no more|only use|use only|stop (?:using|adding|writing|making|including))\b`,
    String.raw`\bplease (?:use|write|keep|format|respond|reply|answer|include|add|cite|stick)\b`,
    String.raw`\b(?:use|in|as|into) (?:a |an |the )?[\w -]{0,30}\bformat\b`,
  ].join('|'),
  'i',
);
/** Style directives count as rules only as feedback on an answer ("also use plain text, no markdown"). */
const EN_FEEDBACK = new RegExp(
  [
    String.raw`^(?:also|and|but|oh|ok(?:ay)?|plus|then)?[, ]*(?:use|keep|cite|include|add|prefer|limit|stick to|respond in|reply in|answer in|write in|be (?:more |less )?(?:concise|brief|formal|casual|specific|direct))\b`,
    String.raw`(?:^|[,;:]\s*)(?:no|without) (?!problem|worries|thanks|thank|need|idea|way|doubt|matter|one|longer|rush|pressure|offense)[a-z][\w-]*`,
  ].join('|'),
  'i',
);
const EN_QUESTION_REQUEST = /^(?:can|could|would|will) you\b/i;

const ZH_NOT_RULES = /不要紧|没关系|别客气|不用谢|不客气|不用了|别担心|不要担心/g;
const ZH_STRONG = new RegExp(
  [
    '(?<!要)不要',
    '(?<![特区分类级识告性差个派辨鉴离道])别(?![人的处])',
    '必须',
    '一定要',
    '务必',
    '千万',
    '以后都',
    '以后(?:请|要|也)',
    '今后',
    '从现在(?:开始|起)',
    '下次',
    '每次都?',
    '总是',
    '始终',
    '永远',
    '禁止',
    '不许',
    '不准',
    '不得',
    '避免',
    '切勿',
    '请勿',
    '只用',
    '只能',
    '统一用',
    '(?<![我你他她])记得',
    '请(?:用|使用|以|按)',
    '(?:用|以|按).{0,12}格式',
    '格式(?:要|用|为|请)',
    '(?<!能)不能',
    '不需要',
    '无需',
  ].join('|'),
);
const ZH_FEEDBACK = /(?:^|[，,；;])\s*(?:另外|还有|再|并且|而且)?\s*(?:用|使用|改用|改成|换成|保持|引用|注明|标注).{0,14}(?:纯文本|格式|表格|列表|中文|英文|markdown|json|要点|段落|来源|出处|简洁|正式|口语)/i;

const EN_REQUEST =
  /\b(write|draft|create|make|build|generate|compose|prepare|produce|translate|summari[sz]e|explain|analy[sz]e|review|plan|design|outline|rewrite|edit|proofread|implement|code|develop|fix|debug|refactor|convert|list|give me|tell me|find|research|describe|compare|calculate|help me)\b/i;
const ZH_REQUEST = /写|撰写|起草|生成|创建|制作|翻译|总结|概括|分析|解释|设计|规划|编写|实现|修改|润色|改写|整理|列出|给我|帮我|帮忙|请你|准备|做一|做个|出一/;
const ACK = /^(?:ok(?:ay)?|thanks?|thank you|thx|ty|great|good|nice|cool|perfect|got it|sounds good|looks good|yes|yep|yeah|sure|fine|awesome|好的?|谢谢|感谢|多谢|可以|不错|很好|嗯+|行|收到|明白|了解|没问题)[\s!.。！,，~]*/i;

/** A sentence-ish unit of a message. Commas stay inside: "don't hallucinate, cite sources" is one rule. */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+|(?<=[。！？])|\r?\n+|[;；]\s*/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function isRuleClause(clause: string, feedback: boolean, lang: TemplateLanguage): boolean {
  if (lang === 'zh') {
    const t = clause.replace(ZH_NOT_RULES, '');
    return ZH_STRONG.test(t) || (feedback && ZH_FEEDBACK.test(t));
  }
  const t = clause.replace(EN_NOT_RULES, '');
  return EN_STRONG.test(t) || (feedback && EN_FEEDBACK.test(t.trim()));
}

export interface StatementAnalysis {
  /** rule statements, in order */
  rules: string[];
  /** the task request part, if the message asks for a piece of work */
  request?: string;
  /** a short acknowledgement ("thanks", "好的") */
  ack: boolean;
}

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
  if (clean.length <= maxChars && !/\n\s*(?:#{1,6}\s|```)/.test(clean)) return clean;
  // "这是我写的版本如下，请优化一下，不要改逻辑  <pasted text>": keep the sentence with the
  // introducer, drop what follows the next line break or wide gap.
  const intro = /如下|以下|below|as follows|the following/i.exec(clean);
  if (intro) {
    const rest = clean.slice(intro.index).search(/\r?\n|\s{2,}/);
    if (rest > 0) clean = clean.slice(0, intro.index + rest);
  }
  const kept: string[] = [];
  for (const line of clean.split(/\r?\n/)) {
    if (BLOCK_LINE.test(line)) break;
    const intro = /(?:如下|以下|below|as follows|the following)\s*[:：]/i.exec(line);
    if (intro) {
      kept.push(line.slice(0, intro.index + intro[0].length));
      break;
    }
    kept.push(line);
    if (PASTE_INTRO.test(line.trim())) break;
    if (kept.join('\n').length > maxChars) break;
  }
  const head = kept.join('\n').trim();
  return head.length > maxChars ? head.slice(0, maxChars) : head;
}

/** Classify one user message into rules, a task request and/or an acknowledgement. */
export function analyzeStatement(text: string, opts: { feedback: boolean }): StatementAnalysis {
  const clean = ownWords(text);
  const lang = detectLanguage(clean);
  const rules: string[] = [];
  const requestParts: string[] = [];
  for (const sentence of sentences(clean)) {
    const question = /[?？]$/.test(sentence);
    // "Why did you …?" is not a rule; "Can you always cite sources?" is.
    const askable = !question || EN_QUESTION_REQUEST.test(sentence) || /(?:能|可以)不?(?:能|可以)?.*吗?[?？]$/.test(sentence);
    if (askable && isRuleClause(sentence, opts.feedback, lang)) {
      // "Write a report about X, and don't make things up": the request precedes the first rule clause.
      const clauses = sentence.split(/[,，]\s*/);
      const first = clauses.findIndex((c) => isRuleClause(c, opts.feedback, lang));
      const lead = first > 0 ? clauses.slice(0, first).join(', ') : '';
      if (lead && (lang === 'zh' ? ZH_REQUEST : EN_REQUEST).test(lead)) {
        requestParts.push(lead);
        rules.push(clauses.slice(first).join(lang === 'zh' ? '，' : ', '));
      } else rules.push(sentence);
    } else if ((lang === 'zh' ? ZH_REQUEST : EN_REQUEST).test(sentence) && !isRevision(sentence, lang)) {
      requestParts.push(sentence);
    }
  }
  const ack = rules.length === 0 && requestParts.length === 0 && clean.length <= 40 && ACK.test(clean);
  return { rules, request: requestParts[0], ack };
}

/** "Make it shorter" / "再改一下" revise the current answer; they neither start a task nor state a rule. */
function isRevision(sentence: string, lang: TemplateLanguage): boolean {
  if (lang === 'zh') return /^(?:再|重新|改一下|修改一下|把它|这个|这段|上面)/.test(sentence) && sentence.length <= 30;
  return /^(?:(?:can|could) you )?(?:make|fix|change|redo|rewrite|shorten|expand) (?:it|this|that|them)\b/i.test(sentence);
}

// ---------------------------------------------------------------------------------------------
// De-identified capability of a request

const EN_LEAD =
  /^(?:(?:hi|hello|hey|ok(?:ay)?|so|now|also|and)\b[,!.]?\s*|please\s+|kindly\s+|(?:can|could|would|will) you(?: please)?\s+|i (?:need|want|would like|'d like)(?: you)? to\s+|help me(?: to)?\s+|let'?s\s+|i need\s+|i want\s+)/i;
const EN_CUT =
  /\s(?:about|on|regarding|concerning|for|to|of|from|with|using|that|which|who|based|in|into|at|by|how|what|why|when|where|whether|if|so|because|and then|below|above|attached|here)\b/i;
const EN_DETERMINERS = /\b(?:this|that|these|those|my|our|your|his|her|their|some)\b/gi;

function capabilityEn(request: string): string | undefined {
  let s = sentences(request)[0] ?? request;
  s = s.replace(/https?:\/\/\S+/g, ' ').replace(/["“”'‘’`][^"“”'‘’`]*["“”'‘’`]/g, ' ').replace(/<[A-Z_]+>/g, ' ');
  s = s.replace(/[?!.:;,]+.*$/, '').trim();
  for (let i = 0; i < 6; i++) {
    const next = s.replace(EN_LEAD, '').trim();
    if (next === s) break;
    s = next;
  }
  const cut = EN_CUT.exec(s);
  if (cut && cut.index > 0) s = s.slice(0, cut.index);
  s = s.replace(EN_DETERMINERS, 'the').replace(/\b\d[\d.,:/-]*\b/g, ' ');
  const words = s.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  while (words.length > 1 && /^(?:a|an|the)$/.test(words[words.length - 1]!)) words.pop();
  const phrase = words.join(' ').trim();
  return phrase && /[a-z]/.test(phrase) ? phrase : undefined;
}

const ZH_VERBS: Array<[string, string]> = [
  ['撰写', 'write'],
  ['起草', 'draft'],
  ['编写', 'write'],
  ['写', 'write'],
  ['翻译', 'translate'],
  ['总结', 'summarize'],
  ['概括', 'summarize'],
  ['分析', 'analyze'],
  ['解释', 'explain'],
  ['设计', 'design'],
  ['规划', 'plan'],
  ['生成', 'generate'],
  ['制作', 'make'],
  ['润色', 'polish'],
  ['改写', 'rewrite'],
  ['修改', 'edit'],
  ['整理', 'organize'],
  ['列出', 'list'],
  ['实现', 'implement'],
  ['准备', 'prepare'],
  ['做', 'make'],
];
const ZH_NOUNS: Array<[string, string]> = [
  ['新闻稿', 'press-release'],
  ['演讲稿', 'speech'],
  ['周报', 'weekly-report'],
  ['日报', 'daily-report'],
  ['报告', 'report'],
  ['文章', 'article'],
  ['邮件', 'email'],
  ['代码', 'code'],
  ['函数', 'function'],
  ['程序', 'program'],
  ['脚本', 'script'],
  ['摘要', 'summary'],
  ['总结', 'summary'],
  ['方案', 'plan'],
  ['计划', 'plan'],
  ['简历', 'resume'],
  ['论文', 'paper'],
  ['文案', 'copy'],
  ['故事', 'story'],
  ['诗', 'poem'],
  ['大纲', 'outline'],
  ['提纲', 'outline'],
  ['表格', 'table'],
  ['通知', 'notice'],
  ['合同', 'contract'],
  ['评论', 'review'],
  ['回复', 'reply'],
  ['答案', 'answer'],
  ['PPT', 'slides'],
  ['公众号', 'wechat-post'],
  ['推文', 'post'],
  ['引言', 'introduction'],
  ['综述', 'survey'],
  ['汇报', 'briefing'],
  ['文档', 'document'],
  ['材料', 'document'],
  ['介绍', 'introduction'],
  ['README', 'readme'],
];

interface ZhCapability {
  phrase: string;
  slugWords: string[];
}

function capabilityZh(request: string): ZhCapability | undefined {
  let s = (sentences(request)[0] ?? request).replace(/https?:\/\/\S+/g, '').replace(/<[A-Z_]+>/g, '');
  s = s.replace(/[“"《「『][^”"》」』]*[”"》」』]/g, '');
  s = s.replace(/(?:关于|有关)[^，,。]*?的/g, '');
  s = s.replace(/^(?:你好|您好|嗨)[，,！!]?/, '');
  s = s.replace(/请你|请|麻烦你?|帮我|帮忙|能不能|能否|可不可以|可以|你能|给我|我想|我需要|我要|想请你|需要你/g, '');
  s = s.replace(/一(?:份|篇|个|封|段|首|张|套|版|下)|这(?:段|个|篇|份|些|里)?|那(?:段|个|篇|份|些)?/g, '');
  s = s.split(/[，,。！？?!；;：:\s]/)[0] ?? '';
  const verb = ZH_VERBS.find(([zh]) => s.includes(zh));
  const noun = ZH_NOUNS.find(([zh]) => s.includes(zh) && zh !== verb?.[0]);
  if (verb && noun) return { phrase: `${verb[0]}${noun[0]}`, slugWords: [verb[1], noun[1]] };
  // Without a known deliverable, a cut-off fragment of the request would make a poor title;
  // name the kind of work instead ("写作偏好" for writing), which stays stable across requests.
  if (verb) return { phrase: verb[0] === '写' || verb[0] === '撰写' || verb[0] === '编写' ? '写作' : verb[0], slugWords: [verb[1]] };
  if (noun) return { phrase: noun[0], slugWords: [noun[1]] };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Rule bullets, triggers, tags

function cleanRuleEn(rule: string): string {
  let s = rule.trim();
  for (let i = 0; i < 4; i++) {
    const next = s
      .replace(/^(?:also|and|oh|btw|by the way|plus|additionally|one more thing|ok(?:ay)?|thanks?|thank you|but|so|please|hey)\b[,:!.]?\s*/i, '')
      .replace(/^(?:from now on|in (?:the )?future|going forward|next time|in all future \w+)\b[,:]?\s*/i, '')
      .trim();
    if (next === s) break;
    s = next;
  }
  s = s.replace(/[,\s]*(?:from now on|in (?:the )?future|going forward|please|thanks|thank you)[.!]*$/i, '').trim();
  s = s.replace(/[.!:;,\s]+$/, '');
  if (!s) return '';
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`.slice(0, 240);
}

function cleanRuleZh(rule: string): string {
  let s = rule.trim();
  for (let i = 0; i < 4; i++) {
    const next = s
      .replace(/^(?:另外|还有|而且|并且|然后|对了|好的?|谢谢|另|再说一下)[，,、：:]?\s*/, '')
      .replace(/^(?:以后都?|今后|从现在(?:开始|起)|下次)[，,]?\s*/, '')
      .trim();
    if (next === s) break;
    s = next;
  }
  s = s.replace(/[。！!.~：:；;，,\s]+$/, '');
  return s ? `${s}。`.slice(0, 200) : '';
}

const EN_TAG_STOP = new Set(
  'the and for with that this from your about always never must make sure dont don\'t do not use using also please should would could will each every time future from now only avoid keep write draft create answer respond reply give tell help things thing stuff instead sure ensure remember any all more less very really just like want need stop under over than within words marks'.split(
    ' ',
  ),
);
const ZH_TAG_WORDS = [
  '报告', '引用', '来源', '出处', '幻觉', '事实', '格式', '纯文本', '表格', '列表', '要点', '简洁', '正式', '口语', '中文', '英文',
  '邮件', '文章', '代码', '注释', '测试', '摘要', '翻译', '标题', '字数', '段落', '语气', '数据', '图表', '结构',
];

function tagsFor(lang: TemplateLanguage, texts: string[], nounTag?: string): string[] {
  const joined = texts.join(' ');
  const ascii = (joined.match(/[A-Za-z][A-Za-z-]{2,}/g) ?? []).map((w) => w.toLowerCase());
  if (lang === 'zh') {
    const found = ZH_TAG_WORDS.filter((w) => joined.includes(w));
    const asciiTags = ascii.filter((w) => !EN_TAG_STOP.has(w));
    return uniquePhrases([...(nounTag ? [nounTag] : []), ...found, ...asciiTags, '偏好'], 6, 40);
  }
  const words = ascii.filter((w) => w.length >= 4 && !EN_TAG_STOP.has(w) && !w.endsWith("n't"));
  return uniquePhrases([...(nounTag ? [nounTag] : []), ...words, 'preferences'], 6, 40);
}

/** A rule short enough to double as a trigger phrase, else undefined (a cut rule reads wrong). */
function shortRule(rule: string, lang: TemplateLanguage): string | undefined {
  const s = rule.replace(/[.。!！]+$/, '');
  if (lang === 'zh') return s.length <= 16 ? s : undefined;
  return s.split(/\s+/).length <= 7 ? s : undefined;
}

// ---------------------------------------------------------------------------------------------

/**
 * Wording the offline templates add to every skill. Maintenance ignores it when comparing two
 * skills: it says nothing about which capability a skill is.
 */
export const TEMPLATE_WORDING = [
  'Use when the user asks to',
  'applies their standing rules',
  'Use for any request from this user',
  'The subject changes from request to request; the rules below always apply',
  'help me',
  'following my rules',
  'answer a question',
  'respond to a request',
  'apply my preferences',
  'Response preferences',
  'Apply this user\'s standing preferences to every answer',
  '在用户要求',
  '时使用，遵循其长期要求',
  '回答该用户的任何请求时使用',
  '每次请求的主题不同，下列规则始终适用',
  '帮我',
  '按我的要求',
  '按我的偏好回答',
  '回答问题',
  '回复请求',
  '回答偏好',
  '在所有回答中遵循该用户的长期偏好',
];

export interface OfflineExtractorOptions {
  /** how many rule bullets at most (oldest are dropped first) */
  maxRules?: number;
}

export class OfflineExtractor implements Extractor {
  readonly kind = 'offline';
  constructor(private readonly opts: OfflineExtractorOptions = {}) {}

  async extract(input: ExtractionInput): Promise<ExtractionOutcome> {
    return extractOffline(input, this.opts);
  }
}

/** The deterministic extraction itself (sync; exported for tests and for `simulate`). */
export function extractOffline(input: ExtractionInput, opts: OfflineExtractorOptions = {}): ExtractionOutcome {
  const statements: Array<{ text: string; feedback: boolean }> = [];
  input.messages.forEach((m, i) => {
    if (m.role !== 'user') return;
    statements.push({ text: m.content, feedback: i > 0 && input.messages[i - 1]!.role === 'assistant' });
  });
  if (input.hint?.trim()) statements.push({ text: input.hint.trim(), feedback: true });
  if (statements.length === 0) return { candidate: null, reason: 'no user message in the window' };

  // Walk back through the current work item; its opening request ends the walk (topic boundary).
  const rules: string[] = [];
  let request: string | undefined;
  for (let i = statements.length - 1; i >= 0; i--) {
    const a = analyzeStatement(statements[i]!.text, { feedback: statements[i]!.feedback });
    rules.unshift(...a.rules);
    if (a.request) {
      request = a.request;
      break;
    }
  }
  if (rules.length === 0) {
    return { candidate: null, reason: 'no durable rule or correction stated by the user (one-off request)' };
  }

  const lang = detectLanguage(rules.join(' ') + ' ' + (request ?? ''));
  const cleaned = uniqueItems(
    rules.map((r) => stripPlaceholders(lang === 'zh' ? cleanRuleZh(r) : cleanRuleEn(r))).filter((r) => r.length > 1),
  );
  const maxRules = opts.maxRules ?? 12;
  const bullets = cleaned.slice(Math.max(0, cleaned.length - maxRules));
  if (bullets.length === 0) return { candidate: null, reason: 'the stated rules were empty after de-identification' };

  return { candidate: buildCandidate(lang, bullets, request), reason: `${bullets.length} rule(s) stated by the user` };
}

function buildCandidate(lang: TemplateLanguage, bullets: string[], request: string | undefined): ProposedSkill {
  const confidence = Math.min(0.85, 0.55 + 0.1 * bullets.length);
  const shortRules = bullets
    .map((b) => shortRule(b, lang))
    .filter((r): r is string => r !== undefined)
    .slice(0, 2);
  if (lang === 'zh') {
    const cap = request ? capabilityZh(request) : undefined;
    const phrase = cap?.phrase;
    const title = phrase ?? '回答偏好';
    const slugBase = cap && cap.slugWords.length > 0 ? [...cap.slugWords, ...(cap.slugWords.length === 1 ? ['preferences'] : [])].join('-') : phrase ? hashSlug(phrase) : 'response-preferences';
    const goal = phrase ? `${phrase}。每次请求的主题不同，下列规则始终适用。` : '在所有回答中遵循该用户的长期偏好。';
    const ruleText = bullets.slice(0, 3).map((b) => b.replace(/。$/, '')).join('；');
    const description = phrase ? `在用户要求${phrase}时使用，遵循其长期要求：${ruleText}。` : `回答该用户的任何请求时使用，遵循其长期要求：${ruleText}。`;
    const triggers = phrase
      ? uniquePhrases([phrase, `帮我${phrase}`, `按我的要求${phrase}`, ...shortRules], 5, 80)
      : uniquePhrases(['回答问题', '回复请求', '按我的偏好回答', ...shortRules], 5, 80);
    const nounTag = ZH_NOUNS.find(([zh]) => phrase?.includes(zh))?.[0];
    return proposal({ lang, slug: slugBase, title, description, goal, bullets, triggers, phrase, nounTag, confidence });
  }
  const phrase = request ? capabilityEn(request) : undefined;
  const title = phrase ? `${phrase[0]!.toUpperCase()}${phrase.slice(1)}` : 'Response preferences';
  const slugWords = phrase ? phrase.split(' ').filter((w) => !/^(?:a|an|the)$/.test(w)) : ['response', 'preferences'];
  const slug = slugOf(slugWords.join(' ')) ?? hashSlug(title);
  const goal = phrase
    ? `${title}. The subject changes from request to request; the rules below always apply.`
    : "Apply this user's standing preferences to every answer.";
  const ruleText = bullets
    .slice(0, 3)
    .map((b) => b.replace(/\.$/, ''))
    .map((b) => b[0]!.toLowerCase() + b.slice(1))
    .join('; ');
  const description = phrase
    ? `Use when the user asks to ${phrase}; applies their standing rules: ${ruleText}.`
    : `Use for any request from this user; applies their standing rules: ${ruleText}.`;
  const triggers = phrase
    ? uniquePhrases([phrase, `help me ${phrase}`, `${phrase} following my rules`, ...shortRules], 5, 80)
    : uniquePhrases(['answer a question', 'respond to a request', 'apply my preferences', ...shortRules], 5, 80);
  const nounTag = phrase?.split(' ').filter((w) => w.length > 3 && !EN_TAG_STOP.has(w)).pop();
  return proposal({ lang, slug, title, description, goal, bullets, triggers, phrase, nounTag, confidence });
}

function proposal(p: {
  lang: TemplateLanguage;
  slug: string;
  title: string;
  description: string;
  goal: string;
  bullets: string[];
  triggers: string[];
  phrase: string | undefined;
  nounTag: string | undefined;
  confidence: number;
}): ProposedSkill {
  return {
    slug: p.slug,
    name: p.title,
    description: p.description,
    instructions: renderPrompt({ goal: p.goal, constraints: p.bullets, workflow: [], other: '' }),
    triggers: p.triggers,
    tags: tagsFor(p.lang, [p.phrase ?? '', ...p.bullets], p.nounTag),
    examples: [],
    confidence: p.confidence,
    files: {},
  };
}
