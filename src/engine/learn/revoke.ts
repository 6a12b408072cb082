import { defaultBackground } from '../index/background.js';
import { tokenize, tokenizeWith } from '../index/tokenize.js';
import { isRuleClause } from './offline-gate.js';
import { detectLanguage } from './text.js';

/**
 * A wish taken back. "Always cite sources in my reports", later "you don't need to cite sources
 * anymore"; "call me Sam", later "stop calling me Sam"; "never use emoji", later "emoji are fine
 * again"; "以后报告都要注明来源", later "以后报告不用再注明来源了". The newer statement wins: the rule
 * it takes back leaves the skill (merge.ts), and the statement itself is routed to the skill that
 * holds that rule (decide.ts), whatever kind of task it was said during.
 *
 * A statement takes a rule back when it has a cue that applies to the rule (a lifting cue to any
 * rule; a stop cue, "no more …", to a rule that asked for something; a permission, "… are fine
 * again", to one that forbade it), what the cue is about is in the rule, and it names the rule:
 * most of the rule's information (idf mass on the shipped background table, so "emoji" counts and
 * "use" hardly does), or a short handle of it all of which lies in the rule ("the TL;DR", "克数那
 * 个"). A cue alone takes nothing back: "don't bother with a title" with no rule about titles is
 * an ordinary rule.
 */

/**
 * Cues that lift a rule, an obligation or a prohibition alike: "you don't need to", "… is fine
 * again", "never mind / forget / ignore the … rule", "go back to", "not required any more",
 * "不用再", "就算了", "取消", "换回". Standing alone they ask for nothing (see `liftsOnly`).
 */
const EN_LIFT = new RegExp(
  [
    String.raw`\b(?:don'?t|do not|doesn'?t|does not|won'?t|will not) (?:need|have) to\b|\bneedn'?t\b`,
    String.raw`\bno (?:need|reason) (?:to|for)\b`,
    String.raw`\b(?:not|no longer) (?:necessary|needed|required|a (?:rule|requirement|must))\b`,
    String.raw`\bno longer (?:need|want|require|apply|applies|matter)s?\b|\b(?:doesn'?t|does not|don'?t|do not) (?:apply|matter)\b`,
    // "forget / ignore it", and the rule itself dropped: "scrap the 500 word limit", "drop the Boss thing"
    String.raw`\b(?:forget|ignore|disregard|cancel|undo|lift|remove|never ?mind) (?:about )?(?:the|that|my|this|it|what I said|your)\b`,
    String.raw`\b(?:drop|scrap|skip|ditch|cut) (?:the|that|my|this) [^,.;:!?\n]{0,30}?(?:thing|rule|limit|requirement|restriction|instruction|preference|request)\b`,
    String.raw`\b(?:go|switch|change|revert|get) back to\b`,
    String.raw`\b(?:I'?m|I am|we'?re|we are) (?:done|finished|over) with\b|\b(?:I'?m|I am|we'?re|we are) over (?:the|that|it|those)\b`,
    String.raw`\b(?:thing|rule|part|phase|requirement) is (?:over|done|off)\b`,
  ].join('|'),
  'i',
);
/**
 * Cues that permit what they name ("emoji are fine again", "you can use markdown again", "又可以用
 * 了"): they take back a rule that forbade or limited it, not one that asked for it ("metric is
 * fine, but add imperial in brackets" keeps "use metric units").
 */
const EN_PERMIT =
  /\b(?:is|are) (?:fine|ok|okay|allowed|welcome|alright|all right)(?: (?:again|now|after all))?\b|\b(?:you )?(?:can|may) (?:\w+ ){0,4}again\b|\bfeel free to\b/i;
const ZH_PERMIT = /又可以|重新可以|还是可以|没关系了/;
/** A switch back to how things were ("let's go back to English", "还是换回简体吧"): what it names is the alternative, not the rule. */
const SWITCH_BACK = /\b(?:go|switch|change|revert|get) back to\b|(?:换|改|切)回/i;

const ZH_LIFT =
  /不用再|不需要再|不必再|无需再|没必要|(?:不用|不需要|不必|无需)[^，,。；;！!？?]{0,10}了|算了|作废|取消|(?<!别|不要)忘[掉了]|不再需要|不再要求|可以不用|恢复(?:用|使用|成)|(?:换|改|切)回|不管了/;

