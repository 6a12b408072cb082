/**
 * What kind of utterance a query is, from its form alone: a question asking for a fact
 * ("how many ounces in a pound?", "你叫什么名字") or a request for a task ("write a report…",
 * "can you plan my trip?", "怎么获取总页数").
 *
 * Why: skills are about tasks. Their triggers are requests ("fix python open error", "写古诗词风格
 * 的广告语"); one-off factual questions and small talk almost never are a skill's task, yet they
 * share words with some skill ("soccer", "square root", "名字"), and word overlap alone cannot
 * tell "the skill's task is what the request asks" from "they share a word". The calibration
 * (calibration.ts) takes the form as one input and learns how much it weighs against the
 * lexical evidence, so a question that does name a skill's task can still reach it.
 *
 * How-to questions ("how do I…", "how to…", "怎么…") are not counted: a how-to is a task request as
 * often as not ("how to mock a function in gtest"). Neither are requests phrased as questions
 * ("can you…", "could you…", "would you…", "能不能帮我…").
 */

import { stemEnglish } from '../index/tokenize.js';

/** Words that open an English information question. */
const EN_WH = new Set(['what', "what's", 'whats', 'who', "who's", 'whom', 'whose', 'when', "when's", 'where', "where's", 'which', 'why']);
/** Auxiliaries that open a yes/no question ("is a tomato a fruit?", "do fish sleep?"). */
const EN_AUX = new Set(['is', 'are', 'was', 'were', 'am', 'do', 'does', 'did', 'has', 'have', 'had', "isn't", "aren't", "doesn't", "don't", "didn't"]);
/** Modals that open a question, or a request when "you" follows ("can you…"). */
const EN_MODAL = new Set(['can', 'could', 'would', 'will', 'should', 'shall', 'may', 'might', 'must']);
/** "how" + these asks for a quantity or a reason, not a procedure. */
const EN_HOW_FACT = new Set([
  'many', 'much', 'long', 'far', 'old', 'tall', 'big', 'deep', 'fast', 'often', 'come', 'hot', 'cold', 'heavy', 'high', 'large',
  'small', 'wide', 'are', 'is', 'was', 'were', 'does', 'did',
]);
/** after a modal, these make a request ("can you plan my trip?"), not a question ("can dogs see colors?") */
const YOU = new Set(['you', 'u', 'ya', 'yall']);

const LEAD = /^(?:(?:hey|hi|hello|ok|okay|so|and|but|also|well|um|uh|oh|btw|quick question)[,!. ]+)+/i;

