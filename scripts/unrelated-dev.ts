/**
 * Development set of requests no bank skill is about, used by scripts/fit-calibration.ts as
 * negatives ("the best lexical match in the whole bank for this request must not look like a
 * skill that applies"). Deliberately disjoint from bench/unrelated.ts, which only measures.
 */

export const UNRELATED_DEV_EN: readonly string[] = [
  'hey there', 'good afternoon', 'thanks, that helps', 'alright', 'sounds good', 'perfect', 'sorry, my bad', 'wait a second',
  'you there?', 'long time no see', 'how have you been?', 'what are you up to?', 'I just woke up', 'I am hungry',
  'my feet hurt', 'I love summer', 'it is raining again', 'I failed my driving test', 'my friend is visiting tomorrow',
  'do you have feelings?', 'are you alive?', 'what is your favorite food?', 'do you like music?', 'can you sing?',
  'what is 45 plus 78?', 'what is 12 squared?', 'how many minutes in a day?', 'how many weeks in a year?',
  'what is the capital of Canada?', 'who invented the telephone?', 'how old is the universe?', 'what is the smallest country?',
  'how hot is the sun?', 'why do leaves change color?', 'how many continents are there?', 'what is the longest river?',
  'do penguins have knees?', 'can dogs see colors?', 'why do we yawn?', 'how do bees make honey?', 'how fast can a cheetah run?',
  'what is the national animal of Scotland?', 'when is the next full moon?', 'is Pluto a planet?', 'how many hearts does an octopus have?',
  'my car makes a weird noise', 'how do I remove a splinter?', 'how long can milk stay out of the fridge?', 'can I wash wool in a machine?',
  'my houseplant has yellow leaves', 'how do I get gum off my shoe?', 'how do I stop snoring?', 'what time does the sun set today?',
  'how do I defrost chicken quickly?', 'how do I clean a cast iron pan?', 'how do I open a stuck jar?', 'my cat keeps scratching the sofa',
  'should I wear a jacket today?', 'what is a good name for a puppy?', 'how long do goldfish live?', 'roll a die for me',
  'tell me something interesting', 'make me smile', 'what does the fox say?', 'knock knock', 'do you know any riddles?',
  'what is heavier, a ton of steel or a ton of cotton?', 'how do you say thank you in Japanese?', 'how many strings does a violin have?',
  'who is the fastest man alive?', 'what is the most spoken language?', 'how many teeth does an adult have?', 'why is the ocean salty?',
  'how do I keep mosquitoes away?', 'is it rude to be late?', 'what should I watch tonight?', 'where did I leave my phone?',
  // greetings and acknowledgements
  'morning!', 'hey, quick question', 'thanks a bunch', 'much appreciated', 'got it, thanks', 'fair enough', 'oh really?',
  'interesting', 'makes sense', 'no worries', 'all good', "that's fine", 'sure thing', 'hmm', 'lol', 'haha nice', 'wow',
  'oops', 'my bad, ignore that', 'let me think', 'hold on', 'one moment please', 'are you still there?', 'good night',
  'have a nice weekend', 'talk to you tomorrow', 'cheers mate', 'take care', 'welcome back', 'nice job', 'not bad', 'I agree',
  'I disagree', 'you are right', 'that is wrong', 'whatever', 'hello again', 'yo', 'sup', 'greetings',
  // questions about the assistant
  'how old are you?', 'where do you live?', 'do you get tired?', 'are you happy?', 'do you have a family?',
  'what do you do for fun?', 'do you sleep at night?', 'are you smarter than me?', 'can you see me?', 'do you remember me?',
  'do you like winter?', 'what is your favorite movie?', 'what is your favorite book?', 'do you like football?',
  'do you have a pet?', 'are you a boy or a girl?', 'do you ever get lonely?', 'what makes you laugh?', 'do you speak French?',
  'what is the meaning of life?',
  // personal remarks
  'I just got a new puppy', "I can't sleep", 'my back hurts a bit', "I'm so excited for the holidays", 'today was a good day',
  'I just finished my exams', 'my sister is getting married', 'I lost my wallet yesterday', 'I am learning to play guitar',
  'I miss my grandmother', "I'm going to the beach tomorrow", 'the traffic was terrible this morning', 'my coffee is cold',
  'I won a small prize at work', 'I have a headache', 'we are moving to a new apartment', 'my son started school today',
  'I burned the toast again', 'my plants are finally growing', "I'm nervous about tomorrow",
  // factual one-offs
  'what is the capital of Italy?', 'who wrote Romeo and Juliet?', 'how many planets are in the solar system?',
  'what year did World War II end?', 'who was the first person on the moon?', 'how many hours are in a week?',
  'what is 9 times 8?', 'what is 100 divided by 4?', 'how many centimeters in an inch?',
  'what is the freezing point of water?', 'what is the biggest desert in the world?', 'how many states are in the USA?',
  'who discovered penicillin?', "what color is a giraffe's tongue?", 'how long is a marathon?',
  'what is the chemical symbol for gold?', 'what is the fastest bird?', 'how many colors are in a rainbow?',
  'when was the Eiffel Tower built?', 'which is the coldest continent?', 'what is the population of Iceland?',
  'how many keys does a piano have?', 'what is the hardest natural substance?', 'who is the author of Harry Potter?',
  'how many sides does a hexagon have?', 'is a whale a fish?', 'do snakes have ears?', 'how high can a kangaroo jump?',
  'why do zebras have stripes?', 'where do pandas live?', 'what is the currency of Japan?',
  'how many time zones does Russia have?', 'what does a koala eat?', 'is coffee a bean or a seed?',
  'how many moons does Mars have?', 'what is the largest mammal?', 'how old is the Great Wall of China?',
  'why is grass green?', 'what is 15 percent of 200?', 'how many seconds in an hour?',
  // everyday how-to and household problems
  'how do I get rid of ants in the kitchen?', 'how do I make my bread softer?', 'what is the best way to store bananas?',
  'how do I iron a shirt?', 'how do I sharpen a kitchen knife?', 'how do I fix a squeaky door?',
  'how do I remove rust from a bike chain?', 'how do I wash a down jacket?', 'my toilet keeps running',
  'how do I get wax out of a carpet?', 'what do I do if I lock myself out?', 'how do I stop my glasses from fogging up?',
  'how do I make ice cubes clear?', 'how do I keep cut apples from turning brown?', 'how long do eggs last in the fridge?',
  'can I put aluminum foil in the microwave?', 'how do I soften hard brown sugar?',
  'how do I get rid of a bad smell in my fridge?', 'what should I pack for a weekend camping trip?',
  'how do I stop a nosebleed?', 'how do I fall asleep faster?', 'how do I cool down a hot room without AC?',
  'my laptop fan is very loud', 'the wifi keeps dropping at home', 'my earphones only work on one side',
  'how do I wrap a present neatly?', 'how do I polish my shoes?', 'how do I get a ring off a swollen finger?',
  'how do I revive wilted lettuce?', 'how do I stop my dog from barking at the door?',
  // small requests and opinions
  'give me a random letter', 'tell me a riddle', 'say hi to my friend', 'sing happy birthday', 'guess my age',
  "guess what I'm thinking", "tell me something I don't know", 'cheer me up', 'wish me luck', 'say goodnight',
  'what should I do this weekend?', 'should I get a cat or a dog?', 'is it too late to call my friend?',
  'what should I wear to a picnic?', 'can you recommend a good movie for tonight?', 'which is better, tea or coffee?',
  'what is your opinion on cats?',
];