/**
 * Cues that stop a behaviour ("stop adding speaker notes", "no more docstrings", "drop the emoji
 * from my captions", "别再叫我老板了"): they take back a rule that asked for it, not one that
 * forbade it, and standing alone they are a prohibition.
 */
const EN_STOP = new RegExp(
  [
    // "stop callin me": the dropped g of casual typing
    String.raw`\b(?:stop|quit|cease) \w+(?:ing|in'?)\b`,
    String.raw`\bdon'?t (?:\w+ ){1,6}any ?more\b|\bno longer \w+ing\b`,
    String.raw`\bno more\b`,
    String.raw`\b(?:drop|scrap|skip|ditch|remove|cut|omit|lose|leave out) (?:the|that|those|these|all (?:the|those)|your|my|any)\b`,
    // "leave the jokes out", "the hashtags can go"
    String.raw`\bleave (?:the|those|these|all the|your|any) [^,.;:!?\n]{1,30}? out\b|\bcan go\b(?! (?:to|back|ahead|on|into|for|with|through)\b)`,
  ].join('|'),
  'i',
);
// "删掉", "去掉", "省了", "免了": a part dropped ("数据来源那条删掉吧", "emoji就免了吧")
const ZH_STOP = /别再|不要再|不许再|停止|不准再|(?:不要|别)(?!忘)[^，,。；;！!？?]{1,10}了|(?:删|去|拿|省)掉|(?:删|省|免)了|可以省|省略/;

/**
 * Words that presuppose an earlier wish ("anymore", "again", "the … rule", "不用再", "那个…算了").
 * A lifting cue without one states a preference of its own ("you don't need to explain the
 * basics"), not a take-back.
 */
const EN_EARLIER =
  /\bany ?more\b|\bno longer\b|\bagain\b|\b(?:from )?(?:before|earlier|previously)\b|\b(?:thing|rule|limit|requirement|restriction|instruction|preference|request)\b|\bnever ?mind\b|\b(?:forget|ignore|disregard|cancel|undo)\b|\bback to\b|\bdone with\b|\bis over\b|\bafter all\b/i;
const ZH_EARLIER = /再|了|之前|刚才|上次|算了|作废|取消|忘|又|重新|恢复|回|那个|这个/;

/** A rule that forbids or limits rather than asks ("never", "don't", "under 500 words", "不要"). */
const EN_NEGATIVE =
  /\b(?:don'?t|do not|never|no|not|avoid|without|stop|refrain|at most|max(?:imum)?|less than|fewer than|limit)\b|\bunder (?:\d|a |an |one|two|three|four|five|six|seven|eight|nine|ten)/i;
const ZH_NEGATIVE = /不要|别|不用|禁止|避免|不得|不可|不能|不许|切勿|请勿|以内|不超过|至多|最多|少于/;

/** Share of a rule's information a statement must name to take it back. */
const NAMED_SHARE = 0.5;
/**
 * A statement naming the rule by a short handle ("the TL;DR", "克数那个", "the 'Dear' rule") names
 * less of it, so less is asked: the words its cue is about all lie in the rule (HANDLE_IN), and
 * they still carry some of the rule's information (HANDLE_SHARE), not just a word it shares with
 * a longer rule.
 */
const HANDLE_IN = 0.75;
const HANDLE_SHARE = 0.25;

function lifts(text: string): boolean {
  return EN_LIFT.test(text) || ZH_LIFT.test(text) || permits(text);
}

function permits(text: string): boolean {
  return EN_PERMIT.test(text) || ZH_PERMIT.test(text);
}

/** Whether a cue of `text` applies to a rule that forbids (`ruleNegative`) or asks. */
function cueApplies(text: string, ruleNegative: boolean): boolean {
  if (EN_LIFT.test(text) || ZH_LIFT.test(text)) return true;
  return ruleNegative ? permits(text) : stops(text);
}

function stops(text: string): boolean {
  return EN_STOP.test(text) || ZH_STOP.test(text);
}

function negative(rule: string): boolean {
  return EN_NEGATIVE.test(rule) || ZH_NEGATIVE.test(rule);
}

/** Whether `statement` could take back some rule: it has a lifting or stop cue. */
export function isRelease(statement: string): boolean {
  return lifts(statement) || stops(statement);
}

/**
 * Words that say how strongly or where a rule applies, not what it is about: a statement taking
 * back "always end your answers with a summary" need not repeat "always" or "answers".
 */
const DIRECTIVE = new Set(
  tokenizeWith("always never please must should make sure ensure every each all any answers replies responses outputs messages do does don't not no", { stopwords: false }),
);
/** Words of a take-back that point at the rule or carry the cue, not at what the rule is about. */
const META = new Set(
  tokenizeWith(
    "thing things rule rules part phase limit requirement restriction instruction preference request stuff bit now anymore any more longer again fine ok okay allowed please pls lol re regarding about before earlier previous previously over done need needed necessary apply matter can may let's let go back switch start using forget ignore disregard drop scrap skip ditch remove cut omit lose leave stop quit mind never no don't doesn't have has to it that this from on off fine allowed welcome alright feel free switch revert change done finished over after all i'm we're let's",
    { stopwords: false },
  ),
);
/** Han characters that carry no topic of their own (pronouns, particles, modals, negation). */
const FUNCTION_HAN = /总是|始终|一定|必须|务必|永远|所有|任何|每次|禁止|[我你您的了都要请再也就吧呢啊吗把给和与及或在是着过得地以后之前那这个们它他她每不别没无勿用]/gu;
const HAN = /\p{Script=Han}/u;

/** Two tokens for the same word: equal, or one a short extension of the other ("cte"/"ctes", "call"/"callin"). */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  return s.length >= 3 && l.length - s.length <= 2 && l.startsWith(s);
}