function englishQuestion(q: string): boolean {
  const words = q
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(LEAD, '')
    .match(/[a-z']+/g);
  if (!words || words.length === 0) return false;
  const [w0, w1] = [words[0]!, words[1] ?? ''];
  if (EN_WH.has(w0)) return true;
  if (w0 === 'how') return EN_HOW_FACT.has(w1);
  // "do me a report on …", "do a summary of …": an imperative, not a question
  if (w0 === 'do' && (w1 === 'me' || w1 === 'a' || w1 === 'an' || w1 === 'us')) return false;
  if (EN_AUX.has(w0)) return true;
  // "can I get a write-up on …?", "could we have a summary …?": asking to be given something
  if (EN_MODAL.has(w0) && (w1 === 'i' || w1 === 'we') && /^(?:get|have|see|ask for)$/.test(words[2] ?? '')) return false;
  if (EN_MODAL.has(w0)) return !YOU.has(w1);
  return false;
}

/** Verbs that ask for a piece of work to be made, and the Chinese measure words of a piece ("一份", "篇"). */
export const PRODUCE_VERBS_EN = 'write|draft|prepare|put together|compile|produce|create|make|do|compose|generate';
export const PRODUCE_VERBS_ZH = '写|准备|整理|出|做|整|弄|起草|撰写|生成|来|需要|想要';
export const PIECE_ZH = '份|篇|个|封|段';

/**
 * A request to produce something, whatever its form ("What would a report on X look like? Write
 * one for me.", "写个报告？", "能不能准备一份报告发给他们？"): a question that asks for work.
 */
const EN_PRODUCE = new RegExp(String.raw`\b(?:${PRODUCE_VERBS_EN}|give|send) (?:me |us |up )?(?:one|a|an|some|the|my)\b|\bwrite (?:it|one|that)\b`, 'i');
const ZH_PRODUCE = new RegExp(String.raw`(?:${PRODUCE_VERBS_ZH})(?:一?[${PIECE_ZH.replace(/\|/g, '')}])|写个|写一下|(?:能|可以|会|帮我?|替我|给我)[^，,。？?]{0,4}写|写(?:吗|嘛|呢|不)`, 'u');

/** A question about what a word means or how two things differ ("开题报告和文献综述有什么区别？"). */
const ABOUT_MEANING = /\b(?:mean|means|meaning|stand for|stands for|difference between|differ from|definition of)\b|什么意思|有什么区别|区别是什么|有何区别|有什么不同|什么是|的定义/i;

/** An information question about a kind of work, not a request for a piece of it. */
export function asksAboutWork(query: string): boolean {
  if (asksToProduce(query)) return false;
  return asksAboutMeaning(query) || asksWhoOrWhen(query) || asksYesOrNo(query);
}

/** What a word means or how two things differ ("What's the difference between bash and zsh?"): asks about work, whatever the kind. */
export function asksAboutMeaning(query: string): boolean {
  return ABOUT_MEANING.test(query) && (questionForm(query) === 1 || endsWithQuestion(query)) && !asksToProduce(query);
}

/**
 * A question about who, when or where ("Who gave the 'I Have a Dream' speech?", "这首诗是谁写的？",
 * "周报什么时候交"): it asks about a piece of work that exists, never for a new one.
 */
const EN_WHO_WHEN = /^(?:who|whom|whose|when|where)\b(?!\s+(?:you|u)\s+(?:write|make|draft|do|give|prepare|send)\b)/;
const ZH_WHO_WHEN = /(?:是谁|谁(?:写|说|画|唱|发明|创作|提出|做|拍|演)的?|什么时候|哪一?年|在哪(?:里|儿)?)[^，,。；;]{0,10}[？?吗呢]?\s*$/u;

/** A yes/no question ("Is a contract valid without a signature?", "合同原件丢了还有法律效力吗"): about work, not for it. */
function asksYesOrNo(query: string): boolean {
  const q = query.normalize('NFKC').trim();
  if (HAN.test(q)) return /吗[？?！!。~～]*$/u.test(q) && !ZH_REQUEST.test(q) && !/(?:能|可以|可不可以|能不能)(?:帮|给|替)/u.test(q);
  const w = q.toLowerCase().replace(LEAD, '').match(/[a-z']+/g) ?? [];
  // "Should I ask my professor for a letter?" asks about one's own move; "Can I get a summary?" asks for one
  if (EN_MODAL.has(w[0] ?? '') && /^(?:i|we)$/.test(w[1] ?? '')) return !/^(?:get|have|see)$/.test(w[2] ?? '') && !(w[2] === 'ask' && w[3] === 'for');
  return EN_AUX.has(w[0] ?? '') && !(w[0] === 'do' && /^(?:me|a|an|us)$/.test(w[1] ?? '')) && !YOU.has(w[1] ?? '');
}

function asksWhoOrWhen(query: string): boolean {
  const q = query.normalize('NFKC').trim().toLowerCase().replace(/[‘’]/g, "'").replace(LEAD, '');
  return HAN.test(q) ? ZH_WHO_WHEN.test(q) && !ZH_REQUEST.test(q) : EN_WHO_WHEN.test(q);
}

/**
 * The question comes last, after what it is about: "My doctor's lab report says high LDL, what
 * does that mean?", "孩子的成绩报告上写着"待提高"，这是什么意思？".
 */
function endsWithQuestion(query: string): boolean {
  const q = query.normalize('NFKC').trim();
  const parts = q.split(/[,;:，；：。]\s*|[.!]\s+/).filter((p) => p.trim() !== '');
  if (parts.length < 2) return false;
  const last = parts[parts.length - 1]!;
  return HAN.test(last) ? chineseQuestion(last) : /\?\s*$/.test(last) && englishQuestion(last);
}

export function asksToProduce(query: string): boolean {
  return HAN.test(query) ? ZH_PRODUCE.test(query) : EN_PRODUCE.test(query);
}

/** Chinese question words and particles that ask for a fact (not 怎么/如何, which ask how to do something). */
const ZH_QUESTION = /(什么|啥|多少|多大|多高|多远|多久|多长|几[个点岁次年天号月周种条只颗块根]?|哪|谁|为什么|为啥|是不是|有没有|能不能|会不会|对不对|好不好|怎么样[？?。！!~]*$)|^你(?:喜欢|觉得|认为|是|有|知道|爱|会不会|平时)/u;
/** A request, even when framed as a question: 帮我…, 请…, 给我…, 能写一份…吗？, 你可以帮我…吗 */
const ZH_REQUEST = /^(请|帮我|帮忙|麻烦|给我|替我|能|可以|可不可以|你能|你可以|你可不可以)/u;
const ZH_FINAL = /[吗呢么嘛][？?！!。.…~～]*$/u;

function chineseQuestion(q: string): boolean {
  const s = q.trim();
  if (ZH_REQUEST.test(s)) return false;
  return ZH_FINAL.test(s) || ZH_QUESTION.test(s) || /[？?]\s*$/u.test(s);
}

const HAN = /\p{Script=Han}/u;

/** 1 when the query asks for a fact (an information question), else 0. */
export function questionForm(query: string): number {
  const q = query.normalize('NFKC').trim();
  if (q === '') return 0;
  // a CJK query is judged by its Chinese form; a Latin one by its English form
  return (HAN.test(q) ? chineseQuestion(q) : englishQuestion(q)) ? 1 : 0;
}

/**
 * A remark: a statement about oneself or the world ("I lost my wallet yesterday", "my son started
 * school today", "我昨天把钱包丢了") with no request in it. Skills' triggers are never remarks (none
 * of 1,200 held-out bank triggers is one), while small talk is mostly remarks, which share words
 * with some skill as readily as requests do.
 */
const EN_REMARK_START = /^(?:i|i'm|im|i've|ive|i'll|i'd|my|we|we're|we've|our|it|it's|its|the|that|this|today|yesterday|tonight|there|there's)\b/;
/** anything that makes the sentence ask for something */
const EN_REQUEST =
  /\b(?:need|needs|want|wanna|like|love to|looking for|have to|help|please|pls|plz|can you|could you|would you|will you|write|create|make|generate|draft|prepare|plan|give|show|tell|send|build|fix|translate|summari[sz]e|explain|list|compose|design|find|check|review|edit|rewrite|convert|analy[sz]e)\b/;
const ZH_REMARK_START = /^(?:我|我们|咱们|今天|昨天|明天|刚才|刚刚|最近|这|那)/u;
const ZH_REQUEST_WORD = /(想|要|需要|帮|请|写|生成|做|给|让|能|可以|如何|怎么|吗|呢|？|\?)/u;

/** 1 when the query is a remark rather than a request or a question, else 0. */
export function remarkForm(query: string): number {
  const q = query.normalize('NFKC').trim().toLowerCase().replace(/[‘’]/g, "'").replace(LEAD, '');
  if (q === '') return 0;
  if (HAN.test(q)) return ZH_REMARK_START.test(q) && !ZH_REQUEST_WORD.test(q) ? 1 : 0;
  return EN_REMARK_START.test(q) && !EN_REQUEST.test(q) && !/\?\s*$/.test(q) ? 1 : 0;
}

/**
 * Function words a query states for its form, not its topic: Chinese question words, pronouns
 * and fillers, and acknowledgements in both languages. English drops most equivalents as
 * stopwords ("what", "how", "you"); in CJK the segmenter keeps them as words, and being rare in
 * skill text they would claim the IDF of a topic word. A query gives them no weight (the index
 * is unchanged, so scores stay a function of the query and the skill).
 */
const FUNCTION_WORDS = (
  '什么 怎么 怎么样 怎样 为什么 为啥 多少 哪里 哪儿 哪个 哪些 谁 是不是 有没有 能不能 可不可以 会不会 ' +
  '可以 一下 一个 这个 那个 这些 那些 我们 你们 他们 她们 自己 还是 就是 已经 还有 然后 因为 所以 但是 如果 ' +
  '一点 有点 有些 的话 一些 吗 呢 吧 啊 呀 嘛 ' +
  // acknowledgements and fillers (the tokenizer drops 好的, 嗯嗯, … already; these it keeps)
  '收到 算了 明白 明白了 知道 知道了 了解 没问题 没事 没关系 不用了 行吧 好吧 好嘞 好滴 嗯 哦 噢 哇 厉害 不错 ' +
  // turn control ("继续" after an answer asks for more of it)
  '继续 接着 再来 ' +
  // English ones the tokenizer keeps
  'alright gotcha nope nah lol lmao haha hehe hmm wow oops omg yay welp'
).split(/\s+/);
/** as query tokens: English words also in the tokenizer's stemmed form ("oops" → "oop") */
export const QUERY_FUNCTION_WORDS: ReadonlySet<string> = new Set([...FUNCTION_WORDS, ...FUNCTION_WORDS.map(stemEnglish)]);
