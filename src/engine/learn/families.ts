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
import { fam, type TaskFamily } from './family-shape.js';
import { EVERYDAY_FAMILIES } from './families-everyday.js';
import { SPECIFIC_FAMILIES } from './families-specific.js';

export type { TaskFamily };

/** In order: transformations, the specific kinds (families-specific.ts), everyday ones (families-everyday.ts), then the broad kinds. */
export const FAMILIES: TaskFamily[] = [
  fam({
    key: 'translation', en: 'Translations', zh: '翻译', transform: true, inRules: true,
    enTriggers: ['translate this text', 'translation', 'translate into English'], zhTriggers: ['翻译', '帮我翻译', '翻译成中文'],
    enRe: /\btranslat(?:e|es|ed|ing|ion|ions)\b/i, zhRe: /翻译|译文|译成|(?:把|这段|这句|这个|这封|帮我|你帮我)[^，,。；;]{0,12}(?:转|弄|改|换|变)成(?:英文|中文|英语|日语|日文|韩语|法语|德语)(?!说法|的说法|表达|界面|版本|系统|输入法)|翻成(?:英文|中文|英语|日语|日文|韩语|法语|德语|西班牙语)/,
  }),
  fam({
    key: 'summary', en: 'Summaries', zh: '摘要总结', transform: true, inRules: true,
    enTriggers: ['summarize this', 'write a summary', 'meeting notes'], zhTriggers: ['总结一下', '写摘要', '会议纪要'],
    enRe: /\bsummar(?:y|ies|ize|ise|izing|ising)\b|\btl;?dr\b|\bmeeting (?:notes|minutes)\b|\brecap\b|\bminutes (?:of|from|for) (?:the |our |my |this |today'?s |yesterday'?s )?(?:[\w-]+ )?(?:meeting|call|standup|sync)\b|\bnotes (?:of|from|for) (?:the |our |my |this |today'?s |yesterday'?s )?(?:[\w-]+ )?(?:meeting|call|standup|sync)\b|\baction items (?:from|for|of) (?:the |our |my |this |that |today'?s |yesterday'?s )?(?:[\w-]+ )?(?:meeting|call|standup|stand-up|sync|retro)\b|\b(?:write|type|draft|circulate|prepare|do) (?:up )?the minutes\b|\btype up (?:the )?minutes\b|\b(?:standup|stand-up|retro) (?:notes|minutes)\b|^\s*(?:the )?minutes(?: pls| please|,|:|\s*$)/im,
    // minutes by their use: "会后发群里的那种记录", "把会上说的整理一下"
    zhRe: /摘要|总结|概括|纪要|归纳|会议记录|整理(?:一?下)?(?:刚才|今天|上午|下午|昨天)?(?:开)?的会|会议笔记|会议要点|会后[^，,。；;]{0,12}(?:记录|要点)|(?:会上|开会)[^，,。；;]{0,8}(?:说的|讲的|聊的|讨论的|定的)[^，,。；;]{0,6}(?:整理|梳理|汇总)|(?:整理|梳理|汇总)[^，,。；;]{0,8}(?:会上|开会)[^，,。；;]{0,6}(?:说的|讲的|聊的|讨论的|定的|内容)|(?:会议|例会|周会|晨会|会)的?(?:内容|记录|笔记)[^，,。；;]{0,4}(?:整理|梳理|汇总)/,
  }),
  fam({
    key: 'editing', en: 'Editing', zh: '润色修改', transform: true, inRules: false,
    enTriggers: ['polish my draft', 'proofread this', 'edit my text'], zhTriggers: ['润色', '帮我修改', '优化这段文字'],
    enRe: /\b(?:polish|proofread|copy-?edit|revise|rewrite|edit)(?:s|ed|ing)?\b|\bfor (?:grammar|typos|spelling|errors|mistakes)\b|\b(?:check|fix) (?:the |my |this )?(?:grammar|typos|spelling)\b|\bis (?:this|my) (?:sentence|paragraph|wording|grammar) (?:correct|right|ok)\b/i, zhRe: /润色|改写|修改|优化一下|校对/,
  }),
  ...SPECIFIC_FAMILIES,
  ...EVERYDAY_FAMILIES,
  fam({
    key: 'email', en: 'Emails', zh: '邮件', inRules: true,
    enTriggers: ['write an email', 'email', 'reply to this email'], zhTriggers: ['写邮件', '邮件', '回复邮件'],
    enRe: /\be-?mails?\b|\bnewsletters?\b|\b(?:write|draft|send) (?:something |a note |a message |a line )?to (?:the |my |our )?(?:[\w-]+ ){0,2}(?:manager|organi[sz]ers?|finance|hr|vendor|supplier|property manager|office|recruiter)\b|\bnudge (?:finance|hr|my manager|the team|them|the vendor)\b/i, zhRe: /邮件|来信|回信/,
  }),
  fam({
    key: 'ui-copy', en: 'UI copy and error messages', zh: '界面文案', inRules: true,
    enTriggers: ['error message', 'UI copy', 'button text'], zhTriggers: ['报错文案', '界面文案', '提示文案'],
    enRe: /\b(?:write|draft|word|rewrite|copy for|text for|wording for) (?:an? |the |our |this |these )?(?:[\w-]+ ){0,2}?error messages?\b|\berror messages? (?:for|in|on) (?:the |our |my |an? )?(?:app|ui|screen|form|page|users?|checkout|sign-?up|login)\b|\b(?:ui|ux|button|tooltip|toast|banner|empty[- ]state|onboarding|in-app|app|screen) (?:copy|text|labels?|microcopy)\b|\bmicrocopy\b|\berror (?:copy|states?|toasts?|banners?)\b|\bwhat (?:should|would|does) (?:the|our|my) (?:app|site|screen|page|ui|form|checkout) say\b|\bcopy for the (?:screen|modal|dialog|page|popup|banner|toast|button|empty state)\b|\b(?:this|our) toast\b(?! for (?:my|our|his|her|their|the|a|an) )|\btoast (?:messages?|notifications?|copy|text)\b|\bwhat (?:should )?the (?:screen|app|page|button|dialog|modal|popup|toast|banner) (?:say|says|show)\b|\b(?:copy|text|wording) for (?:when|the (?:toast|banner|popup|dialog|modal|button|screen|tooltip|empty state))\b/i,
    zhRe: /报错(?:提示|文案)|错误提示(?:语|文案)|提示(?:文案|语)|弹窗(?:文案|文字|提示)|(?:按钮|页面|界面|空状态)(?:上的)?(?:文案|文字)/,
  }),
  fam({
    key: 'code', en: 'Code', zh: '代码', inRules: true,
    enTriggers: ['write code', 'write a function', 'write a python script'], zhTriggers: ['写代码', '代码', '写个脚本'],
    enRe: /\bcomments? (?:pls|please)\b|\bcomment (?:this|my|the) code\b|\b(?:add|write) comments? to (?:this|my|the) (?:code|function|script|snippet)\b|(?<!\b(?:dress|zip|postal|area|promo|discount|coupon|country|qr|bar|morse|penal|tax) )\bcode\b(?! of (?:conduct|ethics|practice))|\bcoding\b|\bscripts?\b|\bfunctions?\b|\bprograms?\b|\bsql\b|(?<!\b(?:ball|royal|burmese|reticulated|pet|green tree|carpet) )\bpython\b(?! (?:snake|as a pet|eat|eats|shed))|\bjavascript\b|\btypescript\b|\brefactor\w*\b|\bimplement\w*\b|\bunit tests?\b|\bpull requests?\b|\bcommit (?:messages?|msgs?|titles?|descriptions?|subjects?)\b|\b(?:messages?|msgs?|titles?|descriptions?) for (?:my |this |the |these |that |our )?(?:last |latest |next )?(?:commits?|diffs?|staged changes)\b|\bgit commit\b|\b(?:sql|postgres(?:ql)?|mysql|sqlite) quer(?:y|ies)\b|\bquer(?:y|ies) (?:to|that) (?:find|get|select|count|list|return|join)\b|\b(?:java|kotlin|golang|rust|ruby|php|(?<!taylor )swift|bash|powershell|c\+\+|c#|regex(?:es)?|react|node\.?js)\b|\bregular expressions?\b|\bdocker-?files?\b|\bdocker-?compose\b|\bdocker (?:images?|containers?)\b|\bcontainer images?\b|\bcontaineri[sz]e\b|\bnpm (?:run|install|build|start)\b|\bpip install\b|\b(?:build|compile|deploy)s? fail\w*\b|\bfails? to (?:build|compile|start|run|import)\b|\bcrash(?:es|ing)? on (?:startup|launch|start)\b|\bstack ?traces?\b|\btracebacks?\b|\b(?:flask|django|fastapi|rails|express|spring boot) (?:app|service|server|api)\b|\bkubernetes (?:manifests?|yaml)\b|\bhelm charts?\b|\bterraform\b|\bgithub actions?\b|\bci (?:pipelines?|configs?|workflows?)\b|\bregex(?:es|ps)?\b|\bregular expressions?\b|\b(?:pattern|expression) (?:to|that|which) (?:match|matches|validate|validates|pull|pulls|extract|extracts|find|finds|capture|captures|check|checks)\b|\bcover (?:this|my|the) [\w -]{0,30}?(?:function|method|class|module|hook|component) with tests\b|\b(?:rspec|jest|vitest|pytest|junit|mocha) (?:specs?|tests?)\b|\btest cases for\b|\b(?:sql|postgres(?:ql)?|mysql|sqlite|quer(?:y|ies))\b[^.?!]{0,80}\b(?:tables?|columns?)\b|\b(?:tables?|columns?) (?:are|is|called|named)\b|\bregex(?:es)?\b|\bregular expressions?\b|\b(?:sql|db|database) quer(?:y|ies)\b|\bfrom (?:our|the|my) (?:db|database)\b|\b(?:write|give) (?:me )?an? (?:sql )?query\b(?! letter)|\b(?:an?|the) (?:sql |postgres |mysql )?query (?:that|to|for)\b|\bpostgres(?:ql)?\b|\b(?:out of|from|in) (?:our|the|my) [\w-]+ table\b/i,
    zhRe: /(?:代码|函数|脚本)[^，,。；;]{0,6}(?:注释|加注释)|注释(?:应该|怎么|要)写|补上注释|代码|脚本|函数|程序(?!员|猿)|编程(?!.{0,2}(?:打比方|比喻|举例))|算法|伪代码|单元测试|SQL|写(?:个|一个)?查询语句|写(?:个|一个)查询|正则表达式|(?:Java|Python|JavaScript|TypeScript|C\+\+|Go|Rust|Kotlin|PHP|Shell)(?:里|中|的|写|实现|版)|commit(?:信息|说明|消息|备注|描述|日志|message|msg)|写(?:个|一个|一条|条)commit|git\s?提交(?:信息|说明|记录)/i,
  }),
  fam({
    key: 'spreadsheet', en: 'Spreadsheet formulas', zh: '表格公式', inRules: true,
    enTriggers: ['spreadsheet formula', 'excel formula', 'google sheets formula'], zhTriggers: ['Excel公式', '表格公式', '表格函数'],
    // a formula in a sheet, not in maths, chemistry or a baby's bottle
    enRe: /\b(?:v|x|h)lookups?\b|\bindex[- ]match\b|\b(?:sum|count|average)ifs?\b|\bpivot ?tables?\b|\bconditional formatting\b|\b(?:excel|sheets?|spreadsheets?|cells?|columns?)\b[^.?!]{0,60}\bformulas?\b|\bformulas?\b[^.?!]{0,80}\b(?:excel|sheets?|spreadsheets?|cells?|columns?|rows?|tabs?)\b|\b[a-z]{1,2}\d+:[a-z]{1,2}\d+\b|\bcolumn [a-z]{1,2}\b[^.?!]{0,40}\b(?:sheet|spreadsheet|excel|tab|workbook)\b|\blookup\b[^.?!]{0,60}\b(?:tab|sheet|spreadsheet|workbook)\b/i,
    zhRe: /(?:Excel|excel|EXCEL|WPS|wps|表格|电子表格|单元格)[^，,。；;！!？?]{0,12}(?:公式|函数)|(?:公式|函数)[^，,。；;！!？?]{0,12}(?:表格|单元格|Excel|excel|WPS)|VLOOKUP|vlookup|XLOOKUP|xlookup|SUMIFS?|sumifs?|COUNTIFS?|countifs?|数据透视表|透视表|条件格式|(?:表|列|单元格|工号|Excel|excel|WPS|wps)[^。；;？?]{0,24}(?:用什么公式|用啥公式|求公式|公式怎么写)|(?:统计|计算|求和|计数|匹配|提取)[^。；;]{0,4}[A-Z]列|[A-Z]列[^。；;]{0,16}(?:统计|求和|计数|出现了多少次|有多少个)|(?:提取|提出|匹配|统计|求和|计数|去重|标出)[^。；;？?]{0,12}的?公式|(?:excel|Excel|EXCEL|wps|WPS)(?:里|中|表格里)?怎么|用(?:啥|什么)函数|(?:表格|表里|表格里)[^。；;？?]{0,20}(?:怎么|咋)(?:弄|办|统一|汇总|算|提取|合并|筛选)|根据身份证号[^。；;]{0,10}(?:算|提取)/,
  }),
  fam({
    key: 'poem', en: 'Poems and songs', zh: '诗歌', inRules: true,
    enTriggers: ['write a poem', 'poem', 'song lyrics'], zhTriggers: ['写诗', '写一首歌', '歌词'],
    enRe: /\bpoe(?:m|ms|try)\b|\blyrics?\b|\bsongs?\b|\bhaikus?\b|\bverses?\b|\blimericks\b|\b(?:an?|some|another|funny|dirty|short|silly|cheeky) limerick\b|\bsonnets?\b|\bacrostics?\b|\bcouplets?\b|\bjingles? (?:for|about)\b|\bditt(?:y|ies)\b/i,
    // couplets and doggerel to be written, not a question about them ("春联什么时候贴")
    zhRe: /(?<!讲|背|解释|读|教)诗|歌词|歌曲|一首歌|词曲|(?:写|编|拟|出|来|挂|贴|求|整|送)(?:一)?(?:个|副|幅|段|首|些)?[^，,。；;]{0,6}(?:对联|春联|寿联|挽联|喜联|楹联|门联|对子|顺口溜|快板|说唱|rap|Rap|RAP)|来副贴(?:大)?门的/,
  }),
  fam({
    key: 'story', en: 'Stories', zh: '故事', inRules: false,
    enTriggers: ['write a story', 'short story', 'fiction'], zhTriggers: ['写故事', '写小说', '短篇故事'],
    enRe: /\b(?:short )?stor(?:y|ies)\b(?! (?:of how|behind)\b)|\bfiction\b|\bnovels?\b|\bchapters? (?:of|for) my (?:novel|story|book|web ?novel)\b|\b(?:fairy|bedtime|sleepy-?time|night-?time) tales?\b|\btales?\b(?= (?:for|about|with|of)\b)|\b(?:something|what) (?:to |I can |can I )?(?:read|tell) (?:to )?(?:my |our |the )?(?:kids?|son|daughter|child(?:ren)?|toddler|little one)\b[^.?!]{0,30}\b(?:before (?:bed|bedtime|lights out|sleep)|at bedtime|tonight)\b/i, zhRe: /小说|网文|童话|睡前故事|第[一二三四五六七八九十百千\d]+章|(?:下|一|新的)一?章|(?:都市|玄幻|言情|修仙|重生|穿越)(?:文|小说)|(?:写|编|讲)(?:一个|个|篇)?故事(?!性)/,
  }),
  fam({
    key: 'study-notes', en: 'Study notes', zh: '学习笔记', inRules: true,
    enTriggers: ['study notes', 'revision notes', 'make flashcards'], zhTriggers: ['复习笔记', '整理知识点', '学习笔记'],
    enRe: /\bstudy (?:notes?|guides?|sheets?|materials?|aids?)\b|\brevision (?:notes?|materials?|guides?|sheets?|cards?)\b|\bcheat ?sheets?\b|\bflash ?cards?\b|\bnotes (?:for|on) (?:my|the|our|a|an|this|next) (?:[\w-]+ ){0,3}?(?:exams?|finals?|tests?|midterms?|quiz(?:zes)?|class(?:es)?|course|lectures?|modules?|chapters?|units?)\b|\b(?:revise|study|cram) for (?:my|the|an?|our|next) (?:[\w-]+ ){0,3}?(?:exams?|finals?|tests?|midterms?|quiz(?:zes)?)\b|\b(?:memori[sz]ation|study|revision) cards\b|\bcards (?:I|we) can (?:study|revise|review|learn|memori[sz]e)\b|\b(?:test|exam|quiz|midterm|final)\b[^.?!]{0,60}\bmake (?:me )?(?:some )?cards\b/i,
    zhRe: /复习(?:笔记|资料|提纲|材料|卡片)|学习笔记|读书笔记|知识点(?:总结|整理|梳理|归纳|清单|卡片)?|考点|背诵(?:版|要点|卡片)|记忆卡片|(?:期末|期中|考试|考研|高考|中考)[^，,。；;！!？?]{0,6}(?:笔记|重点|提纲)|读书心得|(?:做|整理|记|写)(?:一)?(?:份|个|篇|下)?(?:读书)?笔记(?!本)|《[^》]{1,30}》[^，,。；;]{0,14}(?:笔记|心得)/,
  }),
  fam({
    key: 'trip', en: 'Trips and itineraries', zh: '行程', inRules: true, within: 'plan',
    enTriggers: ['plan a trip', 'itinerary', 'travel plan'], zhTriggers: ['做个行程', '旅游攻略', '行程安排'],
    enRe: /\bitinerar(?:y|ies)\b|\b(?:\d+|two|three|four|five|six|seven|ten|a few) (?:days?|nights?) in (?!(?:a|the|bed|hospital|jail|a row)\b)[a-z]+\b(?=[^.?!]{0,40}(?:\?|do|see|look like|plan|sketch))|\blong weekend in [a-z]+\b|\bwhat (?:would|should|could) (?:\d+|two|three|four|five|six|seven|a few) (?:days?|nights?) (?:there )?look like\b|\bsketch out the days\b|\bany trips? (?:I|we) (?:plan|take|book)\b|\b(?:trip|travel|vacation|holiday|honeymoon|road ?trip|getaway|sightseeing) (?:plans?|planning|schedules?|routes?)\b|\b(?:plan|planning|organi[sz]e|map out|put together|sketch out|lay out) (?:a |an |my |our |the |this )?(?:[\w-]+ ){0,3}?(?:trip|vacation|holiday|getaway|honeymoon|road ?trip|stay)\b|\b(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d+|couple of|few)[- ](?:days?|nights?|weeks?)|weekend|week) (?:in|around|across|exploring|touring) (?!advance\b|a row\b|total\b|bed\b|hospital\b|jail\b|the (?:office|hospital|past)\b)[\w-]+|\btrip to\b/i,
    zhRe: /行程|攻略|自由行|[几一二两三四五六七八九十\d]+日游|(?:规划|安排|计划)[^，,。；;]{0,8}(?:旅游|旅行|出游|[几一二两三四五六七八九十\d]+日游|游玩)|(?:旅游|旅行|出游|自驾)(?:计划|路线|规划|安排)|(?:去|到)[^，,。；;]{1,8}(?:玩|旅游|旅行|待|逛)[^，,。；;]{0,4}(?:[几一二两三四五六七八九十\d]+天|周末|一周)|[几一二两三四五六七八九十\d]+天[^，,。；;]{0,6}(?:怎么安排|帮我排|排一下|安排一下)|(?:[几一二两三四五六七八九十\d]+天|一周|一个星期|周末)[^。；;]{0,16}(?:每天|每一天)(?:都)?(?:去哪|去哪儿|去哪里|怎么玩|玩什么|逛什么)/,
  }),
  fam({
    key: 'slides', en: 'Slides', zh: '幻灯片', inRules: true,
    enTriggers: ['make slides', 'presentation', 'slide deck'], zhTriggers: ['做PPT', '幻灯片', '演示文稿'],
    enRe: /\bslides?\b|\bdecks?\b|\bpresentations?\b|\bppt\b|\bpowerpoint\b(?! (?:file|app|won'?t|keeps|crash\w*|is (?:slow|frozen|not)|license|subscription))/i, zhRe: /PPT|ppt|幻灯片|演示文稿/,
  }),
  fam({
    key: 'chart', en: 'Charts', zh: '图表', inRules: true,
    enTriggers: ['make a chart', 'plot this data', 'draw a graph'], zhTriggers: ['画图', '做图表', '出一张图'],
    enRe: /\bcharts?\b|\bplots?\b|\bgraphs?\b|\bheat ?maps?\b|\bvisuali[sz]ations?\b|\bhistograms?\b/i, zhRe: /图表|热图|柱状图|折线图|散点图|饼图|画图|绘图|可视化|出一张图/,
  }),
  fam({
    key: 'paper', en: 'Academic papers', zh: '论文', inRules: true,
    enTriggers: ['write a paper', 'paper section', 'abstract'], zhTriggers: ['写论文', '论文', '论文章节'],
    enRe: /\b(?:research |academic )?papers?\b|\btheses\b|\bthesis\b|\bmanuscripts?\b|\blatex\b|\bsubsections?\b|\babstracts?\b/i, zhRe: /论文摘要|论文|学术|投稿/,
  }),
  fam({
    key: 'resume', en: 'Resumes', zh: '简历', inRules: true,
    enTriggers: ['write my resume', 'resume', 'cv'], zhTriggers: ['写简历', '简历', '优化简历'],
    enRe: /\bresumes?\b|\br[ée]sum[ée]s?(?![\w])|\bcvs?\b/i, zhRe: /简历/,
  }),
  fam({
    key: 'speech', en: 'Speeches', zh: '演讲稿', inRules: true,
    enTriggers: ['write a speech', 'speech', 'talk script'], zhTriggers: ['写演讲稿', '发言稿', '致辞'],
    enRe: /(?<!\b(?:parts?|figures?|freedom) of )\bspeech(?:es)?\b|\btoasts?\b(?! (?:bread|with|in the|recipe))|\b(?:say|give|share|prepare) a few words (?:at|for|to|on behalf)\b|\beulog(?:y|ies)\b|\braise (?:a|my|our) glass(?:es)?\b|\bwhat (?:I'?ll|I will|I'?m going to|I should|should I|do I|to) say (?:as (?:the )?(?:best man|maid of honou?r|matron of honou?r|father of the (?:bride|groom)|mother of the (?:bride|groom)|officiant|valedictorian)\b|at (?:the |my |our |his |her |their |a )?(?:[\w'-]+ ){0,2}?(?:wedding|retirement (?:party|dinner|do)|leaving (?:party|do)|farewell (?:party|dinner)|send-?off|graduation|commencement|rehearsal dinner|gala|banquet|awards? (?:night|dinner))\b)|\b(?:opening|closing|welcom(?:e|ing)|keynote|farewell|acceptance|retirement|concluding|introductory) remarks (?:for|at|to open|to close)\b|\b(?:commencement|keynote|inaugural|valedictory|farewell|welcome|opening|closing) address(?:es)? (?:for|at|to)\b|\bkeynote (?:talk|speech)\b|\bpep talks? (?:for|to give) (?:my|the|our) (?:team|players|squad|class|staff|students|crew)\b|\bwedding vows\b|\b(?:write|draft) (?:my |our )?vows\b|\b(?:something|a few words|a little something) to say (?:at|for|during) (?:my |our |the |his |her |their |a |an )?(?:[\w'-]+ ){0,3}?(?:drinks|party|do|dinner|wedding|funeral|memorial|service|send-?off|farewell|retirement|celebration|reception|ceremony|birthday|anniversary|gala|launch)\b/i,
    zhRe: /演讲稿|发言稿|致辞|(?:上台)?讲话的稿子|(?:上台|代表)[^，,。；;]{0,10}(?:说|讲)几句|讲话稿|祝酒词|敬酒词|敬酒(?:的话|时说)|答谢词|欢迎词|悼词|证婚词|(?:获奖|毕业|退休|入职|离职|颁奖|当选|就职)感言|演讲(?:稿子|词|内容)|(?:写|准备|做|来)(?:一)?(?:个|篇|段|份|场|次)(?:[^，,。；;]{0,6}的)?演讲(?=$|[，,。；;！!？?]|吧|呗)|(?:欢送会|送别会|退休|寿宴|满月酒|升学宴|谢师宴|生日宴|婚宴|宴会|酒席|团建|聚餐)[^，,。；;]{0,8}(?:要|得|需要|准备|轮到我)[^，,。；;]{0,3}(?:讲几句|说几句|讲话|发言|致辞)|(?:作为|我是|我当|让我当|我做)(?:新郎的|新娘的)?(?:伴郎|伴娘|证婚人|主婚人|家长代表|学生代表|员工代表|新生代表|毕业生代表)[^。；;]{0,12}(?:发言|讲话|说几句|讲几句|致辞)|婚礼致辞|(?:家长会|年会|开学|毕业|表彰|动员|会上|典礼上)[^，,。；;]{0,4}发言|(?:家长会|年会|开学典礼|毕业典礼|婚礼|表彰会|动员会)[^。；;]{0,24}(?:讲些|讲什么|说几句|开场|稿子|组织(?:一)?下语言)|开场白|开场的话|(?:上台|当众)(?:讲|说)几句|(?:竞聘|竞选|就职|开学|毕业|升旗|国旗下|家长会|年会|婚礼|晨会)(?:演讲|讲话|发言)|(?:家长会|班会|例会|大会|年会|会上)[^。；;]{0,16}(?:讲几句|说几句|讲话|发言|要讲的(?:内容|话)?)|(?<!演)讲稿|讲几句话/,
  }),
  fam({
    key: 'social-post', en: 'Social media posts', zh: '社交平台文案', inRules: true,
    enTriggers: ['social media post', 'instagram caption', 'linkedin post'], zhTriggers: ['朋友圈文案', '发朋友圈', '小红书笔记', '配文'],
    enRe: /\b(?:instagram|insta|ig|facebook|fb|linkedin|social media|social|tiktok) (?:posts?|captions?|updates?|bios?|blurbs?)\b|\bcaptions? (?:for|to go with)\b|\bpost (?:on|to|for) (?:instagram|insta|ig|facebook|fb|linkedin|social media|tiktok)\b|\b(?:announce|share|post|write \w+) (?:on|for|to) (?:my |our )?(?:linkedin|instagram|insta|facebook|tiktok)\b|\b(?:instagram|insta|ig|facebook|fb) stor(?:y|ies)\b|\b(?:post|share|put|announce|something|copy|blurb|caption|update)(?:s|ed|ing)? (?:[\w-]+ ){0,3}?(?:on|for|to) (?:my |our |the )?socials\b|\bcaption (?:this|these|it|my|our)\b|\bhashtags (?:for|to go with)\b|\b(?:announce|share|post|put)(?: (?:it|this|that|something|a post|an update))?(?: about (?:it|this|that))?(?: up)? (?:on|for|to) (?:my |our )?(?:linkedin|instagram|insta|facebook|tiktok|profile|feed|network|socials)\b|\bshareable for (?:my|our) (?:network|followers|feed)\b|\b(?:anything|everything|stuff|whatever) (?:for|on|to) (?:my |our )?(?:linkedin|instagram|insta|facebook|tiktok|socials)\b|\btweetstorms?\b|\b(?:a|an|the|my|our|this|that|any|every|each|some|twitter|x) (?:\w+ )?(?:tweets?|threads?)\b/i,
    // posting, not the app ("朋友圈怎么设置三天可见")
    zhRe: /朋友圈文案|(?:写|发|配|晒)[^，,。；;！!？?]{0,8}(?:朋友圈|微博|说说|动态)|(?:朋友圈|微博|说说|小红书)[^，,。；;！!？?]{0,4}(?:怎么写|写什么|写点|文案|配文|发什么)|配文|配(?:一)?(?:句|段)话|探店(?:笔记|文案)|配(?:个|点)?(?:啥|什么)字|发(?:个|条)动态|(?:想|写|配|来)(?:一)?(?:句|段|条)(?:话|文案)[，,]?晒|小红书(?!账号|号|限流|粉丝|运营|怎么(?:涨|运营|起号))|种草|微博文案|发(?:个|条|一条)圈(?!子)|(?:ins|INS|Ins|推特|脸书|领英|豆瓣|即刻)(?:的)?(?:文案|配文|帖子|动态)|官宣(?:文案|配文)|(?<!小)红书(?=笔记|文案|帖|上|里|博主|$|[，,。；;！!？?])|(?:来|整|弄|出)(?:一)?(?:条|个|段)(?:朋友圈|微博|说说)/,
  }),
  fam({
    key: 'article', en: 'Articles', zh: '文章', inRules: true,
    enTriggers: ['write an article', 'blog post', 'article'], zhTriggers: ['写文章', '公众号文章', '写一篇推文'],
    enRe: /\barticles?\b|\bblog(?: posts?)?\b|\bessays?\b|\bposts?\b(?!-(?:interview|training|mortem|processing|production|graduate|grad\b|war\b|op\b))(?! (?:a|an|the|it|this|that|them|these|my|our|on|to|in)\b)|\bop-?eds?\b|(?<!\b(?:spreadsheet|sheet|table|excel|csv|sql|database|data|pivot|dataframe|helper|date|name|id|new|extra|sort)\s)\bcolumns?\b(?!\s+(?:[a-z]|[a-z]{1,2}\d+|\d+)\b)(?!\s+(?:does|do|did|are|is|in) (?:this|the|my|our|that|a) (?:table|sheet|spreadsheet|dataframe|csv|grid)\b)(?!\s+(?:in|of|from|to) (?:the |my |this |a |that )?(?:table|sheet|spreadsheet|csv|dataframe|excel|grid|database)\b)|\bpress releases?\b/i,
    zhRe: /文章|公众号(?!粉丝|运营|账号|注册|认证|涨粉|怎么(?:涨|运营))|推文|博客|随笔|科普|新闻稿|软文|专栏|通稿|消息稿|媒体稿|(?:对外)?发布(?:的)?稿|给媒体[^，,。；;]{0,6}(?:稿|消息)/,
  }),
  fam({
    key: 'recipe', en: 'Recipes', zh: '菜谱', inRules: true,
    enTriggers: ['recipe', 'give me a recipe', 'how do I cook'], zhTriggers: ['菜谱', '做法', '怎么做菜'],
    // a dish, not any "how do I make …" (a website, a budget)
    enRe: /\brecipes?\b|\bwhat (?:can|should|could|do) I (?:make|cook|bake)\b|\b(?:make|cook) for (?:dinner|lunch|breakfast)\b|\bcooking\b(?! (?:class|classes|show|time|oil|school))|\bhow (?:do|can|should|would) (?:I|you|we) (?:make|cook|bake|prepare) (?:a |an |some |my |the |homemade )?(?:[\w-]+ ){0,2}(?:dough|bread|cakes?|cookies|soup|sauce|pasta|pizza|curry|stew|salad|pies?|pancakes?|muffins?|rice|noodles|dumplings|chicken|beef|pork|fish|eggs?|omelett?e|risotto|chili|brownies|biscuits|waffles|granola|hummus|lasagna|tacos)\b/i,
    zhRe: /菜谱|食谱|做法|烘焙|(?:炒|煮|炖|烤|蒸|烧|焖|煎|炸|拌)[^，,。？?]{0,4}(?:怎么做|怎么弄|怎么烧)|(?:蛋糕|面包|饺子|包子|馒头|鸡翅|红烧肉|炒饭|面条|汤|披萨|饼干|粥)[^，,。？?]{0,4}(?:怎么做|怎么弄)|教我(?:做|烤|烧|煮|炒)[^，,。]{0,6}(?:蛋糕|面包|菜|饭|汤|饺子|鸡|鱼|肉|饼|面|粥)/,
  }),
  fam({
    key: 'product-copy', en: 'Product copy', zh: '商品文案', inRules: true,
    enTriggers: ['product description', 'write a product listing', 'listing copy'], zhTriggers: ['商品文案', '写商品描述', '产品详情页'],
    enRe: /\bproduct (?:descriptions?|copy|listings?|pages?|blurbs?)\b|\blisting (?:copy|descriptions?)\b|\b(?:item|etsy|amazon|ebay|shop|store) (?:descriptions?|listings?)\b|\bdescribe (?:this|the|my|our) (?:item|product)\b|\b(?:shopify|etsy|amazon|ebay|depop|vinted|poshmark|craigslist|gumtree|webshop|online (?:shop|store)) (?:copy|descriptions?|listings?|product pages?|blurbs?|ads?)\b|\b(?:text|copy|words|blurbs?|descriptions?) (?:under|below|beneath|next to|to go (?:with|under)) (?:the |our |my |these |those |each )?(?:product )?(?:photos|pictures|images|pics|shots) (?:for|of) our (?!(?:trip|vacation|holiday|honeymoon|wedding|family|kids?|baby|dog|cat|team|day|weekend|album|blog|feed|page|website|site|reunion|party|event)s?\b)[\w-]+|\b(?:rental|apartment|flat|room|studio|sublet|sublease|house|property) (?:listings?|ads?|adverts?|posts?)\b|\b(?:an? |the )?(?:ad|listing|post) for (?:the |my |our |a )?(?:[\w'-]+ ){0,3}?(?:studio|apartment|flat|room|house|condo|suite|sublet)\b|\b(?:renting out|subletting|sublet|letting out) (?:a |my |our |the )?(?:[\w-]+ ){0,2}?(?:room|studio|apartment|flat|house|suite)\b[^.?!]{0,60}\b(?:post|ad|listing|write)\b|\bpost (?:my|our|the) (?:[\w-]+ ){0,2}?(?:studio|apartment|flat|room|house|condo|suite) on\b/i,
    zhRe: /商品文案|产品文案|商品描述|产品描述|商品介绍|产品介绍|商品详情|宝贝描述|宝贝详情|详情页|卖点文案|上架[^。]{0,16}(?:介绍|描述|文案)|(?:商品|宝贝)标题|(?:闲鱼|淘宝|拼多多|抖店|有赞|网店|微店)[^，,。；;]{0,10}(?:文案|描述|标题|详情)|(?:提炼|写|列|梳理|挖)(?:一下|几个|些|出)?[^，,。；;]{0,8}卖点|搜索标题|(?:上架|卖)[^。；;]{0,16}标题(?:怎么写|怎么起|帮我)?|(?:京东|淘宝|拼多多|闲鱼)[^。；;]{0,12}标题|(?:闲置|二手)[^。；;]{0,16}(?:描述|文案|怎么写)|挂闲鱼/,
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
/** Kinds a request names by its verb or a generic noun ("帮我规划一下", "put the post together"): the specific kind said before the ask wins over them. */
export const BROAD_FAMILIES: ReadonlySet<string> = new Set(['plan', 'article', 'story', 'code', 'email', 'analysis', 'explanation', 'editing', 'summary', 'translation']);

export const QUESTION_FAMILIES: ReadonlySet<string> = new Set(['regex', 'study-plan', 'game-rules', 'appointment-prep', 'insurance', 'college-choice', 'db-schema', 'budget', 'renovation-budget', 'medical-report', 'homework-help', 'watch-recs', 'gift', 'outfit', 'explanation', 'analysis', 'editing', 'code', 'code-review', 'shell-command', 'home-repair', 'garden', 'pet-care', 'device-help', 'baby-food']);