/** Idf-weighted share of `of`'s tokens (less `skip`) found among `within`'s. */
function tokenShare(of: readonly string[], within: readonly string[], skip: ReadonlySet<string>): number {
  const bg = defaultBackground();
  let total = 0;
  let named = 0;
  for (const t of new Set(of)) {
    if (skip.has(t)) continue;
    const w = bg.idf(t);
    total += w;
    if (within.some((u) => sameWord(t, u))) named += w;
  }
  return total > 0 ? named / total : 0;
}

/** Idf-weighted share of a Latin-script rule's topic words that `statement` contains. */
function wordShare(rule: string, statement: string): number {
  return tokenShare(tokenize(rule), tokenize(statement), DIRECTIVE);
}

/** Chinese words that say how a rule applies, not what it is about ("控制在800字以内" is about 800字). */
const ZH_DIRECTIVE = /控制在|控制|保持|记得|注意|需要|使用|以内|之内|之前说的|之前|刚才|上次|以后|今后/g;
const UNIT = /\p{Script=Han}|\d+|[a-z]+/gu;

/** A Chinese text as topic units: Han characters, digit runs and Latin words, directive and function words left out. */
function hanUnits(text: string): string[] {
  return (text.toLowerCase().replace(ZH_DIRECTIVE, ' ').replace(FUNCTION_HAN, ' ').match(UNIT) ?? []) as string[];
}

/** Adjacent unit pairs of a text ("克 数"): two characters in a run, the unit of shared wording. */
function unitPairs(text: string): Set<string> {
  const units: string[] = [];
  // a function character or directive breaks a run: its neighbours are not a pair
  for (const piece of text.toLowerCase().replace(ZH_DIRECTIVE, ' ').replace(FUNCTION_HAN, ' ').split(/[^\p{Script=Han}\da-z]+/u)) {
    const u = piece.match(UNIT) ?? [];
    for (let i = 0; i + 1 < u.length; i++) units.push(`${u[i]} ${u[i + 1]}`);
  }
  return new Set(units);
}

/**
 * Share of a Chinese rule's topic that `statement` repeats: a Han character counts when it is in a
 * two-character run the statement has too (characters, not the index's bigrams: a bigram across a
 * word boundary, "告都" in "报告都要", is rare, so it would weigh most while meaning nothing); a
 * number or Latin word counts double when the statement has it (it is the specific part: "800").
 */
function hanShare(rule: string, statement: string): number {
  return unitCover(rule, statement, false);
}

