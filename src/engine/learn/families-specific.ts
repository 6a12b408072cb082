/**
 * The specific kinds of work of the task family table (families.ts): documents, messages and
 * plans with a name of their own. They come before the broad kinds (emails, code, poems, articles,
 * plans, explanations) so that a request naming both is the specific one.
 */
import { fam, type TaskFamily } from './family-shape.js';

export const SPECIFIC_FAMILIES: TaskFamily[] = [
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
    enRe: /\b(?:weekly|friday|end-of-week|end of week) (?:status )?(?:updates?|rundowns?|recaps?|round-?ups?)\b|\bstatus updates? (?:to|for) (?:my|the|our) (?:boss|manager|lead|team)\b|\b(?:rundown|recap|round-?up) of what (?:I|we) did\b|(?<!\b(?:to|I|we|you|please|pls|can|could|should|would|will|must|'ll|do|did|how|police|weather|credit|traffic|crime|accident|incident|bug)\s)\breports?\b(?!\s+(?:a|an|the|this|that|it|them|him|her|to|bugs?|issues?|problems?|errors?|spam|abuse|cards?|incidents?|crimes?|back)\b)|\bwhite ?papers?\b|\bbriefings?\b|\b(?:research|policy|analyst|market|investment|strategy|executive|project) briefs?\b|\b(?:analysis|research|data|market|project) write-?ups?\b|\bwrite-?ups? (?:on|about|of)\b|\b(?:status|weekly|monthly|progress) updates?\b/i,
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
    enRe: /(?<!\b(?:hidden|secret|own|political|personal|their|his|her) )\bagendas?\b|\brunning orders?\b|\brun of show\b|\border of (?:business|events|the day)\b|\b(?:rundown|run-?down|outline|plan|order) for (?:the |our |my |this |next |[\w'-]+'s )?(?:[\w-]+ ){0,2}?(?:meeting|kickoff|kick-off|all-hands|offsite|off-site|standup|stand-up|retro|workshop|sync|town ?hall)\b|\bwhat should be on the (?:plan|list|docket|table|agenda) for (?:our|the|my|this|next) (?:[\w-]+ ){0,2}?(?:meeting|all-hands|kickoff|offsite|sync|call)\b|\b(?:send|share|circulate) (?:out )?before (?:we meet|the meeting|the call)\b/i,
    zhRe: /议程|会议流程|流程单|(?:会|会议|活动|典礼|仪式|年会|晚会)的?流程|(?:会|例会|会议)[^。；;]{0,12}(?:排一下|排下|安排一下|安排下|排个)(?:顺序|流程|环节)|会上(?:的)?环节|(?:例会|会议|会上)要讲的[^。；;]{0,6}(?:排|安排|顺序)/,
  }),
  fam({
    key: 'job-posting', en: 'Job postings', zh: '招聘启事', inRules: true,
    enTriggers: ['job description', 'job posting', 'write a job ad'], zhTriggers: ['招聘JD', '招聘启事', '岗位描述'],
    enRe: /\bjob (?:descriptions?|posts?|postings?|ads?|adverts?|advertisements?|listings?|specs?|openings?)\b|\bJDs?\b|\b(?:hiring|recruiting|recruitment) (?:posts?|ads?|adverts?)\b|\badvertise (?:an? |the |our )?(?:opening|position|role|vacancy|job)\b|\b(?:listing|posting|advert|ad) for (?:an? |the |our |my )?(?:[\w-]+ ){0,3}?(?:role|position|opening|vacancy|hire)\b|\bwe'?re hiring\b[^.?!]{0,60}\b(?:listing|post|ad)\b|\bhelp[- ]wanted (?:ads?|signs?|posts?|notices?|posters?)\b|\b(?:role|position) descriptions?\b|\bvacancy (?:ads?|adverts?|notices?|posts?|listings?|announcements?)\b|\b(?:write|draft|post|advertise|put up|word)(?: up)? (?:the |a |an |our |this |that )?(?:[\w-]+ ){0,2}?vacanc(?:y|ies)\b(?! (?:at|in) (?:the |a |our |your )?(?:hotel|motel|inn|b&b|hostel))|\b(?:listing|posting|post|ad) (?:for|on) (?:indeed|glassdoor|craigslist)\b|\b(?:write|draft)(?: up)? the (?:job )?(?:listing|posting)\b/i,
    zhRe: /招聘(?:JD|jd|启事|广告|文案|信息|帖子?|海报|简章|公告)|发(?:个|一个|条)?招聘|JD|岗位(?:职责|描述|说明)|职位(?:描述|说明|介绍)|任职要求|急招|招(?:人|兼职|实习生|店员|服务员|学徒|工)(?:的)?(?:帖子?|文案|启事|启示|广告|海报|JD)|职位详情|(?:发|招)(?:个|一个)?[^，,。；;]{0,8}的职位|(?:boss|BOSS|Boss)直聘|招聘的东西/,
  }),
  fam({
    key: 'customer-reply', en: 'Customer replies', zh: '客服回复', inRules: true,
    enTriggers: ['reply to a customer', 'support reply', 'customer service response'], zhTriggers: ['回复顾客', '客服回复', '客服话术'],
    enRe: /\b(?:support|customer|customer service|customer support|help ?desk|service) (?:repl(?:y|ies)|responses?|answers?|macros?)\b|\brepl(?:y|ies) from (?:our |the )?(?:support|customer service|help ?desk|team)\b|\b(?:reply|respond|answer|write back|responses?|repl(?:y|ies)) to (?:a |an |the |this |that |our |my )?(?:angry |upset |unhappy )?(?:customers?|clients?|buyers?|guests?|shoppers?|reviews?|reviewers?|users?|tickets?)\b|\b(?:reply|respond|answer|write back|responses?|repl(?:y|ies))(?: to)? (?:a |an |the |this |that |our |my )?(?!(?:(?:a|an|the|this|that|our|my|your) )?(?:performance|peer|code|annual|design|self|literature|paper|book|film|movie|product)\b)(?:[\w'-]+ ){1,2}?reviews?\b|\b(?:left|wrote|posted|got) (?:us )?an? (?:[\w'-]+ ){0,2}?reviews?\b[^.?!]{0,80}[.?!]?[^.?!]{0,40}\b(?:respond|reply|answer)\b|\b(?:a |the |our |my )?(?:customer|client|buyer|guest|user)s? (?:says?|said|writes?|wrote|asks?|asked|complains?|complained|wants?)\b[^.?!]{0,80}\b(?:reply|respond|answer|response)\b|\b(?:reply|respond|answer)(?:ing)? to (?:a |an |the |this |these |those |our |customer |guest )?(?:complaints?|(?:bad|negative|1-star|one-star|angry) reviews?)\b|\b(?:angry|furious|upset|irate|complain\w*)\b[^?!]{0,100}\b(?:how (?:should|do|would|can|could) (?:I|we|you) (?:respond|reply|answer)|help me (?:respond|reply|answer))\b|\bhow (?:should|do|would|can|could) (?:I|we|you) (?:respond|reply|answer)\b[^!]{0,100}\b(?:angry|furious|upset|irate|complain\w*)\b|\b(?:respond|reply|answer)(?: to)? (?:this|that|an?|the) (?:angry|furious|upset|irate)\b|\b(?:respond|reply|answer) to (?:an? |the |this )?(?:[\w-]+ )?who (?:complained|is (?:angry|upset|furious))\b|\breview (?:repl(?:y|ies)|responses?)\b|\b(?:on|from) (?:yelp|google|tripadvisor|trustpilot|amazon|facebook)\b[^.?!]{0,80}[.?!]?[^.?!]{0,30}\b(?:respond|reply|answer|write back)\b|\b(?:respond|reply|answer|write back)\b[^.?!]{0,40}\bon (?:yelp|google|tripadvisor|trustpilot)\b|\b(?:\d|one|two|three|four|five)[- ]star review\b[^.?!]{0,80}[.?!]?[^.?!]{0,30}\b(?:write back|respond|reply|answer)\b/i,
    zhRe: /回(?:复)?(?:个|条)?差评|差评(?:怎么回|回复)|(?:点评|美团|大众点评|饿了么|淘宝)上[^。；;]{0,24}(?:怎么回|回复|帮回|回一下)|一星评价[^。；;]{0,20}回复|客服(?:回复|话术|回答|消息)|回复话术|回复(?:一下)?(?:顾客|客户|买家|客人|用户|差评|评价|留言)|(?:顾客|客户|买家|客人)(?:说|问|反馈|留言|评价|抱怨)[^。]{0,40}(?:回复|怎么回|回一下)|(?:差评|评价|留言)[^，,。]{0,6}(?:怎么回|回复)|(?:评论区|差评|投诉|顾客|客户|买家|客人|用户)[^。；;]{0,24}(?:回一下|回复一下|怎么回|帮我回)/,
  }),
  fam({
    key: 'requirements', en: 'Requirements docs', zh: '需求文档', inRules: true,
    enTriggers: ['product requirements doc', 'write a PRD', 'feature spec'], zhTriggers: ['需求文档', '写PRD', '产品需求'],
    enRe: /\bPRDs?\b|\b(?:product )?requirements? (?:docs?|documents?|specs?|specifications?)\b|\b(?:product|feature|functional) specs?\b|\bspec (?:out|for) (?:a |the |this |our )?(?:new )?feature\b|\buser stor(?:y|ies)\b/i,
    zhRe: /PRD|需求文档|需求说明|产品需求|需求(?:帮我)?写一下|写(?:个|一个|一份|份)?需求|功能说明书|(?:功能|需求)[^。；;]{0,12}(?:整理成|写成|出)(?:个|一份|一个)?文档|给开发看的文档|需求(?:这块|怎么写)|(?:整理|写)成[^，,。；;]{0,4}需求|写给研发|(?:出|写)(?:一)?份PRD/,
  }),
  fam({
    key: 'contract', en: 'Contracts', zh: '合同条款', inRules: true,
    enTriggers: ['contract clause', 'draft a contract', 'service agreement'], zhTriggers: ['合同条款', '起草合同', '写合同'],
    enRe: /\bcontracts?\b|(?<!\b(?:relative|subordinate|main|independent|dependent|noun|adverbial|adjective|conditional|if|that|santa) )\bclauses?\b|\bNDAs?\b|\bterms of (?:service|use)\b|\bterms and conditions\b|\b(?:service|lease|rental|tenancy|employment|partnership|licen[cs]e|purchase|supply|non-disclosure) agreements?\b/i,
    zhRe: /合同|条款|(?:保密|租赁|劳动|劳务|合作|服务|采购|转让|框架)协议|签(?:个|了|这个|这份)?[^。；;]{0,14}(?:协议|确认书|承诺书)|(?:能签吗|该不该签|要不要签|能不能签)/,
  }),
  fam({
    key: 'apology', en: 'Apologies', zh: '检讨书', inRules: true,
    enTriggers: ['apology letter', 'write an apology', 'letter of apology'], zhTriggers: ['写检讨', '检讨书', '书面检查'],
    enRe: /\bletters? of apology\b|\bapology (?:letters?|notes?|e-?mails?|messages?|texts?|statements?|posts?|cards?)\b|\b(?:write|draft) (?:an? |my )?apology\b|\bself-criticism\b|\b(?:note|message|text|letter|e-?mail|card|words|something|help me) to (?:say (?:I'?m )?sorry|apologi[sz]e)\b|\bsorry (?:notes?|messages?|texts?|letters?|cards?)\b|\b(?:written|sincere|heartfelt) apolog(?:y|ies)\b|\bsay (?:I'?m )?sorry to\b|\bhelp me (?:say sorry|apologi[sz]e)\b|\bapologi[sz]e to (?:my|her|him|them|a friend|[\w'-]+ for)\b/i,
    // 反省, 悔过, a written 认错 or 致歉 ("写个书面的说明认个错", "发一则致歉声明"), not someone who never says sorry
    zhRe: /检讨|(?:写|交|补)(?:个|份|一份|篇)?(?:书面)?(?:检查|反省)|反省(?:书|材料)|悔过书|道歉信|致歉信|(?:致歉|道歉)(?:声明|函|公告|邮件|短信|的话|文案)|书面[^，,。；;]{0,6}(?:认(?:个)?错|道歉|致歉)|(?:写|起草|拟)[^，,。；;]{0,6}(?:道歉|致歉|认错)|自我反省|自我检查|反省(?:的)?(?:材料|稿)/,
  }),
  fam({
    key: 'leave-request', en: 'Leave requests', zh: '请假条', inRules: true,
    enTriggers: ['leave request', 'sick note', 'ask for time off'], zhTriggers: ['请假条', '写请假条', '请假申请'],
    enRe: /\b(?:leave|absence|time[- ]off|pto|sick[- ]day|vacation|holiday) (?:requests?|notes?|e-?mails?|letters?|applications?|messages?)\b|\bsick notes?\b|\b(?:request(?:ing)?|ask(?:ing)?(?: (?:my |the )?(?:boss|manager|supervisor|teacher|lead|school|professor))? for) (?:a |the |some |next |this )?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|(?:(?:a|one|two|three|four|five|a few|a couple of|couple of|half a) )?(?:days?|weeks?|afternoon|morning)|time) off\b|\b(?:request(?:ing)?|ask(?:ing)? for|apply(?:ing)? for) (?:a |an )?(?:(?:extended|unpaid|medical|parental|maternity|paternity|bereavement|compassionate|study|annual) )?(?:leave(?: of absence)?|sabbatical)\b|\b(?:text|message|e-?mail|note|what to say) (?:to )?call(?:ing)? in sick\b/i,
    zhRe: /请假(?:条|单|申请|邮件|信息|消息|理由)|写[^，,。；;]{0,6}请假|请(?:一|两|三|几|半)?天(?:的)?(?:事|病|年|婚|产|丧)?假|请(?:个|下|一下)?(?:半天|一天)?(?:事|病|年|婚|产|丧)?假[^。；;]{0,12}(?:写|怎么说|怎么开口|发给|跟(?:领导|老板|老师|经理|主管|公司)说)|(?:跟|向)(?:领导|老板|老师|经理|主管|公司)请(?:半天|一天|几天|个)?假|(?:年假|病假|事假|婚假|产假|陪产假|丧假|育儿假|探亲假|调休|休假)[^。；;]{0,16}(?:申请|假条|请假)|请假的?(?:条|单|申请|邮件|信息|消息|微信)/,
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
    enRe: /(?<!\bpub )\bquiz(?:zes|es)?\b(?! (?:night|show|team|master|host)s?\b)|\bknowledge checks?\b|\bworksheets?\b|\b(?:multiple[- ]choice|practice|exam|test|comprehension|review|quiz|true[- ]or[- ]false) questions?\b|\b(?:tests?|exams?) (?:on|about) [^.?!]{1,60}\bfor (?:my |our |the )?(?:class|students|pupils|learners|kids|(?:\d+(?:st|nd|rd|th) )?graders|year \d+|grade \d+|[\w-]+ class)\b|\brounds? of (?:[\w-]+ ){0,3}?(?<!\b(?:interview|screening|follow-up) )(?:questions|trivia)\b|\btrivia (?:questions?|rounds?)\b|\b(?:write|make|create|give me|put together|draft|prepare|set) (?:me |us )?(?:an? |some )?(?:[\w-]+ ){0,2}?(?:mock|practice|diagnostic|placement) (?:exams?|tests?|papers?)\b|\bexit tickets?\b|\bfill[- ]in[- ]the[- ]blank (?:questions|exercises|worksheets?|quiz(?:zes)?|tests?|sentences|activities)\b|\btest (?:me|us|my (?:students|class|pupils|kids|son|daughter|team)) on\b|\btrivia (?:questions?|night|round|game)s?\b|\bneed a round on\b|\b(?:give me|write|make|need|come up with|throw together|put together) (?:me )?\d+ questions (?:about|on)\b/i,
    // questions set for someone, not a problem that came up ("服务器出点问题")
    zhRe: /测验|练习题|习题|试卷|试题|小测|出(?:几道|一套|套|些|点|\d+道)[^，,。；;]{0,8}(?<!问)题|(?:出|编|整|来|设计|准备)[^，,。；;]{0,10}(?:选择|判断|填空|简答|抢答|竞赛|问答|测试)题|考考(?:我|孩子|学生|大家)|(?:出|编|整)(?:一)?(?:套|份|张)[^，,。；;]{0,8}(?:卷子|考卷|考题)/,
  }),
  fam({
    key: 'greeting-card', en: 'Cards and wishes', zh: '祝福语', inRules: true,
    enTriggers: ['birthday card message', 'write a card', 'birthday wishes'], zhTriggers: ['写祝福语', '生日祝福', '贺卡'],
    enRe: /\b(?:birthday|greeting|thank[- ]you|get[- ]well|sympathy|condolence|christmas|holiday|anniversary|wedding|retirement|graduation|farewell|valentine'?s?|new year'?s?) (?:cards?|messages?|notes?|wishes|greetings?)\b|\bcards? (?:message|text|note)s?\b|\b(?:message|note|wishes) (?:for|in) (?:a|the|my|his|her|their|our) (?:[\w-]+ ){0,2}cards?\b|\b(?:write|put|say|scribble|sign) (?:in|inside|on) (?:a|the|his|her|my|their) (?:[\w-]+ ){0,2}cards?\b|\bfor (?:my|his|her|our|their) [\w-]+'s (?:birthday |anniversary |retirement )?card\b|\b(?:something|words?) for (?:the|a|his|her|their) (?:birthday )?card\b|\b(?:note|card|message|something|a few lines) (?:thanking|to thank)\b|\b(?:card|note|message) to say thanks\b|\bthank[- ]you (?:note|card|message|email|letter)s?\b(?![^.?!]{0,40}\b(?:interview|hiring manager|recruiter|interviewer))|\bto (?:show|express) (?:our|my) (?:appreciation|gratitude|thanks)\b|\b(?:something|a message|a note|a few words|words) for (?:my |our )?(?:[\w'-]+ )?(?:\d+(?:st|nd|rd|th)|birthday|bday|anniversary)\b/i,
    zhRe: /贺卡|祝福语|(?:生日|新年|春节|中秋|结婚|新婚|毕业|退休|乔迁|开业)(?:祝福|贺词|寄语)|(?:节日|中秋|端午|国庆|元旦|圣诞|元宵|教师节|母亲节|父亲节|春节|新年|过年)(?:的)?(?:祝福|问候)|拜年(?:信息|短信|消息|的话)?|(?:过年|新年|春节|元旦|中秋|国庆|节日|端午)[^，,。；;]{0,10}(?:发|写)[^，,。；;]{0,8}(?:信息|消息|短信|问候|祝福)|祝福(?:的话|短信|文案|语)|写[^，,。；;]{0,6}祝福|感谢(?:卡|卡片|的话)|(?:写|发|说)[^，,。；;]{0,8}(?:感谢的话|表示感谢|谢谢的话)|红包[^。；;]{0,8}(?:配|写|留言|备注|说)|(?:随礼|份子钱|礼金)[^。；;]{0,10}(?:备注|留言|写什么|写啥|说什么|说啥)/,
  }),
  fam({
    key: 'show-notes', en: 'Show notes', zh: '节目简介', inRules: true,
    enTriggers: ['show notes', 'episode description', 'podcast episode notes'], zhTriggers: ['节目简介', '播客简介', '单集介绍'],
    enRe: /\bshow ?notes\b|\b(?:episode|podcast)(?: \d+)? (?:description|write-?up|notes|blurb)s?\b|\bnotes (?:that go )?(?:under|for|below) (?:this|the|our|my|this week'?s|today'?s|last week'?s) (?:[\w-]+ )?(?:episode|podcast)\b|\bepisode descriptions?\b|\bdescription (?:that goes )?(?:under|for|of|below) (?:the |this |my |our )?(?:episode|podcast)\b|\b(?:blurb|text|write-?up) (?:that goes )?(?:under|for|below) (?:the |this |our |my )?(?:episode|podcast)\b|\bepisode pages?\b/i,
    zhRe: /(?:播客|节目|单集|本期)(?:的)?(?:简介|介绍|说明|文字稿)|shownotes|show notes/,
  }),
  fam({
    key: 'video-script', en: 'Video scripts', zh: '视频脚本', inRules: true,
    enTriggers: ['video script', 'youtube script', 'storyboard'], zhTriggers: ['视频脚本', '短视频脚本', '分镜脚本'],
    enRe: /\b(?:video|youtube|tiktok|reels?|shorts?|podcast|ad|commercial|explainer|vlog|promo) scripts?\b|\bscripts? for (?:a |an |my |our |the )?(?:[\w-]+ ){0,2}?(?:video|vlog|reel|podcast|commercial|ad|episode|short)\b|\bstoryboards?\b|\bshot lists?\b/i,
    zhRe: /(?:视频|短视频|抖音|快手|B站|vlog|Vlog|宣传片|广告片)(?:的)?脚本|分镜|拍摄脚本|口播(?:稿|文案)|(?:拍|录)[^。；;]{0,24}脚本|(?:每个|各个)?镜头(?:拍啥|拍什么|怎么拍)|视频号[^。；;]{0,30}(?:脚本|镜头|拍|台词|怎么写)|对着镜头(?:说|讲|念)|口播|(?:视频|镜头)[^。；;]{0,20}台词/,
  }),
  fam({
    key: 'livestream', en: 'Livestream scripts', zh: '直播话术', inRules: true,
    enTriggers: ['livestream script', 'live selling pitch', 'stream talking points'], zhTriggers: ['直播话术', '带货话术', '直播脚本'],
    enRe: /\b(?:live ?stream|live selling|live shopping|stream) (?:scripts?|pitch(?:es)?|talking points|lines)\b/i,
    zhRe: /直播(?:带货)?(?:的)?(?:话术|脚本|文案|稿)|带货(?:话术|文案|脚本)|直播间(?:话术|文案)|直播[^。；;]{0,20}(?:台词|口播|话术|讲解词|介绍|(?:该)?怎么说|说(?:什么|啥))|口播稿|带货(?:的)?台词/,
  }),
  fam({
    key: 'workout', en: 'Workout plans', zh: '健身计划', inRules: true,
    enTriggers: ['workout plan', 'training program', 'exercise routine'], zhTriggers: ['健身计划', '训练计划', '锻炼安排'],
    enRe: /\bwork-?outs? (?:plans?|programs?|programmes?|routines?|schedules?|splits?)\b|\b(?:make|design|create|give|write|build|put together|plan) (?:me |us )?(?:an? |my |some )?(?:[\w-]+ ){0,3}?work-?outs?\b|\b(?:any|every|each) work-?outs?\b|\b(?:training|exercise|fitness|gym|strength|running|cardio|stretching|yoga|hiit|core) (?:plans?|programs?|programmes?|routines?|schedules?|splits?)\b|\broutine (?:should I|to) (?:follow|do)\b|\bfat-?burning (?:sessions?|routines?)\b|\b(?:program|plan|routine|session|sets?|exercises?|circuit|something|moves|work-?outs?) (?:me |us )?(?:something |a session |a routine )?(?:for|on) (?:my |a |the |tomorrow'?s |today'?s )?(?:leg|arms?|push|pull|back|chest|shoulders?|core|glutes?|upper[- ]body|lower[- ]body|full[- ]body) days?\b|\b(?:\d+|five|ten|fifteen|twenty|thirty|forty-five|sixty)[- ]min(?:ute)?s? (?:[\w-]+ ){0,2}?work-?outs?\b|\b(?:lifting|weightlifting|powerlifting|bodybuilding|calisthenics|kettlebell|dumbbell|barbell|pilates|marathon|half[- ]marathon|5k|10k|couch[- ]to[- ]5k) (?:plans?|programs?|programmes?|routines?|splits?|circuits?)\b|\bhome work-?outs?\b|\bsets (?:and|&) reps\b|\b(?:plan|put together|give me|make|design|build|program|write|need)(?: me| us)? (?:a |an |my |the |tomorrow'?s |today'?s )?(?:leg|arm|chest|back|push|pull|upper[- ]body|lower[- ]body|core) days?\b|\b\d+[- ]min(?:ute)?s? (?:routine|workout|circuit|session)\b|\bwork on my (?:core|abs|glutes|legs|arms|upper body|lower body|cardio|flexibility|mobility)\b|\bleg day routine\b|\b(?:strength|gym|cardio|hiit|lifting) (?:sessions?|routines?|days?)\b/i,
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
    zhRe: /作文|范文|(?:英文|英语)(?:短文|小短文)|周记|(?<!会)议论文|记叙文|说明文(?![档件书])|(?:孩子|儿子|女儿|学生|闺女)[^，,。；;]{0,8}写(?:的|了(?:一)?篇)《[^》]{1,30}》|(?:孩子|儿子|女儿|学生|闺女)[^，,。；;]{0,6}(?:写的)?(?:日记|周记|看图写话)|看图写话/,
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
    zhRe: /体检报告|化验单|检查报告|检验报告|报告单|血常规|尿常规|肝功能|肾功能|甲状腺功能|(?:血脂|B超|彩超|CT|核磁|微量元素)[^，,。；;]{0,6}(?:报告|结果|单子|指标|出来|写着|偏高|偏低)|体检(?:单|结果)|(?:单位|公司|年度|入职)?体检(?:说|查出|发现|显示)|(?:偏高|偏低|超标)[^。；;]{0,10}(?:说说|啥意思|什么意思|要紧|严重|怎么办)/,
  }),
  fam({
    key: 'letter', en: 'Letters', zh: '信件', inRules: true,
    enTriggers: ['recommendation letter', 'reference letter', 'resignation letter'], zhTriggers: ['推荐信', '辞职信', '感谢信'],
    enRe: /\b(?:recommendation|reference|referral|resignation|character) letters?\b|\bletters? of (?:recommendation|reference|resignation)\b|\b(?:write|be) (?:a |an )?(?:reference|referee) for\b|\brecommend (?:my |our |a )?(?:colleague|student|intern|employee|friend|coworker|co-worker|mentee)\b|\bvouch for\b|\btwo weeks'? notice\b|\bnotice of resignation\b|\b(?:formally )?tell (?:HR|my boss|my manager|my employer) (?:that )?I'?m (?:leaving|quitting|resigning)\b/i,
    zhRe: /推荐信|辞职信|感谢信|介绍信|证明信|推荐函/,
  }),
  fam({
    key: 'homework-help', en: 'Homework help', zh: '作业辅导', inRules: true,
    enTriggers: ['help with homework', 'explain this math problem', 'word problem'], zhTriggers: ['讲数学题', '辅导作业', '这道题怎么讲'],
    enRe: /\b(?:homework|math problems?|word problems?|math questions?|worksheets?)\b|\bhelp my (?:\d+[- ]?(?:year|yr)[- ]?old|kid|son|daughter|child|little one)\b|\bhow (?:do|would|should) (?:you|I|we) solve\b|\bhelp (?:my (?:kid|son|daughter) )?with (?:his |her |their |my )?(?:math|maths|homework)\b|\b(?:my|our) (?:son|daughter|kid|child|\d+(?:st|nd|rd|th)[- ]grader)\b[^.?!]{0,30}\b(?:keeps? getting|struggl\w+|stuck|confused|doesn'?t (?:get|understand)|can'?t (?:get|do|understand)|learning)\b[^.?!]{0,30}\b(?:long division|fractions?|multiplication|times tables?|division|decimals|algebra|geometry|phonics|math|maths)\b/i,
    zhRe: /(?:数学|应用|奥数|作业|物理|化学)题|(?:给|跟)[^，,。；;]{0,6}(?:孩子|女儿|儿子|小朋友|小孩|娃)[^，,。；;]{0,4}(?:讲|解释)|(?:孩子|女儿|儿子|小朋友|小孩|娃)[^。；;]{0,16}(?:给|帮)(?:他|她)(?:讲|解释)|怎么讲孩子(?:能|才)?懂|辅导(?:孩子)?(?:作业|功课)|这道题(?:怎么做|怎么讲|怎么解)|小学(?:数学|奥数)|讲题|(?:辅导|教)(?:孩子|娃)?做题/,
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
    key: 'references', en: 'Reference lists', zh: '参考文献', inRules: false,
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
    key: 'code-review', within: 'code', en: 'Code reviews', zh: '代码审查', inRules: true,
    enTriggers: ['review my code', 'code review', 'look over this PR'], zhTriggers: ['代码审查', '帮我看看代码', 'review代码'],
    enRe: /\bcode reviews?\b|\b(?:feedback|comments?|notes) on (?:a |the |this |my |[\w'-]+'s )?(?:pull request|merge request|PR|MR|diff)\b|\b(?:respond|reply) to (?:this|the|a) (?:diff|PR|pull request|merge request)\b|\b(?:teammate|colleague|coworker)'s (?:pull|merge) request\b|\breview (?:my|this|the|our) (?:[\w.+#-]+ )?(?:code|PR|pull request|diff|function|script|class|handler|component|query|method|module|endpoint)\b|\b(?:PR|pull request|diff)\b[^.?!]{0,40}\b(?:look (?:it )?over|review|check)\b|\b(?:critical|second|quick) look at (?:this|my) [\w ]{0,20}?(?:code|handler|function|class|script|component)\b|\breview pass\b|\b(?:feedback|comments?) on (?:this|my|the|our) (?:PR|pull request|diff|merge request|MR|changes|commit)\b|\bbefore (?:I|we) (?:merge|ship) (?:it|this|them)\b|\btake a look at (?:this|my|the|our) (?:PR|pull request|diff|code|changes?)\b|\b(?:PR|pull request|diff)\b[^.?!]{0,40}\bwhat (?:you'?d|would you) (?:flag|change)\b/i,
    zhRe: /代码(?:审查|评审|审核)|(?:code ?review|CR)(?:一下)?(?:这段)?代码|帮我(?:看看|检查一下|review一下)(?:这段|我的)?代码|(?:看看|帮我看下?|审一?下)[^。；;]{0,4}(?:这个|这段)?(?:PR|pr|MR|mr)|(?:CR|cr)(?:一?下)|(?:代码|函数)[^。；;]{0,10}(?:审一下|审下|有(?:啥|什么)(?:问题|坑))|(?:这段|这个)[^。；;]{0,16}(?:代码|函数|PR|pr)[^。；;]{0,6}(?:审一?下|review|CR|看看有(?:啥|什么)(?:问题|坑))/,
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
    zhRe: /(?:一周|每周|这周|下周|三天|七天)[^，,。；;]{0,4}(?:食谱|菜单|饭菜|三餐)|饮食(?:计划|安排)|带饭计划|减脂餐(?:计划|安排)?|(?:这周|下周|每天|一周)(?:吃什么|做什么菜)|(?:减脂|减肥|瘦身|想瘦|增肌)[^。；;]{0,12}(?:吃什么|怎么吃|饮食|三餐|食谱|餐)|(?:一周|这周|下周|本周|周一到周五|工作日)[^，,。；;]{0,4}(?:早餐|早饭|午饭|午餐|晚饭|晚餐|便当|带饭)[^，,。；;]{0,6}(?:安排|计划|怎么吃|吃什么|做什么)|排(?:个|一下|一份)?[^，,。；;]{0,6}菜单|(?:周末|这周|下周|明天|今晚|两天|三天)[^，,。；;？?]{0,6}(?:吃什么|吃啥|做啥饭|做什么饭|做什么菜)/,
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
    zhRe: /起名|取名|起个名|取个名|店名|(?:想|起|取)(?:几个|个|一些|[一二两三四五六七八九十\d]+个)?(?:好听的)?名字|名字(?:要|想要)?(?:大气|好听|好记)|(?:想要|要|缺|求)(?:个|一个)[^，,。；;]{0,6}名字|还没(?:有)?(?:起)?名字|(?:取|起)(?:个)?(?:什么|啥)名|叫(?:什么|啥)名字?(?:好|合适)/,
  }),
  fam({
    key: 'postmortem', en: 'Incident postmortems', zh: '事故复盘', inRules: true,
    enTriggers: ['postmortem', 'incident report', 'write up the outage'], zhTriggers: ['事故复盘', '故障报告', '复盘报告'],
    enRe: /\bpost-?mortems?\b|\bincident (?:reports?|reviews?|write-?ups?|summaries)\b|\bRCAs?\b|\bdocument what happened when\b|\bpost-incident (?:reviews?|reports?)\b|\broot cause analys[ie]s\b|\boutage (?:reports?|write-?ups?)\b|\boutage\b[^?!]{0,100}?\bwrite (?:it |this )?up\b/i,
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
    enRe: /\bcomplaints? (?:letters?|e-?mails?|messages?|forms?)\b|\b(?:letter|e-?mail|message) of complaint\b|\b(?:write|draft|file|lodge|make|send|submit|put together|raise|escalate) (?:a |an |my |our |the )?(?:formal |official |strongly[- ]worded |polite )?(?:complaint|grievance)\b|\bcomplain (?:to (?:the|my|our)|about (?:the|my|our|a|an))\b|\b(?:writ(?:e|ing)|draft(?:ing)?|send(?:ing)?) (?:a |an |my )?(?:formal )?complaints? (?:to|against|about)\b|\bwrit(?:e|ing) to (?:a|the) (?:company|retailer|shop|store|seller|manufacturer) about\b|\bfaulty (?:products?|items?|goods|appliances?)\b|\b(?:message|write|email|letter|complain) (?:to )?the (?:seller|shop|store|retailer|company|manufacturer)\b|\bget my money back\b|\bthe (?:shop|store|seller|retailer|company) (?:keeps|is) ignoring\b/i,
    zhRe: /投诉(?:信|书|邮件|材料|内容|函)|(?:写|起草|拟)[^，,。；;！!？?]{0,6}投诉|投诉[^，,。；;！!？?]{0,6}(?:怎么写|写一下|帮我写|起草)|我要投诉|帮我投诉|(?:打|拨打?|找|通过)12345|12345(?:热线|市民热线)|(?:投诉|举报)到|反映(?:一下|问题|情况)|(?:物业|业主群|居委会|街道|社区|市场监管|消协|商家|平台)[^。；;]{0,10}(?:提(?:个|一下)?意见|反映)/,
  }),
  fam({
    key: 'invitation', en: 'Invitations and notices', zh: '通知邀请', inRules: true,
    enTriggers: ['meeting invite', 'write an invitation', 'calendar invite'], zhTriggers: ['会议邀请', '写通知', '写公告', '邀请函'],
    enRe: /\b(?:meeting|calendar|event|party|wedding|zoom|teams|outlook) invit(?:es?|ations?)\b|\binvitations?\b|\binvites? (?:for|to) (?:a|an|the|our|my|this|next)\b|\bmeeting (?:requests?|notices?|announcements?)\b|\b(?:send|write|draft) (?:out )?(?:an? |the )?(?:invite|notice|announcement)\b|\bsave[- ]the[- ]dates? (?:cards?|notes?|messages?|e-?mails?|for (?:our|my|his|her|their))\b|\b(?:message|note|text|email|post|card) inviting\b|\be-?vites?\b|\b(?:update|heads-?up|announcement|note|message|wrap-?up|post) (?:for|to) (?:the|my|our) (?:team|department|dept|group|squad)(?:'s)?\b|\blet (?:my|the|our) (?:team|department|group) know\b|\b(?:team|slack) (?:channel|chat) (?:updates?|posts?|messages?)\b|\bfor (?:our|the|my) (?:team|slack) (?:channel|chat)\b/i,
    zhRe: /会议邀请|邀请函|邀约|请柬|请帖|公告|告示|通告|(?:的|份|条|类|种)通知(?!我|书|单|栏|了|权限|设置|消息)|(?:会|会议|活动|聚会|培训|讲座|团建)的?(?:通知|邀请)|(?:发|写|起草|拟)(?:个|一个|一封|封|一份|份|一条|条)?[^，,。；;！!？?]{0,12}?(?:邀请|通知)(?!我|书|单)|(?:群里|群内)(?:通知|发个?通知|怎么说)|发(?:到)?(?:家长|班级|业主|工作)?群里(?!的(?:那种)?(?:记录|纪要|总结|笔记|要点))|(?:贴|张贴)(?:在|到)[^，,。；;]{0,8}(?:电梯|楼下|门口|公告栏|大堂)|(?:电梯|楼道|楼下|大堂)里?[^，,。；;]{0,4}贴(?:个|一张|张)?(?:告示|通知|公告)?/,
  }),
  fam({
    key: 'interview', en: 'Interview questions', zh: '面试题', inRules: true,
    enTriggers: ['interview questions', 'screening questions', 'questions to ask a candidate'], zhTriggers: ['面试题', '出面试题', '面试问题'],
    // questions for someone else's interview, not advice for one's own ("I have a job interview tomorrow")
    enRe: /\binterview questions?\b|\bscreening questions?\b|\b(?:questions? (?:to|i should|we should|should i|should we)|what (?:should|do|can|could) (?:i|we)) ask (?:a |an |the |our |my |this |each |every |these )?(?:[\w-]+ ){0,3}?(?:candidates?|applicants?|interviewees?|hires?|them)\b|\binterviewing (?:a|an|two|three|four|some|\d+) (?!job\b)|\binterview (?:rubrics?|scorecards?|guides?|kits?)\b|\b(?:questions? (?:should|could|would|can|do|to) (?:we |i )?|what (?:should|do|can|could) (?:i|we) )ask (?:a |an |the |our |my )?(?:[\w-]+ ){0,3}?(?:in|at|during|for) (?:the |a |our |their )?(?:final|first|second|third|onsite|phone|technical|culture|panel|last|next) (?:round|interview|screen)\b|\b(?:final|first|second|third|onsite|technical|panel|phone)[- ](?:round|screen) (?:interview )?questions?\b/i,
    zhRe: /面试题|笔试题|面试问题|面试官(?:该|要)?问|面试(?:该|要|可以)?问(?:些|什么|啥|点|哪些)|(?:面|招)(?:个|一个|一位|几个)?[^，,。；;！!？?]{1,12}[，,]\s*(?:出|准备)(?:点|几道|些|一套|套)?题/,
  }),
];
