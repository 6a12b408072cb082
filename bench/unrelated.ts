/**
 * Requests that no skill of the bank (Common + ConvSkill) is about: greetings, chit-chat, small
 * talk, everyday one-off questions and tasks outside what the bank's skills cover. A turn like
 * these must not get a task skill injected, whatever the store holds.
 *
 * Written by hand for the injection bench (bench/injection.ts), then reviewed against the bank:
 * each query's best hits were read, and queries for which a bank skill is genuinely about the
 * request (the bank has skills for travel itineraries, recipes, poems, emails, translation, SQL,
 * résumés, …) were removed, so a hit on these is a false injection, not a debatable one.
 * Not used to fit anything.
 *
 * Removed after review, because a bank skill is truly about the request (a hit is right):
 *  - "tell me a joke": ConvSkill "Keyword-based Light-hearted Joke Generation" tells jokes on
 *    request (its triggers: "tell me the joke related with", "joke about", "make a joke for").
 */

export const UNRELATED_EN: readonly string[] = [
  // greetings and acknowledgements
  'hello', 'hi there', 'hey, how are you?', 'good morning', 'good evening!', 'thanks a lot', 'thank you so much',
  'ok', 'okay, got it', 'yes please', 'no thanks', 'cool', 'great, thanks!', 'see you later', 'bye for now',
  'nice to meet you', "what's up?", 'how is your day going?', 'I am back', 'never mind',
  // chit-chat and small talk
  'do you like cats or dogs?', 'what is your favorite color?', 'are you a robot?',
  'what is your name?', 'who made you?', 'I am bored', 'I had a long day', 'guess what happened today',
  'do you dream?', 'can you keep a secret?', 'I love rainy days', 'my cat just knocked over a glass',
  'do you believe in ghosts?', 'what do you think about pineapple on pizza?', 'I am so tired today',
  'it is really hot outside', 'that made me laugh', 'you are funny', 'happy birthday to me',
  // everyday factual one-offs
  'what is 17*23', 'what is the capital of Australia?', 'how many days are in a leap year?',
  'what time is it in Tokyo right now?', 'how tall is Mount Everest?', 'who painted the Mona Lisa?',
  'how many legs does a spider have?', 'what is the boiling point of water in Fahrenheit?',
  'when did the Berlin Wall fall?', 'what does DNA stand for?', 'how far is the moon from the earth?',
  'is a tomato a fruit?', 'what is the largest ocean?', 'how many ounces in a pound?',
  'convert 30 celsius to fahrenheit', 'what is the square root of 144?', 'spell necessary',
  'what day of the week was July 4, 1976?', 'how many players are on a soccer team?',
  'which planet has the most moons?', 'who won the 2018 World Cup?', 'what is the speed of light?',
  'how long do elephants live?', 'why is the sky blue?', 'how many bones are in the human body?',
  'what language do they speak in Brazil?', 'what is the tallest animal?', 'how deep is the Mariana Trench?',
  // everyday personal requests and off-topic tasks
  'remind me to call my mom at 5', 'set a timer for ten minutes', 'flip a coin', 'pick a random number between 1 and 10',
  'should I bring an umbrella today?', 'my sink is clogged, what do I do?', 'how do I get a stain out of a white shirt?',
  'how often should I water a cactus?', 'my dog ate chocolate, is that bad?', 'how do I tie a tie?',
  'what should I name my goldfish?', 'how do I fold a fitted sheet?', 'best way to peel a mango',
  'how long should I boil an egg?', 'my phone battery drains fast', 'how do I unclog a shower drain?',
  'can I freeze cooked rice?', 'why do cats purr?', 'how do I change a flat bike tire?',
  'what is a good stretch for a stiff neck?', 'how do I get rid of hiccups?', 'is it safe to eat raw cookie dough?',
  'which is heavier, a kilo of feathers or a kilo of bricks?', 'rock paper scissors, I pick rock',
  'count from one to ten', 'say something nice', 'what rhymes with orange?', 'give me a fun fact about octopuses',
  'how do you say cheers in German?', 'what is the weather like on Mars?', 'recommend a board game for four people',
  'how do I whistle with my fingers?', 'what is the plural of moose?', 'how do I keep my basil plant alive?',
  'what is the difference between a crocodile and an alligator?', 'my neighbor plays loud music at night',
  'how long does it take to walk a mile?', 'is it going to snow this weekend?', 'how do I clean my glasses without scratching them?',
  'why do onions make you cry?', 'how do I stop my shoes from squeaking?', 'who is taller, a giraffe or an elephant?',
  'which came first, the chicken or the egg?', 'do fish sleep?', 'what should I have for lunch?',
];

