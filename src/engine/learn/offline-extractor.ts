import { kindFamilyKey } from '../skill/kind-family.js';
import type { SkillApplies } from '../skill/standing.js';
import type { ProposedSkill } from './candidate.js';
import type { ExtractionInput, ExtractionOutcome, Extractor } from './extractor.js';
import { analyzeStatement, DURABLE } from './offline-gate.js';
import { EN_EVERY_ANSWER, SCOPE_WIDENING, ZH_EVERY_ANSWER } from './offline-markers.js';
import { defaultBackground } from '../index/background.js';
import { fixChineseTypos, fixEnglishTypos, prepareChineseTypos } from '../retrieve/spelling.js';
import { prepareTraditional, toSimplified } from '../retrieve/traditional.js';
import { stripPlaceholders } from './redact.js';
import { composeIdentity, IDENTITY_TEMPLATE_WORDING, isStandingRule, kindOfRule, saysEverything, saysKind, topicKind } from './rule-identity.js';
import { renderPrompt, uniqueItems } from './sections.js';
import { aspectOf } from './aspects.js';
import { kindOfRequest } from './request-kind.js';
import { BROAD_FAMILIES } from './families.js';
import { familyOfRequest, familyOfRule, GENERAL_FAMILY, names, scopedFamily, withoutComparisons, type TaskFamily } from './task-family.js';
import { detectLanguage, type TemplateLanguage } from './text.js';

export { analyzeStatement, ownWords, type StatementAnalysis } from './offline-gate.js';

/**
 * The offline extractor: deterministic rules, no model. It learns only what a user states as a
 * durable rule, a correction of how to work, or style feedback on an answer (see offline-gate.ts),
 * never from a plain request (why the gate: docs/decisions/offline-extractor-gate.md).
 *
 * Evidence comes from user messages of the current work item only: walking back from the newest
 * user message, rule statements are collected until the message that started the task (a request
 * such as "write a report about …"). The request gives the task family ("reports"); its subject
 * is dropped. The skill is then named after the family and the rule ("Reports: cite sources"),
 * described by when to use it, triggered by the family's task phrases, and marked standing
 * (`applies: always`) when its rules are about the user in every conversation.
 */

// ---------------------------------------------------------------------------------------------
// Rule text clean-up

