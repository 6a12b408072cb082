/**
 * The offline gate's vocabulary (offline-gate.ts): markers that make a sentence a rule, and the
 * style or quality feedback that is one without a marker. Kept apart from the classification so
 * each can be read, and reviewed, on its own.
 */
// ---------------------------------------------------------------------------------------------
// Markers

export const EN_NOT_RULES =
  /\b(don'?t worry|do not worry|never ?mind(?! (?:about )?(?:the|that|my|your) [^,.!?\n]{1,30}? ?(?:thing|rule|preference|request|part|limit|requirement|restriction|instruction)\b)|don'?t bother|no (problem|worries|thanks|thank you)|doesn'?t matter|don'?t mention it|don'?t know|never (?:heard|seen|used|tried)|(?:I'?ll|I will|we'?ll|we will|will|gonna|going to|let me|I'?m going to|I might|I'?d) (?:\w+ ){0,4}next time)\b/gi;
/**
 * A sentence that widens the scope of the rule before it to everything: "Short paragraphs,
 * please. Same goes for anything you send me.", "…，其他的也一样". A rule of its own (it makes the
 * wish standing), but it says nothing the skill could be named after.
 */
const SCOPE_WIDENING_EN = String.raw`(?:\b(?:same|that|this|it|the same) |^|[.!?;]\s*)(?:goes|applies|holds) (?:for|to) (?:anything|everything|all|whatever|every|any)\b`;
const SCOPE_WIDENING_ZH = '(?:其他|别的|所有)[^，,。；;！!？?]{0,6}(?:也一样|也是这样|同理|都适用|也适用)|(?:同样|也)适用于(?:所有|全部|任何|其他)';
export const SCOPE_WIDENING = new RegExp(`${SCOPE_WIDENING_EN}|${SCOPE_WIDENING_ZH}`, 'i');

/**
 * A sentence whose directive is a pointer to what was just said, with a scope or a lasting
 * marker: "That's how I want all my threads.", "Please always give them to me that way.", "do it
 * like that whenever I ask for interview questions", "every bug report, same structure pls",
 * "以后写对联都这样", "通知都这么写", "以后都按这个来哈", "记住这个". The rule is what came before it;
 * the pointer adds the scope (and often names the kind of work), never the content.
 */
const POINTS_BACK_EN = [
  String.raw`\b(?:that'?s|this is|that is|this'?s) (?:how|the way|what) (?:I|we) (?:want|like|need|prefer|expect)\b`,
  String.raw`\b(?:give|do|write|make|format|structure|lay out|send|keep|set up|present|show|handle|draft|style) (?:it|them|that|this|those|these|everything)(?: (?:to|for) (?:me|us))? (?:that|this|the same) way\b`,
  String.raw`\b(?:do|write|format|make|keep|structure|lay out|style) (?:it|them|that|this|those|these)(?: (?:to|for) (?:me|us))? (?:like|as) (?:that|this)\b`,
  String.raw`\b(?:do|keep doing|apply) (?:that|this|the same)(?: thing)? (?:for|with|in|on|to|every|each|whenever|always|from now|going forward|any|all)\b`,
  String.raw`\b(?:build|put|work|bake|include|add|fold) (?:that|this|those|these|it|them) (?:in|into)\b`,
  String.raw`\bsame (?:structure|format|layout|template|style|order|rules?|treatment|deal|setup|approach)\b`,
  String.raw`^(?:and |so |also )?(?:the )?same (?:goes )?(?:for|with) (?:all|every|each|any|future)\b`,
  String.raw`\b(?:stick to|keep to|follow|use) (?:that|this) (?:format|structure|layout|template|style|order|pattern|approach)\b`,
  String.raw`\b(?:remember|keep|bear|note|apply) (?:that|this|it)(?: in mind)? (?:for|whenever|when|every|any|always|from now|going forward|in (?:all|every|any|future))\b|\b(?:keep|bear) (?:that|this|it) in mind\b`,
  String.raw`\b(?:that|this)(?:'s| is| goes) for (?:all|every|any|each)\b`,
].join('|');
const POINTS_BACK_ZH = '(?:记住|记着|记得)(?:这个|这点|这条|这事|这些)|(?:按|照|依)着?(?:这个|这样|这种|此|上面的?|刚才的?|刚刚的?)(?:格式|标准|样子|模板|结构|套路|思路|规矩|来|写|做|弄|办|走|排|搞)?|(?:都|也|就)(?:这样|这么|如此)(?:写|做|弄|来|办|搞|排|整|改)?(?:吧|哈|啊|哦|呗)?[。！!~]*(?=$|[，,；;])|^(?:记住|记着)(?:这个|这点|这条|了|啊|哈|哦|喽|咯|呢)?[。！!~]*$';
const POINTS_BACK = new RegExp(`${POINTS_BACK_EN}|${POINTS_BACK_ZH}`, 'i');
/** a scope or lasting marker of a pointer: without one, "do it that way" is about this answer only */
const POINTER_SCOPE = /\b(?:always|every|each|all|any|whenever|whatever|no matter|from now on|going forward|in (?:the )?future|next time|future|for good|in general|generally|as a rule)\b|\bfor (?:my |our |your )?[a-z][\w-]*s\b(?=[.!]*$)|以后|今后|往后|下次|之后|记住|记着|每次|每[个篇份封条]|所有|都/i;
/** a complaint about this answer ("你每次都这样", "you always do it this way") points back at the answer, not at a rule */
const POINTER_COMPLAINT = /\byou (?:always|keep|never|still)\b|你(?:每次|总是|老是|又|怎么|还是)/i;
export function pointsBack(sentence: string): boolean {
  return POINTS_BACK.test(sentence) && POINTER_SCOPE.test(sentence) && !POINTER_COMPLAINT.test(sentence);
}

/**
 * A scope over everything the assistant says to the user, in any conversation: a marker of a lasting
 * rule here, and of a standing one in rule-identity.ts (EVERYTHING). "…across the board", "…whatever
 * the question is", "whatever I run past you, …", "你每回答我一次…", "聊什么话题都行", "跟我说话就…",
 * "我说的话有错的时候…", "给我建议的时候…".
 */
export const EN_EVERY_ANSWER = String.raw`\bacross the board\b|\bwhatever (?:the|my) (?:question|topic|subject|request|task)(?: is| may be| happens to be)?\b|\b(?:whatever|anything|everything) (?:I|we) (?:run|bring|send|throw|show|put|pass)(?: \w+)? (?:past|by|to|at) you\b|\bwhatever (?:we(?:'re| are)|I'm|I am) (?:talking about|discussing|asking about|chatting about)\b`;
export const ZH_EVERY_ANSWER = '每(?:回答|回复|答)(?:我)?一次|(?:聊|问|说)(?:什么|啥)(?:话题|问题|事儿?)?都(?:行|可以|这样|一样|适用)|我(?:说的话|说的|讲的|问的)(?:里)?有(?:错|问题|不对)的(?:时候|话)|(?:给我|跟我|向我)(?:提)?(?:建议|推荐)(?:的时候|时)|跟我(?:说话|聊天|讲话|交流)(?:的时候|时)?(?:就|要|请|都|别|不要)';

/**
 * Polite frames of a wish said after an answer; the gate reads them as rules (EN_STYLE, offline-gate.ts
 * DIRECTS_EN), and a skill's name skips them (rule-identity.ts).
 */
/** "it'd help if you …", "that would be great if you …" */
export const EN_HELP_IF_YOU = String.raw`(?:it'?d|it would|that'?d|that would) (?:help|be (?:great|good|better|helpful|ideal))(?: (?:a lot|loads))? if (?:you|u)`;
/** "what would work best is …" */
export const EN_WHAT_WORKS = String.raw`what (?:would|will|'d) (?:work|help|be) (?:best|better|most useful|ideal|more useful)(?: for (?:me|us))? (?:is|would be)`;
/** "… would fix that for me" */
export const EN_WOULD_FIX = String.raw`would (?:fix|solve|sort(?: out)?) (?:that|this|it)(?: for (?:me|us))?`;

/** "说到价格…", "涉及钱的时候…": what follows applies whenever the topic comes up (rule-identity.ts reads it as standing too) */
export const ZH_SPEAKING_OF = '(?:说到|提到|讲到|聊到|谈到|涉及到?)[^，,。；;！!？?]{1,10}(?:的时候|时)?[^，,。；;！!？?]{0,4}';
/** "跟吃有关的你都…": everything about a topic */
export const ZH_RELATED_TO_ALL = '(?:跟|和|与)[^，,。；;！!？?]{1,8}(?:有关|相关)的?[^，,。；;！!？?]{0,4}都';
/** what a kind declared with its spec opens with: "Podcast intros: under 30 seconds…" (rule-identity.ts names the kind) */
export const DECLARED_SPEC = 'no|never|always|only|max(?:imum)?|under|keep|use|avoid|open with|start with|end with|begin with|at most|less than|fewer than';

export const EN_STRONG = new RegExp(
  [
    String.raw`\b(?:don'?t|do not|must|mustn'?t|shall not|shouldn'?t|should not|should (?:always|never)|make sure|ensure|be sure to|remember to|from now on|from here on|going forward|in (?:the )?future|for the future|next time|each time|every time|avoid|refrain from|no more|any ?more|no longer|only (?:use|include|write|give|show|list|keep|output|return)|use only|stop (?:\w+ing)|quit (?:\w+ing)|one more thing|by default)\b`,
    // "always" / "never" as a directive (clause start, after a modal or "please"), not a
    // description ("the sea always returns", "you always get the tone right")
    String.raw`(?:^|[,;:.!]\s*|\b(?:please|pls|and|but|so|also|just|then|must|should|will|would|to|can|could|you'?ll|I want you to|(?:can|could|would|will) you|(?:would|do) you mind|if (?:you|my \w+|all \w+|your \w+))\s+)(?:always|never)\b`,
    String.raw`\bI (?:always|never) (?:want|like|need|prefer|expect)\b|\bstop with\b|\blike (?:all|every|each|any) (?:of )?(?:our|my) [\w -]{2,30}?,? (?:it|this|they|these|each) (?:needs?|should|must|has to|have to)\b|\bwhenever (?:I|we|I'm|we're|im)\b|\b(?:ever|never) again\b|\bever,? (?:about|for|in) anything\b|\bremember\s*[:,]|\bremember (?:this|that|something|one thing|for (?:next time|the future|later))\s*[:,.!-]`,
    String.raw`\b(?:please|pls|plz) (?:use|write(?! (?:a|an|the|me|up|about|on|some|my|this|that|it)\b)|keep|format|respond|reply|answer|include|add|cite|stick)\b`,
    String.raw`\b(?:use|in|as|into) (?:a |an |the )?[\w -]{0,30}\bformat\b`,
    String.raw`\b(?:every|each|all(?: of)?) (?:my |your |the )?(?:reports?|emails?|answers?|summar(?:y|ies)|articles?|posts?|replies|responses|documents?|slides?|scripts?|functions?)\b.{0,40}\b(?:should|must|need|has to|have to|needs to|gets?)\b`,
    String.raw`\bI (?:always )?(?:prefer|like it when|'d rather|would rather|want you to always|want (?:all|every))\b|\bI(?:'d| would) (?:prefer|rather)\b`,
    String.raw`\b(?:in general|as a rule|as a general rule)\s*[:,]`,
    // a standing wish taken back: "forget the plain text thing, markdown is fine again"
    String.raw`\b(?:forget|drop|scrap|cancel|ignore|disregard|lift|undo|never ?mind|skip|ditch) (?:the|my|that|about the|what I said about the) [^,.!?\n]{1,30}? ?(?:thing|rule|preference|request|part|limit|requirement|restriction|instruction)\b|\b(?:is|are) (?:fine|ok|okay|allowed) again\b|\byou can (?:use|go back to|start using|write|answer|reply|respond|include|add|be|talk|format) [\w -]{1,30} again\b`,
    // "the bullet points thing is over", "let's go back to English", "pls stop callin me captain"
    String.raw`\bthe [^,.!?\n]{1,30}? (?:thing|rule|part|phase|requirement) is (?:over|done|off)\b|\b(?:go|switch|change|revert) back to (?:english|chinese|mandarin|spanish|french|german|italian|portuguese|japanese|korean|russian|arabic|hindi|dutch|normal|plain|regular|the usual|paragraphs|prose|full sentences)\b|\b(?:stop|quit) \w+in'? (?:me|my|us|our)\b`,
    // a part dropped from a class of outputs, or skipped from now on: "drop the emoji from my
    // captions", "scrap the TL;DR at the top of summaries", "you can skip the sign-off now"
    String.raw`\b(?:drop|scrap|skip|ditch|remove|cut|omit|lose|leave out) (?:the|those|these|all the|your|any) [^,.!?\n]{1,30}? (?:from|in|on|at the (?:top|end|bottom|start|beginning) of) (?:(?:my|our|your|all|future) )?\w+s\b|\byou can (?:skip|drop|stop|ditch|omit|leave out|forget(?: about)?|lose) [^.!?\n]{1,40}? now\b`,
    String.raw`\b(?:every|each|all) (?:\w+ ){0,3}(?:needs?|must|should|has to|have to|requires?)\b`,
    // "When you summarize a meeting, start with…", "When I bring you a bug, first tell me…": a class of
    // occasions, then what to do on each
    String.raw`(?:^|[.!;]\s*|\b(?:but|and|so|also|thanks|ok(?:ay)?)[,.!]?\s+)(?:when|whenever) (?:you|u|I|we) [^,.;!?]{2,60},\s*(?:(?:please|pls|first|just|always|then|you) )*(?:start|begin|open|end|close|put|use|list|give|keep|write|include|add|lead|make|skip|avoid|don'?t|never|always|show|tell|mention|group|sort|number|label|say|explain|answer|ask|stick|go|leave|mark|cite|check|point)\b`,
    // "in general just give me the short version"
    String.raw`\bin general,? (?:(?:just|please|pls|always) )*(?:give|keep|use|write|answer|reply|be|make|stick|go|tell|send)\b`,
    // "…, but for quizzes I want them multiple choice": a wish scoped to a class of work
    String.raw`(?:^|[,;]\s*|\b(?:but|and|so|also)\s+)(?:for|in|with) (?:(?:my|our|all|any|every|future) )?(?:[a-z-]+ ){0,2}[a-z-]{3,}s,? (?:I|we) (?:want|need|like|prefer|expect)\b`,
    // a directive scoped to a class of work at the head of the sentence: "In code reviews prefix each comment with…"
    String.raw`^(?:(?:and|also|but|so)\s+)?(?:in|for|with|on) (?:(?:my|your|our|all|every|any|the|future) )?(?:[\w-]+ ){0,2}[\w-]+s,? (?:please |pls )?(?:always |never )?(?:prefix|start|begin|open|end|close|put|add|include|use|write|keep|label|mark|tag|number|list|give|lead|avoid|skip|drop|leave|make|format|sort|group|split|show|cite|mention|state|say)\b`,
    String.raw`^(?:(?:my|our|the|all|your)\s+)?(?:\w+\s+)?\w+s (?:always |never )?(?:need|must|should|have to|require)\b`,
    String.raw`\bI (?:need|want|expect) .{0,40}\b(?:in|for|from) (?:my|all|every|each|any|your) \w+`,
    String.raw`\b(?:whatever|no matter what|regardless of what) (?:I|we) (?:ask|say|write|request|need)\b`,
    // a scope over everything: "…whatever we're talking about", "stick to British spelling in whatever you write for me"
    String.raw`\b(?:whatever|whichever|no matter what|regardless of what) (?:(?:we|you|I)(?:'re| are|'m| am)? )?(?:talk(?:ing)? about|discuss(?:ing)?|cover(?:ing)?|writ(?:e|ing)|say(?:ing)?|do(?:ing)?|mak(?:e|ing)|suggest(?:ing)?|recommend(?:ing)?|send(?:ing)?|the (?:topic|subject))\b`,
    // a bare plural deliverable is the whole class: "Write reports in a formal tone"
    String.raw`^(?:please )?(?:write|format|draft|structure|start|end|keep|make|send|present) (?:all |my |your |the )?(?:reports|emails|e-mails|summaries|articles|posts|answers|replies|responses|slides|scripts|functions|documents|letters|poems|stories|notes|messages|tweets|essays|translations) (?:in|with|as|using|without|like|under|so|to|at|by)\b`,
    String.raw`\b(?:in|for|across) (?:every|all|each|any)(?: (?:of )?(?:my|your|future|our))? (?:conversations?|answers?|chats?|repl(?:y|ies)|responses?|messages?|sessions?)\b`,
    // a lasting marker at the end: "500 words is the ceiling for my reports, please remember it"
    String.raw`\b(?:please |pls |and )?(?:remember|memori[sz]e|note|keep in mind) (?:it|this|that)(?: for (?:the )?(?:future|next time))?\s*[.!]*$|\bkeep (?:it|this|that) in mind\b`,
    // a class of future work: "whenever you summarize…", "any recipe you give me should…",
    // "when you translate for me, …", "in everything you write", "for future reports", "your future answers"
    String.raw`\bwhenever (?:you|I) (?!(?:are|'re|have|get|can|feel|want)\b)\w+`,
    // "When I'm writing something to read at a funeral, I want it built around…"
    String.raw`\bwhen(?:ever)? (?:I'?m|I am|im|we'?re|we are) (?:writing|making|doing|drafting|preparing|putting together|planning|sending|asking (?:you )?for)\b[^.!?]{0,80}?,\s*(?:I|we) (?:want|need|like|prefer|expect)\b`,
    // a kind of work declared with its spec: "Podcast intros: under 30 seconds…", "Dating bios for me: no cliches…"
    String.raw`^(?:(?:my|our|all|any|the) )?(?:[a-z][\w-]* ){0,2}[a-z]{3,}s(?: for (?:me|us))?\s*:\s*(?:${DECLARED_SPEC}|short|one|two|three)\b`,
    // "whenever something you tell me could be out of date, say so"
    String.raw`\b(?:whenever|every time|any time) (?:something|anything) (?:you|u) (?:tell|say|write|give|send|suggest|recommend)\b`,
    String.raw`\b(?:any|every|each|all) (?:\w+ ){1,3}(?:you|u) (?:give|write|send|make|create|produce|generate|suggest|recommend|draft|prepare)(?: (?:me|us|for me))?\b`,
    String.raw`\bwhen(?:ever)? you (?:\w+ ){1,3}for (?:me|us)\b`,
    String.raw`\bin (?:everything|anything|all|whatever) (?:that )?(?:you )?(?:write|say|send|produce|make|give|draft|suggest|recommend)\b`,
    SCOPE_WIDENING_EN,
    EN_EVERY_ANSWER,
    // "Anything you plan for my class needs…", "everything you suggest for us should…"
    String.raw`\b(?:anything|everything|whatever) (?:you|u) (?:give|write|send|make|create|produce|generate|suggest|recommend|draft|prepare|plan|put together|pick|choose|set|design)(?: (?:me|us))?(?: for (?:me|us|my \w+|our \w+))? (?:needs?|should|must|has to|have to|is to|ought to)\b`,
    String.raw`\bfor (?:all )?(?:future|upcoming|later) \w+|\b(?:all )?(?:of )?(?:your|my) (?:future|upcoming) \w+`,
  ].join('|'),
  'i',
);

export const ZH_NOT_RULES =
  /不要紧|没关系|别客气|不用谢|不客气|(?<![那这][个段条项点]|[那这]个先|部分|要求|称呼|规则)不用了|不用担心|别担心|不要担心|不用管|不知道|不能确定|能不能|要不要|不必客气|下次(?:再)?(?:试试|试一下|试一试|再说|再聊|见)|(?:一个|一份|一些|一款|一种|一道|个|份|款|种|道)[^，,。；;]{0,6}(?:不用|不要|不带|无需|不需要)[^，,。；;的]{1,8}的/g;
export const ZH_STRONG = new RegExp(
  [
    '(?<!要)不要',
    // "推荐啥都按成都本地的来": whatever is suggested, told how
    '(?:推荐|建议|安排|介绍|说|写|回答|聊)(?:啥|什么|任何东西)(?:都|也都)(?:按|用|要|得|别|不要|给|是)',
    // "出谜语的时候每条标上谜目", "做海报时，先…": whenever a piece of some kind is made, told how
    '^(?:你|以后|今后|下次|往后)?(?:帮我|给我)?(?:写|做|出|编|画|拍|准备|整理|列|设计|策划|安排|起)[^，,。；;！!？?]{1,10}(?:的时候|时)[，,]?\\s*(?:你)?(?:每|都|要|请|别|不要|先|统一|一律|记得|务必|必须|尽量|只)',
    // "我问问题的时候，你先直接给结论": whenever the user asks, told how
    '(?:我|每次我?)(?:问|让你|找你|请你|跟你)[^，,。；;！!？?]{0,8}(?:的时候|时)[，,]\\s*(?:你)?(?:先|都|就|要|请|别|不要|直接|一律|记得)',
    // "跟我说话尽量全用中文": how to talk to the user, told how
    '(?:跟|和|对)我(?:说话|聊天|交流|讲话|对话)(?:的时候|时)?[^，,。；;！!？?]{0,4}(?:尽量|都|就|请|要|别|不要|直接|一律|统一|只|用)',
    // "所有回答都用繁体字": every answer, told how
    '(?:所有|全部|每个|每条|任何)(?:的)?(?:回答|回复|答复)[^，,。；;]{0,4}(?:都|一律|要|用|别|不)',
    '(?<![特区分类级识性差个派辨鉴离道])(?<!(?<!报)告)别(?![人的处扭墅致针])',
    '(?<![是])不用',
    // a standing wish taken back: "之前说的纯文本就算了，markdown又可以用了"
    '(?:又|重新|还是)可以(?:用|使用)|恢复(?:用|使用)|(?:之前|刚才|上次)(?:说|提)的[^，,。]{1,12}(?:算了|作废|不用了|取消)',
    // an earlier wish pointed at and dropped ("克数那个算了", "王总这个称呼就算了"), or switched back from ("还是换回简体吧")
    '[那这](?:个|段|条|项|部分)[^，,。]{0,4}[，,]?\\s*(?:就|也|先|以后)?(?:算了|不用了|不要了|取消|作废|忘了|别管了|删掉|去掉|拿掉|省了|省掉|免了)|(?<!那)就(?:算|免)了(?!解)|(?:换|改|切)回(?:来)?(?:用|成)?(?:简体|繁体|中文|英文|英语|汉语|正常|段落|纯文本|markdown|默认)',
    '必须',
    '一定要',
    '务必',
    '千万',
    '以后(?!再|有机会|有空|可能|会|才)',
    '以后都',
    '之后(?:请|麻烦你?)?(?:都|一律)',
    '以后(?:请|要|也|的|回答|回复)',
    // "之后回答都用繁体": from now on, said as "after this"
    '(?:^|[，,。；;！!])之后(?:回答|回复|都|就|请|每次|也|一律)',
    '以后.{0,8}(?:报告|文章|邮件|代码|回答|回复|周报|公众号|摘要|翻译|都|一律)',
    '今后',
    '从现在(?:开始|起)',
    '下次',
    '每次都?',
    '每(?:一)?(?:份|篇|个|封|段|部分|章|节|条)(?:报告|文章|邮件|回答|部分|段|周报|都|要|需要|的)',
    '(?:^|[，,。；;：:]|要|请|都|也|必须|应该|需要|得)(?:总是|始终|永远)',
    '一律',
    '默认',
    '禁止',
    '杜绝',
    '禁用',
    '不可(?:以)?',
    '不应(?:该)?',
    '不该',
    '严禁',
    '不许',
    '不准',
    '不得',
    '避免',
    '切勿',
    '请勿',
    '只用',
    '只能',
    '只写',
    '只保留',
    '只要(?:给|写|列|输出|保留)',
    '只需(?:要)?(?:给|写|列|输出)',
    '统一(?:用|使用|采用|保留|为|成|写|按)',
    '(?:不管|无论|不论)(?:我|咱们?)?(?:问|说|聊|谈|让你|要求|写)?(?:什么|啥|哪种)',
    // "跟我聊钱都用新币算"
    '(?:跟|和)我(?:聊|说|谈)[^，,。；;！!？?]{0,6}都(?:用|按|要|别|给|得)',
    '(?<![我你他她])记得',
    '(?:请)?(?:确保|保证)',
    '(?:请)?记住',
    // "跟吃有关的你都记着这点"
    '(?<![我你他她])记着',
    SCOPE_WIDENING_ZH,
    // a scope over a whole topic: "你说到价格都直接给人民币", "涉及钱的都…", "跟吃有关的你都…"
    `${ZH_SPEAKING_OF}都`,
    ZH_RELATED_TO_ALL,
    '(?:^|请)(?:立即|马上|及时)?更新(?:一下)?(?:你的|关于)?.{0,16}(?:标准|规则|规范|做法)',
    '请(?:用|使用|以|按)',
    '(?:用|以|按|使用).{0,12}格式',
    '格式(?:要|用|为|请)',
    '(?<!能)不能',
    '不需要',
    '无需',
    '我(?:更)?(?:喜欢|偏好|习惯|希望你)',
    // a scope over every answer or conversation (rule-identity.ts EVERYTHING): "你每回答我一次，结尾就…",
    // "聊什么话题都行", "我说的话有错的时候…", "给我建议的时候最多…"
    ZH_EVERY_ANSWER,
  ].join('|'),
);

// ---------------------------------------------------------------------------------------------
// Style / quality feedback without a marker (only after an answer)

/** Qualities of a text, in Chinese. */
const ZH_QUALITY =
  '短|长|细|具体|详细|简洁|简短|精炼|通俗|易懂|生动|正式|专业|犀利|深入|口语化?|书面|严谨|客观|朴实|感人|有趣|清晰|自然|流畅|活泼|幽默|克制|务实|接地气|大白话|深入浅出|有深度|可执行|落地|细化|精简|紧凑|有条理|有逻辑|前沿|技术性?|故事性|可读性|感染力|说服力';
export const ZH_STYLE = new RegExp(
  [
    // 写/说/讲/表达 (得/的) (再/更)? <quality> (一些/一点/点)
    `(?:写|说|讲|表达|语言|内容|用词|语气|风格|文风|篇幅|回答)(?:得|的)?(?:再|更|更加|稍微|尽量)?(?:${ZH_QUALITY})(?:一些|一点|点|些)?`,
    // 要/需要/应该 (有/更/保持/兼顾/考虑/结合/用) <something about the output>
    `(?:^|[，,；;。\\s])(?:要|需要|应该|应当|尽量|最好|同时|也要|还要|还需要)(?:有|更|保持|兼顾|考虑|结合|体现|突出|保留|加入|增加|多用|少用|用|采用|以)`,
    `(?:考虑|照顾|兼顾|面向|针对)(?:一下)?(?:受众|读者|大众|用户|普通人|小白|非专业)`,
    `(?:用|结合|举|多举|加)(?:一些)?(?:生活|实际|真实|具体)(?:中的?)?(?:例子|案例|场景)`,
    `(?:${ZH_QUALITY})(?:一些|一点|点)(?:[，,。！!]|$)`,
    `(?:而)?不是(?:小孩子?|简单地?|纯)(?:讲故事|堆砌|罗列)`,
    // an aspect of the output, then what it should be: "语气要诚恳", "标题需要简短"
    `(?:^|[，,])[^，,。]{0,6}(?:语气|语言|用词|风格|文风|口吻|篇幅|结构|开头|结尾|标题|段落|排版|措辞)(?:上)?(?:都|也)?(?:要|需要|应该|应当|得|尽量|最好)`,
    // an output aspect in a clause, then what it should be: "数据要有出处", "结论都要放在前面"
    `(?:^|[，,])[^，,。]{0,6}(?:内容|数据|数字|结论|观点|引用|来源|出处|事实|例子|案例|字数|图表|注释|回答|回复)(?:都|也|必须)?(?:要|需要|应该|应当|得|必须)`,
    // an order of parts: "先写建议再写分析"
    `先(?:写|给|放|列|说|讲)[^，,。]{1,12}再(?:写|给|放|列|说|讲)`,
    // a size stated as enough: "一页纸就够了", "三段即可"
    `[一二两三四五六七八九十\\d]+\\s*(?:页|段|句|条|点|字|行)(?:纸)?(?:就够了?|就行|就好|即可|以内|之内)`,
    // where a part goes: "结论放在最前面"
    `(?:放在|放到|置于|移到)(?:最)?(?:前面|开头|后面|最后|末尾|结尾|顶部|底部)`,
    // a length limit: "控制在500字以内", "不超过两页"
    `(?:控制|限制|压缩|保持)在.{0,10}(?:以内|之内|内|以下)|(?:控制|限制|压缩|保持)在\\s*[0-9一二两三四五六七八九十百千]+\\s*(?:字|句|页|段|行)|(?:不超过|不多于|不少于|至多|最多|至少)[写用给留]?\\s*[0-9一二两三四五六七八九十百千]+\\s*(?:字|句|页|段|行|点|条|个)`,
    // where things go in the output: "最后添加单位和日期", "开头先给结论"
    `(?:^|[，,])[^，,。]{0,6}(?:开头|结尾|最后|末尾|文末|文首)(?:都|也)?(?:要|需要|先|加上?|添加|附上|写上|给出)`,
    // an output format: "使用latex", "用表格的方式", "改用word格式"
    `^(?:请)?(?:使用|用|采用|改用|换成|改成)\\s*(?:latex|markdown|word|json|yaml|html|csv|纯文本|表格|列表|代码块|要点|分点|段落|公式)`,
  ].join('|'),
  'i',
);
/** A complaint about this answer ("太简单了", "有点太故事性了"): revises it, teaches nothing durable. */
export const ZH_COMPLAINT = /^(?:有点|有些|还是)?(?:太|过于|太过于?)[^，,。；;]{1,10}了[。！!]?$/;
/** "不需要那么完整" / "not so many": measured against this answer, so it tunes this answer only. */
export const TUNING_CLAUSE = /(?:不需要|不用|不要|没必要|别)(?:那么|这么)|^(?:\b(?:not|no need to be) (?:so|that) (?:much|many|long|detailed)\b)/i;
/** "稍微…一些" / "slightly more": tuning this answer, not a standing wish. */
export const TUNING = /^(?:能不能|可以|麻烦|请)?再[^，,。；;]{0,6}(?:一些|一点|点|些)|稍微|略微|稍稍|\bslightly\b|\ba tad\b|\bthis time\b|\b(?:right now|for now|just for today|for today)\b|这次|这一次|这篇/i;

const EN_QUALITY =
  'concise|brief|short|shorter|specific|concrete|detailed|formal|informal|casual|friendly|professional|punchy|punchier|simple|simpler|clear|clearer|plain|direct|vivid|engaging|technical|rigorous|objective|critical|opinionated|sharp|sharper|crisp|crisper|lively|warm|warmer|neutral|persuasive|accessible|readable|polite|confident|structured|actionable|practical|down-to-earth|conversational|succinct|tighter|tight|in-depth|deeper|balanced|nuanced|humble|upbeat|calm';
export const EN_STYLE = new RegExp(
  [
    String.raw`^(?:(?:also|and|but|ok(?:ay)?|please|just|oh|then|so)[, ]+)*(?:be|make it|make them|make this|make the (?:text|writing|answer|tone)|keep it|keep them|sound|write|go|get|stay) (?:a (?:bit|little|lot) |much |way |more |less |even |a bit more |a little more )*(?:${EN_QUALITY})\b`,
    String.raw`\b(?:more|less|fewer|no) (?:jargon|fluff|filler|detail|details|examples?|hedging|buzzwords|adjectives|adverbs|bullet points|technical terms|storytelling|opinions?|insight|depth|personality)\b`,
    String.raw`\b(?:use|with|give|add|include) (?:more |some |a few )?(?:real[- ]life|everyday|concrete|real[- ]world|practical|simple) (?:examples?|analogies|cases|words|language|terms)\b`,
    String.raw`\bin (?:plain|simple|everyday) (?:english|language|words|terms)\b`,
    String.raw`\b(?:write|explain|answer) (?:it |things |everything )?(?:like|as if|for) (?:a|an|you(?:'re| are)) (?:layperson|beginner|expert|child|five[- ]year[- ]old|non-expert|newcomer)\b`,
    String.raw`^(?:(?:also|and|but|please)[, ]+)*(?:use|keep|cite|include|add|prefer|limit|stick to|respond in|reply in|answer in|write in|start with|end with|lead with|open with)\b`,
    String.raw`(?:^|[,;:]\s*)(?:(?:pls|plz|please|also|and|btw|ps)[, ]+)?(?:no|without) (?!problem|worries|thanks|thank|need|idea|way|doubt|matter|one|longer|rush|pressure|offense|clue)[a-z][\w-]*`,
    String.raw`\b(?:under|below|within|at most|no more than|max(?:imum)?(?: of)?|fewer than|less than|up to) \d+ (?:words?|pages?|lines?|sentences?|paragraphs?|bullets?|bullet points|characters?|slides?)\b|\b\d+ (?:words?|pages?|lines?|sentences?|paragraphs?|bullet points|characters?) (?:max(?:imum)?|or less|or fewer|tops|at most)\b`,
    String.raw`^(?:(?:also|and|but|please|just)[, ]+)*make (?:it|them|this|these|the \w+|my \w+|your \w+) (?:a (?:bit|little|lot) |much |way |more |less |even )*(?:${EN_QUALITY})\b`,
    String.raw`\btone it (?:down|up)\b|\bcut the (?:fluff|jargon|filler)\b|\bget to the point\b|\bshow,? don'?t tell\b`,
    // what the user needs from the output, said after it: "what would work best is a plain two-sentence
    // summary, then…", "what I actually need is…", "would it be possible to do these as: …"
    String.raw`\b${EN_WHAT_WORKS}\b|\bwhat (?:I|we) (?:really |actually |usually |always )?(?:need|want|'d like|would like|'m after|am after|'d prefer|would prefer) (?:from you |here )?(?:is|are)\b|\bwhat helps (?:me|us)(?: most)? is\b`,
    String.raw`\b(?:would it be possible|could you|can you|would you) (?:to )?(?:please )?(?:do|write|format|lay out|set out|structure|present|give|send) (?:these|those|them all|all of them)(?: for (?:me|us))? (?:as|like|in|with)\b`,
    // "A single closing line starting 'Bottom line:' would fix that for me"
    String.raw`\b${EN_WOULD_FIX}\b|\b(?:that|this) would (?:help|work) (?:me |us )?(?:a lot|loads|much better)\b`,
  ].join('|'),
  'i',
);
export const EN_COMPLAINT =
  /^(?:(?:no|nope|ugh|hmm|meh|oh|well|argh)[\s,!.]+)*(?:(?:it'?s|this is|that'?s|that was|this was|way|a bit|kind of|a little|much)\s+)*(?:too|so|very|really|overly|rather) \w+(?:(?:,| and| &| but also) (?:too |so |very )?\w+)*[.!]*$/i;