export const UNRELATED_DEV_ZH: readonly string[] = [
  '嗨', '下午好', '谢谢啦', '行吧', '好嘞', '完美', '不好意思', '等一下', '你还在吗', '好久不见', '最近好吗', '你在干嘛',
  '我刚睡醒', '我饿了', '脚好疼', '我喜欢夏天', '又下雨了', '我驾照没考过', '明天朋友来看我', '你有感情吗', '你是活的吗',
  '你最喜欢吃什么', '你喜欢音乐吗', '你会唱歌吗', '45加78等于几', '12的平方是多少', '一天有多少分钟', '一年有多少周',
  '加拿大的首都是哪', '电话是谁发明的', '宇宙有多少岁了', '最小的国家是哪个', '太阳有多热', '树叶为什么会变色', '世界上有几个大洲',
  '最长的河是哪条', '企鹅有膝盖吗', '狗能看见颜色吗', '人为什么会打哈欠', '蜜蜂怎么酿蜜', '猎豹跑多快', '下一次满月是什么时候',
  '冥王星是行星吗', '章鱼有几颗心脏', '我的车有怪声', '手上扎了根刺怎么办', '牛奶放在外面多久会坏', '羊毛衫能机洗吗',
  '绿萝叶子发黄了', '鞋底粘了口香糖', '怎么才能不打呼噜', '今天几点日落', '冻鸡肉怎么快速解冻', '铸铁锅怎么清洗', '瓶盖拧不开怎么办',
  '猫老是抓沙发', '今天要穿外套吗', '小狗取什么名字好', '金鱼能活多久', '帮我掷个骰子', '说点有意思的', '逗我开心一下',
  '你会猜谜语吗', '日语谢谢怎么说', '小提琴有几根弦', '世界上跑得最快的人是谁', '成年人有多少颗牙', '海水为什么是咸的',
  '怎么防蚊子', '迟到很不礼貌吗', '今晚看什么好', '我手机放哪了', '晚饭吃啥', '明天会降温吗', '我好困', '周末去哪玩比较好',
  '楼上装修太吵了', '快递怎么还没到',
  // 问候与应答
  '早', '早啊', '中午好', '谢啦', '辛苦了', '多谢多谢', '明白了', '知道了', '了解', '好吧', '行', '可以的', '没事', '没关系', '对的', '不对', '哦', '嗯', '哇', '厉害',
  '666', '不错', '挺好的', '真棒', '加油', '拜', '明天见', '周末愉快', '你还好吗', '你在不在', '我走了', '我先下了', '等我一下', '稍等', '好久没聊了', '哈喽', '嘿', '早安',
  '午安', '你好呀',
  // 关于助手的问题
  '你多大了', '你住在哪里', '你会累吗', '你开心吗', '你有家人吗', '你平时喜欢干什么', '你晚上睡觉吗', '你比我聪明吗', '你能看到我吗', '你还记得我吗', '你喜欢冬天吗', '你最喜欢哪部电影',
  '你最喜欢哪本书', '你喜欢足球吗', '你养宠物吗', '你是男的还是女的', '你会孤独吗', '什么事能让你笑', '你会说法语吗', '人生的意义是什么',
  // 个人近况
  '我刚养了一只小狗', '我睡不着', '我背有点疼', '好期待放假', '今天过得不错', '我刚考完试', '我姐姐要结婚了', '我昨天把钱包丢了', '我在学吉他', '我想我奶奶了', '明天去海边', '早上堵车堵死了',
  '我的咖啡凉了', '我在公司抽到了小奖', '我头疼', '我们要搬家了', '儿子今天第一天上学', '面包又烤糊了', '我的花终于发芽了', '明天有点紧张',
  // 常识问答
  '意大利的首都是哪里', '罗密欧与朱丽叶是谁写的', '太阳系有几颗行星', '二战是哪年结束的', '第一个登上月球的人是谁', '一周有多少个小时', '9乘8等于多少', '100除以4是多少', '一英寸是多少厘米',
  '水的冰点是多少度', '世界上最大的沙漠是哪个', '美国有多少个州', '青霉素是谁发现的', '长颈鹿的舌头是什么颜色', '马拉松有多长', '金的化学符号是什么', '飞得最快的鸟是什么', '彩虹有几种颜色', '埃菲尔铁塔是哪年建的',
  '最冷的大洲是哪个', '冰岛有多少人口', '钢琴有多少个键', '最硬的天然物质是什么', '哈利波特的作者是谁', '六边形有几条边', '鲸鱼是鱼吗', '蛇有耳朵吗', '袋鼠能跳多高', '斑马为什么有条纹', '熊猫生活在哪里',
  '日本用什么货币', '俄罗斯有几个时区', '考拉吃什么', '咖啡豆是豆子吗', '火星有几颗卫星', '最大的哺乳动物是什么', '长城有多少年历史', '草为什么是绿的', '200的15%是多少', '一小时有多少秒',
  // 日常生活问题
  '厨房有蚂蚁怎么办', '面包怎么做才软', '香蕉怎么放不容易坏', '衬衫怎么熨', '菜刀怎么磨', '门吱吱响怎么弄', '自行车链条生锈了怎么办', '羽绒服怎么洗', '马桶一直在流水', '地毯上的蜡怎么弄掉',
  '把自己锁在门外了怎么办', '戴口罩眼镜起雾怎么办', '怎么冻出透明的冰块', '切开的苹果怎么防止变黄', '鸡蛋在冰箱能放多久', '锡纸能放微波炉吗', '红糖结块了怎么弄', '冰箱有异味怎么去除', '周末露营要带什么',
  '流鼻血怎么止住', '怎么才能快点睡着', '没有空调怎么降温', '笔记本风扇声音很大', '家里的网老是断', '耳机只有一边有声音', '礼物怎么包好看', '皮鞋怎么擦亮', '戒指卡在手指上拿不下来', '生菜蔫了怎么办',
  '狗一听到敲门就叫怎么办',
  // 小请求与闲聊
  '随便给我一个字母', '出个谜语给我猜', '跟我朋友打个招呼', '唱首生日歌', '猜猜我几岁', '猜猜我在想什么', '告诉我一件我不知道的事', '安慰我一下', '祝我好运', '说声晚安', '养猫还是养狗好',
  '现在给朋友打电话会不会太晚', '野餐穿什么好', '今晚推荐部电影', '茶和咖啡哪个好', '你觉得猫怎么样',
];
