/**
 * Aspects of a rule: what a learned rule is about (sources, length, format, tone …), in both
 * languages. The first aspect a rule states names it ("Reports: cite sources"); a personal one
 * (language, emoji, plain text, honesty …) makes a rule said generally a standing preference
 * (rule-identity.ts).
 */

export interface Aspect {
  key: string;
  en: string;
  zh: string;
  re: RegExp;
  /** a preference about the user in every conversation when stated generally (language, emoji, plain text, honesty) */
  personal?: boolean;
}

const A = (key: string, en: string, zh: string, re: RegExp, personal = false): Aspect => ({ key, en, zh, re, personal });

/** Most specific first: the first aspect found names the rule. */
export const ASPECTS: Aspect[] = [
  A('cite-sources', 'cite sources', '注明来源', /\bcit(?:e|es|ing|ation|ations)\b|\bsources?\b|\breferences?\b|来源|出处|引用|参考文献|依据/i),
  A('no-fabrication', 'no made-up facts', '不编造', /hallucinat\w*|\bmak(?:e|ing) (?:things|stuff|facts|it) up\b|\bmak(?:e|ing) up (?:sources|facts|details|numbers|quotes|citations|specifics|answers)\b|\binvent\w*\b|\bfabricat\w*|\bmade[- ]up\b|\bguess\w*\b|\bsay (?:so|you don'?t know)\b|\badmit (?:it|when)\b|幻觉|编造|虚构|瞎编|胡编|乱编|捏造|自己造|臆想|幻想|杜撰|(?:不要|别|不能|不许|不准)(?:乱|胡|瞎)?编(?!程|辑|写|码|号|排|制|译)|不知道就(?:直接)?说不知道/i, true),
  A('language', 'reply language', '回答语言', /中英文?(?:夹杂|混杂|混用|夹着|混着)|夹(?:杂|着)?(?:英文|英语)|\b(?:in|into|use|only) (?:simplified |traditional )?(?:chinese|english|french|german|spanish|japanese|korean|mandarin)\b|\b(?:chinese|english|french|german|spanish|japanese|korean|mandarin) only\b|(?:用|使用|说)(?:简体)?(?:中文|英文|英语|汉语|日语|法语)|中文回答|英文回答|繁体字?|简体字?/i, true),
  A('spelling', 'spelling variety', '拼写习惯', /\b(?:british|american|uk|us|australian|canadian|commonwealth) (?:spelling|english|conventions)\b|\bspell(?:ing|ings|ed)?\b(?= (?:like|the (?:british|american|uk|us) way|conventions?))|英式拼写|美式拼写|英式英语|美式英语/i, true),
  A('units', 'metric units and 24-hour time', '公制单位', /\bmetric\b|\bimperial\b|\bcelsius\b|\bfahrenheit\b|\bkilomet(?:er|re)s?\b|\bkm\b|\b24-hour\b|\b24h\b|公制|摄氏|公里|24小时制/i, true),
  A('currency', 'prices in my currency', '价格换算币种', /\bcurrenc(?:y|ies)\b|\b(?:in|into|to) (?:pounds|euros|dollars|yen|rmb|yuan|gbp|eur|usd|cny)\b|人民币|换算成(?:人民币|美元|欧元|日元)|币种/i, true),
  A('address', 'how to address me', '称呼', /\b(?:call|address|refer to) me\b|(?<![帮替给])叫我(?![去来做写])|称呼我/i, true),
  A('no-emoji', 'no emoji', '不用表情符号', /\bemojis?\b|\bemoticons?\b|表情/i, true),
  // a format wish taken back ("forget the plain text thing, markdown is fine again") is named by what it allows
  A('markdown-ok', 'markdown allowed', '可以用markdown', /\bmarkdown (?:is|are) (?:fine|ok|okay|allowed)\b|\b(?:use|go back to|start using) markdown again\b|markdown\s*(?:又|重新)可以|(?:又|重新)可以(?:用|使用)\s*markdown|恢复(?:用|使用)\s*markdown/i, true),
  A('plain-text', 'plain text, no markdown', '纯文本', /\bplain text\b|\bmarkdown\b|\bformatting\b|纯文本|纯文字|markdown|md格式|排版|加粗|井号|星号/i, true),
  A('word-format', 'Word-ready format', 'word格式', /\b(?:ms |microsoft )word\b|\b(?:in|into|to|for) word\b(?! count)|\bword (?:docs?|documents?|files?|format)\b|word ?格式|word的|\.docx/i),
  A('latex', 'LaTeX', 'latex格式', /latex|katex|mathjax|数学公式/i),
  A('no-tables', 'no tables', '不用表格', /\btables?\b|表格(?!公式|函数)/i),
  A('symbols', 'no decorative symbols', '不用花哨符号', /\bsymbols?\b|\bicons?\b|\bdecorat\w*|符号|花哨|花里胡哨|奇奇怪怪|华丽/i),
  A('punctuation', 'no exclamation marks', '标点', /\bexclamation\w*|感叹号|标点/i),
  A('dashes', 'no dashes', '不用破折号', /\bdash(?:es)?\b|破折号/i),
  A('length', 'length limit', '篇幅限制', /\b\d+\s*(?:words?|pages?|sentences?|lines?|characters?|paragraphs?|bullets?|points?)\b|\bunder \d+|\bword count\b|\bshort(?:er)?\b|\blength\b|\blong\b|\d+\s*(?:字|句|页|段|行|点)|字数|篇幅|以内|控制在/i),
  A('concise', 'concise', '简洁', /\bconcise\w*|\bbrie(?:f|fer|fly)\b|\bsuccinct\b|\bto the point\b|\bterse\b|\bfluff\b|简洁|简短|精炼|简练|言简意赅|啰嗦|冗长/i),
  A('plain-language', 'plain language', '通俗易懂', /\bplain (?:english|language|words)\b|\bjargon\b|\blayperson\b|\beveryday (?:words|language)\b|\bsimple(?:r)? (?:words|language|terms)\b|\baccessible\b|大白话|通俗|易懂|大众|接地气|深入浅出|术语/i, true),
  A('examples', 'real-life examples', '生活例子', /(?<!\.)\bexamples?\b|\banalog(?:y|ies)\b|\bstorytelling\b|\bstor(?:y|ies)\b|\bnarrative\b|例子|案例|故事|比喻|类比/i),
  A('specific', 'specific and concrete', '具体', /\bspecific\w*|\bconcrete\b|\bdetail\w*|\bactionable\b|\bin depth\b|具体|详细|细化|可执行|落地|深入|深度/i),
  A('insight', 'own insight', '有见解', /\binsight\w*|\bopinion\w*|\bpoint of view\b|\bcritical\b|\bsharp\w*|\bpunch\w*|犀利|见解|观点|独到/i),
  A('adjectives', 'fewer adjectives', '少用形容词', /\badjectives?\b|\badverbs?\b|形容词|副词/i),
  A('tone', 'tone', '语气', /\btone\b|\bformal\b|\bcasual\b|\bfriendly\b|\bprofessional\b|\bpolite\b|\bwarm\w*|\bhumble\b|\bexaggerat\w*|\bhype\w*|\bflowery\b|语气|正式|克制|口语|朴实|感人|夸张|浮夸|华丽|客套|官腔|修辞|用词|表达/i),
  A('technical', 'technical depth', '技术深度', /\btechnical\b|\bcutting[- ]edge\b|\bstate of the art\b|技术性|前沿|技术感|专业性/i),
  A('structure', 'structure', '结构', /\bstructure\b|\bsections?\b|\bheadings?\b|\btitles?\b|\bbullet\w*|\blists?\b|\bsummary first\b|\bconclusion first\b|结构|标题|开头|结尾|部分|段落|要点|列表|先给结论|分点/i),
  A('placeholders', 'placeholders for unknown details', '占位符', /\bplaceholders?\b|XXX|占位|日期和单位|单位和日期|落款/i),
  A('numbers', 'no unsupported numbers', '数据有据', /\bnumbers?\b|\bstatistics?\b|\bfigures\b|\bdata\b|数据|数值|数字|指标/i),
  A('comments', 'code comments', '代码注释', /\bcomments?\b|\bdocstrings?\b|\btype hints?\b|注释|备注/i),
  A('tests', 'tests', '测试样例', /\btests?\b|\btest cases?\b|测试|样例/i),
  A('sorting', 'ordering', '排序', /\bsort\w*|\border(?:ed|ing)?\b|排序|排列|顺序/i),
  A('colors-fonts', 'colors and fonts', '配色字体', /\bcolou?rs?\b|\bpalette\b|\bfonts?\b|\bviridis\b|色系|配色|颜色|字体/i),
];

/** The aspect the rule states first ("never use exclamation marks, keep it short" is about punctuation). */
export function aspectOf(rule: string): Aspect | undefined {
  // a wish taken back names the rule, wherever it stands ("forget the plain text thing, markdown is fine again")
  const back = ASPECTS.find((a) => a.key === 'markdown-ok');
  if (back?.re.test(rule)) return back;
  let best: Aspect | undefined;
  let at = Infinity;
  for (const a of ASPECTS) {
    const m = a.re.exec(rule);
    if (m && m.index < at) {
      best = a;
      at = m.index;
    }
  }
  return best;
}
