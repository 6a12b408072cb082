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
];
