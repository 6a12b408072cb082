import { defaultBackground } from '../index/background.js';
import { tokenize, tokenizeWith } from '../index/tokenize.js';

/**
 * A wish taken back. "Always cite sources in my reports", later "you don't need to cite sources
 * anymore"; "call me Sam", later "stop calling me Sam"; "never use emoji", later "emoji are fine
 * again"; "以后报告都要注明来源", later "以后报告不用再注明来源了". The newer statement wins: the rule
 * it takes back leaves the skill (merge.ts), and the statement itself is routed to the skill that
 * holds that rule (decide.ts), whatever kind of task it was said during.
 *
 * A statement takes a rule back when it has a release cue and names most of what the rule is
 * about: most of the rule's information (idf mass on the shipped background table, so "emoji"
 * counts and "use" hardly does) is in the statement. A cue alone takes nothing back: "don't
 * bother with a title" with no rule about titles is an ordinary rule.
 */

/** Cues that release whatever the statement names, an obligation or a prohibition alike. */
const EN_RELEASE = new RegExp(
  [
    String.raw`\b(?:don'?t|do not|doesn'?t|does not|won'?t|will not) (?:need|have) to\b`,
    String.raw`\bno (?:need|reason) (?:to|for)\b`,
    String.raw`\b(?:not|no longer) (?:necessary|needed|required|a (?:rule|requirement|must))\b`,
    String.raw`\bno longer\b`,
    String.raw`\bany ?more\b`,
    String.raw`\b(?:forget|ignore|disregard|scrap|drop|cancel|undo|lift|remove) (?:about )?(?:the|that|my|this|what I said|your)\b`,
    String.raw`\bnever ?mind (?:about )?(?:the|that|my)\b`,
    String.raw`\b(?:is|are) (?:fine|ok|okay|allowed|welcome|alright|all right)(?: (?:again|now|after all))?\b`,
    String.raw`\b(?:you )?(?:can|may) (?:\w+ ){0,4}again\b`,
    String.raw`\bfeel free to\b`,
    String.raw`\bgo back to (?:using|normal)\b`,
  ].join('|'),
  'i',
);
const ZH_RELEASE = /不用再|不需要再|不必再|无需再|没必要再|不用了|就算了|算了|作废|取消|忘掉|忘了|不再需要|不再要求|又可以|重新可以|还是可以|可以不用|恢复(?:用|使用)|没关系了/;

/** Cues that stop a behaviour: they take back a rule that asked for it, not one that forbade it. */
const EN_STOP = /\b(?:stop|quit|cease) \w+ing\b|\bdon'?t \w+ (?:me )?\w* ?any ?more\b/i;
const ZH_STOP = /别再|不要再|不许再|停止|不准再/;

/** A rule that forbids or limits rather than asks ("never", "don't", "不要"). */
const EN_NEGATIVE = /\b(?:don'?t|do not|never|no|not|avoid|without|stop|refrain|under|at most|max(?:imum)?|less than|fewer than|limit)\b/i;
const ZH_NEGATIVE = /不要|别|不用|禁止|避免|不得|不可|不能|不许|切勿|请勿|以内|不超过|至多|最多|少于/;

/** Share of a rule's information a statement must name to take it back. */
const NAMED_SHARE = 0.5;

function releases(text: string): boolean {
  return EN_RELEASE.test(text) || ZH_RELEASE.test(text);
}

function stops(text: string): boolean {
  return EN_STOP.test(text) || ZH_STOP.test(text);
}

function negative(rule: string): boolean {
  return EN_NEGATIVE.test(rule) || ZH_NEGATIVE.test(rule);
}

/** Whether `statement` could take back some rule: it has a release or stop cue. */
export function isRelease(statement: string): boolean {
  return releases(statement) || stops(statement);
}

/**
 * Words that say how strongly or where a rule applies, not what it is about: a statement taking
 * back "always end your answers with a summary" need not repeat "always" or "answers".
 */
const DIRECTIVE = new Set(
  tokenizeWith("always never please must should make sure ensure every each all any answers replies responses outputs messages do does don't not no", { stopwords: false }),
);
/** Han characters that carry no topic of their own (pronouns, particles, modals, negation). */
const FUNCTION_HAN = /[我你您的了都要请再也就吧呢啊吗把给和与及或在是着过得地以后之前那这个们它他她每次总始终一定必须务必永远所有任何不别没无勿禁止用]/gu;
const HAN = /\p{Script=Han}/u;

/** Idf-weighted share of a Latin-script rule's topic words that `statement` contains. */
function wordShare(rule: string, statement: string): number {
  const bg = defaultBackground();
  const have = new Set(tokenize(statement));
  let total = 0;
  let named = 0;
  for (const t of new Set(tokenize(rule))) {
    if (DIRECTIVE.has(t)) continue;
    const w = bg.idf(t);
    total += w;
    if (have.has(t)) named += w;
  }
  return total > 0 ? named / total : 0;
}

/** Chinese words that say how a rule applies, not what it is about ("控制在800字以内" is about 800字). */
const ZH_DIRECTIVE = /控制在|控制|保持|记得|注意|需要|使用|以内|之内|之前说的|之前|刚才|上次|以后|今后/g;
const UNIT = /\p{Script=Han}|\d+|[a-z]+/gu;

/** A Chinese text as topic units: Han characters, digit runs and Latin words, directive and function words left out. */
function hanUnits(text: string): string[] {
  return (text.toLowerCase().replace(ZH_DIRECTIVE, ' ').replace(FUNCTION_HAN, ' ').match(UNIT) ?? []) as string[];
}

/**
 * Share of a Chinese rule's topic that `statement` repeats: a Han character counts when it is in a
 * two-character run the statement has too (characters, not the index's bigrams: a bigram across a
 * word boundary, "告都" in "报告都要", is rare, so it would weigh most while meaning nothing); a
 * number or Latin word counts double when the statement has it (it is the specific part: "800").
 */
function hanShare(rule: string, statement: string): number {
  const r = hanUnits(rule);
  const s = hanUnits(statement);
  if (r.length === 0) return 0;
  const pairs = new Set(s.slice(1).map((u, i) => `${s[i]} ${u}`));
  const units = new Set(s);
  const han = (u: string): boolean => HAN.test(u);
  const covered = r.map((u) => !han(u) && units.has(u));
  for (let i = 0; i + 1 < r.length; i++) if (pairs.has(`${r[i]} ${r[i + 1]}`)) covered[i] = covered[i + 1] = true;
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

/** Whether `statement` takes back `rule` (see the module comment). */
export function takesBack(statement: string, rule: string): boolean {
  if (statement.trim() === rule.trim()) return false;
  const release = releases(statement);
  if (!release && !(stops(statement) && !negative(rule))) return false;
  return namedShare(rule, statement) >= NAMED_SHARE;
}

/** An existing rule one of the incoming statements takes back. */
export function takenBack(rule: string, incoming: readonly string[]): boolean {
  return incoming.some((s) => takesBack(s, rule));
}
