/**
 * Everyday kinds of work of the task family table (families.ts): at a desk (commit messages, shell
 * commands, test cases, payment reminders, staff schedules), at home (repairs, garden, pets, baby
 * food, packing lists, phone help, messages to a child's teacher), at school and in small shops
 * (vocabulary lists, self-introductions, menus, product reviews, craft patterns, IOUs).
 * They come after the specific kinds and before the broad ones (code, articles, plans), so that
 * "a commit message for this code" is a commit message and "a story about my garden" a story.
 * Several are asked as questions ("how do I fix a running toilet?"): QUESTION_FAMILIES lists them.
 */
import { fam, type TaskFamily } from './family-shape.js';

export const EVERYDAY_FAMILIES: TaskFamily[] = [
  fam({
    key: 'commit-message', en: 'Commit messages', zh: '提交信息', inRules: true,
    enTriggers: ['commit message', 'write a commit message', 'git commit'], zhTriggers: ['提交信息', '写commit信息', 'commit message'],
    enRe: /\bcommit (?:messages?|msgs?|subjects?|titles?|descriptions?|lines?)\b|\bgit commits?\b|\b(?:messages?|msgs?|titles?) for (?:the |this |my |our )?(?:commit|squash|merge|squash merge|pull request)\b|\bsquash(?:-| )merge messages?\b|\bcommits? (?:for|about) (?:this|these|that|my|the) (?:change|diff|fix)\b|\b(?:word|phrase|describe) (?:it|this|that) for the (?:git |commit )?(?:log|history)\b/i,
    zhRe: /(?:commit|Commit|COMMIT) ?(?:信息|消息|说明|日志)|(?:git|Git) ?(?:提交|commit)|代码提交(?:信息|说明)/,
  }),
  fam({
    key: 'shell-command', en: 'Shell commands', zh: '命令行', inRules: true,
    enTriggers: ['shell command', 'terminal command', 'bash one-liner'], zhTriggers: ['命令行', '终端命令', 'linux命令'],
    enRe: /\b(?:shell|bash|zsh|terminal|command[- ]line|cli|linux|unix|powershell|cmd) (?:commands?|one-?liners?|snippets?)\b|\bwhat(?:'s| is) the (?:command|cmd)\b|\b(?:a|the) command (?:to|that|for)\b|\b(?:in|from|on|with) (?:the )?(?:terminal|shell|command line)\b(?! (?:apps?|tools?|clients?|windows?|emulators?|programs?))|\bover ssh\b|\bshell commands?\b/i,
    // not a tool that runs in one ("一个命令行小工具", "命令行参数")
    zhRe: /命令行(?:命令|指令|里|下|中|上|怎么|要|该)|终端(?:命令|里|上)|(?:shell|Shell|bash|Bash|linux|Linux)(?:命令|指令)|(?:用|敲)(?:什么|啥|哪个)命令|什么命令|一行命令/,
  }),
  fam({
    key: 'home-repair', en: 'Home repairs', zh: '家居维修', inRules: true,
    enTriggers: ['fix a leaky faucet', 'home repair', 'how do I fix'], zhTriggers: ['家里维修', '修水龙头', '怎么修'],
    enRe: /\b(?:repair instructions|home repairs?|diy repairs?|household repairs?)\b|\b(?:fix(?:ing)?|repair(?:ing)?|patch(?:ing)?|replac(?:e|ing)|unclog(?:ging)?|install(?:ing)?|reseal(?:ing)?|regrout(?:ing)?|caulk(?:ing)?|rewir(?:e|ing)|mount(?:ing)?|hang(?:ing)?) (?:a |an |the |my |our |this |that )?(?:[\w-]+ ){0,3}?(?:faucets?|taps?|toilets?|drywall|walls?|sinks?|drains?|outlets?|light switch(?:es)?|doors?|hinges?|roofs?|gutters?|showers?|pipes?|light fixtures?|ceiling fans?|tiles?|grout|dishwashers?|washing machines?|water heaters?|garbage disposals?|fences?|shelves|shelf|cabinets?|holes? in)\b|\b(?:toilet|faucet|tap|sink|drain|shower|dishwasher|pipe|roof|gutter)s? (?:keeps?|is|are|won'?t|will not|has|have|started)\b/i,
    zhRe: /(?:修|换|装|补|疏通)(?:一下)?(?:水龙头|马桶|下水道|地漏|插座|开关|灯|门锁|门|窗|墙|吊顶|瓷砖|水管|热水器|洗衣机)|(?:水龙头|马桶|下水道|水管|屋顶|墙)(?:一直|老是|总是)?(?:漏水|滴水|堵|渗水)|(?:墙上|墙面)[^，,。；;]{0,6}(?:洞|裂)/,
  }),
  fam({
    key: 'garden', en: 'Garden and plant care', zh: '养花种菜', inRules: true,
    enTriggers: ['garden advice', 'plant care', 'how to grow'], zhTriggers: ['养花', '种菜', '植物养护'],
    enRe: /\b(?:garden|gardening|lawn|yard work|houseplants?|seedlings?|compost(?:ing)?|raised beds?)\b|\b(?:plant|grow|prune|repot|fertili[sz]e|water|overwinter)(?:ing)? (?:my |the |our |some |a |an )?(?:[\w-]+ )?(?:garlic|tomato(?:es)?|roses?|bulbs?|tulips?|potatoes|peppers|herbs?|basil|kale|lettuce|carrots?|onions?|strawberr(?:y|ies)|succulents?|orchids?|fern|hydrangeas?|shrubs?|hedges?|fruit trees?|vegetables|veggies|plants?)\b|\b(?:aphids|blight|powdery mildew)\b|\bzone \d{1,2}[ab]?\b/i,
    zhRe: /养花|种(?:花|菜)(?:要|需要|怎么|的时候|注意)|浇水|施肥|盆栽|绿萝|多肉|花盆|换盆|(?:花|植物|盆景)(?:怎么养|要怎么照顾|怎么照顾|养护)|阳台种|(?:叶子|叶片)(?:发黄|发软|干枯|掉|烂)|(?:栀子花|月季|兰花|吊兰|发财树|君子兰|仙人掌|茉莉|玫瑰)[^。；;]{0,8}(?:怎么养|浇水|施肥|黄叶|叶子|开花|修剪|换盆|照顾|养护|生虫)|(?:种|养)(?:小番茄|番茄|辣椒|草莓|葱|蒜)/,
  }),
  fam({
    key: 'pet-care', en: 'Pet care', zh: '宠物照护', inRules: true,
    enTriggers: ['my dog', 'my cat', 'pet care'], zhTriggers: ['猫咪', '狗狗', '宠物'],
    enRe: /\bpet care\b|\b(?:my|our|the) (?:[\w-]+ )?(?:dogs?|puppy|puppies|cats?|kittens?|kitty|rabbits?|bunny|hamsters?|guinea pigs?|parrots?|budgies?)\b(?=[^.?!]{0,60}\b(?:won'?t|keeps?|is|has|ate|eats?|threw up|throwing up|vomit\w*|limp\w*|sick|scratch\w*|lick\w*|diarrh\w*|sneez\w*|cough\w*|not eating|itch\w*|peeing|pooping|bark\w*|bit|bites?)\b)/i,
    zhRe: /(?:猫咪|狗狗|橘猫|小猫|猫|小狗|狗|兔子|仓鼠)(?:的事|[^，,。；;！!？?]{0,4}?(?:一直|老是|总是|拉稀|拉肚子|吐|不吃|不怎么吃|没(?:怎么)?吃|舔|掉毛|打喷嚏|咳嗽|发烧|没精神|精神不好|生病|病了))/,
  }),
  fam({
    key: 'craft-pattern', en: 'Knitting and craft patterns', zh: '编织图解', inRules: true,
    enTriggers: ['knitting pattern', 'crochet pattern', 'sewing pattern'], zhTriggers: ['编织图解', '钩针教程', '织毛衣'],
    enRe: /\b(?:knit(?:ting)?|crochet(?:ing)?|sewing|quilt(?:ing)?|embroidery|cross-stitch) (?:patterns?|instructions?|projects?)\b|\b(?:knit|crochet|sew|quilt)(?:ting|ing)? (?:a |an |the |some |my )?(?:[\w-]+ ){0,3}?(?:hats?|beanies?|scarf|scarves|mitts|mittens|gloves|socks|sweaters?|cardigans?|blankets?|dishcloths?|shawls?|cowls?|toys?|amigurumi|bags?)\b|\b(?:garter|seed|stockinette|rib(?:bed)?|cable) stitch\b|\bpatterns? for (?:a |an )?(?:[\w-]+ ){0,3}?(?:beanie|hat|scarf|dishcloth|blanket|sweater|cardigan|mittens|socks)\b/i,
    zhRe: /编织|钩针|棒针|织(?:毛衣|围巾|帽子|手套|袜子|毯子)|(?:毛线|毛衣|围巾)(?:图解|教程|怎么织)/,
  }),
  fam({
    key: 'vocab-list', en: 'Vocabulary lists', zh: '单词表', inRules: true,
    enTriggers: ['vocabulary list', 'vocab words', 'word list for class'], zhTriggers: ['单词表', '词汇表', '背单词'],
    enRe: /\bvocab(?:ulary)? (?:lists?|words|sets?|sheets?|quiz(?:zes)?)\b|\bvocab(?:ulary)? for (?:the |my |our |this )?(?:[\w-]+ ){0,3}(?:unit|class|lesson|quiz|test|exam|chapter)\b|\bwords? lists?\b|\b(?:some |\d+ )?(?:[\w-]+ ){0,2}words in (?:french|spanish|german|italian|portuguese|japanese|chinese|mandarin|korean|english|russian|arabic|dutch)\b|\b(?:french|spanish|german|italian|portuguese|japanese|chinese|mandarin|korean|russian|arabic|dutch) words (?:for|about|related to|on)\b/i,
    zhRe: /单词表|词汇表|(?:背|记)单词|生词(?:表|本)|(?:列|整理|出|给我)[^，,。；;]{0,8}(?:英语|英文|日语|法语|德语|韩语)单词|单词卡|词卡|(?:要背|背)的单词/,
  }),
  fam({
    key: 'test-cases', en: 'Test cases', zh: '测试用例', inRules: true,
    enTriggers: ['test cases', 'write test cases', 'what to test'], zhTriggers: ['测试用例', '写用例', '测试点'],
    // not unit tests ("test cases for a React hook" is code): QA cases for a feature, a page or a flow
    enRe: /\btest (?:scenarios?|plans?|matrix|checklists?)\b|\bQA checklists?\b|\bmanual test cases?\b|\btest cases? for (?:the |our |a |an |this |my )?(?:[\w-]+ ){0,3}(?:feature|page|screen|form|flow|login|sign-?up|checkout|button|dialog)\b|\bwhat (?:should|do) (?:I|we) test\b/i,
    zhRe: /测试用例|用例|测试点|测试场景|(?:要|该|需要)测(?:哪些|什么|啥)|测试(?:清单|方案)/,
  }),
  fam({
    key: 'menu-text', en: 'Menu text', zh: '菜单文案', inRules: true,
    enTriggers: ['menu descriptions', 'menu text', 'write up dishes for the menu'], zhTriggers: ['菜单文案', '菜品介绍', '写菜单'],
    // not an app's menu ("menu items in a vue component")
    enRe: /\bmenu (?:descriptions?|text|blurbs?|copy|board|wording)\b|\bwhat should the menu say\b|\bfor the (?:menu|menu board|specials board)\b|\b(?:describe|write up) (?:the |our |these |this )?(?:dishes|specials|drinks)\b/i,
    zhRe: /菜单(?:文案|描述|介绍)|菜品(?:介绍|描述|文案)|(?:写|做)(?:个|一份)?菜单/,
  }),
  fam({
    key: 'packing-list', en: 'Packing lists', zh: '行李清单', inRules: true,
    enTriggers: ['packing list', 'what to pack', 'what should I bring'], zhTriggers: ['行李清单', '要带什么', '打包清单'],
    enRe: /\bpacking lists?\b|\bwhat (?:should|do|can|must) (?:I|we) (?:need to )?(?:pack|bring|take)\b(?! (?:for )?(?:my |the kids'? |our )?lunch)|\bwhat to (?:pack|bring|take)(?! (?:away|off|over|out|home|advantage|place))\b/i,
    zhRe: /行李清单|打包清单|收拾行李|(?:要|该|得|需要)带(?:些|点)?(?:什么|啥|哪些)(?:东西)?/,
  }),
  fam({
    key: 'self-intro', en: 'Self-introductions', zh: '自我介绍', inRules: true,
    enTriggers: ['introduce myself', 'self-introduction', 'tell me about yourself answer'], zhTriggers: ['自我介绍', '面试自我介绍', '介绍一下自己'],
    enRe: /\bself[- ]introductions?\b|\bintroduc(?:e|ing) myself\b|\b(?:answer|respond) to ["']?tell (?:me|us) about yourself\b|\bintro(?:duction)? about (?:me|myself)\b/i,
    zhRe: /自我介绍|介绍(?:一下)?(?:我)?自己(?!的)|开场介绍/,
  }),
  fam({
    key: 'product-review', en: 'Product reviews', zh: '商品评价', inRules: true,
    enTriggers: ['write a product review', 'leave a review', 'amazon review'], zhTriggers: ['写评价', '商品评价', '写个好评'],
    // one's own review of something bought (not a book's, not a reply to one: customer-reply; not a code or performance review)
    enRe: /\b(?:leave|write|post|draft|generate|compose)(?: me| up)? (?:a |an |my |some )?(?:[\w-]+ ){0,2}?(?:amazon|product|customer|store|shop|etsy) reviews?\b(?! (?:responses?|repl(?:y|ies))\b)|\b(?:leave|write|post|draft)(?: me| up)? (?:a |an |my )?(?:[\w-]+ )?reviews? (?:for|of|on) (?:the |my |this |these |our )?[^.?!,]{1,40}?\b(?:I|we) (?:bought|got|ordered|purchased)\b|\bthoughts on my new\b/i,
    zhRe: /(?:写|给|打|留)(?:个|一个|一条|条)?(?:好评|差评|中评|评价)(?!.{0,4}(?:怎么回|回复))|商品评价|购物评价|(?:写|做)(?:个|一篇)?测评/,
  }),
  fam({
    key: 'device-help', en: 'Phone and computer help', zh: '手机电脑操作', inRules: true,
    enTriggers: ['how do I on my phone', 'phone help', 'computer help'], zhTriggers: ['手机怎么设置', '微信怎么用', '电脑怎么弄'],
    enRe: /\bhow (?:do|can|would|should|to) (?:I|we|you|she|he)?\b[^.?!]{0,60}\b(?:on|in|from) (?:my|the|her|his) (?:phone|iphone|ipad|tablet|android|computer|laptop|mac|pc|smart ?tv)\b|\b(?:my|the) (?:phone|iphone|ipad|tablet|computer|laptop) (?:keeps|won'?t|says|asks)\b|\b(?:whatsapp|facetime|zoom|skype) (?:video )?calls?\b|\bvideo call on (?:whatsapp|facetime|zoom|skype)\b/i,
    zhRe: /手机(?:上|里)[^。；;]{0,8}(?:怎么|咋|如何)|手机(?:老是|总是|一直)[^。；;]{0,8}(?:怎么|是怎么回事)|(?:微信|支付宝)(?:上|里)?[^。；;]{0,6}(?:怎么|咋|如何)(?:弄|设置|用|操作|开|关)|(?:电脑|笔记本)(?:上|里)[^。；;]{0,6}(?:怎么|咋)(?:弄|设置|装|打开)|视频通话/,
  }),
  fam({
    key: 'payment-reminder', en: 'Payment reminders', zh: '催款提醒', inRules: true,
    enTriggers: ['payment reminder', 'overdue invoice email', 'chase a late payment'], zhTriggers: ['催款', '付款提醒', '催尾款'],
    enRe: /\bpayment reminders?\b|\b(?:still )?(?:owes?|haven'?t paid|hasn'?t paid|has not paid|have not paid) (?:me|us)\b|\b(?:hasn'?t|haven'?t|has not|have not|still not) paid\b|\b(?:overdue|unpaid|outstanding|late) (?:invoices?|payments?|bills?)\b|\binvoice #?\d+\b[^.?!]{0,60}\b(?:late|overdue|unpaid|nudge|remind\w*)\b|\b\d+ days (?:overdue|late)\b|\b(?:late|overdue)\b[^.?!]{0,20}\binvoice\b/i,
    zhRe: /催(?:款|账|一下款|(?:一下)?(?:付款|回款|尾款|房租|欠款))|(?:欠款|付款|回款|尾款)提醒|(?:还|一直)?没(?:给|付|结)(?:钱|款|尾款)/,
  }),
  fam({
    key: 'baby-food', en: 'Baby food', zh: '宝宝辅食', inRules: true,
    enTriggers: ['baby food', 'puree for my baby', 'toddler meals'], zhTriggers: ['辅食', '宝宝辅食', '宝宝吃什么'],
    enRe: /\bbaby (?:food|led weaning|purees?|meals?|snacks?)\b|\bpurees? for (?:my |our |a )?(?:baby|infant|\d+[- ]month[- ]old)\b|\b(?:my|our) \d+[- ]month[- ]old\b[^.?!]{0,40}\b(?:eat|food|recipe|meals?|snacks?|solids)\b|\bfinger foods?\b/i,
    zhRe: /辅食|(?:宝宝|娃|宝贝)[^，,。；;]{0,8}(?:能吃|吃的|弄点啥吃|做点啥吃|吃点啥|手指食物)|(?:给|帮)(?:娃|宝宝)(?:做|弄)[^。；;]{0,8}(?:泥|粥|面条|米糊|饼)|\d+个月(?:的)?(?:宝宝|娃)|果泥|菜泥|鳕鱼泥|米糊/,
  }),
  fam({
    key: 'shift-schedule', en: 'Staff schedules', zh: '排班表', inRules: true,
    enTriggers: ['staff schedule', 'shift rota', 'work roster'], zhTriggers: ['排班', '排班表', '值班表'],
    enRe: /\b(?:shift|staff|work|employee) (?:schedules?|rotas?|rosters?)\b|\b(?:schedule|rota|roster) (?:for )?(?:my |the |our )?(?:staff|employees|team|shifts)\b|\b(?:make|do|plan|sort out) (?:the |my |our |this week'?s |next week'?s )?(?:shifts|rota|roster)\b/i,
    zhRe: /排班|值班表|轮班|班[^。；;，,]{0,6}排(?:一下|下)|排(?:个|一下|下)?班|(?:早班|晚班|夜班)[^。；;]{0,10}(?:安排|排)|排(?:一下|下)?[^。；;，,]{0,6}的班/,
  }),
  fam({
    key: 'teacher-message', en: 'Messages to teachers', zh: '给老师的消息', inRules: true,
    enTriggers: ['message to the teacher', 'email my kid\'s teacher', 'note to school'], zhTriggers: ['给老师发消息', '跟班主任说', '家长给老师留言'],
    enRe: /\b(?:message|email|note|text|letter) (?:to|for) (?:my (?:kid|son|daughter|child)'?s? (?:teacher|class teacher|school|tutor)|(?:the |his |her )?(?:teacher|class teacher|tutor))\b|\b(?:email|message|tell|ask|write to) (?:my (?:kid|son|daughter|child)'?s? |the |his |her )(?:teacher|class teacher|tutor)\b/i,
    zhRe: /(?:给|跟|和|向|问问?)[^，,。；;]{0,4}(?:老师|班主任|辅导员)(?:发|写|回|说|沟通|请假|反映|问|留言|私聊)|(?:老师|班主任)[^。；;]{0,6}(?:措辞|组织(?:一?下)?语言|怎么说|怎么开口)|问问?[^，,。；;]{0,4}(?:老师|班主任)/,
  }),
  fam({
    key: 'iou', en: 'IOUs and loan notes', zh: '借条', inRules: true,
    enTriggers: ['IOU', 'loan agreement between friends', 'promissory note'], zhTriggers: ['借条', '欠条', '借款凭证'],
    // not the detection metric ("a CIoU loss", "IoU for each box"): the /i flag cannot tell IOU from IoU
    enRe: /\b(?:write|draft|make|need|want) (?:me |us )?an IOU\b|\bIOU (?:notes?|forms?|templates?|letters?)\b|\bpromissory notes?\b|\b(?:personal )?loan (?:notes?|agreements?) (?:between|with|for) (?:friends|family|my)\b/i,
    zhRe: /借条|欠条|字据|借款(?:凭证|协议|合同|单)|收条/,
  }),
  fam({
    key: 'regex', en: 'Regular expressions', zh: '正则表达式', inRules: true, within: 'code',
    enTriggers: ['regex', 'regular expression', 'pattern that matches'], zhTriggers: ['正则表达式', '写个正则', '正则匹配'],
    // a pattern by what it is for ("what pattern would validate a postcode?", "pull out the dates with a pattern")
    enRe: /\bregexe?s?\b|\bregexps?\b|\bregular expressions?\b|\b(?:a|the|what|which|my) (?:search )?pattern (?:that|to|would|which|for|could|can)\b(?=[^.?!]{0,40}\b(?:match|matches|validate|validates|find|extract|pull|catch|capture|grab|detect)\b)|\b(?:with|using) (?:a|one) pattern\b|\bpattern to (?:pull|validate|match|extract|find|grab|catch|capture|detect)\b|\b(?:an? |the )?expression (?:for grep|to (?:pull|match|find|extract|validate|grab|catch)|that (?:matches|finds|pulls|extracts|validates|catches))\b|\b(?:how (?:would|do|can|should) (?:I|you|we)|to) match (?:hex|e-?mail|phone|dates?|times?|urls?|ip|postcodes?|zip|numbers|strings|lines|words|colou?r)\b|\bwhy (?:doesn'?t|does not|won'?t) (?:this|my|the) (?:pattern |regex )?match\b/i,
    zhRe: /正则(?!化)(?:表达式)?|(?:用|写)(?:个|一个)?(?:模式|pattern)(?:来)?匹配/,
  }),
  fam({
    key: 'cover-letter', en: 'Cover letters', zh: '求职信', inRules: true, within: 'email',
    enTriggers: ['cover letter', 'write a cover letter', 'letter for my job application'], zhTriggers: ['求职信', '自荐信', '写求职信'],
    enRe: /\bcover(?:ing)? letters?\b|\b(?:application|motivation|motivational) letters?\b|\bletters? of (?:motivation|interest|application)\b|\bletters? (?:that goes |to go )?with (?:my|the|our|an?) (?:job )?applications?\b|\bletters? explaining why (?:I'?m|I am|you'?re|you are) a (?:good |great )?fit\b|\b(?:send|goes?|go|include) (?:along )?with (?:my|the|an?) (?:cv|resume|résumé|job application)\b/i,
    zhRe: /求职信|自荐信|申请信|(?:附|配)在简历[^，,。；;]{0,4}(?:的信|一起)/,
  }),
  fam({
    key: 'study-plan', en: 'Study plans', zh: '学习计划', inRules: true, within: 'plan',
    enTriggers: ['study plan', 'revision timetable', 'how should I study for'], zhTriggers: ['复习计划', '学习计划', '备考安排'],
    enRe: /\bstudy (?:plans?|schedules?|timetables?|routines?)\b|\brevision (?:plans?|timetables?|schedules?)\b|\bhow (?:should|do|can|would) I (?:study|revise) for\b|\bhow (?:should|do|can|would) I (?:prepare|prep) for (?:the |my |an? )?(?:[\w-]+ ){0,2}(?:exams?|tests?|finals|midterms?|boards|bar|certification|gre|gmat|sat|lsat|mcat|ielts|toefl)\b|\b(?:prep|preparation|study) plan for (?:the |my |an? )?(?:[\w-]+ ){0,2}(?:exam|test|certification|cert|boards|bar|gre|gmat|sat|lsat|mcat|ielts|toefl)\b/i,
    zhRe: /(?:复习|学习|备考|考研|考公|刷题|背书)(?:计划|规划|安排|时间表|进度表)|(?:怎么|如何)(?:安排)?(?:复习|备考)|备考|(?:考下|考过|考到)[^，,。；;]{0,12}(?:怎么|如何)(?:安排|复习|学)|(?:准备|打算|要)考(?:研|公|编|证|一建|二建|雅思|托福|教资|CPA|cpa|注会)[^。；;]{0,10}(?:帮我|怎么|如何)(?:排|安排|规划)|接下来[^，,。；;]{0,8}(?:该怎么学|怎么学|怎么复习)/,
  }),
  fam({
    key: 'game-rules', en: 'Game rules', zh: '游戏规则', inRules: true, within: 'explanation',
    enTriggers: ['how to play', 'explain the rules of a game', 'board game rules'], zhTriggers: ['游戏规则', '怎么玩', '玩法'],
    enRe: /\b(?:board|card|tabletop|party|dice) games?\b(?=[^.?!]{0,50}\b(?:rules?|learn|explain|teach|turns?|how (?:to|does|do))\b)|\bhow (?:to|do you|do we|do I|does one) play\b|\bgame (?:rules|instructions)\b|\brules of (?:the|this|that) game\b|\brule ?books?\b|\bgame night\b|\bteach (?:me|us|them) (?:how to play )?[\w'-]+ so (?:I|we) can (?:play|run|host|teach)\b|\bplay [\w'-]+(?: [\w'-]+){0,3}? (?:on|this|next|tonight|tomorrow|at)\b[^.?!]{0,30}\bhow does (?:it|that|the game) work\b/i,
    zhRe: /(?:游戏|桌游|卡牌|牌|棋|麻将|狼人杀|剧本杀|掼蛋|斗地主|德州)[^，,。；;]{0,8}(?:怎么玩|玩法|规则)|游戏规则|规则书/,
  }),
  fam({
    key: 'sale-listing', en: 'Second-hand listings', zh: '二手转卖', inRules: true, within: 'product-copy',
    enTriggers: ['marketplace listing', 'ebay ad', 'sell my old'], zhTriggers: ['二手转让', '转让二手', '二手出售'],
    enRe: /\b(?:marketplace|craigslist|ebay|gumtree|depop|vinted|poshmark|offerup|kijiji) (?:listings?|ads?|posts?|descriptions?)\b|\b(?:listings?|ads?|post) (?:for|on) (?:marketplace|craigslist|ebay|gumtree|depop|vinted|poshmark|offerup)\b|\b(?:for|in|on) an? (?:ebay|craigslist|gumtree|depop|vinted|poshmark|offerup) (?:ad|listing|post)\b|\b(?:selling|sell|list|listing) (?:my|our|this|these) (?:[\w'-]+ ){0,4}?(?:on|at) (?:marketplace|craigslist|ebay|gumtree|depop|vinted|poshmark|offerup|facebook)\b|\b(?:get|put) (?:these|this|it|them|my [\w-]+) up for sale\b|\bfor[- ]sale (?:ads?|posts?|listings?)\b/i,
    // in Chinese, a 闲鱼 listing is product copy (families.ts): only a transfer said as such is this kind
    zhRe: /二手转让|转让(?:一个|个)?二手/,
  }),
  fam({
    key: 'grant', en: 'Grant applications', zh: '项目申报书', inRules: true,
    enTriggers: ['grant application', 'grant proposal', 'funding application'], zhTriggers: ['项目申报书', '基金申请书', '申报材料'],
    enRe: /\bgrants? (?:applications?|proposals?|writing|narratives?|reports?|sections?)\b|\b(?:any|a|the|this|our|my) grant\b(?= (?:writing|section|application|proposal))|\bfunding (?:applications?|bids?|proposals?|requests?)\b|\b(?:foundation|funder|council|donor) (?:proposals?|applications?|prompts?)\b|\bfunder'?s (?:prompt|question|guidelines)\b|\bstatements? of need\b|\b(?:evaluation|sustainability) plan (?:part|section) of\b/i,
    zhRe: /(?:项目|课题|基金|经费)(?:的)?申报(?:书|材料)?|基金申请(?:书)?|国自然|申请书(?:里|中)?的?(?:研究|立项)|立项(?:依据|申请)/,
  }),
  fam({
    key: 'performance-review', en: 'Performance reviews', zh: '绩效评语', inRules: true,
    enTriggers: ['performance review', 'annual appraisal', 'employee evaluation'], zhTriggers: ['绩效评语', '员工考核', '年终评价'],
    enRe: /\b(?:performance|perf) (?:reviews?|appraisals?|evaluations?|write-?ups?)\b|\b(?:annual|mid-?year|year-end|end-of-year|quarterly|six-month) (?:reviews?|appraisals?|evaluations?)\b|\bappraisals?\b|\b(?:feedback|evaluation) (?:section|form) (?:of|for|in) (?:an? |the |his |her |their )?(?:[\w-]+ )?(?:evaluation|review|appraisal)\b|\bevaluation for (?:an? |my )(?:[\w-]+ ){0,2}?(?:engineer|employee|report|hire|analyst|manager|designer|member)\b|\breviews? for (?:people|someone|the people) on my team\b|\b(?:write|writing) (?:a |the )?reviews? for (?:my|our) (?:team|reports|staff|employees)\b/i,
    zhRe: /绩效(?:评估|评语|考核|面谈|反馈)|考核评语|(?:年终|年度|季度|试用期)(?:评价|考评|评语)|(?:员工|下属)(?:的)?(?:评语|评价)/,
  }),
  fam({
    key: 'interview-followup', en: 'Interview follow-ups', zh: '面试后感谢信', inRules: true,
    enTriggers: ['thank-you email after an interview', 'post-interview note', 'interview follow-up'], zhTriggers: ['面试后感谢信', '面试跟进邮件', '面试后发的消息'],
    enRe: /\bpost-interview (?:notes?|emails?|messages?|thank-?you'?s?)\b|\bthank[- ]you (?:email|note|letter|message)s? (?:to|for) (?:the |my |an? )?(?:hiring manager|interviewers?|recruiter|panel)\b|\bthank[- ]you (?:email|note|letter|message)s? after (?:an? |the |my )?(?:[\w-]+ )?(?:interview|phone screen)\b|\bfollow[- ]?up (?:email |note |message )?(?:after|to) (?:an? |the |my )?(?:[\w-]+ )?(?:interview|phone screen|screening call)\b|\b(?:after|following) (?:an? |the |my )?(?:[\w-]+ )?(?:interview|phone screen)\b[^.?!]{0,60}\b(?:send|write|email)\b|\b(?:send|write|email) (?:it )?to (?:the|my) interviewers?\b|\b(?:just )?(?:finished|had|did) (?:an? |my |the )?(?:[\w-]+ )?(?:interview|phone screen)\b[^?!]{0,80}\b(?:send|write|email|thank)\b/i,
    zhRe: /面试(?:后|完)[^，,。；;]{0,12}(?:感谢|跟进|发(?:个|条|封)?(?:消息|邮件))|(?:感谢|跟进)(?:面试官|HR)(?:的)?(?:邮件|消息|信)/,
  }),
  fam({
    key: 'db-schema', en: 'Database schemas', zh: '数据库设计', inRules: true, within: 'code',
    enTriggers: ['database schema', 'design the tables', 'data model'], zhTriggers: ['数据库设计', '表结构', '建表'],
    enRe: /\b(?:database|db) (?:schemas?|designs?|models?|tables?)\b|\bdata ?models?\b|\bschema (?:for|design)\b|\bdesign (?:the |my |our |some )?tables\b|\bwhat tables do (?:I|we) need\b|\bmodel (?:an? |the |this |our |my )?[^.?!]{0,80}? in (?:an? )?(?:relational )?(?:db|database|postgres|mysql|sql)\b|\b(?:ERD|entity[- ]relationship)\b/i,
    zhRe: /数据库(?:设计|表|表结构|建模)|表结构|建表|ER图|数据模型/,
  }),
  fam({
    key: 'budget', en: 'Personal budgets', zh: '个人预算', inRules: true,
    enTriggers: ['monthly budget', 'plan my spending', 'budget for me'], zhTriggers: ['月度预算', '每月开销', '工资怎么分配'],
    enRe: /\b(?:monthly|weekly|household|family|personal|holiday|christmas|december) budgets?\b|\bbudget(?:ing)? (?:for|plan)\b|\bmake (?:me |us )?a budget\b|\b(?:plan|split|allocate|divide|break down) (?:out )?(?:my|our|the) (?:spending|money|income|paycheck|salary|take-?home)\b|\bwhere should the rest (?:of my money |of the money )?go\b|\bcombined finances\b|\bspending plan\b|\b(?:do|does|doing) (?:my |our )?budgets?\b/i,
    zhRe: /(?:月度|每月|家庭|个人)(?:预算|开支|开销|花销)|工资(?:怎么|如何)?(?:分配|安排|规划)|(?:每个月|每月)[^，,。；;]{0,8}(?:怎么花|怎么分|存多少)/,
  }),
  fam({
    key: 'appointment-prep', en: 'Preparing for a doctor visit', zh: '看病前准备', inRules: true,
    enTriggers: ['questions for my doctor', 'prepare for a doctor appointment', 'what to ask the doctor'], zhTriggers: ['看医生问什么', '复诊前准备', '问医生的问题'],
    enRe: /\b(?:doctor'?s?|medical|gp|dentist|specialist|[a-z]+ologist|oncology|cardiology|dermatology|neurology) (?:appointments?|visits?|consults?|consultations?)\b|\b(?:appointment|consult|consultation|visit|follow-?up) with (?:my|the|a|his|her) (?:doctor|gp|dentist|specialist|[a-z]+ologist|surgeon|physician|pediatrician)\b|\bseeing (?:a|my|the|his|her) (?:doctor|gp|dentist|specialist|[a-z]+ologist|surgeon)\b|\bquestions? (?:to ask|for) (?:my|the|a|his|her) (?:doctor|gp|specialist|[a-z]+ologist|surgeon)\b|\bappointment prep\b/i,
    zhRe: /(?:看|挂)(?:医生|病|专家|门诊|号)(?:之?前|的时候)[^，,。；;]{0,10}(?:问|准备|说)|问医生(?:什么|哪些|啥)|(?:复诊|就诊|门诊)(?:前|时)[^，,。；;]{0,8}(?:问|准备)/,
  }),
  fam({
    key: 'dating-profile', en: 'Dating profiles', zh: '交友资料', inRules: true,
    enTriggers: ['dating profile', 'dating app bio', 'hinge prompt'], zhTriggers: ['交友资料', '相亲自我介绍', '交友软件简介'],
    enRe: /\bdating (?:app |site )?(?:profiles?|bios?|prompts?)\b|\b(?:hinge|bumble|tinder|okcupid|match|coffee meets bagel) (?:bios?|profiles?|prompts?|about me)\b|\b(?:profile|bio) on (?:a |the )?(?:dating app|hinge|bumble|tinder)\b|\bhinge prompt\b|\b(?:hinge|bumble|tinder|okcupid)\b(?=[^.?!]{0,20}\b(?:about me|bio|profile|prompt)\b)/i,
    zhRe: /相亲(?:资料|简介|自我介绍)|交友(?:软件|资料|简介)|(?:探探|陌陌|soul|Soul)(?:上)?(?:的)?(?:简介|签名|资料)/,
  }),
  fam({
    key: 'quote-estimate', en: 'Quotes and estimates', zh: '报价单', inRules: true,
    enTriggers: ['write a quote', 'job estimate', 'price quote for a customer'], zhTriggers: ['报价单', '给客户报价', '估价单'],
    enRe: /\b(?:price |job |work |painting |repair |customer |written )(?:quotes?|estimates?)\b|\b(?:a|the|an|my|any) (?:quote|estimate)s? (?:for (?:a |the |this |my )?(?:customer|client|job)|I (?:can )?send|to send)\b|\b(?:put together|write up|draw up|prepare) (?:the |an? )?(?:estimate|quote)\b|\bhow much should I (?:tell|charge|quote)\b/i,
    zhRe: /报价单|(?:给|跟)(?:客户|业主|甲方)[^，,。；;]{0,6}报价|估价单/,
  }),
  fam({
    key: 'renovation-budget', en: 'Renovation budgets', zh: '装修预算', inRules: true,
    enTriggers: ['renovation budget', 'remodel cost estimate', 'how much will the renovation cost'], zhTriggers: ['装修预算', '装修费用清单', '装修要花多少'],
    enRe: /\b(?:renovation|remodel(?:ing)?|reno|refurbishment) (?:budgets?|costs?|estimates?)\b|\bhow much (?:will|would|does|should) (?:a |the |my |our )?(?:[\w-]+ )?(?:remodel|renovation|reno)\b/i,
    zhRe: /装修(?:预算|报价|费用|花费|清单)|(?:装修|翻新|简装|精装|毛坯)[^。；;]{0,16}(?:多少钱|花多少|要花|算算|预算|费用)|(?:这笔钱|费用)[^。；;]{0,6}怎么列|费用清单|报价[^。；;]{0,16}(?:合不合理|合理吗)/,
  }),
  fam({
    key: 'college-choice', en: 'College application choices', zh: '高考志愿', inRules: true,
    enTriggers: ['which colleges to apply to', 'college list', 'reach and safety schools'], zhTriggers: ['填报志愿', '高考志愿', '能上哪些学校'],
    enRe: /\bcollege (?:lists?|choices|applications? strategy)\b|\b(?:reach|safety|target|match) schools?\b|\bwhich (?:colleges|universities|schools) (?:should|can|could) (?:I|he|she|we|they) (?:apply|get into)\b/i,
    zhRe: /志愿(?:填报)?|报志愿|填志愿|(?:能|可以)(?:上|报)(?:哪|什么)|高考[^，,。；;]{0,10}(?:多少分|\d{3}分|位次)|\d{3}分[^，,。；;]{0,12}(?:能上|能报|报哪|上哪|学校)|录取位次/,
  }),
  fam({
    key: 'headline', en: 'Headlines and titles', zh: '标题', inRules: true,
    enTriggers: ['write a headline', 'title ideas', 'subject line'], zhTriggers: ['起标题', '想个标题', '标题怎么取'],
    enRe: /\bheadlines?\b|\btitles? (?:ideas?|options?) for\b|\b(?:title|headline)s? for (?:my|the|this|our|an?) (?:post|article|blog|newsletter|video|episode|talk|piece)\b|\b(?:email|newsletter|campaign) subject lines?\b|\bsubject lines? for (?:my|the|this|our|an?) (?:email|newsletter|campaign|announcement)\b/i,
    zhRe: /(?:起|取|想|拟|改)(?:一)?(?:个|几个)?标题|标题(?:怎么|咋)(?:取|起|写|改)|题目(?:怎么|咋)(?:取|起)|headline|原标题|备选标题/,
  }),
  fam({
    key: 'rewording', en: 'Rewording to lower similarity', zh: '降重改写', inRules: true, within: 'paper',
    enTriggers: ['paraphrase this', 'reword to pass the plagiarism check', 'lower the similarity score'], zhTriggers: ['降重', '降低查重率', '换个说法改写'],
    enRe: /\bparaphras(?:e|ing)\b|\bplagiarism (?:check|score|report)\b|\bsimilarity (?:score|index|report)\b|\bturnitin\b|\breword (?:this|it|these)[^.?!]{0,30}\b(?:same meaning|differently|plagiarism|similarity)\b/i,
    zhRe: /降重|(?:查重|重复)率?[^，,。；;？?]{0,4}(?:太高|高了|偏高|标红|没过|过不了|超了)|换(?:个|种)说法(?:重写|改写|写)|改得不一样|同义改写/,
  }),
  fam({
    key: 'insurance', en: 'Insurance questions', zh: '保险条款', inRules: true,
    enTriggers: ['will my insurance cover', 'insurance policy question', 'is this covered'], zhTriggers: ['保险条款', '能不能理赔', '保险报不报'],
    enRe: /\binsurance (?:policy|policies|claims?|coverage|clauses?|terms)\b|\b(?:will|would|does) (?:my |the )?insurance (?:cover|pay)\b|\bis (?:this|it|that) covered (?:by|under)\b|\b(?:waiting period|pre-existing condition|exclusions?) (?:clause|in my policy)\b/i,
    zhRe: /(?:保险|医疗险|重疾险|意外险|惠民保|百万医疗)[^。；;]{0,32}(?:条款|能报|会赔|赔不赔|理赔|报销|能赔|会认|怎么算|等待期|除外)|(?:条款|合同)[^。；;]{0,12}(?:除外|免责)[^。；;]{0,20}(?:认|赔|报)/,
  }),
  fam({
    key: 'poster', en: 'Posters and signs', zh: '海报文案', inRules: true,
    enTriggers: ['poster text', 'flyer copy', 'sign for the shop'], zhTriggers: ['海报文案', '易拉宝', '门口小黑板'],
    enRe: /\b(?:posters?|flyers?|banners?|sandwich boards?|chalkboards?|a-frame signs?)\b(?! (?:session|presentation|child))|\bsigns? for (?:the|my|our) (?:shop|store|window|door|front|counter|stall)\b/i,
    zhRe: /海报|易拉宝|小黑板|展板|横幅|宣传单|传单|(?:门口|店门口|橱窗)[^，,。；;]{0,8}(?:写|贴|挂)/,
  }),
  fam({
    key: 'drink-pairing', en: 'Drink pairings', zh: '配酒', inRules: true,
    enTriggers: ['wine pairing', 'what wine goes with', 'what to drink with'], zhTriggers: ['配什么酒', '配酒', '喝什么酒'],
    enRe: /(?<!\b(?:no|without|skip|never) )\b(?:wine|beer|drink|cocktail) pairings?\b|\bpairings?\b(?= (?:for|with)\b)|\bwhat (?:wine|beer|drink)s? (?:goes|go|to serve|should I serve|with)\b|\bwhat (?:should|do) (?:I|we) (?:pour|serve to drink)\b|\bred or white\b|\bwhat (?:do you|to|should I) drink with\b|\bwhen I ask for a pairing\b/i,
    zhRe: /配(?:什么|啥)酒|配酒|喝(?:什么|啥)酒|(?:红酒|白葡萄酒|啤酒|清酒)[^，,。；;]{0,6}(?:配|搭)/,
  }),
  fam({
    key: 'alt-text', en: 'Alt text', zh: '图片替代文字', inRules: true,
    enTriggers: ['alt text', 'image description for screen readers', 'alt attribute'], zhTriggers: ['图片替代文字', '图片描述（无障碍）', 'alt文字'],
    enRe: /\balt[- ]?(?:text|tags?|attributes?)\b|\b(?:image|photo|picture|chart) descriptions? for (?:screen readers?|blind|visually impaired)\b|\baccessibility descriptions?\b|\bdescribe (?:this|the|our) (?:[\w-]+ ){0,2}(?:image|photo|picture|shot|chart|graphic) for (?:blind|visually impaired|screen[- ]reader)\b/i,
    zhRe: /(?:替代|alt)文(?:字|本)|无障碍(?:描述|文字)|给(?:视障|盲人)[^，,。；;]{0,6}(?:描述|介绍)(?:这张|图)/,
  }),
  fam({
    key: 'rpg-hook', en: 'Tabletop RPG hooks', zh: '跑团剧情钩子', inRules: true,
    enTriggers: ['campaign hook', 'adventure seed', 'D&D session opener'], zhTriggers: ['跑团剧情', '模组开场', '冒险钩子'],
    enRe: /\b(?:campaign|adventure|quest|plot|story) (?:hooks?|seeds?)\b|\b(?:d&d|dnd|pathfinder|5e|ttrpg|tabletop rpg) (?:sessions?|campaigns?|one-?shots?|hooks?|adventures?)\b|\bmy players\b[^.?!]{0,60}\b(?:session|kick off|start|next)\b|\b(?:lvl|level) \d+ party\b|\bdrag the (?:group|party|players) into\b/i,
    zhRe: /跑团|模组|(?:冒险|剧情)钩子|(?:DND|dnd|D&D)[^，,。；;]{0,10}(?:剧情|开场|模组)/,
  }),
];
