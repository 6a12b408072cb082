import { analyzeStatement } from './offline-gate.js';

/**
 * A cheap check, run on the request path, for "this message states a durable rule": the cue that
 * lets a first turn (no answer yet) schedule a learning job. Two parts, either one suffices:
 * markers of durable rules (one regular expression per script over the first few KB, no
 * tokenization), and the offline extractor's own gate for a message with no answer before it (so
 * whatever that extractor would learn from a first message is never dropped by the cue). It is
 * generous on purpose: a false cue costs one background job that learns nothing. A plain request
 * ("What is BM25?", "写一份周报") carries no marker and schedules nothing. Cost: a few microseconds
 * for a short message, tens for a long one.
 */

const EN_CUE = new RegExp(
  [
    // time scope: the rule outlives this request
    String.raw`\b(?:from now on|from here on|from this point on|going forward|henceforth|in (?:the )?future|next time|every time|each time|for all (?:future )?(?:answers|replies|responses|reports))\b`,
    // frequency and prohibition
    String.raw`\b(?:always|never|don'?t|do not|dont|stop (?:using|adding|writing|making|including|inventing|giving|putting)|no more|avoid|refrain from|make sure|be sure to|remember (?:to|that)|keep in mind|must(?:n'?t)?|should (?:always|never|not))\b`,
    // explicit preferences
    String.raw`\b(?:i prefer|my preference|i (?:hate|dislike|don'?t like|can'?t stand)|one more thing|only (?:use|include|answer|reply|respond|write|give)|(?:answer|reply|respond)s? (?:only )?(?:in|with|using|without)\b)`,
    String.raw`\b(?:keep (?:your |my |the |all )?(?:answers|replies|responses|it|them|things) (?:short|brief|concise|simple|under)|in (?:all|every|everything|each) (?:you|of your|answers?|repl|respons))`,
    String.raw`\bplease (?:always|never|don'?t|do not|stick to|keep (?:it|them|your|answers|replies))\b`,
  ].join('|'),
  'i',
);

const ZH_CUE = new RegExp(
  [
    '以后',
    '今后',
    '往后',
    '从现在(?:开始|起)',
    '从今(?:天|以后|往后)',
    '下次',
    '每次',
    '每份',
    '每篇',
    '总是',
    '始终',
    '永远',
    '一律',
    '统一',
    '不要',
    '别再',
    '(?<![特区分类级识告性差个派辨鉴离道])别(?![人的处扭墅致针])',
    '我(?:希望|喜欢|不喜欢|讨厌|更喜欢|偏好)',
    '不用',
    '不必',
    '不许',
    '不准',
    '不得',
    '禁止',
    '避免',
    '切勿',
    '请勿',
    '务必',
    '必须',
    '一定要',
    '记住',
    '记得',
    '只写',
    '只用',
    '只能',
    '只要',
    '请(?:用|以|按)',
    '都(?:用|要|不)',
  ].join('|'),
);

/** How much of a message the cue looks at: rules are stated up front, pasted material follows. */
const MAX_CHARS = 4000;

export function statesRule(text: string): boolean {
  const head = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  if (EN_CUE.test(head) || ZH_CUE.test(head)) return true;
  return analyzeStatement(head, { feedback: false }).rules.length > 0;
}
