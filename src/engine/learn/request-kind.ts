import { FEEL_WORDS } from './text.js';

/**
 * The kind of work a request asks to be made, when no task family names it: "Write a short bio
 * for my website" → "bio", "make me a meal plan" → "meal plan", "帮我写个读后感" → "读后感".
 *
 * Why: a rule said as feedback on such a piece ("no spoilers", "别复述情节") is about that kind
 * of work. Without a kind it could only be standing (and reach every request) or bound to
 * nothing (and reach none); the kind lets it reach later requests that name it again.
 * The object of a making verb is a noun phrase; its last one or two words are the kind.
 */
const EN_MAKE = new RegExp(
  String.raw`\b(?:(?:write|draft|make|create|prepare|put together|come up with|design|compose|build)(?: me| us| up)? (?:an? |the |my |our |some |\d+ )?(?!(?:me|us|you|him|her|them|it)\b)(?!(?:${FEEL_WORDS})\b)|(?:give|send|get) (?:me|us) (?:an? |the |some |\d+ )|^(?:(?:hi|hey|hello|ok(?:ay)?|so)[,!]? )?(?:I|we) (?:need|want|'d like|would like) (?:an? |some ))((?:(?!(?:I|we|you|he|she|they)\b)[\w][\w'-]* ){0,3}?(?!(?:I|we|you|he|she|they)\b)[a-z][a-z-]{2,})(?= (?:for|about|on|to|with|that|from|of|in|based|using|which|so|I|we|you|he|she|they)\b|\s*[,.?!:;]|\s*$)`,
  'i',
);
/** words that describe a piece rather than name its kind */
const EN_NOT_KIND =
  /^(?:\d[\w-]*|short|long|quick|brief|simple|good|nice|new|detailed|formal|casual|funny|little|few|couple|great|better|best|cool|fun|cute|proper|full|complete|final|first|second|one|two|three|four|five|ten|weekly|daily|monthly|it|this|that|something|anything|everything|sure|thing|things|stuff|one|ones|way|sense|lot|bit|break|hand|minute|moment|favou?r|help|hug|rest|nap|drink|coffee|holiday|vacation|job|ride|lift)$/;
/** a piece's form, not its kind, when said alone ("make a list of…", "a new version") */
const EN_FORM_ONLY = /^(?:list|lists|version|versions|draft|drafts|copy|copies|summary|answer|reply|response)$/;
const ZH_MAKE =
  /(?:^|帮我|给我|请|帮忙|麻烦|替我|能不能|可以|你)[^，,。；;！!？?]{0,6}?(?:写|做|出|列|起|取|想|拟|整理|准备|生成|设计|编)(?![得了过完好])(?:一下|一个|个|一份|份|一篇|篇|一段|段|一条|条|一封|封|几个|一些|些|一套|套|一张|张|一副|副)?(?:[^，,。；;！!？?]{0,12}?的)?([\p{Script=Han}A-Za-z]{2,5}?)(?=[，,。；;！!？?]|$)/u;
/** a clause, not a noun: "得太客气了", "这么写" (心得体会 is a noun) */
export const NOT_A_NOUN = /^[得了的这那]|[了么吗呢吧]|得(?:太|很|不|挺|好|真)/u;
const ZH_NOT_KIND = /^(?:一下|东西|内容|这个|那个|什么|一点|出来|好的|回答|答案|问题|方案|计划|总结|文章|报告|介绍|说明|分析|解释|回复|看看|东东)$|^(?:一|这|那|个|些)/u;

export function kindOfRequest(request: string | undefined): string | undefined {
  if (!request) return undefined;
  if (/\p{Script=Han}/u.test(request)) {
    // "我是写后端的程序员": who the user is, not a piece asked for
    if (/^我(?:本身|自己)?(?:就)?是/u.test(request)) return undefined;
    const m = ZH_MAKE.exec(request);
    const kind = m?.[1];
    return kind && !ZH_NOT_KIND.test(kind) && !NOT_A_NOUN.test(kind) ? kind : undefined;
  }
  const m = EN_MAKE.exec(request);
  if (!m) return undefined;
  const words = m[1]!.toLowerCase().split(' ').filter((w) => !EN_NOT_KIND.test(w));
  if (words.length === 0 || (words.length === 1 && EN_FORM_ONLY.test(words[0]!))) return undefined;
  return words.slice(-2).join(' ');
}