export const UNRELATED_ZH: readonly string[] = [
  // 问候与应答
  '你好', '早上好', '晚上好', '在吗', '谢谢你', '太感谢了', '好的', '收到', '没问题', '不用了谢谢',
  '再见', '回头见', '很高兴认识你', '最近怎么样', '你今天过得好吗', '我回来了', '算了', '嗯嗯好的', '晚安', '哈哈哈',
  // 闲聊
  '讲个笑话', '你喜欢猫还是狗', '你最喜欢什么颜色', '你是机器人吗', '你叫什么名字', '谁创造了你', '我好无聊啊',
  '今天好累', '猜猜今天发生了什么', '你会做梦吗', '你能保守秘密吗', '我喜欢下雨天', '我的猫把杯子打翻了',
  '你相信有鬼吗', '菠萝披萨好吃吗', '外面热死了', '你真有意思', '今天是我生日', '我有点饿了', '周末干点什么好呢',
  // 日常常识
  '17乘以23等于多少', '澳大利亚的首都是哪里', '闰年有多少天', '东京现在几点', '珠穆朗玛峰有多高', '蒙娜丽莎是谁画的',
  '蜘蛛有几条腿', '水的沸点是多少华氏度', '柏林墙是哪一年倒的', '月亮离地球有多远', '西红柿是水果吗',
  '世界上最大的海洋是哪个', '一斤等于多少克', '三十摄氏度是多少华氏度', '144的平方根是多少', '一个足球队有几个人',
  '哪个行星的卫星最多', '2018年世界杯冠军是谁', '光速是多少', '大象能活多少年', '天空为什么是蓝色的',
  '人体有多少块骨头', '巴西人说什么语言', '最高的动物是什么', '马里亚纳海沟有多深', '长颈鹿和大象谁更高',
  '先有鸡还是先有蛋', '鱼会睡觉吗', '猫为什么会打呼噜', '切洋葱为什么会流眼泪',
  // 日常请求与无关任务
  '提醒我五点给妈妈打电话', '帮我定一个十分钟的闹钟', '帮我抛个硬币', '从1到10里随便挑一个数字', '今天要带伞吗',
  '水槽堵了怎么办', '白衬衫上的污渍怎么洗掉', '仙人掌多久浇一次水', '狗吃了巧克力要紧吗', '领带怎么系',
  '给我的金鱼起个名字', '床笠怎么叠', '芒果怎么剥皮最方便', '鸡蛋要煮几分钟', '手机掉电太快了', '淋浴的下水道堵了',
  '剩米饭可以冷冻吗', '自行车爆胎了怎么补', '脖子僵硬做什么拉伸', '打嗝怎么停下来', '生的饼干面团能吃吗',
  '一公斤羽毛和一公斤砖头哪个重', '石头剪刀布，我出石头', '从一数到十', '说句好听的', '告诉我一个关于章鱼的冷知识',
  '德语的干杯怎么说', '火星上的天气怎么样', '推荐一个四个人玩的桌游', '怎么用手指吹口哨', '罗勒盆栽怎么养',
  '鳄鱼和短吻鳄有什么区别', '邻居晚上放音乐太吵了', '走一公里要多久', '这周末会下雪吗', '眼镜怎么擦不会刮花',
  '鞋子走路吱吱响怎么办', '中午吃什么好', '今天星期几', '我的钥匙找不到了', '楼下的狗一直叫',
];