function cleanRuleEn(rule: string): string {
  let s = rule.trim();
  for (let i = 0; i < 4; i++) {
    const next = s
      .replace(/^(?:also|and|oh|btw|by the way|plus|additionally|one more thing|ok(?:ay)?|thanks?|thank you|but|so|please|hey)\b[,:!.]?\s*/i, '')
      .replace(/^(?:from now on|from here on|in (?:the )?future|going forward|next time|in all future \w+)\b[,:]?\s*/i, '')
      .replace(/^(?:hi|hello|hey)(?: there)?\b[,!.]?\s*/i, '')
      .replace(/^(?:(?:a )?(?:small|quick|little) (?:favou?r|request|one|thing)|one (?:request|thing)(?: for [^:]{1,40})?)\s*[:,-]\s*/i, '')
      .replace(/^(?:could|can|would|will) you (?:please )?(?=[a-z])/i, '')
      .trim();
    if (next === s) break;
    s = next;
  }
  s = s.replace(/[,\s]*(?:from now on|from here on|in (?:the )?future|going forward|please|thanks|thank you)[.!]*$/i, '').trim();
  s = s.replace(/[.!?:;,\s]+$/, '');
  if (!s) return '';
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`.slice(0, 240);
}

function cleanRuleZh(rule: string): string {
  let s = rule.trim();
  for (let i = 0; i < 4; i++) {
    const next = s
      .replace(/^(?:另外|还有|而且|并且|然后|对了|好的?|谢谢|另|再说一下)[，,、：:]?\s*/, '')
      .replace(/^(?:以后都?|今后|从现在(?:开始|起)|下次)[，,]?\s*/, '')
      .trim();
    if (next === s) break;
    s = next;
  }
  s = s.replace(/[。！!.~：:；;，,\s]+$/, '');
  return s ? `${s}。`.slice(0, 200) : '';
}

/**
 * Wording the offline templates add to every skill. Maintenance ignores it when comparing two
 * skills: it says nothing about which capability a skill is. (Older template wording is kept so
 * skills learned by earlier versions compare the same way.)
 */
export const TEMPLATE_WORDING = [
  ...IDENTITY_TEMPLATE_WORDING,
  'Use when the user asks to',
  'applies their standing rules',
  'Use for any request from this user',
  'The subject changes from request to request; the rules below always apply',
  'following my rules',
  'Response preferences',
  "Apply this user's standing preferences to every answer",
  '在用户要求',
  '时使用，遵循其长期要求',
  '回答该用户的任何请求时使用',
  '每次请求的主题不同，下列规则始终适用',
  '按我的要求',
  '回答偏好',
  '在所有回答中遵循该用户的长期偏好',
];

export interface OfflineExtractorOptions {
  /** how many rule bullets at most (oldest are dropped first) */
  maxRules?: number;
}

export class OfflineExtractor implements Extractor {
  readonly kind = 'offline';
  readonly label = 'offline';
  constructor(private readonly opts: OfflineExtractorOptions = {}) {}

  async extract(input: ExtractionInput): Promise<ExtractionOutcome> {
    await prepareChineseTypos();
    await prepareTraditional(input.messages.filter((m) => m.role === 'user').map((m) => m.content));
    return extractOffline(input, this.opts);
  }
}

interface WorkItem {
  rules: string[];
  request?: string;
  /** user texts of the work item (for a family named earlier in it) */
  texts: string[];
}

/**
 * A typo in a task word hides the task ("reprots under 600 words", "以后报高600字以内"): the rule
 * would be filed as a general one instead of a report rule (spelling.ts).
 */
function withoutTypos(text: string): string {
  // traditional characters read as simplified: the gate's markers and the families are simplified
  return fixChineseTypos(fixEnglishTypos(toSimplified(text), defaultBackground()));
}

function collectWorkItem(input: ExtractionInput): WorkItem | { empty: string } {
  const statements: Array<{ text: string; feedback: boolean }> = [];
  input.messages.forEach((m, i) => {
    if (m.role !== 'user') return;
    statements.push({ text: withoutTypos(m.content), feedback: i > 0 && input.messages[i - 1]!.role === 'assistant' });
  });
  if (input.hint?.trim()) statements.push({ text: input.hint.trim(), feedback: true });
  if (statements.length === 0) return { empty: 'no user message in the window' };
  // Walk back through the current work item; its opening request ends the walk (topic boundary).
  const rules: string[] = [];
  const texts: string[] = [];
  let request: string | undefined;
  for (let i = statements.length - 1; i >= 0; i--) {
    const a = analyzeStatement(statements[i]!.text, { feedback: statements[i]!.feedback });
    rules.unshift(...a.rules);
    texts.unshift(statements[i]!.text.slice(0, 600));
    if (a.request) {
      request = a.request;
      break;
    }
  }
  return { rules, request, texts };
}

/**
 * The part of a rule that directs, without the reason given before it: "I paste your answers into
 * emails, so please always write plain text" is about answers, not emails; "我会把回答粘到邮件里，
 * 所以请一直用纯文本" likewise. A rule that opens by naming its task ("When you translate for me,
 * …") keeps it.
 */
function directivePart(rule: string): string {
  rule = widenedAway(rule);
  const en = /^(?:I|I'm|I am|we|we're|my|our)\b[^.]*?,?\s+(?:so|therefore|that's why|which is why)\s+(.+)$/i.exec(rule);
  if (en) return en[1]!;
  const zh = /^.*?(?:所以|因此|因而)[，,]?(.+)$/u.exec(rule);
  if (zh) return zh[1]!;
  // the directive, then why: "以后回答不要用markdown排版，我要复制到邮件里" names no email task
  const why = /^(.+?)[，,;；]\s*(?:因为|由于|我要|我得|我会|我的|我们|毕竟|不然|否则|because|since|my |I'm |I am |I need |I use |our )/iu.exec(rule);
  return why ? why[1]! : rule;
}

/** "…, not just for running", "不只是这次": the work named there is what the rule reaches beyond, not its scope */
function widenedAway(rule: string): string {
  return rule.replace(/[,;—–-]?\s*\bnot (?:just|only) (?:for|in|with|about|when)\b[^.,;!?]*/gi, '').replace(/[，,]?不(?:只|仅|光)(?:是)?(?:在|对)?[^，,。；;]{0,10}(?:这次|的时候|里)?/g, '');
}

/** "Unrelated to the poem: never use markdown in any reply" names the poem to set it aside. */
function withoutAside(rule: string): string {
  const aside =
    /^(?:(?:unrelated|not related|nothing to do|separate|apart|aside)(?: to| with| from)?|not about|besides)\b[^:,;]{0,40}[:,;]\s*(.+)$/is.exec(rule) ??
    /^[^，,：:；;]{1,14}(?:无关|没关系|不相关)[哈啊呀吧的]?[：:，,；;]\s*(.+)$/su.exec(rule);
  return aside ? aside[1]! : rule;
}

/** The deterministic extraction itself (sync; exported for tests and for `simulate`). */
export function extractOffline(input: ExtractionInput, opts: OfflineExtractorOptions = {}): ExtractionOutcome {
  const item = collectWorkItem(input);
  if ('empty' in item) return { candidate: null, reason: item.empty };
  item.rules = item.rules.map(withoutAside);
  if (item.rules.length === 0) {
    return { candidate: null, reason: 'no durable rule or correction stated by the user (one-off request)' };
  }
  const lang = detectLanguage(item.rules.join(' ') + ' ' + (item.request ?? ''));
  const cleaned = uniqueItems(
    item.rules.map((r) => stripPlaceholders(lang === 'zh' ? cleanRuleZh(r) : cleanRuleEn(r))).filter((r) => r.length > 1),
  );
  const maxRules = opts.maxRules ?? 12;
  const bullets = cleaned.slice(Math.max(0, cleaned.length - maxRules));
  if (bullets.length === 0) return { candidate: null, reason: 'the stated rules were empty after de-identification' };

  // The family: one a rule names ("for my reports") wins; else the request's; else one named
  // earlier in the work item ("this is for my weekly report" before the request).
  // A rule that opens with its topic ("自我介绍以后都…", "给领导的汇报就…") is about that kind of work,
  // whatever other work it names later ("…，别把简历念一遍") or the request was about.
  const topic = bullets.map((b) => topicKind(directivePart(b))).find((k): k is string => k !== undefined);
  const topicFamily = topic === undefined ? undefined : familyOfRequest(topic);
  const requestFamily = item.request ? familyOfRequest(item.request) : undefined;
  // Feedback on a piece of work of a known kind is about that kind: a kind it names only in passing
  // ("…then a plain two-sentence summary", "built round one actual story", "anything you plan for
  // my class") is part of what it asks for. Only a kind it is scoped to ("for my reports", "when
  // you translate") takes the rule elsewhere.
  // (the scope as said: the clean-up drops "以后" from "以后写合作邀约，…")
  const scopedAsSaid = item.rules.map((r) => familyOfRule(directivePart(r))).filter((f) => f?.scoped).map((f) => f!.family);
  const inRule = (b: string): TaskFamily | undefined => {
    const found = familyOfRule(directivePart(b));
    const said = found?.family;
    if (!said || !requestFamily || said === requestFamily) return said;
    // …unless the request's kind is a broad one, or the rule's a case of it: then the rule's is the
    // more precise ("How do I fix…" is an explanation, its rule about repair instructions; "我问猫的事儿")
    if (BROAD_FAMILIES.has(requestFamily.key) || said.within === requestFamily.key) return said;
    return found.scoped || scopedAsSaid.includes(said) ? said : requestFamily;
  };
  const ruleFamily = topic !== undefined ? topicFamily : bullets.map(inRule).find((f): f is TaskFamily => f !== undefined);
  // …unless the request's own name for it holds the rule's word: "写年终总结" then "每次写这种总结都…"
  // is about year-end reports, not about summaries
  // …or the request's kind is a case of the rule's ("I need a regex…" then "…give them in Python syntax" is about regexes)
  const named = ruleFamily && requestFamily && item.request && (names(requestFamily, ruleFamily, item.request) || requestFamily.within === ruleFamily.key) ? requestFamily : ruleFamily;
  // a kind of work the rule names itself ("广告语这种以后都…") is what it is about, whatever the request was
  const saidKind =
    topic !== undefined
      ? topicFamily
        ? undefined
        : topic
      : named || (requestFamily && bullets.some((b) => requestFamily.enRe.test(b) || requestFamily.zhRe.test(b)))
        ? undefined
        : [...item.rules, ...bullets].map((b) => kindOfRule(directivePart(b))).find((k) => k !== undefined);
  // a kind a family knows by another word is that family ("each report", "bedtime stories")
  // …and a kind the request was asked in is the request's kind of work: "Could you review this Go
  // handler?" then "For future reviews, tag every comment…" is about code reviews
  const familyOfKind = saidKind === undefined ? undefined : (familyOfRequest(saidKind) ?? (requestFamily && item.request && saysKind(item.request, saidKind, '(?:s|ed|ing)?') ? requestFamily : undefined));
  const ruleKind = familyOfKind ? undefined : saidKind;
  // (a family named elsewhere in the work item only when the request names no kind of its own: "Can
  // you write an FAQ page?" then "The questions sound like we wrote them ('What is our policy?')")
  const family =
    named ??
    familyOfKind ??
    (ruleKind ? undefined : (requestFamily ?? (kindOfRequest(item.request) ? undefined : item.texts.map((t) => familyOfRequest(withoutComparisons(t))).find((f): f is TaskFamily => f !== undefined))));
  // a deliverable under discussion counts as a task even when its request was phrased as a question
  // (a question such as "what is X?" is conversation, not a deliverable)
  const deliverable = family !== undefined && family.key !== 'explanation';
  // no family: the kind of work the request made, if it names one ("a short bio", "读后感")
  const requestKind = family ? undefined : kindOfRequest(item.request);
  // the kind the rules are about: the request's when the rules say it too ("让你列购物清单都…"), else the one they name
  const head = requestKind?.split(' ').pop()?.replace(/s$/, '');
  const kind = family ? undefined : head && item.rules.some((r) => r.toLowerCase().includes(head)) ? requestKind : (ruleKind ?? requestKind);
  const ctx = { hasRequest: item.request !== undefined || deliverable, family: deliverable ? family : undefined, familyInRule: ruleFamily !== undefined, ...(requestKind ? { requestKind } : {}), ...(requestFamily ? { requested: requestFamily } : {}) };
  // Standing only when every rule is about the user in general: one task-bound rule binds the
  // whole skill to its task (a report rule must not be injected into every answer).
  // (judged on the rules as said: the clean-up drops "from now on", which is the evidence)
  // Rules said together share their scope: "stop using bullet points. I want plain text answers
  // from now on" is one standing wish, as long as no rule names a deliverable.
  const together = !ctx.family && !ctx.familyInRule && isStandingRule(item.rules.join(' '), ctx);
  // A lasting rule bound to no kind of work could reach no request: with no family, kind or
  // deliverable to bind it to ("please always lean toward the cheapest options"), it is the user's.
  const unbound = !family && !ruleKind && !requestKind && item.rules.some((r) => DURABLE.test(r));
  // Rules said under "this goes for everything I ask you" are the user's, whatever work word one of
  // them holds ("…no recap of what I asked"), unless one is scoped to a kind ("in my reports").
  const everything = item.rules.some(saysEverything) && !item.rules.some((r) => scopedFamily(widenedAway(r)) !== undefined);
  // the reason before a directive may name a place ("我基本都要往微信里转，所以别用加粗"): the directive decides, unless the rule is scoped to a kind
  const standing = (r: string): boolean => isStandingRule(r, ctx) || (directivePart(r) !== r && scopedFamily(r) === undefined && isStandingRule(directivePart(r), ctx));
  const applies: SkillApplies = everything || together || unbound || item.rules.every(standing) ? 'always' : 'task';
  return {
    candidate: buildCandidate(lang, bullets, family, applies, kind),
    reason: `${bullets.length} rule(s) stated by the user (${applies === 'always' ? 'standing preference' : family ? `task: ${family.key}` : 'task'})`,
  };
}

/** a sentence that is only a scope over every answer (offline-markers.ts EN_EVERY_ANSWER, ZH_EVERY_ANSWER) */
const SCOPE_ONLY = new RegExp(`^(?:(?:and|so|also|that's|this is|it's)\\s+)?(?:${EN_EVERY_ANSWER})[\\s.!。！]*$|^(?:${ZH_EVERY_ANSWER})[。！!]*$`, 'i');

function buildCandidate(lang: TemplateLanguage, bullets: string[], family: TaskFamily | undefined, applies: SkillApplies, kind?: string): ProposedSkill {
  const k = kind ? { kind } : {};
  const id = composeIdentity({ lang, family, applies, rules: bullets, ...k });
  // Only the newest rules name the skill: an earlier rule of the work item was learned already.
  // (a sentence that only widens a rule's scope, "same goes for anything you send me", names nothing)
  // (nor does the scope alone: "Whatever we're talking about.", "whatever the question is.")
  const naming = bullets.filter((b) => !(SCOPE_WIDENING.test(b) && b.split(/\s+/).length <= 10) && !SCOPE_ONLY.test(b.trim()));
  // …the newest that says what to do: a closing reason ("I'd rather hear 'I don't know'") names nothing
  const pool = naming.length > 0 ? naming : bullets;
  const nameRule = pool.findLast((b) => aspectOf(b) !== undefined) ?? pool.at(-1)!;
  const named = composeIdentity({ lang, family, applies, rules: bullets, nameRules: [nameRule], ...k });
  return {
    slug: named.slug,
    name: named.name,
    description: id.description,
    instructions: renderPrompt({ goal: id.goal, constraints: bullets, workflow: [], other: '' }),
    triggers: id.triggers,
    tags: id.tags,
    examples: [],
    confidence: Math.min(0.85, 0.55 + 0.1 * bullets.length),
    files: {},
    applies,
    // A task rule with no known deliverable is filed under `general`: it may gather other general
    // rules, but never joins a skill of a named family (that is how buckets of unrelated rules grew).
    ...(applies === 'task' ? { family: family?.key ?? (id.kind !== undefined ? kindFamilyKey(id.kind) : undefined) ?? GENERAL_FAMILY } : {}),
  };
}
