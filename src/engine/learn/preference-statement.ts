import type { TemplateLanguage } from './text.js';

/**
 * A standing preference said as a bare phrase, with no marker word and no answer before it:
 * "Plain text only for me, please.", "English only.", "Short answers, please.", "No emoji.",
 * "Reply in Chinese.", "用中文回答我。", "回答用英文。", "简短回答。", "纯文本就行。".
 *
 * What makes it a rule is its shape, not a keyword: the whole sentence (after polite filler)
 * is about the form or the language of the answers, and asks for no piece of work. So the
 * sentence must match end to end; a request that merely mentions a form ("Explain BM25 in plain
 * text", "用中文写一封邮件") or a question ("English only?") is not one, and neither is
 * comparative tuning ("less jargon", "短一点"), which is feedback on an answer and handled there.
 */

const LANG_EN = String.raw`(?:simplified |traditional )?(?:english|chinese|mandarin|cantonese|french|german|spanish|italian|portuguese|japanese|korean|russian|arabic|dutch|hindi|vietnamese)`;
/** Forms an answer can take, as nouns ("plain text", "bullet points") */
const FORM_EN = String.raw`(?:plain text|plain english|simple english|plain language|plain prose|prose|markdown|bullet points|bullets|bulleted lists?|numbered lists?|tables?|a table|short sentences|full sentences|one (?:line|sentence|paragraph)|code only|metric units|british spelling|american spelling|us spelling|uk spelling|json|yaml|latex)`;
/** Qualities of answers ("short answers") */
const QUALITY_EN = String.raw`(?:short|shorter|brief|concise|succinct|terse|one-line|one-sentence|detailed|formal|informal|casual|plain|simple|direct)`;
const ANSWERS_EN = String.raw`(?:answers?|replies|reply|responses?|output)`;
const SPEAK_EN = String.raw`(?:answer|reply|respond|write|talk|speak|explain(?: things)?)(?: (?:to|with) me)?`;
/** Things a user may want left out of every answer */
const OMIT_EN = String.raw`(?:emojis?|emoticons?|markdown|bullet points|bullets|tables|headings|headers|bold(?: text)?|jargon|fluff|filler|small talk|preambles?|disclaimers?|exclamation marks|em dashes|dashes|hashtags)`;
const BARE_EN = String.raw`(?:${LANG_EN}|${FORM_EN})`;

const CORE_EN = [
  // "Reply in Chinese", "Write in plain text", "In English", "Answer only in bullet points"
  String.raw`(?:${SPEAK_EN} )?(?:only |always |just )?in ${BARE_EN}(?: only)?`,
  // "Plain text only", "Only English", "JSON output", "Bullet points only"
  String.raw`(?:only |just )${BARE_EN}(?: ${ANSWERS_EN})?(?: only)?`,
  String.raw`${BARE_EN}(?: ${ANSWERS_EN})? only|${BARE_EN} ${ANSWERS_EN}`,
  // "Short answers", "Brief replies only"
  String.raw`(?:only |just |always )?${QUALITY_EN} ${ANSWERS_EN}(?: only)?`,
  // "No emoji", "No markdown or tables"
  String.raw`(?:no|without) ${OMIT_EN}(?:(?:,| or| and| and no|, no) ${OMIT_EN})*`,
  // "Keep your answers short", "Keep replies brief"
  String.raw`keep (?:your |the |all |all your |my )?${ANSWERS_EN} ${QUALITY_EN}`,
  // "Use plain text", "Use British spelling", "Prefer bullet points"
  String.raw`(?:use|prefer) (?:only )?${BARE_EN}`,
  // "Answer briefly", "Reply concisely", "Talk to me formally"
  String.raw`${SPEAK_EN} (?:briefly|concisely|succinctly|tersely|formally|informally|casually|plainly|simply|directly|in short)`,
];
const HEAD_EN = String.raw`(?:(?:please|pls|plz|kindly|also|and|just|oh|hi|hey|ok(?:ay)?)[,!]? )*`;
/** Words that make a bare form durable on their own ("Plain text for me", "English by default") */
const DURABLE_EN = String.raw`(?:for me|by default|always|all the time|from now on|going forward|from here on|in every answer|in all answers)`;
const TAIL_EN = String.raw`(?:,? (?:please|pls|plz|${DURABLE_EN}|from you|with me|thanks|thank you))*`;
const PREFERENCE_EN = new RegExp(String.raw`^${HEAD_EN}(?:${CORE_EN.join('|')}|${BARE_EN},? ${DURABLE_EN})${TAIL_EN}$`, 'i');
/** "Plain text, please": a bare form and "please" only, which after an answer may just pick an option the answer offered */
const POLITE_BARE_EN = new RegExp(String.raw`^${HEAD_EN}${BARE_EN},? (?:please|pls|plz)${TAIL_EN}$`, 'i');