/**
 * Weighted share of `of`'s topic units that `within` has (see hanShare). With `loose`, a character
 * standing alone in `of` counts when `within` has it anywhere: a handle's leftover character ("写"
 * of "风险那段不用再写了") has no neighbour to pair with.
 */
function unitCover(of: string, within: string, loose: boolean): number {
  const r = hanUnits(of);
  if (r.length === 0) return 0;
  const pairs = unitPairs(within);
  const units = new Set(hanUnits(within));
  const ofPairs = unitPairs(of);
  const han = (u: string): boolean => HAN.test(u);
  const covered = r.map((u) => !han(u) && units.has(u));
  for (const p of ofPairs) {
    if (!pairs.has(p)) continue;
    const [a, b] = p.split(' ');
    r.forEach((u, i) => {
      if ((u === a && r[i + 1] === b) || (u === b && r[i - 1] === a)) covered[i] = true;
    });
  }
  if (loose) {
    const paired = new Set([...ofPairs].flatMap((p) => p.split(' ')));
    r.forEach((u, i) => {
      if (han(u) && !paired.has(u) && units.has(u)) covered[i] = true;
    });
  }
  let total = 0;
  let named = 0;
  r.forEach((u, i) => {
    const w = han(u) ? 1 : 2;
    total += w;
    if (covered[i]) named += w;
  });
  return named / total;
}

/** How much of what `rule` is about `statement` names (0..1). */
function namedShare(rule: string, statement: string): number {
  return HAN.test(rule) ? hanShare(rule, statement) : wordShare(rule, statement);
}

// ---------------------------------------------------------------------------------------------
// Handles: what a take-back's cue is about ("the TL;DR at the top of summaries", "克数那个")

const QUOTED = /(?<![A-Za-z])'[^'\n]{1,60}'(?![A-Za-z])|"[^"\n]{1,60}"|“[^”]{1,60}”|‘[^’]{1,60}’|「[^」]{1,60}」|『[^』]{1,60}』/g;
/** Chinese words that point at an earlier wish ("那个", "这个称呼", "那段"), not at what it was about. */
const ZH_POINTER = /[那这](?:个|段|条|项|些|点|部分)|先|暂时|要求|规则|规定|设定|习惯|称呼|说法|做法|对了|之前说的?|刚才说的?|上次说的?|以后|今后|吧|了/g;

