/**
 * Task families: the kind of deliverable a learned rule is about ("reports", "emails", "code").
 * A learned skill is named after its family and its rule, retrieved by the family's task phrases,
 * and merged only with skills of the same family, so a rule about poems never lands in a skill
 * about articles just because both are "writing".
 *
 * The table is hand-written on purpose: a small, reviewable vocabulary of deliverables in both
 * languages is what decides the merge boundary, and no npm package maps requests to deliverables
 * in English and Chinese (NLP libraries such as compromise tag parts of speech, which does not
 * say whether "post" and "公众号" are the same family).
 */
export interface TaskFamily {
  key: string;
  /** display label, plural ("Reports") */
  en: string;
  zh: string;
  /** task phrases a user says when they need this kind of work */
  enTriggers: string[];
  zhTriggers: string[];
  /** the family's nouns and verbs (in a request) */
  enRe: RegExp;
  zhRe: RegExp;
  /** also recognised inside a rule ("for my reports", "周报控制在800字以内"); false for nouns that rules use as style words */
  inRules: boolean;
  /** a transformation of given material: wins over the noun it acts on ("summarize this report" is a summary) */
  transform?: boolean;
}

const fam = (f: TaskFamily): TaskFamily => f;

export const FAMILIES: TaskFamily[] = [
  fam({
    key: 'translation', en: 'Translations', zh: '翻译', transform: true, inRules: true,
    enTriggers: ['translate this text', 'translation', 'translate into English'], zhTriggers: ['翻译', '帮我翻译', '翻译成中文'],
    enRe: /\btranslat(?:e|es|ed|ing|ion|ions)\b/i, zhRe: /翻译|译文|译成|翻成(?:英文|中文|英语|日语|日文|韩语|法语|德语|西班牙语)/,
  }),
  fam({
    key: 'summary', en: 'Summaries', zh: '摘要总结', transform: true, inRules: true,
    enTriggers: ['summarize this', 'write a summary', 'meeting notes'], zhTriggers: ['总结一下', '写摘要', '会议纪要'],
    enRe: /\bsummar(?:y|ies|ize|ise|izing|ising)\b|\btl;?dr\b|\bmeeting (?:notes|minutes)\b|\brecap\b|\bminutes (?:of|from|for) (?:the |our |my |this |today'?s |yesterday'?s )?(?:[\w-]+ )?(?:meeting|call|standup|sync)\b|\bnotes (?:of|from|for) (?:the |our |my |this |today'?s |yesterday'?s )?(?:[\w-]+ )?(?:meeting|call|standup|sync)\b|\baction items (?:from|for|of) (?:the |our |my |this |that |today'?s |yesterday'?s )?(?:[\w-]+ )?(?:meeting|call|standup|stand-up|sync|retro)\b|\b(?:write|type|draft|circulate|prepare|do) (?:up )?the minutes\b|\btype up (?:the )?minutes\b|\b(?:standup|stand-up|retro) (?:notes|minutes)\b/i,
    // minutes by their use: "会后发群里的那种记录", "把会上说的整理一下"
    zhRe: /摘要|总结|概括|纪要|归纳|会议记录|会议笔记|会议要点|会后[^，,。；;]{0,12}(?:记录|要点)|(?:会上|开会)[^，,。；;]{0,8}(?:说的|讲的|聊的|讨论的|定的)[^，,。；;]{0,6}(?:整理|梳理|汇总)|(?:整理|梳理|汇总)[^，,。；;]{0,8}(?:会上|开会)[^，,。；;]{0,6}(?:说的|讲的|聊的|讨论的|定的|内容)|(?:会议|例会|周会|晨会|会)的?(?:内容|记录|笔记)[^，,。；;]{0,4}(?:整理|梳理|汇总)/,
  }),
  fam({
    key: 'editing', en: 'Editing', zh: '润色修改', transform: true, inRules: false,
    enTriggers: ['polish my draft', 'proofread this', 'edit my text'], zhTriggers: ['润色', '帮我修改', '优化这段文字'],
    enRe: /\b(?:polish|proofread|copy-?edit|revise|rewrite|edit)(?:s|ed|ing)?\b|\bfor (?:grammar|typos|spelling|errors|mistakes)\b|\b(?:check|fix) (?:the |my |this )?(?:grammar|typos|spelling)\b|\bis (?:this|my) (?:sentence|paragraph|wording|grammar) (?:correct|right|ok)\b/i, zhRe: /润色|改写|修改|优化一下|校对/,
  }),
  fam({
    key: 'bug-report', en: 'Bug reports', zh: '缺陷报告', inRules: true,
    enTriggers: ['bug report', 'file a bug', 'write up an issue'], zhTriggers: ['提个bug', '缺陷报告', '写工单'],
    enRe: /\bbug reports?\b|\bissue reports?\b|\b(?:jira|github|gitlab|linear) (?:tickets?|issues?)\b|\b(?:file|write up|open|log|raise|create|make) (?:an? |the |this |that )?(?:bug|issue|ticket|defect)\b|\b(?:tickets?|issues?) (?:out of|from) this\b|\bfile this (?:properly )?(?:for|in|on|as) (?:jira|github|gitlab|linear|an? (?:bug|issue|ticket))\b|\bsteps to reproduce\b|\brepro(?:duction)? steps\b|\b(?:bug|defect) (?:tickets?|write-?ups?)\b|\bdefect reports?\b|\b(?:turn|make|convert|write|put) (?:this|that|it|these|them)(?: [\w-]+)?(?: up)? (?:into|as) (?:an? |the )?(?:(?:jira|github|gitlab|linear|bug|defect) )?(?:tickets?|issues?|bugs?)\b(?! (?:tracker|list|board))|\b(?:write|draft) (?:an? |the |this |that )?(?:bug|ticket|defect)\b/i,
    zhRe: /缺陷报告|(?:bug|Bug|BUG)报告|提(?:个|一个)?(?:bug|Bug|BUG|缺陷|工单)|报(?:个|一个)?(?:bug|Bug|BUG|缺陷)|(?:写|建|开|提|录|记)(?:个|一个|一条|条)?(?:工单|缺陷单|issue|Issue|jira|Jira|JIRA|(?:bug|Bug|BUG)单)|复现步骤/,
  }),
  fam({
    key: 'report', en: 'Reports', zh: '报告', inRules: true,
    // no bare "report" / "报告" trigger: the word is also a verb and a form ("report a bug", "report
    // card", "报告一个bug", "成绩报告单"); a request for a report reaches the family through enRe/zhRe
    enTriggers: ['write a report', 'weekly report', 'draft a report', 'research report'], zhTriggers: ['写报告', '周报', '写一份报告', '报告撰写'],
    // not a form or a forecast someone else files ("a police report", "the weather report", "a credit report")
    enRe: /(?<!\b(?:to|I|we|you|please|pls|can|could|should|would|will|must|'ll|do|did|how|police|weather|credit|traffic|crime|accident|incident|bug)\s)\breports?\b(?!\s+(?:a|an|the|this|that|it|them|him|her|to|bugs?|issues?|problems?|errors?|spam|abuse|cards?|incidents?|crimes?|back)\b)|\bwhite ?papers?\b|\bbriefings?\b|\b(?:research|policy|analyst|market|investment|strategy|executive|project) briefs?\b|\b(?:analysis|research|data|market|project) write-?ups?\b|\bwrite-?ups? (?:on|about|of)\b|\b(?:status|weekly|monthly|progress) updates?\b/i,
    // 汇报 as a deliverable (汇报材料, 汇报稿, 工作汇报), not the verb ("向CFO汇报", "上台汇报")
    zhRe: /的报告|报告(?!单|一下|一个|给(?!我)|这个|了|过)|(?:年终|年度|工作|季度|月度|半年|述职|个人)总结|述职|周报|日报|月报|简报|研报|(?:工作|述职|年终|季度|项目|阶段)汇报|汇报(?:材料|稿|文档|PPT|ppt|内容)|白皮书|公文|履职(?:情况)?(?:汇报|报告|总结)|转正(?:答辩|述职|汇报|材料)/,
  }),
  fam({
    key: 'lesson-plan', en: 'Lesson plans', zh: '教案', inRules: true,
    enTriggers: ['lesson plan', 'write a lesson plan', 'teaching plan'], zhTriggers: ['教案', '写教案', '教学设计'],
    enRe: /\blesson plans?\b|\bsyllab(?:us|i)\b|\bcourse outlines?\b|\b(?:plan|plan out|map out|prepare|prep|design|outline|sketch out) (?:a |an |my |the |our |tomorrow'?s |today'?s |next |this )?(?:\d+[- ]minutes? |one[- ]hour )?(?:class|lesson|lecture|seminar|workshop)\b(?! (?:notes|schedule|registration|trip|reunion|photos?|party)\b)|\b(?:plan|plan out|map out|prepare|prep|design|outline|sketch out) (?:a |the |my |tomorrow'?s |today'?s |next |this )?(?:\d+[- ]minute )?(?:class )?period\b(?= (?:for|with)\b[^.?!]{0,40}\b(?:class(?:es)?|students|pupils|graders|year \d+s?|grade \d+|lesson)\b)|\bunit plans?\b|\bschemes? of work\b|\bteaching plans?\b|\bmini-?lessons?\b|\blessons? (?:on|about) [^.?!]{1,40}\bfor (?:my |our |the )?(?:class|students|pupils|(?:\d+(?:st|nd|rd|th) )?graders|year \d+s?|grade \d+)\b|\ba plan for (?:[\w'-]+ ){0,4}?(?:class|lesson|lecture|seminar)\b|\b(?:put together|plan|prepare|design|outline|prep|create|make|build) (?:me )?(?:a |an |the |my )?(?:[\w'-]+ ){0,3}?(?:class|lesson|session|lecture|workshop|seminar) (?:on|about|for|teaching|covering|introducing)\b(?=[^.?!]{0,80}\b(?:graders?|students?|pupils?|learners?|kids|teens|esl|year \d+s?|grade \d+)\b)|\b(?:plan|prep|prepare|design) (?:a |an |my |the |our |tomorrow'?s |next )?(?:[\w-]+ ){1,2}lessons?\b(?! (?:learned|learnt))/i,
    zhRe: /教案|课件|教学设计|讲义|说课稿|教学(?:流程|环节|方案|计划|思路)|授课(?:计划|方案|思路)|课堂(?:活动|流程|环节)设计|(?:这|那|下|这一)(?:节|堂)课(?:该)?怎么(?:上|讲|设计|安排)|(?:设计|备|准备|安排)(?:一节|一堂)?[^，,。；;]{0,14}课(?!程表|外)|一(?:节|堂)[^，,。；;]{0,14}课/,
  }),
  fam({
    key: 'agenda', en: 'Agendas', zh: '议程', inRules: true,
    enTriggers: ['meeting agenda', 'write an agenda', 'running order'], zhTriggers: ['会议议程', '写议程', '会议流程'],
    enRe: /(?<!\b(?:hidden|secret|own|political|personal|their|his|her) )\bagendas?\b|\brunning orders?\b|\brun of show\b|\border of (?:business|events|the day)\b/i,
    zhRe: /议程|会议流程|流程单|(?:会|会议|活动|典礼|仪式|年会|晚会)的?流程|(?:会|例会|会议)[^。；;]{0,12}(?:排一下|排下|安排一下|安排下|排个)(?:顺序|流程|环节)|会上(?:的)?环节|(?:例会|会议|会上)要讲的[^。；;]{0,6}(?:排|安排|顺序)/,
  }),
  fam({
    key: 'job-posting', en: 'Job postings', zh: '招聘启事', inRules: true,
    enTriggers: ['job description', 'job posting', 'write a job ad'], zhTriggers: ['招聘JD', '招聘启事', '岗位描述'],
    enRe: /\bjob (?:descriptions?|posts?|postings?|ads?|adverts?|advertisements?|listings?|specs?|openings?)\b|\bJDs?\b|\b(?:hiring|recruiting|recruitment) (?:posts?|ads?|adverts?)\b|\badvertise (?:an? |the |our )?(?:opening|position|role|vacancy|job)\b|\b(?:listing|posting|advert|ad) for (?:an? |the |our |my )?(?:[\w-]+ ){0,3}?(?:role|position|opening|vacancy|hire)\b|\bwe'?re hiring\b[^.?!]{0,60}\b(?:listing|post|ad)\b|\bhelp[- ]wanted (?:ads?|signs?|posts?|notices?|posters?)\b|\b(?:role|position) descriptions?\b|\bvacancy (?:ads?|adverts?|notices?|posts?|listings?|announcements?)\b|\b(?:write|draft|post|advertise|put up|word)(?: up)? (?:the |a |an |our |this |that )?(?:[\w-]+ ){0,2}?vacanc(?:y|ies)\b(?! (?:at|in) (?:the |a |our |your )?(?:hotel|motel|inn|b&b|hostel))/i,
    zhRe: /招聘(?:JD|jd|启事|广告|文案|信息|帖子?|海报|简章|公告)|发(?:个|一个|条)?招聘|JD|岗位(?:职责|描述|说明)|职位(?:描述|说明|介绍)|任职要求|急招|招(?:人|兼职|实习生|店员|服务员|学徒|工)(?:的)?(?:帖子?|文案|启事|启示|广告|海报|JD)/,
  }),
  fam({
    key: 'customer-reply', en: 'Customer replies', zh: '客服回复', inRules: true,
    enTriggers: ['reply to a customer', 'support reply', 'customer service response'], zhTriggers: ['回复顾客', '客服回复', '客服话术'],
    enRe: /\b(?:support|customer|customer service|customer support|help ?desk|service) (?:repl(?:y|ies)|responses?|answers?|macros?)\b|\brepl(?:y|ies) from (?:our |the )?(?:support|customer service|help ?desk|team)\b|\b(?:reply|respond|answer|write back|responses?|repl(?:y|ies)) to (?:a |an |the |this |that |our |my )?(?:angry |upset |unhappy )?(?:customers?|clients?|buyers?|guests?|shoppers?|reviews?|reviewers?|users?|tickets?)\b|\b(?:a |the |our |my )?(?:customer|client|buyer|guest|user)s? (?:says?|said|writes?|wrote|asks?|asked|complains?|complained|wants?)\b[^.?!]{0,80}\b(?:reply|respond|answer|response)\b|\b(?:reply|respond|answer)(?:ing)? to (?:a |an |the |this |these |those |our |customer |guest )?(?:complaints?|(?:bad|negative|1-star|one-star|angry) reviews?)\b|\b(?:angry|furious|upset|irate|complain\w*)\b[^?!]{0,100}\b(?:how (?:should|do|would|can|could) (?:I|we|you) (?:respond|reply|answer)|help me (?:respond|reply|answer))\b|\bhow (?:should|do|would|can|could) (?:I|we|you) (?:respond|reply|answer)\b[^!]{0,100}\b(?:angry|furious|upset|irate|complain\w*)\b|\b(?:respond|reply|answer)(?: to)? (?:this|that|an?|the) (?:angry|furious|upset|irate)\b|\b(?:respond|reply|answer) to (?:an? |the |this )?(?:[\w-]+ )?who (?:complained|is (?:angry|upset|furious))\b/i,
    zhRe: /客服(?:回复|话术|回答|消息)|回复话术|回复(?:一下)?(?:顾客|客户|买家|客人|用户|差评|评价|留言)|(?:顾客|客户|买家|客人)(?:说|问|反馈|留言|评价|抱怨)[^。]{0,40}(?:回复|怎么回|回一下)|(?:差评|评价|留言)[^，,。]{0,6}(?:怎么回|回复)|(?:评论区|差评|投诉|顾客|客户|买家|客人|用户)[^。；;]{0,24}(?:回一下|回复一下|怎么回|帮我回)/,
  }),
  fam({
    key: 'requirements', en: 'Requirements docs', zh: '需求文档', inRules: true,
    enTriggers: ['product requirements doc', 'write a PRD', 'feature spec'], zhTriggers: ['需求文档', '写PRD', '产品需求'],
    enRe: /\bPRDs?\b|\b(?:product )?requirements? (?:docs?|documents?|specs?|specifications?)\b|\b(?:product|feature|functional) specs?\b|\bspec (?:out|for) (?:a |the |this |our )?(?:new )?feature\b|\buser stor(?:y|ies)\b/i,
    zhRe: /PRD|需求文档|需求说明|产品需求|需求(?:帮我)?写一下|写(?:个|一个|一份|份)?需求|功能说明书/,
  }),
  fam({
    key: 'contract', en: 'Contracts', zh: '合同条款', inRules: true,
    enTriggers: ['contract clause', 'draft a contract', 'service agreement'], zhTriggers: ['合同条款', '起草合同', '写合同'],
    enRe: /\bcontracts?\b|(?<!\b(?:relative|subordinate|main|independent|dependent|noun|adverbial|adjective|conditional|if|that|santa) )\bclauses?\b|\bNDAs?\b|\bterms of (?:service|use)\b|\bterms and conditions\b|\b(?:service|lease|rental|tenancy|employment|partnership|licen[cs]e|purchase|supply|non-disclosure) agreements?\b/i,
    zhRe: /合同|条款|(?:保密|租赁|劳动|劳务|合作|服务|采购|转让|框架)协议/,
  }),
  fam({
    key: 'apology', en: 'Apologies', zh: '检讨书', inRules: true,
    enTriggers: ['apology letter', 'write an apology', 'letter of apology'], zhTriggers: ['写检讨', '检讨书', '书面检查'],
    enRe: /\bletters? of apology\b|\bapology (?:letters?|notes?|e-?mails?|messages?|texts?|statements?|posts?|cards?)\b|\b(?:write|draft) (?:an? |my )?apology\b|\bself-criticism\b|\b(?:note|message|text|letter|e-?mail|card|words|something|help me) to (?:say (?:I'?m )?sorry|apologi[sz]e)\b|\bsorry (?:notes?|messages?|texts?|letters?|cards?)\b|\b(?:written|sincere|heartfelt) apolog(?:y|ies)\b/i,
    // 反省, 悔过, a written 认错 or 致歉 ("写个书面的说明认个错", "发一则致歉声明"), not someone who never says sorry
    zhRe: /检讨|(?:写|交|补)(?:个|份|一份|篇)?(?:书面)?(?:检查|反省)|反省(?:书|材料)|悔过书|道歉信|致歉信|(?:致歉|道歉)(?:声明|函|公告|邮件|短信|的话|文案)|书面[^，,。；;]{0,6}(?:认(?:个)?错|道歉|致歉)|(?:写|起草|拟)[^，,。；;]{0,6}(?:道歉|致歉|认错)|自我反省|自我检查|反省(?:的)?(?:材料|稿)/,
  }),
  fam({
    key: 'leave-request', en: 'Leave requests', zh: '请假条', inRules: true,
    enTriggers: ['leave request', 'sick note', 'ask for time off'], zhTriggers: ['请假条', '写请假条', '请假申请'],
    enRe: /\b(?:leave|absence|time[- ]off|pto|sick[- ]day|vacation|holiday) (?:requests?|notes?|e-?mails?|letters?|applications?|messages?)\b|\bsick notes?\b|\b(?:request(?:ing)?|ask(?:ing)?(?: (?:my |the )?(?:boss|manager|supervisor|teacher|lead|school|professor))? for) (?:a |the |some |next |this )?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|(?:(?:a|one|two|three|four|five|a few|a couple of|couple of|half a) )?(?:days?|weeks?|afternoon|morning)|time) off\b|\b(?:request(?:ing)?|ask(?:ing)? for|apply(?:ing)? for) (?:a |an )?(?:(?:extended|unpaid|medical|parental|maternity|paternity|bereavement|compassionate|study|annual) )?(?:leave(?: of absence)?|sabbatical)\b|\b(?:text|message|e-?mail|note|what to say) (?:to )?call(?:ing)? in sick\b/i,
    zhRe: /请假(?:条|单|申请|邮件|信息|消息|理由)|写[^，,。；;]{0,6}请假|请(?:一|两|三|几|半)?天(?:的)?(?:事|病|年|婚|产|丧)?假|请(?:个|下|一下)假[^。；;]{0,12}(?:写|怎么说|怎么开口|发给|跟(?:领导|老板|老师|经理|主管)说)|(?:年假|病假|事假|婚假|产假|陪产假|丧假|育儿假|探亲假|调休|休假)[^。；;]{0,16}(?:申请|假条|请假)/,
  }),
  fam({
    key: 'release-notes', en: 'Release notes', zh: '更新日志', inRules: true,
    enTriggers: ['release notes', 'changelog', "what's new"], zhTriggers: ['更新日志', '版本说明', '发布说明'],
    enRe: /\brelease notes?\b|\bchange-?logs?\b|\bpatch notes?\b|\bwhat'?s new'? (?:in|for|text|section|page|notes?|copy)\b|\bnotes for (?:this|the|our|a) (?:new )?(?:release|version|update)\b|\bupdate notes?\b/i,
    zhRe: /更新日志|版本说明|发布说明|更新说明|更新公告|版本更新(?:说明|内容)/,
  }),
  fam({
    key: 'quiz', en: 'Quizzes and tests', zh: '测验题', inRules: true,
    enTriggers: ['make a quiz', 'quiz questions', 'test for my class'], zhTriggers: ['出题', '出一套练习题', '测验'],
    enRe: /(?<!\bpub )\bquiz(?:zes|es)?\b(?! (?:night|show|team|master|host)s?\b)|\bworksheets?\b|\b(?:multiple[- ]choice|practice|exam|test|comprehension|review|quiz|true[- ]or[- ]false) questions?\b|\b(?:tests?|exams?) (?:on|about) [^.?!]{1,60}\bfor (?:my |our |the )?(?:class|students|pupils|learners|kids|(?:\d+(?:st|nd|rd|th) )?graders|year \d+|grade \d+|[\w-]+ class)\b|\brounds? of (?:[\w-]+ ){0,3}?(?<!\b(?:interview|screening|follow-up) )(?:questions|trivia)\b|\btrivia (?:questions?|rounds?)\b|\b(?:write|make|create|give me|put together|draft|prepare|set) (?:me |us )?(?:an? |some )?(?:[\w-]+ ){0,2}?(?:mock|practice|diagnostic|placement) (?:exams?|tests?|papers?)\b|\bexit tickets?\b|\bfill[- ]in[- ]the[- ]blank (?:questions|exercises|worksheets?|quiz(?:zes)?|tests?|sentences|activities)\b|\btest (?:me|us|my (?:students|class|pupils|kids|son|daughter|team)) on\b|\btrivia (?:questions?|night|round|game)s?\b|\bneed a round on\b|\b(?:give me|write|make|need|come up with|throw together|put together) (?:me )?\d+ questions (?:about|on)\b/i,
    // questions set for someone, not a problem that came up ("服务器出点问题")
    zhRe: /测验|练习题|习题|试卷|试题|小测|出(?:几道|一套|套|些|点|\d+道)[^，,。；;]{0,8}(?<!问)题|(?:出|编|整|来|设计|准备)[^，,。；;]{0,10}(?:选择|判断|填空|简答|抢答|竞赛|问答|测试)题|考考(?:我|孩子|学生|大家)|(?:出|编|整)(?:一)?(?:套|份|张)[^，,。；;]{0,8}(?:卷子|考卷|考题)/,
  }),
  fam({
    key: 'greeting-card', en: 'Cards and wishes', zh: '祝福语', inRules: true,
    enTriggers: ['birthday card message', 'write a card', 'birthday wishes'], zhTriggers: ['写祝福语', '生日祝福', '贺卡'],
    enRe: /\b(?:birthday|greeting|thank[- ]you|get[- ]well|sympathy|condolence|christmas|holiday|anniversary|wedding|retirement|graduation|farewell|valentine'?s?|new year'?s?) (?:cards?|messages?|notes?|wishes|greetings?)\b|\bcards? (?:message|text|note)s?\b|\b(?:message|note|wishes) (?:for|in) (?:a|the|my|his|her|their|our) (?:[\w-]+ ){0,2}cards?\b|\b(?:write|put|say) (?:in|inside|on) (?:a|the|his|her|my|their) (?:[\w-]+ ){0,2}cards?\b|\b(?:something|words?) for (?:the|a|his|her|their) (?:birthday )?card\b|\b(?:note|card|message|something|a few lines) (?:thanking|to thank)\b|\b(?:card|note|message) to say thanks\b|\bthank[- ]you (?:note|card|message|email|letter)s?\b|\bto (?:show|express) (?:our|my) (?:appreciation|gratitude|thanks)\b/i,
    zhRe: /贺卡|祝福语|(?:生日|新年|春节|中秋|结婚|新婚|毕业|退休|乔迁|开业)(?:祝福|贺词|寄语)|(?:节日|中秋|端午|国庆|元旦|圣诞|元宵|教师节|母亲节|父亲节)(?:的)?(?:祝福|问候)|拜年(?:信息|短信|消息|的话)?|(?:过年|新年|春节|元旦|中秋|国庆|节日|端午)[^，,。；;]{0,10}(?:发|写)[^，,。；;]{0,8}(?:信息|消息|短信|问候)|祝福(?:的话|短信|文案|语)|写[^，,。；;]{0,6}祝福|感谢(?:卡|卡片|的话)|(?:写|发|说)[^，,。；;]{0,8}(?:感谢的话|表示感谢|谢谢的话)/,
  }),
  fam({
    key: 'show-notes', en: 'Show notes', zh: '节目简介', inRules: true,
    enTriggers: ['show notes', 'episode description', 'podcast episode notes'], zhTriggers: ['节目简介', '播客简介', '单集介绍'],
    enRe: /\bshow ?notes\b|\b(?:episode|podcast)(?: \d+)? (?:description|write-?up|notes|blurb)s?\b|\bnotes (?:that go )?(?:under|for|below) (?:this|the|our|my|this week'?s|today'?s|last week'?s) (?:[\w-]+ )?(?:episode|podcast)\b/i,
    zhRe: /(?:播客|节目|单集|本期)(?:的)?(?:简介|介绍|说明|文字稿)|shownotes|show notes/,
  }),
  fam({
    key: 'video-script', en: 'Video scripts', zh: '视频脚本', inRules: true,
    enTriggers: ['video script', 'youtube script', 'storyboard'], zhTriggers: ['视频脚本', '短视频脚本', '分镜脚本'],
    enRe: /\b(?:video|youtube|tiktok|reels?|shorts?|podcast|ad|commercial|explainer|vlog|promo) scripts?\b|\bscripts? for (?:a |an |my |our |the )?(?:[\w-]+ ){0,2}?(?:video|vlog|reel|podcast|commercial|ad|episode|short)\b|\bstoryboards?\b|\bshot lists?\b/i,
    zhRe: /(?:视频|短视频|抖音|快手|B站|vlog|Vlog|宣传片|广告片)(?:的)?脚本|分镜|拍摄脚本|口播(?:稿|文案)|(?:拍|录)[^。；;]{0,24}脚本|(?:每个|各个)?镜头(?:拍啥|拍什么|怎么拍)|视频号[^。；;]{0,30}(?:脚本|镜头|拍)/,
  }),
  fam({
    key: 'livestream', en: 'Livestream scripts', zh: '直播话术', inRules: true,
    enTriggers: ['livestream script', 'live selling pitch', 'stream talking points'], zhTriggers: ['直播话术', '带货话术', '直播脚本'],
    enRe: /\b(?:live ?stream|live selling|live shopping|stream) (?:scripts?|pitch(?:es)?|talking points|lines)\b/i,
    zhRe: /直播(?:带货)?(?:的)?(?:话术|脚本|文案|稿)|带货(?:话术|文案|脚本)|直播间(?:话术|文案)|直播[^。；;]{0,20}(?:台词|口播|话术|讲解词|介绍)|口播稿|带货(?:的)?台词/,
  }),
  fam({
    key: 'workout', en: 'Workout plans', zh: '健身计划', inRules: true,
    enTriggers: ['workout plan', 'training program', 'exercise routine'], zhTriggers: ['健身计划', '训练计划', '锻炼安排'],
    enRe: /\bwork-?outs? (?:plans?|programs?|programmes?|routines?|schedules?|splits?)\b|\b(?:make|design|create|give|write|build|put together|plan) (?:me |us )?(?:an? |my |some )?(?:[\w-]+ ){0,3}?work-?outs?\b|\b(?:any|every|each) work-?outs?\b|\b(?:training|exercise|fitness|gym|strength|running|cardio|stretching|yoga|hiit|core) (?:plans?|programs?|programmes?|routines?|schedules?|splits?)\b|\broutine (?:should I|to) (?:follow|do)\b|\bfat-?burning (?:sessions?|routines?)\b|\b(?:program|plan|routine|session|sets?|exercises?|circuit|something|moves|work-?outs?) (?:me |us )?(?:something |a session |a routine )?(?:for|on) (?:my |a |the |tomorrow'?s |today'?s )?(?:leg|arms?|push|pull|back|chest|shoulders?|core|glutes?|upper[- ]body|lower[- ]body|full[- ]body) days?\b|\b(?:\d+|five|ten|fifteen|twenty|thirty|forty-five|sixty)[- ]min(?:ute)?s? (?:[\w-]+ ){0,2}?work-?outs?\b|\b(?:lifting|weightlifting|powerlifting|bodybuilding|calisthenics|kettlebell|dumbbell|barbell|pilates|marathon|half[- ]marathon|5k|10k|couch[- ]to[- ]5k) (?:plans?|programs?|programmes?|routines?|splits?|circuits?)\b|\bhome work-?outs?\b|\bsets (?:and|&) reps\b/i,
    zhRe: /健身(?:计划|方案|安排|课表|菜单)|训练(?:计划|安排|方案|课表)|锻炼(?:计划|安排|方案)|减脂计划|增肌计划|(?:练|锻炼)[^，,。；;]{0,6}(?:怎么安排|怎么练|安排一下)|练(?:腿|胸|背|肩|腹|臀|手臂|核心)[^。；;]{0,12}(?:动作|计划|课表|怎么练)|(?:跑步|马拉松|半马|全马|游泳|瑜伽|普拉提|拉伸|有氧)(?:训练)?(?:计划|方案)|(?:居家|在家|宿舍|办公室)(?:健身|锻炼|训练)(?:计划|方案|动作|安排)|(?:安排|推荐|设计|给我|来)[^，,。；;]{0,6}(?:健身|训练|锻炼)动作|[二三四五]分化|(?:健身|锻炼|训练|健身房)[^。；;]{0,16}练(?:什么|啥)|练(?:什么|啥)[^。；;]{0,6}(?:动作|部位)/,
  }),
  fam({
    key: 'text-reply', en: 'Texts to friends and family', zh: '回消息', inRules: true,
    enTriggers: ['reply to my friend', 'text my friend', 'what do I say back'], zhTriggers: ['回消息', '怎么回他', '帮我回微信'],
    enRe: /\b(?:texts?|messages?|msgs?|dms?) (?:to|back to|for) (?:my |a )?(?:friends?|buddy|roommate|mom|dad|sister|brother|boyfriend|girlfriend|partner|wife|husband|bestie)\b|\b(?:reply|respond|answer|say back|text back) (?:to )?my (?:friend|buddy|roommate|mom|dad|sister|brother|boyfriend|girlfriend|partner|wife|husband|bestie)(?:'s)?\b|\bwhat do I (?:say|text|write) back\b|\bmy (?:friend|buddy|roommate|bestie|mom|sister|brother) (?:texted|sent me|asked me|messaged)\b|\bgive me a comeback\b/i,
    zhRe: /回(?:个|一下)?(?:消息|微信|短信)|(?:怎么|咋)回(?:他|她|复|消息|微信|短信)|(?:朋友|室友|闺蜜|兄弟|同学|男朋友|女朋友|老公|老婆)(?:发|问)(?:来|我)[^。]{0,30}(?:回|说)/,
  }),
  fam({
    key: 'reflection', en: 'Reflections', zh: '心得体会', inRules: true,
    enTriggers: ['reflection paper', 'what I learned', 'reflective essay'], zhTriggers: ['心得体会', '学习体会', '观后感'],
    enRe: /\breflections? (?:papers?|essays?|pieces?|journals?)\b|\breflective (?:essays?|writing|pieces?)\b/i,
    zhRe: /心得体会|学习体会|心得|(?:写写|谈谈|写点)(?:收获|感受|体会)|观后感|培训(?:收获|感想|总结)/,
  }),
  fam({
    key: 'school-essay', en: 'School essays', zh: '作文', inRules: true,
    enTriggers: ['school essay', 'English composition', 'essay for class'], zhTriggers: ['写作文', '英语作文', '范文'],
    enRe: /\b(?:school|class|homework|english|gcse|sat|toefl|ielts) (?:essays?|compositions?)\b|\bcompositions? (?:for|about|on)\b/i,
    zhRe: /作文|范文|(?:英文|英语)(?:短文|小短文)|周记|(?<!会)议论文|记叙文|说明文(?![档件书])|(?:孩子|儿子|女儿|学生|闺女)[^，,。；;]{0,8}写的《[^》]{1,30}》/,
  }),
  fam({
    key: 'outfit', en: 'Outfits', zh: '穿搭', inRules: true,
    enTriggers: ['what should I wear', 'outfit ideas', 'what to wear'], zhTriggers: ['穿搭', '穿什么', '怎么搭配'],
    enRe: /\boutfits?\b|\bwhat (?:should|can|do) I wear\b|\bwhat to wear\b|\bhow (?:should|do) I dress\b/i,
    zhRe: /穿搭|穿什么|怎么穿|(?:衣服|服装)(?:的)?搭配|带(?:哪些|什么)衣服/,
  }),
  fam({
    key: 'medical-report', en: 'Reading medical results', zh: '化验单解读', inRules: true,
    enTriggers: ['explain my lab results', 'read my blood test', 'interpret my checkup report'], zhTriggers: ['看体检报告', '解读化验单', '看看检查结果'],
    enRe: /\b(?:explain|interpret|read|go over|look at|make sense of) (?:my |these |the |this |her |his )?(?:lab|blood ?test|test|checkup|medical|MRI|x-ray|ultrasound|cholesterol) (?:results?|reports?|numbers|panel)\b|\b(?:lab|blood ?test|checkup|MRI|x-ray) (?:results?|reports?)\b[^.?!]{0,40}\b(?:mean|normal|worried|explain)\b/i,
    zhRe: /体检报告|化验单|检查报告|检验报告|报告单|血常规|尿常规|肝功能|肾功能|甲状腺功能|(?:血脂|B超|彩超|CT|核磁|微量元素)[^，,。；;]{0,6}(?:报告|结果|单子|指标|出来|写着|偏高|偏低)/,
  }),
  fam({
    key: 'letter', en: 'Letters', zh: '信件', inRules: true,
    enTriggers: ['recommendation letter', 'reference letter', 'resignation letter'], zhTriggers: ['推荐信', '辞职信', '感谢信'],
    enRe: /\b(?:recommendation|reference|referral|resignation|character) letters?\b|\bletters? of (?:recommendation|reference|resignation)\b|\b(?:write|be) (?:a |an )?(?:reference|referee) for\b|\brecommend (?:my |our |a )?(?:colleague|student|intern|employee|friend|coworker|co-worker|mentee)\b|\bvouch for\b/i,
    zhRe: /推荐信|辞职信|感谢信|介绍信|证明信|推荐函/,
  }),
  fam({
    key: 'homework-help', en: 'Homework help', zh: '作业辅导', inRules: true,
    enTriggers: ['help with homework', 'explain this math problem', 'word problem'], zhTriggers: ['讲数学题', '辅导作业', '这道题怎么讲'],
    enRe: /\b(?:homework|math problems?|word problems?|math questions?)\b|\bhelp (?:my (?:kid|son|daughter) )?with (?:his |her |their |my )?(?:math|maths|homework)\b/i,
    zhRe: /(?:数学|应用|奥数|作业|物理|化学)题|(?:给|跟)[^，,。；;]{0,6}(?:孩子|女儿|儿子)[^，,。；;]{0,4}(?:讲|解释)|怎么讲孩子(?:能|才)?懂|辅导(?:孩子)?(?:作业|功课)|这道题(?:怎么做|怎么讲|怎么解)|小学(?:数学|奥数)/,
  }),
  fam({
    key: 'watch-recs', en: 'Movie and show picks', zh: '影视推荐', inRules: true,
    enTriggers: ['recommend a movie', 'what should I watch', 'show recommendations'], zhTriggers: ['推荐电影', '推荐剧', '看什么片'],
    enRe: /\bwhat (?:should|can|could) (?:I|we) watch\b|\bsomething (?:good )?to watch\b|\brecommend (?:me |us )?(?:a |some |any )?(?:good )?(?:movies?|films?|shows?|series|tv shows?|anime|documentar(?:y|ies))\b|\b(?:movie|film|show|series|anime|documentary) (?:recommendations?|recs|suggestions?|night)\b|\b(?:series|shows?|movies?|films?|documentar(?:y|ies)|anime)\b[^.?!]{0,30}\b(?:binge|to watch|to stream)\b|\bsuggest (?:a few |some |me )?(?:good )?(?:movies?|films?|shows?|series|documentar(?:y|ies))\b/i,
    zhRe: /(?:推荐|有什么|有啥)[^，,。；;]{0,6}(?:电影|电视剧|剧|综艺|纪录片|动漫|番剧|片子)|看什么(?:电影|剧|片)|(?:电影|剧|片子)(?:推荐)/,
  }),
  fam({
    key: 'gift', en: 'Gift ideas', zh: '礼物推荐', inRules: true,
    enTriggers: ['gift ideas', 'what to get', 'present for'], zhTriggers: ['送什么礼物', '礼物推荐', '挑礼物'],
    enRe: /(?<!\b(?:want|need|get) (?:any |more )?)\bgifts?\b(?! (?:cards?|shops?|wrap\w*|tax|receipts?))|\bpresents? for\b|\bsecret santa\b|\bwhat (?:do|should|can) I (?:buy|get)\b|\bwhat (?:should|can|could) I (?:get|buy) (?:for )?(?:my|our|a|him|her|them)\b|\bstocking stuffers?\b/i,
    zhRe: /礼物|送什么|伴手礼|回礼/,
  }),
  fam({
    key: 'image-prompt', en: 'Image prompts', zh: '绘图提示词', inRules: true,
    enTriggers: ['midjourney prompt', 'image prompt', 'prompt for an image'], zhTriggers: ['绘图提示词', 'AI绘画咒语', '文生图提示词'],
    enRe: /\b(?:midjourney|mj|dall-?e|stable diffusion|sdxl|flux|image|art|ai art) prompts?\b|\bprompts? for (?:an? )?(?:image|picture|illustration|poster|logo|wallpaper)\b|\bprompts? (?:to|that|for) (?:generate|make|create|draw|render)\b|\bimage generation prompts?\b|\b(?:paste|put) into (?:midjourney|dall-?e|stable diffusion)\b|\bfor midjourney\b/i,
    zhRe: /(?:绘图|画图|绘画|AI绘画|文生图|MJ|mj|midjourney|Midjourney|SD)(?:的)?(?:提示词|咒语|prompt)|提示词/,
  }),
  fam({
    key: 'references', en: 'Reference lists', zh: '参考文献', inRules: true,
    enTriggers: ['format my references', 'bibliography', 'citation style'], zhTriggers: ['参考文献格式', '整理参考文献', '引用格式'],
    enRe: /\bbibliograph(?:y|ies)\b|\b(?:reference|citation) (?:lists?|format|style|entries)\b|\bformat (?:my |these |the )?(?:references|citations)\b|\b(?:APA|MLA|Chicago|Harvard|IEEE|Vancouver) (?:style|format|citations?|references?)\b/i,
    zhRe: /参考文献|引用格式|引用列表|GB\/T ?7714|文献格式|著录格式/,
  }),
  fam({
    key: 'host-script', en: 'Host scripts', zh: '主持词', inRules: true,
    enTriggers: ['MC script', 'host script', 'emcee lines'], zhTriggers: ['主持词', '主持稿', '串词'],
    enRe: /\b(?:MC|emcee|host(?:ing)?) (?:scripts?|lines|notes|links)\b|\bscript for (?:the )?(?:host|MC|emcee)s?\b|\bemceeing\b|\b(?:to|will|I'?m the|I am the|be the|as the|as) emcee\b|\bas (?:the )?MC\b|\b(?:links?|segues?|transitions?|intros?|introductions?) (?:between|for) (?:the )?(?:acts|speakers|performances|performers|presenters|contestants|each (?:act|speaker|performer|award|presenter|band|contestant))\b/i,
    zhRe: /主持词|主持稿|串词|串场|主持人(?:的)?(?:台词|稿|词)|主持(?:开场白|台词|的词|的稿)|司仪(?:词|稿|台词|的词|的稿)|报幕(?:词|稿)|(?:我|让我)(?:要|得)?(?:当|做)(?:个)?(?:主持人?|司仪)[^。；;]{0,12}(?:说什么|讲什么|台词|串场|怎么说)|(?:年会|晚会|晚宴|婚礼|活动|典礼|庆典)[^，,。；;]{0,8}主持/,
  }),
  fam({
    key: 'characters', en: 'Characters', zh: '角色设定', inRules: true,
    enTriggers: ['create a character', 'NPC', 'character sheet'], zhTriggers: ['角色设定', '人物设定', '写个NPC'],
    enRe: /\bNPCs?\b|\b(?:d&d|dnd|rpg|tabletop|campaign) (?:characters?|villains?|npcs?)\b|\bcharacters? for (?:my|our|a|the) (?:[\w-]+ )?(?:campaign|game|session|novel|story)\b|\bstat blocks?\b|\bcharacter sheets?\b|\bfor my (?:campaign|party|players|table|one-shot)\b|\bmy (?:party|players) (?:can|will|could|are gonna|are going to) (?:meet|encounter|fight|wander|talk)\b|\btownsfolk\b|\bthe players are\b/i,
    zhRe: /NPC|角色卡|人物设定|角色设定|人设/,
  }),
  fam({
    key: 'api-docs', en: 'API docs', zh: '接口文档', inRules: true,
    enTriggers: ['API docs', 'document this endpoint', 'API reference'], zhTriggers: ['接口文档', '写API文档', '接口说明'],
    enRe: /\bAPI (?:docs?|documentation|reference)\b|\breference (?:docs?|pages?|documentation)\b|\bdocument (?:the |our |this )?(?:GET|POST|PUT|PATCH|DELETE|endpoint|API)\b|\b(?:endpoint|api) docs?\b|\bdeveloper (?:docs?|portal)\b|\b(?:docs?|documentation|write[- ]?up|reference)\b[^.?!]{0,50}\b(?:GET|POST|PUT|PATCH|DELETE) \/|\b(?:GET|POST|PUT|PATCH|DELETE) \/[^\s]*[^.?!]{0,50}\b(?:docs?|documentation|developer portal)\b|\bdocumentation for (?:the |our |this |a )?(?:[\w-]+ ){0,3}?(?:endpoint|route|api|webhook)s?\b|\bwrite up (?:our|the|this|my) (?:GET|POST|PUT|PATCH|DELETE) /i,
    zhRe: /接口文档|API文档|api文档|接口说明|接口的文档/,
  }),
  fam({
    key: 'code-review', en: 'Code reviews', zh: '代码审查', inRules: true,
    enTriggers: ['review my code', 'code review', 'look over this PR'], zhTriggers: ['代码审查', '帮我看看代码', 'review代码'],
    enRe: /\bcode reviews?\b|\breview (?:my|this|the|our) (?:code|PR|pull request|diff|function|script|class|handler|component|query)\b|\b(?:PR|pull request|diff)\b[^.?!]{0,40}\b(?:look (?:it )?over|review|check)\b|\b(?:critical|second|quick) look at (?:this|my) [\w ]{0,20}?(?:code|handler|function|class|script|component)\b|\breview pass\b|\b(?:feedback|comments?) on (?:this|my|the|our) (?:PR|pull request|diff|merge request|MR|changes|commit)\b|\bbefore (?:I|we) (?:merge|ship) (?:it|this|them)\b/i,
    zhRe: /代码(?:审查|评审|审核)|(?:code ?review|CR)(?:一下)?(?:这段)?代码|帮我(?:看看|检查一下|review一下)(?:这段|我的)?代码/,
  }),
  fam({
    key: 'okr', en: 'OKRs and goals', zh: 'OKR', inRules: true,
    enTriggers: ['write OKRs', 'key results', 'quarterly goals'], zhTriggers: ['写OKR', '关键结果', '季度目标'],
    enRe: /\bOKRs?\b|\bkey results?\b|\bobjectives and key results\b|\bKPIs? for (?:my|our|the) team\b/i,
    zhRe: /OKR|okr|关键结果|(?:季度|年度|团队|个人)(?:目标|KPI)/,
  }),
  fam({
    key: 'survey', en: 'Surveys', zh: '问卷', inRules: true,
    enTriggers: ['write a survey', 'questionnaire', 'poll questions'], zhTriggers: ['设计问卷', '调查问卷', '问卷题目'],
    enRe: /\bsurveys?\b|\bquestionnaires?\b|\bpolls? (?:for|of|to ask)\b|\b(?:short|quick) polls?\b|\bfeedback forms?\b|\bwhat should I ask (?:them|parents|customers|employees|users|attendees)\b(?=[^.?!]{0,0})/i,
    zhRe: /问卷|调查表|调研(?:问题|表)|满意度调查/,
  }),
  fam({
    key: 'meal-plan', en: 'Meal plans', zh: '饮食安排', inRules: true,
    enTriggers: ['meal plan', 'weekly menu', 'what to eat this week'], zhTriggers: ['一周食谱', '饮食计划', '减脂餐安排'],
    enRe: /\bmeal (?:plans?|prep|planning)\b|\bweekly menus?\b|\bmenus? for the week\b|\bwhat (?:should|can) (?:I|we|my family|my family of \d+) (?:eat|cook)\b|\b(?:lunches|dinners|meals|breakfasts) (?:I|we) can (?:prep|make|cook|batch)\b|\b(?:dinners|lunches|breakfasts|meals|suppers) for the (?:week|workweek|next (?:few|\w+) days)\b|\ba (?:week|month|fortnight)(?:'s)? (?:worth )?of (?:[\w-]+ ){0,2}?(?:dinners|lunches|breakfasts|meals|suppers)\b/i,
    zhRe: /(?:一周|每周|这周|下周|三天|七天)[^，,。；;]{0,4}(?:食谱|菜单|饭菜|三餐)|饮食(?:计划|安排)|带饭计划|减脂餐(?:计划|安排)?|(?:这周|下周|每天|一周)(?:吃什么|做什么菜)|(?:一周|这周|下周|本周|周一到周五|工作日)[^，,。；;]{0,4}(?:早餐|早饭|午饭|午餐|晚饭|晚餐|便当|带饭)[^，,。；;]{0,6}(?:安排|计划|怎么吃|吃什么|做什么)/,
  }),
  fam({
    key: 'negotiation', en: 'Negotiation messages', zh: '谈判砍价', inRules: true,
    enTriggers: ['negotiate the price', 'counter-offer', 'haggle'], zhTriggers: ['砍价', '还价', '谈薪'],
    enRe: /\bnegotiat\w*\b|\bhaggl\w*\b|\bcounter-?offers?\b|\blowball\b|\bget (?:it|the price|him|her|them) down\b|\bI'?d (?:do|pay|offer) \$?£?€?\d+|\boffered (?:me )?\$?£?€?\d+k?\b[^.?!]{0,40}\bhoping for\b/i,
    zhRe: /砍价|还价|讲价|谈判|议价|压价|谈薪|谈工资/,
  }),
  fam({
    key: 'branch-name', en: 'Branch names', zh: '分支命名', inRules: true,
    enTriggers: ['branch name', 'name this branch', 'git branch name'], zhTriggers: ['分支名', '分支命名', '起个分支名'],
    enRe: /\bbranch(?:es)? names?\b|\bwhat (?:should|do|can|could) (?:I|we) (?:call|name) (?:the|my|this|our|a) (?:git |new |feature )?branch\b|\bname (?:for )?(?:the|my|this|a|our) (?:git |new |feature )?branch\b|\b(?:call|name) (?:the|my|this|our) (?:git |new |feature )?branch\b|^(?:a |the )?branch for\b|\bwhat (?:do|should) (?:I|we) (?:name|call) it in git\b/i,
    zhRe: /分支(?:名|命名|名字)|(?:给|起|取)[^，,。；;]{0,6}分支(?:起|取)?(?:个)?名/,
  }),
  fam({
    key: 'naming', en: 'Names', zh: '起名', inRules: true,
    enTriggers: ['name ideas', 'come up with a name', 'what to call it'], zhTriggers: ['起名', '取个名字', '店名'],
    enRe: /\bname ideas?\b|\bnames? for (?:a|my|our|the) (?:new )?(?:[\w-]+ )?(?:business|company|startup|brand|product|app|shop|store|bakery|cafe|café|studio|podcast|channel|band|team|project|boat|baby|newsletter)\b|\bwhat (?:could|should|can) (?:I|we) (?:call|name)\b|\bwhat to (?:call|name)\b|\bbrainstorm (?:some )?names\b|\bcome up with (?:a |some )?names?\b/i,
    zhRe: /起名|取名|起个名|取个名|店名|(?:想|起|取)(?:几个|个|一些|[一二两三四五六七八九十\d]+个)?(?:好听的)?名字|名字(?:要|想要)?(?:大气|好听|好记)/,
  }),
  fam({
    key: 'postmortem', en: 'Incident postmortems', zh: '事故复盘', inRules: true,
    enTriggers: ['postmortem', 'incident report', 'write up the outage'], zhTriggers: ['事故复盘', '故障报告', '复盘报告'],
    enRe: /\bpost-?mortems?\b|\bincident (?:reports?|reviews?|write-?ups?|summaries)\b|\bpost-incident (?:reviews?|reports?)\b|\broot cause analys[ie]s\b|\boutage (?:reports?|write-?ups?)\b|\boutage\b[^?!]{0,100}?\bwrite (?:it |this )?up\b/i,
    zhRe: /复盘报告|事故报告|故障报告|事故复盘|故障复盘|事故分析/,
  }),
  fam({
    key: 'call-to-action', en: 'Calls to action', zh: '倡议书', inRules: true,
    enTriggers: ['call to action letter', 'open letter urging', 'write a call to action'], zhTriggers: ['倡议书', '写倡议书', '倡议稿'],
    enRe: /\bcalls? to action (?:letters?|posts?|notices?)\b|\bopen letters? (?:urging|calling|asking)\b|\b(?:letter|notice|post|flyer) (?:urging|calling on|rallying) (?:everyone|people|residents|students|staff|neighbou?rs|members|parents)\b/i,
    zhRe: /倡议(?:书|稿)?|(?:号召|呼吁|发动)[^。；;]{0,24}(?:的稿子|的东西|的文章|的信|的通知|倡议|写(?:一)?(?:份|个|篇)|帮我写|帮忙写|拟(?:一)?(?:份|个))/,
  }),
  fam({
    key: 'slogan', en: 'Slogans and taglines', zh: '广告语', inRules: true,
    enTriggers: ['write a slogan', 'tagline', 'catchphrase'], zhTriggers: ['广告语', '想个口号', '宣传标语'],
    enRe: /\bslogans?\b|\btaglines?\b|\bcatch-?phrases?\b|\bmottos?\b|\bstraplines?\b/i,
    zhRe: /广告语|口号|标语|宣传语|slogan|Slogan|SLOGAN/,
  }),
  fam({
    key: 'shopping-list', en: 'Shopping lists', zh: '购物清单', inRules: true,
    enTriggers: ['shopping list', 'grocery list', 'what to buy'], zhTriggers: ['购物清单', '采购清单', '列个清单买东西'],
    enRe: /\b(?:shopping|grocery|groceries|packing-free|supply|supplies) lists?\b|\bwhat (?:do|should) (?:I|we) (?:need to )?(?:buy|get|pick up)\b/i,
    zhRe: /购物清单|采购(?:清单|单)|年货清单|买菜清单|(?:要|该|得)买(?:些|点)(?:什么|啥)|要(?:给[^，,。；;]{1,6})?买的(?:东西)?|(?:想想|列|列下|列一下|列个)[^。；;]{0,6}(?:要)?买(?:啥|什么)|(?:囤货|采购|添置)[^。；;]{0,12}(?:列|清单|哪些东西|什么东西)/,
  }),
  fam({
    key: 'book-report', en: 'Book reports and reviews', zh: '读后感', inRules: true,
    enTriggers: ['book review', 'book report', 'review of a book'], zhTriggers: ['读后感', '读书心得', '观后感'],
    enRe: /\bbook (?:reports?|reviews?)\b|\breviews? (?:of|for) (?:the |a |this |my )?(?:book|novel|memoir)\b|\breading (?:responses?|reflections?|journals?)\b|\b(?:goodreads|storygraph) reviews?\b/i,
    zhRe: /读后感|读书心得|书评|影评|(?:《[^》]{1,20}》)[^，,。；;]{0,6}(?:感想|心得|感受)/,
  }),
  fam({
    key: 'sop', en: 'Procedures (SOPs)', zh: '操作流程', inRules: true,
    enTriggers: ['write an SOP', 'standard operating procedure', 'step-by-step procedure'], zhTriggers: ['操作流程', '写SOP', '操作规范'],
    enRe: /\bSOPs?\b|\bstandard operating procedures?\b|\brunbooks?\b|\b(?:checklists?|procedures?|steps) for (?:staff|employees|the team|new hires|our (?:staff|team|employees))\b/i,
    zhRe: /SOP|操作流程|操作规范|操作手册|作业指导|流程(?:文档|手册)|(?:写|整理)[^，,。；;]{0,10}(?:步骤|流程)[^。；;]{0,12}(?:员工|培训|店员|贴)/,
  }),
  fam({
    key: 'complaint', en: 'Complaints', zh: '投诉', inRules: true,
    enTriggers: ['write a complaint', 'complaint letter', 'complaint email'], zhTriggers: ['写投诉', '投诉信', '帮我写个投诉'],
    // a complaint to be written, not a complaint someone made ("my neighbour keeps complaining")
    enRe: /\bcomplaints? (?:letters?|e-?mails?|messages?|forms?)\b|\b(?:letter|e-?mail|message) of complaint\b|\b(?:write|draft|file|lodge|make|send|submit|put together) (?:a |an |my |our |the )?(?:formal |official |strongly[- ]worded |polite )?complaint\b/i,
    zhRe: /投诉(?:信|书|邮件|材料|内容|函)|(?:写|起草|拟)[^，,。；;！!？?]{0,6}投诉|投诉[^，,。；;！!？?]{0,6}(?:怎么写|写一下|帮我写|起草)|我要投诉|帮我投诉/,
  }),
  fam({
    key: 'invitation', en: 'Invitations and notices', zh: '通知邀请', inRules: true,
    enTriggers: ['meeting invite', 'write an invitation', 'calendar invite'], zhTriggers: ['会议邀请', '写通知', '写公告', '邀请函'],
    enRe: /\b(?:meeting|calendar|event|party|wedding|zoom|teams|outlook) invit(?:es?|ations?)\b|\binvitations?\b|\binvites? (?:for|to) (?:a|an|the|our|my|this|next)\b|\bmeeting (?:requests?|notices?|announcements?)\b|\b(?:send|write|draft) (?:out )?(?:an? |the )?(?:invite|notice|announcement)\b|\bsave[- ]the[- ]dates? (?:cards?|notes?|messages?|e-?mails?|for (?:our|my|his|her|their))\b|\b(?:message|note|text|email|post|card) inviting\b|\be-?vites?\b/i,
    zhRe: /会议邀请|邀请函|邀约|请柬|请帖|公告|告示|通告|(?:的|份|条|类|种)通知(?!我|书|单|栏|了|权限|设置|消息)|(?:会|会议|活动|聚会|培训|讲座|团建)的?(?:通知|邀请)|(?:发|写|起草|拟)(?:个|一个|一封|封|一份|份|一条|条)?[^，,。；;！!？?]{0,12}?(?:邀请|通知)(?!我|书|单)/,
  }),
  fam({
    key: 'interview', en: 'Interview questions', zh: '面试题', inRules: true,
    enTriggers: ['interview questions', 'screening questions', 'questions to ask a candidate'], zhTriggers: ['面试题', '出面试题', '面试问题'],
    // questions for someone else's interview, not advice for one's own ("I have a job interview tomorrow")
    enRe: /\binterview questions?\b|\bscreening questions?\b|\b(?:questions? (?:to|i should|we should|should i|should we)|what (?:should|do|can|could) (?:i|we)) ask (?:a |an |the |our |my |this |each |every |these )?(?:[\w-]+ ){0,3}?(?:candidates?|applicants?|interviewees?|hires?|them)\b|\binterviewing (?:a|an|two|three|four|some|\d+) (?!job\b)|\binterview (?:rubrics?|scorecards?|guides?|kits?)\b|\b(?:questions? (?:should|could|would|can|do|to) (?:we |i )?|what (?:should|do|can|could) (?:i|we) )ask (?:a |an |the |our |my )?(?:[\w-]+ ){0,3}?(?:in|at|during|for) (?:the |a |our |their )?(?:final|first|second|third|onsite|phone|technical|culture|panel|last|next) (?:round|interview|screen)\b|\b(?:final|first|second|third|onsite|technical|panel|phone)[- ](?:round|screen) (?:interview )?questions?\b/i,
    zhRe: /面试题|笔试题|面试问题|面试官(?:该|要)?问|面试(?:该|要|可以)?问(?:些|什么|啥|点|哪些)|(?:面|招)(?:个|一个|一位|几个)?[^，,。；;！!？?]{1,12}[，,]\s*(?:出|准备)(?:点|几道|些|一套|套)?题/,
  }),
  fam({
    key: 'email', en: 'Emails', zh: '邮件', inRules: true,
    enTriggers: ['write an email', 'email', 'reply to this email'], zhTriggers: ['写邮件', '邮件', '回复邮件'],
    enRe: /\be-?mails?\b|\bcover letters?\b|\bnewsletters?\b|\b(?:application|motivation) letters?\b|\bletters? (?:that goes |to go )?with (?:my|the|our) (?:job )?applications?\b/i, zhRe: /邮件|求职信|自荐信|申请信|来信|回信/,
  }),
  fam({
    key: 'ui-copy', en: 'UI copy and error messages', zh: '界面文案', inRules: true,
    enTriggers: ['error message', 'UI copy', 'button text'], zhTriggers: ['报错文案', '界面文案', '提示文案'],
    enRe: /\b(?:write|draft|word|rewrite|copy for|text for|wording for) (?:an? |the |our |this |these )?(?:[\w-]+ ){0,2}?error messages?\b|\berror messages? (?:for|in|on) (?:the |our |my |an? )?(?:app|ui|screen|form|page|users?|checkout|sign-?up|login)\b|\b(?:ui|ux|button|tooltip|toast|banner|empty[- ]state|onboarding|in-app|app|screen) (?:copy|text|labels?|microcopy)\b|\bmicrocopy\b|\bwhat (?:should )?the (?:screen|app|page|button|dialog|modal|popup|toast|banner) (?:say|says|show)\b|\b(?:copy|text|wording) for (?:when|the (?:toast|banner|popup|dialog|modal|button|screen|tooltip|empty state))\b/i,
    zhRe: /报错(?:提示|文案)|错误提示(?:语|文案)|提示(?:文案|语)|弹窗(?:文案|文字|提示)|(?:按钮|页面|界面|空状态)(?:上的)?(?:文案|文字)/,
  }),
  fam({
    key: 'code', en: 'Code', zh: '代码', inRules: true,
    enTriggers: ['write code', 'write a function', 'write a python script'], zhTriggers: ['写代码', '代码', '写个脚本'],
    enRe: /(?<!\b(?:dress|zip|postal|area|promo|discount|coupon|country|qr|bar|morse|penal|tax) )\bcode\b(?! of (?:conduct|ethics|practice))|\bcoding\b|\bscripts?\b|\bfunctions?\b|\bprograms?\b|\bsql\b|\bpython\b|\bjavascript\b|\btypescript\b|\brefactor\w*\b|\bimplement\w*\b|\bunit tests?\b|\bpull requests?\b|\bcommit (?:messages?|msgs?|titles?|descriptions?|subjects?)\b|\b(?:messages?|msgs?|titles?|descriptions?) for (?:my |this |the |these |that |our )?(?:last |latest |next )?(?:commits?|diffs?|staged changes)\b|\bgit commit\b|\b(?:sql|postgres(?:ql)?|mysql|sqlite) quer(?:y|ies)\b|\bquer(?:y|ies) (?:to|that) (?:find|get|select|count|list|return|join)\b|\b(?:java|kotlin|golang|rust|ruby|php|(?<!taylor )swift|bash|powershell|c\+\+|c#|regex(?:es)?|react|node\.?js)\b|\bregular expressions?\b|\bdocker-?files?\b|\bdocker-?compose\b|\bdocker (?:images?|containers?)\b|\bcontainer images?\b|\bcontaineri[sz]e\b|\bnpm (?:run|install|build|start)\b|\bpip install\b|\b(?:build|compile|deploy)s? fail\w*\b|\bfails? to (?:build|compile|start|run|import)\b|\bcrash(?:es|ing)? on (?:startup|launch|start)\b|\bstack ?traces?\b|\btracebacks?\b|\b(?:flask|django|fastapi|rails|express|spring boot) (?:app|service|server|api)\b|\bkubernetes (?:manifests?|yaml)\b|\bhelm charts?\b|\bterraform\b|\bgithub actions?\b|\bci (?:pipelines?|configs?|workflows?)\b|\bregex(?:es|ps)?\b|\bregular expressions?\b|\b(?:pattern|expression) (?:to|that|which) (?:match|matches|validate|validates|pull|pulls|extract|extracts|find|finds|capture|captures|check|checks)\b|\bcover (?:this|my|the) [\w -]{0,30}?(?:function|method|class|module|hook|component) with tests\b|\b(?:rspec|jest|vitest|pytest|junit|mocha) (?:specs?|tests?)\b|\btest cases for\b/i,
    zhRe: /代码|脚本|函数|程序(?!员|猿)|编程(?!.{0,2}(?:打比方|比喻|举例))|算法|伪代码|单元测试|SQL|写(?:个|一个)?查询语句|写(?:个|一个)查询|正则表达式|(?:Java|Python|JavaScript|TypeScript|C\+\+|Go|Rust|Kotlin|PHP|Shell)(?:里|中|的|写|实现|版)|commit(?:信息|说明|消息|备注|描述|日志|message|msg)|写(?:个|一个|一条|条)commit|git\s?提交(?:信息|说明|记录)/i,
  }),
  fam({
    key: 'spreadsheet', en: 'Spreadsheet formulas', zh: '表格公式', inRules: true,
    enTriggers: ['spreadsheet formula', 'excel formula', 'google sheets formula'], zhTriggers: ['Excel公式', '表格公式', '表格函数'],
    // a formula in a sheet, not in maths, chemistry or a baby's bottle
    enRe: /\b(?:v|x|h)lookups?\b|\bindex[- ]match\b|\b(?:sum|count|average)ifs?\b|\bpivot ?tables?\b|\bconditional formatting\b|\b(?:excel|sheets?|spreadsheets?|cells?|columns?)\b[^.?!]{0,60}\bformulas?\b|\bformulas?\b[^.?!]{0,80}\b(?:excel|sheets?|spreadsheets?|cells?|columns?|rows?|tabs?)\b|\b[a-z]{1,2}\d+:[a-z]{1,2}\d+\b|\bcolumn [a-z]{1,2}\b[^.?!]{0,40}\b(?:sheet|spreadsheet|excel|tab|workbook)\b|\blookup\b[^.?!]{0,60}\b(?:tab|sheet|spreadsheet|workbook)\b/i,
    zhRe: /(?:Excel|excel|EXCEL|WPS|wps|表格|电子表格|单元格)[^，,。；;！!？?]{0,12}(?:公式|函数)|(?:公式|函数)[^，,。；;！!？?]{0,12}(?:表格|单元格|Excel|excel|WPS)|VLOOKUP|vlookup|XLOOKUP|xlookup|SUMIFS?|sumifs?|COUNTIFS?|countifs?|数据透视表|透视表|条件格式/,
  }),
  fam({
    key: 'poem', en: 'Poems and songs', zh: '诗歌', inRules: true,
    enTriggers: ['write a poem', 'poem', 'song lyrics'], zhTriggers: ['写诗', '写一首歌', '歌词'],
    enRe: /\bpoe(?:m|ms|try)\b|\blyrics?\b|\bsongs?\b|\bhaikus?\b|\bverses?\b|\blimericks\b|\b(?:an?|some|another|funny|dirty|short|silly|cheeky) limerick\b|\bsonnets?\b|\bacrostics?\b|\bcouplets?\b|\bjingles? (?:for|about)\b|\bditt(?:y|ies)\b/i,
    // couplets and doggerel to be written, not a question about them ("春联什么时候贴")
    zhRe: /诗|歌词|歌曲|一首歌|词曲|(?:写|编|拟|出|来|挂|贴|求|整)(?:一)?(?:个|副|幅|段|首|些)?[^，,。；;]{0,6}(?:对联|春联|寿联|挽联|喜联|楹联|门联|对子|顺口溜|快板|说唱|rap|Rap|RAP)/,
  }),
  fam({
    key: 'story', en: 'Stories', zh: '故事', inRules: false,
    enTriggers: ['write a story', 'short story', 'fiction'], zhTriggers: ['写故事', '写小说', '短篇故事'],
    enRe: /\b(?:short )?stor(?:y|ies)\b|\bfiction\b|\bnovels?\b|\bchapters? (?:of|for) my (?:novel|story|book|web ?novel)\b|\b(?:fairy|bedtime|sleepy-?time|night-?time) tales?\b|\btales?\b(?= (?:for|about|with|of)\b)/i, zhRe: /小说|网文|童话|睡前故事|第[一二三四五六七八九十百千\d]+章|(?:下|一|新的)一?章|(?:都市|玄幻|言情|修仙|重生|穿越)(?:文|小说)|(?:写|编|讲)(?:一个|个|篇)?故事(?!性)/,
  }),
  fam({
    key: 'study-notes', en: 'Study notes', zh: '学习笔记', inRules: true,
    enTriggers: ['study notes', 'revision notes', 'make flashcards'], zhTriggers: ['复习笔记', '整理知识点', '学习笔记'],
    enRe: /\bstudy (?:notes?|guides?|sheets?|materials?|aids?)\b|\brevision (?:notes?|materials?|guides?|sheets?|cards?)\b|\bcheat ?sheets?\b|\bflash ?cards?\b|\bnotes (?:for|on) (?:my|the|our|a|an|this|next) (?:[\w-]+ ){0,3}?(?:exams?|finals?|tests?|midterms?|quiz(?:zes)?|class(?:es)?|course|lectures?|modules?|chapters?|units?)\b|\b(?:revise|study|cram) for (?:my|the|an?|our|next) (?:[\w-]+ ){0,3}?(?:exams?|finals?|tests?|midterms?|quiz(?:zes)?)\b|\b(?:memori[sz]ation|study|revision) cards\b|\bcards (?:I|we) can (?:study|revise|review|learn|memori[sz]e)\b|\b(?:test|exam|quiz|midterm|final)\b[^.?!]{0,60}\bmake (?:me )?(?:some )?cards\b/i,
    zhRe: /复习(?:笔记|资料|提纲|材料|卡片)|学习笔记|读书笔记|知识点(?:总结|整理|梳理|归纳|清单|卡片)?|考点|背诵(?:版|要点|卡片)|记忆卡片|(?:期末|期中|考试|考研|高考|中考)[^，,。；;！!？?]{0,6}(?:笔记|重点|提纲)|读书心得|(?:做|整理|记|写)(?:一)?(?:份|个|篇|下)?(?:读书)?笔记(?!本)|《[^》]{1,30}》[^，,。；;]{0,14}(?:笔记|心得)/,
  }),
  fam({
    key: 'trip', en: 'Trips and itineraries', zh: '行程', inRules: true,
    enTriggers: ['plan a trip', 'itinerary', 'travel plan'], zhTriggers: ['做个行程', '旅游攻略', '行程安排'],
    enRe: /\bitinerar(?:y|ies)\b|\b(?:trip|travel|vacation|holiday|honeymoon|road ?trip|getaway|sightseeing) (?:plans?|planning|schedules?|routes?)\b|\b(?:plan|planning|organi[sz]e|map out|put together|sketch out|lay out) (?:a |an |my |our |the |this )?(?:[\w-]+ ){0,3}?(?:trip|vacation|holiday|getaway|honeymoon|road ?trip|stay)\b|\b(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d+|couple of|few)[- ](?:days?|nights?|weeks?)|weekend|week) (?:in|around|across|exploring|touring) (?!advance\b|a row\b|total\b|bed\b|hospital\b|jail\b|the (?:office|hospital|past)\b)[\w-]+|\btrip to\b/i,
    zhRe: /行程|攻略|自由行|[几一二两三四五六七八九十\d]+日游|(?:规划|安排|计划)[^，,。；;]{0,8}(?:旅游|旅行|出游|[几一二两三四五六七八九十\d]+日游|游玩)|(?:旅游|旅行|出游|自驾)(?:计划|路线|规划|安排)|(?:去|到)[^，,。；;]{1,8}(?:玩|旅游|旅行|待|逛)[^，,。；;]{0,4}(?:[几一二两三四五六七八九十\d]+天|周末|一周)|[几一二两三四五六七八九十\d]+天[^，,。；;]{0,6}(?:怎么安排|帮我排|排一下|安排一下)|(?:[几一二两三四五六七八九十\d]+天|一周|一个星期|周末)[^。；;]{0,16}(?:每天|每一天)(?:都)?(?:去哪|去哪儿|去哪里|怎么玩|玩什么|逛什么)/,
  }),
  fam({
    key: 'slides', en: 'Slides', zh: '幻灯片', inRules: true,
    enTriggers: ['make slides', 'presentation', 'slide deck'], zhTriggers: ['做PPT', '幻灯片', '演示文稿'],
    enRe: /\bslides?\b|\bdecks?\b|\bpresentations?\b|\bppt\b|\bpowerpoint\b/i, zhRe: /PPT|ppt|幻灯片|演示文稿/,
  }),
  fam({
    key: 'chart', en: 'Charts', zh: '图表', inRules: true,
    enTriggers: ['make a chart', 'plot this data', 'draw a graph'], zhTriggers: ['画图', '做图表', '出一张图'],
    enRe: /\bcharts?\b|\bplots?\b|\bgraphs?\b|\bheat ?maps?\b|\bvisuali[sz]ations?\b|\bhistograms?\b/i, zhRe: /图表|热图|柱状图|折线图|散点图|饼图|画图|绘图|可视化|出一张图/,
  }),
  fam({
    key: 'paper', en: 'Academic papers', zh: '论文', inRules: true,
    enTriggers: ['write a paper', 'paper section', 'abstract'], zhTriggers: ['写论文', '论文', '论文章节'],
    enRe: /\b(?:research |academic )?papers?\b|\btheses\b|\bthesis\b|\bmanuscripts?\b|\blatex\b|\bsubsections?\b|\babstracts?\b/i, zhRe: /论文|学术|投稿/,
  }),
  fam({
    key: 'resume', en: 'Resumes', zh: '简历', inRules: true,
    enTriggers: ['write my resume', 'resume', 'cv'], zhTriggers: ['写简历', '简历', '优化简历'],
    enRe: /\bresumes?\b|\br[ée]sum[ée]s?(?![\w])|\bcvs?\b/i, zhRe: /简历/,
  }),
  fam({
    key: 'speech', en: 'Speeches', zh: '演讲稿', inRules: true,
    enTriggers: ['write a speech', 'speech', 'talk script'], zhTriggers: ['写演讲稿', '发言稿', '致辞'],
    enRe: /\bspeech(?:es)?\b|\btoasts?\b(?! (?:bread|with|in the|recipe))|\b(?:say|give|share|prepare) a few words (?:at|for|to|on behalf)\b|\beulog(?:y|ies)\b|\braise (?:a|my|our) glass(?:es)?\b|\bwhat (?:I'?ll|I will|I'?m going to|I should|should I|do I|to) say (?:as (?:the )?(?:best man|maid of honou?r|matron of honou?r|father of the (?:bride|groom)|mother of the (?:bride|groom)|officiant|valedictorian)\b|at (?:the |my |our |his |her |their |a )?(?:[\w'-]+ ){0,2}?(?:wedding|retirement (?:party|dinner|do)|leaving (?:party|do)|farewell (?:party|dinner)|send-?off|graduation|commencement|rehearsal dinner|gala|banquet|awards? (?:night|dinner))\b)|\b(?:opening|closing|welcom(?:e|ing)|keynote|farewell|acceptance|retirement|concluding|introductory) remarks (?:for|at|to open|to close)\b|\b(?:commencement|keynote|inaugural|valedictory|farewell|welcome|opening|closing) address(?:es)? (?:for|at|to)\b|\bkeynote (?:talk|speech)\b|\bpep talks? (?:for|to give) (?:my|the|our) (?:team|players|squad|class|staff|students|crew)\b|\bwedding vows\b|\b(?:write|draft) (?:my |our )?vows\b|\b(?:something|a few words|a little something) to say (?:at|for|during) (?:my |our |the |his |her |their |a |an )?(?:[\w'-]+ ){0,3}?(?:drinks|party|do|dinner|wedding|funeral|memorial|service|send-?off|farewell|retirement|celebration|reception|ceremony|birthday|anniversary|gala|launch)\b/i,
    zhRe: /演讲稿|发言稿|致辞|讲话稿|祝酒词|敬酒词|敬酒(?:的话|时说)|答谢词|欢迎词|悼词|证婚词|(?:获奖|毕业|退休|入职|离职|颁奖|当选|就职)感言|演讲(?:稿子|词|内容)|(?:写|准备|做|来)(?:一)?(?:个|篇|段|份|场|次)(?:[^，,。；;]{0,6}的)?演讲(?=$|[，,。；;！!？?]|吧|呗)|(?:欢送会|送别会|退休|寿宴|满月酒|升学宴|谢师宴|生日宴|婚宴|宴会|酒席|团建|聚餐)[^，,。；;]{0,8}(?:要|得|需要|准备|轮到我)[^，,。；;]{0,3}(?:讲几句|说几句|讲话|发言|致辞)|(?:作为|我是|我当|让我当|我做)(?:新郎的|新娘的)?(?:伴郎|伴娘|证婚人|主婚人|家长代表|学生代表|员工代表|新生代表|毕业生代表)[^。；;]{0,12}(?:发言|讲话|说几句|讲几句|致辞)|婚礼致辞|(?:家长会|年会|开学|毕业|表彰|动员|会上|典礼上)[^，,。；;]{0,4}发言|(?:家长会|年会|开学典礼|毕业典礼|婚礼|表彰会|动员会)[^。；;]{0,24}(?:讲些|讲什么|说几句|开场|稿子|组织(?:一)?下语言)|开场白|开场的话|(?:上台|当众)(?:讲|说)几句|(?:竞聘|竞选|就职|开学|毕业|升旗|国旗下|家长会|年会|婚礼|晨会)(?:演讲|讲话|发言)|(?:家长会|班会|例会|大会|年会|会上)[^。；;]{0,16}(?:讲几句|说几句|讲话|发言|要讲的(?:内容|话)?)|(?<!演)讲稿|讲几句话/,
  }),
  fam({
    key: 'social-post', en: 'Social media posts', zh: '社交平台文案', inRules: true,
    enTriggers: ['social media post', 'instagram caption', 'linkedin post'], zhTriggers: ['朋友圈文案', '发朋友圈', '小红书笔记', '配文'],
    enRe: /\b(?:instagram|insta|ig|facebook|fb|linkedin|social media|social|tiktok) (?:posts?|captions?|updates?|bios?|blurbs?)\b|\bcaptions? (?:for|to go with)\b|\bpost (?:on|to|for) (?:instagram|insta|ig|facebook|fb|linkedin|social media|tiktok)\b|\b(?:announce|share|post|write \w+) (?:on|for|to) (?:my |our )?(?:linkedin|instagram|insta|facebook|tiktok)\b|\b(?:instagram|insta|ig|facebook|fb) stor(?:y|ies)\b|\b(?:post|share|put|announce|something|copy|blurb|caption|update)(?:s|ed|ing)? (?:[\w-]+ ){0,3}?(?:on|for|to) (?:my |our |the )?socials\b|\bcaption (?:this|these|it|my|our)\b|\bhashtags (?:for|to go with)\b|\btweetstorms?\b|\b(?:a|an|the|my|our|this|that|any|every|each|some|twitter|x) (?:\w+ )?(?:tweets?|threads?)\b/i,
    // posting, not the app ("朋友圈怎么设置三天可见")
    zhRe: /朋友圈文案|(?:写|发|配|晒)[^，,。；;！!？?]{0,8}(?:朋友圈|微博|说说|动态)|(?:朋友圈|微博|说说|小红书)[^，,。；;！!？?]{0,4}(?:怎么写|写什么|写点|文案|配文|发什么)|配文|配(?:一)?(?:句|段)话|小红书|种草(?:文案|笔记|帖子?)|微博文案|发(?:个|条|一条)圈(?!子)|(?:ins|INS|Ins|推特|脸书|领英|豆瓣|即刻)(?:的)?(?:文案|配文|帖子|动态)|官宣(?:文案|配文)|(?<!小)红书(?=笔记|文案|帖|上|里|博主|$|[，,。；;！!？?])|(?:来|整|弄|出)(?:一)?(?:条|个|段)(?:朋友圈|微博|说说)/,
  }),
  fam({
    key: 'article', en: 'Articles', zh: '文章', inRules: true,
    enTriggers: ['write an article', 'blog post', 'article'], zhTriggers: ['写文章', '公众号文章', '写一篇推文'],
    enRe: /\barticles?\b|\bblog(?: posts?)?\b|\bessays?\b|\bposts?\b(?! (?:a|an|the|it|this|that|them|these|my|our|on|to|in)\b)|\bop-?eds?\b|(?<!\b(?:spreadsheet|sheet|table|excel|csv|sql|database|data|pivot|dataframe|helper|date|name|id|new|extra|sort)\s)\bcolumns?\b(?!\s+(?:[a-z]|[a-z]{1,2}\d+|\d+)\b)(?!\s+(?:does|do|did|are|is|in) (?:this|the|my|our|that|a) (?:table|sheet|spreadsheet|dataframe|csv|grid)\b)(?!\s+(?:in|of|from|to) (?:the |my |this |a |that )?(?:table|sheet|spreadsheet|csv|dataframe|excel|grid|database)\b)|\bpress releases?\b/i,
    zhRe: /文章|公众号|推文|博客|随笔|科普|新闻稿|软文|专栏|通稿|消息稿|媒体稿|(?:对外)?发布(?:的)?稿|给媒体[^，,。；;]{0,6}(?:稿|消息)/,
  }),
  fam({
    key: 'recipe', en: 'Recipes', zh: '菜谱', inRules: true,
    enTriggers: ['recipe', 'give me a recipe', 'how do I cook'], zhTriggers: ['菜谱', '做法', '怎么做菜'],
    // a dish, not any "how do I make …" (a website, a budget)
    enRe: /\brecipes?\b|\bhow (?:do|can|should|would) (?:I|you|we) (?:make|cook|bake|prepare) (?:a |an |some |my |the |homemade )?(?:[\w-]+ ){0,2}(?:dough|bread|cakes?|cookies|soup|sauce|pasta|pizza|curry|stew|salad|pies?|pancakes?|muffins?|rice|noodles|dumplings|chicken|beef|pork|fish|eggs?|omelett?e|risotto|chili|brownies|biscuits|waffles|granola|hummus|lasagna|tacos)\b/i,
    zhRe: /菜谱|食谱|做法|烘焙|(?:炒|煮|炖|烤|蒸|烧|焖|煎|炸|拌)[^，,。？?]{0,4}(?:怎么做|怎么弄|怎么烧)|(?:蛋糕|面包|饺子|包子|馒头|鸡翅|红烧肉|炒饭|面条|汤|披萨|饼干|粥)[^，,。？?]{0,4}(?:怎么做|怎么弄)|教我(?:做|烤|烧|煮|炒)[^，,。]{0,6}(?:蛋糕|面包|菜|饭|汤|饺子|鸡|鱼|肉|饼|面|粥)/,
  }),
  fam({
    key: 'product-copy', en: 'Product copy', zh: '商品文案', inRules: true,
    enTriggers: ['product description', 'write a product listing', 'listing copy'], zhTriggers: ['商品文案', '写商品描述', '产品详情页'],
    enRe: /\bproduct (?:descriptions?|copy|listings?|pages?|blurbs?)\b|\blisting (?:copy|descriptions?)\b|\b(?:item|etsy|amazon|ebay|shop|store) (?:descriptions?|listings?)\b|\bdescribe (?:this|the|my|our) (?:item|product)\b|\b(?:shopify|etsy|amazon|ebay|depop|vinted|poshmark|craigslist|gumtree|webshop|online (?:shop|store)) (?:copy|descriptions?|listings?|product pages?|blurbs?|ads?)\b|\b(?:text|copy|words|blurbs?|descriptions?) (?:under|below|beneath|next to|to go (?:with|under)) (?:the |our |my |these |those |each )?(?:product )?(?:photos|pictures|images|pics|shots) (?:for|of) our (?!(?:trip|vacation|holiday|honeymoon|wedding|family|kids?|baby|dog|cat|team|day|weekend|album|blog|feed|page|website|site|reunion|party|event)s?\b)[\w-]+|\b(?:rental|apartment|flat|room|studio|sublet|sublease|house|property) (?:listings?|ads?|adverts?|posts?)\b|\b(?:an? |the )?(?:ad|listing|post) for (?:the |my |our |a )?(?:[\w'-]+ ){0,3}?(?:studio|apartment|flat|room|house|condo|suite|sublet)\b|\b(?:renting out|subletting|sublet|letting out) (?:a |my |our |the )?(?:[\w-]+ ){0,2}?(?:room|studio|apartment|flat|house|suite)\b[^.?!]{0,60}\b(?:post|ad|listing|write)\b|\bpost (?:my|our|the) (?:[\w-]+ ){0,2}?(?:studio|apartment|flat|room|house|condo|suite) on\b/i,
    zhRe: /商品文案|产品文案|商品描述|产品描述|商品介绍|产品介绍|商品详情|宝贝描述|宝贝详情|详情页|卖点文案|上架[^。]{0,16}(?:介绍|描述|文案)|(?:商品|宝贝)标题|(?:闲鱼|淘宝|拼多多|抖店|有赞|网店|微店)[^，,。；;]{0,10}(?:文案|描述|标题|详情)|(?:提炼|写|列|梳理|挖)(?:一下|几个|些|出)?[^，,。；;]{0,8}卖点|搜索标题|(?:上架|卖)[^。；;]{0,16}标题(?:怎么写|怎么起|帮我)?|(?:京东|淘宝|拼多多|闲鱼)[^。；;]{0,12}标题/,
  }),
  fam({
    key: 'plan', en: 'Plans and proposals', zh: '方案', inRules: true,
    enTriggers: ['make a plan', 'write a proposal', 'project plan'], zhTriggers: ['做方案', '写计划', '策划'],
    enRe: /\bplans?\b|\bproposals?\b|\broadmaps?\b|\bstrateg(?:y|ies)\b/i, zhRe: /方案|计划|策划|规划/,
  }),
  fam({
    key: 'analysis', en: 'Analyses', zh: '分析', inRules: false,
    enTriggers: ['analyze this', 'analysis', 'evaluate this'], zhTriggers: ['分析一下', '分析', '评估'],
    enRe: /\banaly[sz](?:e|es|ed|is|ing)\b|\bassess\w*\b|\bevaluat\w*\b|\binspect\w*\b/i, zhRe: /分析|判断|检验|评估|诊断|排查/,
  }),
  fam({
    key: 'explanation', en: 'Explanations', zh: '讲解', inRules: false,
    enTriggers: ['explain this', 'what is', 'how does it work'], zhTriggers: ['解释一下', '讲解', '什么是'],
    enRe: /\bexplain\w*\b|\bexplanations?\b|\bwhat (?:is|are)\b|\bwhat'?s (?!up\b|new\b|the (?:best|weather|time|date)\b)[\w -]{2,40}\band (?:why|how)\b|\bhelp me understand\b|\bhow (?:does|do)\b|\bteach me\b/i, zhRe: /解释|讲解|介绍一下|什么是|是什么|怎么理解/,
  }),
];

/**
 * Kinds of work people ask for with a question ("这严重吗" about a lab result, "is this sentence
 * correct?", "can I wear sneakers to a wedding?"): a yes/no or who/when question still asks for them.
 */
export const QUESTION_FAMILIES: ReadonlySet<string> = new Set(['medical-report', 'homework-help', 'watch-recs', 'gift', 'outfit', 'explanation', 'analysis', 'editing', 'code', 'code-review']);