const LANG_ZH = '(?:简体|繁体)?(?:中文|汉语|普通话|英文|英语|日语|日文|韩语|法语|德语|西班牙语|俄语|粤语)';
const FORM_ZH = '(?:纯文本|大白话|口语|书面语|白话|markdown|表格|要点|列表|分点|json|latex)';
const BARE_ZH = `(?:${LANG_ZH}|${FORM_ZH})`;
const QUALITY_ZH = '(?:简短|简洁|简单|精炼|简练|详细|正式|口语化|通俗)';
const ANSWER_ZH = '(?:回答|回复|答复|作答|输出|交流|聊天|对话)';
const CORE_ZH = [
  // "用中文回答我", "请用英文回复", "说中文", "用纯文本", "用中文和我交流"
  `(?:用|使用|采用|以|说)${BARE_ZH}(?:(?:和|跟|同)我)?${ANSWER_ZH}?(?:我)?`,
  // "回答用英文", "回复一律用中文", "回答请使用纯文本"
  `${ANSWER_ZH}(?:请|都|一律|全部|统一|只)?(?:用|使用|采用|说)${BARE_ZH}`,
  // "中文回答", "英文回复我"
  `${LANG_ZH}${ANSWER_ZH}(?:我)?`,
  // "简短回答", "简洁地回复"
  `${QUALITY_ZH}(?:地|点|一点)?${ANSWER_ZH}(?:我)?`,
  // "回答简洁", "回答要简短", "回复简单点"
  `${ANSWER_ZH}(?:要|请|都|尽量)?${QUALITY_ZH}(?:一些|一点|点|些)?`,
  // "只要纯文本", "只用中文"
  `(?:只要|只用|只给|只)${BARE_ZH}`,
  // "纯文本回复", "表格回答"
  `${FORM_ZH}(?:的)?${ANSWER_ZH}(?:我)?`,
];
const HEAD_ZH = '(?:请|麻烦|以后|今后|都|一律|另外|还有|对了|好的?)*[，,]?';
const TAIL_ZH = '(?:[，,]?(?:就行|就好|就可以|即可|就够了?|吧|哦|啊|呀|哈|谢谢|都|以后|每次))*';
const PREFERENCE_ZH = new RegExp(`^${HEAD_ZH}(?:${CORE_ZH.join('|')})${TAIL_ZH}$`, 'i');
/** "纯文本就行": a bare form that is enough; after an answer it may only pick an option the answer offered */
const ENOUGH_BARE_ZH = new RegExp(`^${HEAD_ZH}${BARE_ZH}(?:就行|就好|就可以|即可)${TAIL_ZH}$`, 'i');

/**
 * Whole-sentence match after trailing punctuation and spaces are dropped; questions never match.
 * `feedback`: the sentence follows an answer, where a bare "Plain text, please" / "中文就行" may
 * only choose among options that answer offered, so only the durable shapes count there.
 */
export function isPreferenceStatement(sentence: string, lang: TemplateLanguage, feedback = false): boolean {
  const t = sentence.trim();
  if (!t || t.length > 160 || /[?？]\s*$/.test(t)) return false;
  // "Plain text replies only pls, my terminal shows raw markdown": the wish, then why
  const reason = /^(.+?)\s*[,，;；—]\s*(.+)$/su.exec(t);
  if (reason && (lang === 'zh' ? REASON_ZH : REASON_EN).test(reason[2]!) && wholePreference(reason[1]!, lang, feedback)) return true;
  return wholePreference(t, lang, feedback);
}

/** The clause after a wish that says why, not what: "my terminal shows raw markdown", "我要复制到邮件里". */
const REASON_EN = /^(?:because|since|as|cause|cuz|coz|my|i|i'm|i am|i've|i have|it|it's|its|the|our|we|we're|this|that|otherwise|else)\b/i;
const REASON_ZH = /^(?:因为|由于|我|我的|我们|毕竟|不然|否则|这样|那样|看着|看起来|手机|终端|屏幕)/;

function wholePreference(t: string, lang: TemplateLanguage, feedback: boolean): boolean {
  if (t.length > 80) return false;
  const core = t.replace(/[.!。！~～\s]+$/u, '').replace(/\s+/g, ' ');
  if (lang === 'zh') {
    const zh = core.replace(/\s+/g, '');
    return PREFERENCE_ZH.test(zh) || (!feedback && ENOUGH_BARE_ZH.test(zh));
  }
  return PREFERENCE_EN.test(core) || (!feedback && POLITE_BARE_EN.test(core));
}