/** The clauses of a statement, commas inside quotes kept ("'Cheers, Tom'" is one name). */
function clauses(statement: string): string[] {
  return statement
    .replace(QUOTED, (q) => q.replace(/[,，;；:：]/g, ' '))
    .split(/[,，;；:：。.!！?？]+(?:\s|$)|[，；：。！？]/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** Chinese cue words, without what they govern ("不用写下周计划了" keeps "写下周计划"). */
const ZH_CUE_WORDS =
  /不用再?|不需要再?|不必再?|无需再?|没必要再?|就?算了|作废|取消|忘[掉了]|不再需要|不再要求|又可以|重新可以|还是可以|可以不用|恢复(?:用|使用|成)?|(?:换|改|切)回|没关系了|不管了|别再|不要再|不许再|停止|不准再|不要|别|(?:删|去|拿|省)掉|(?:删|省|免)了|可以省|省略/g;

/**
 * A clause's topic once its cue and pointer words are gone ("克数那个算了" → "克数"); Latin-script
 * cue words are left to META, as a cue such as "don't … anymore" spans the words it governs.
 */
function handleOf(clause: string): string {
  return clause.replace(ZH_CUE_WORDS, ' ').replace(ZH_POINTER, ' ');
}

function hasTopic(handle: string): boolean {
  return HAN.test(handle) ? hanUnits(handle).length > 0 : tokenize(handle).some((t) => !META.has(t) && !DIRECTIVE.has(t));
}

/** A clause that points at an earlier wish ("Re the CTE rule", "克数那个", "about the Dear thing"). */
const POINTS = /[那这](?:个|段|条|项|部分)|^(?:re|about|regarding|as for)\b|\bthe [^,;:]{1,30} (?:thing|rule|part|limit|requirement)\b/i;

/** What a stop is about: "drop the intro from my answers" stops the intro, not the answers. */
const EN_STOP_HEAD = /\b(?:stop|quit|cease|no more|drop|scrap|skip|ditch|remove|cut|omit|lose|leave out|leave)\b(.*?)(?:\b(?:from|in|on|at|to|for|of|under|across|when|out)\b|$)/i;

/**
 * The handles of a statement: for each clause with a cue that applies to the rule, what the cue
 * is about; a clause that only points ("ignore it from now on", "忘了吧") is about the clause
 * before it ("Re the CTE rule for SQL: ignore it", "之前说三句话以内那个，忘了吧"). A stop's
 * handle is its head ("the intro" of "drop the intro from my answers"). A switch back names the
 * alternative, so it is about the whole statement ("繁体字看着累，还是换回简体吧").
 */
function handles(statement: string, ruleNegative: boolean): { whole: string; head: string }[] {
  const cs = clauses(statement);
  const out: { whole: string; head: string }[] = [];
  cs.forEach((c, i) => {
    if (!cueApplies(c, ruleNegative)) return;
    if (SWITCH_BACK.test(c)) return void out.push({ whole: statement, head: statement });
    const h = handleOf(c);
    const head = !ruleNegative && EN_STOP.test(c) && !EN_LIFT.test(c) ? EN_STOP_HEAD.exec(c)?.[1] : undefined;
    if (hasTopic(h)) out.push({ whole: h, head: head !== undefined && hasTopic(head) ? head : h });
    // the clause before, when this one only points or that one points at a wish ("邮件结尾那个Best regards, Lily以后不用加了")
    const before = i > 0 ? handleOf(cs[i - 1]!) : '';
    if ((!hasTopic(h) || POINTS.test(cs[i - 1] ?? '')) && hasTopic(before)) out.push({ whole: before, head: before });
  });
  return out;
}

/** Share of a handle's topic that lies in `rule`. */
function handleIn(handle: string, rule: string): number {
  if (HAN.test(handle) || HAN.test(rule)) return unitCover(handle, rule, true);
  return tokenShare(tokenize(handle), tokenize(rule), new Set([...META, ...DIRECTIVE]));
}

/** Whether `statement` takes back `rule` (see the module comment). */
export function takesBack(statement: string, rule: string): boolean {
  if (statement.trim() === rule.trim()) return false;
  const ruleNegative = negative(rule);
  if (!cueApplies(statement, ruleNegative)) return false;
  const share = namedShare(rule, statement);
  if (share < HANDLE_SHARE) return false;
  // the cue must be about the rule: most of the rule named and what the cue is about is in it
  // ("stop asking me follow-up questions, Captain is busy" names Captain but stops the
  // questions); or a handle of the rule, all of it in the rule ("no more tables in my emails"
  // is not about tables in reports)
  return handles(statement, ruleNegative).some(({ whole, head }) => {
    if (handleIn(head, rule) === 0) return false;
    return share >= NAMED_SHARE || handleIn(whole, rule) >= HANDLE_IN;
  });
}

/** An existing rule one of the incoming statements takes back. */
export function takenBack(rule: string, incoming: readonly string[]): boolean {
  return incoming.some((s) => takesBack(s, rule));
}

/**
 * Whether `statement` only lifts an earlier wish: it has a lifting cue that presupposes one
 * ("you don't need to cite sources anymore", "克数那个算了"), no stop cue (standing alone, "no
 * more emoji" is a prohibition), and no other clause that states a wish of its own ("forget the
 * Boss thing, call me Tom"). With no rule to take back it asks for nothing (decide.ts).
 */
export function liftsOnly(statement: string, ruleClause: (clause: string) => boolean = gateRuleClause): boolean {
  if (!lifts(statement) || stops(statement)) return false;
  if (!EN_EARLIER.test(statement) && !ZH_EARLIER.test(statement)) return false;
  return clauses(statement).every((c) => lifts(c) || !ruleClause(c));
}

/** A clause the offline gate would learn on its own, said as feedback on an answer. */
function gateRuleClause(clause: string): boolean {
  return isRuleClause(clause, true, detectLanguage(clause));
}

/** A candidate's rules all only lift an earlier wish (`liftsOnly`). */
export function liftsOnlyCandidate(rules: readonly string[]): boolean {
  return rules.length > 0 && rules.every((r) => liftsOnly(r));
}
