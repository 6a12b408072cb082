import { PIECE_ZH, PRODUCE_VERBS_EN, PRODUCE_VERBS_ZH } from '../retrieve/query-form.js';
import { BROAD_FAMILIES, FAMILIES, QUESTION_FAMILIES, type TaskFamily } from './families.js';
import { QUOTE_RE, type TemplateLanguage } from './text.js';

export { FAMILIES, QUESTION_FAMILIES, type TaskFamily };

/** The family key of offline-learned task rules that name no known deliverable. */
export const GENERAL_FAMILY = 'general';

const BY_KEY = new Map(FAMILIES.map((f) => [f.key, f]));

export function familyByKey(key: string | undefined): TaskFamily | undefined {
  return key ? BY_KEY.get(key) : undefined;
}

function matches(f: TaskFamily, text: string): boolean {
  return f.enRe.test(text) || f.zhRe.test(text);
}

const produced = new Map<string, RegExp>();
/** "准备一份汇报材料", "写一份关于…的报告", "write me a short report", "draft a white paper": a request to make one of these. */
function producedBy(f: TaskFamily): RegExp {
  let re = produced.get(f.key);
  if (!re) {
    const zh = String.raw`(?:${PRODUCE_VERBS_ZH})(?:一)?(?:${PIECE_ZH})[^，,。；;！!？?]{0,24}?(?:${f.zhRe.source})`;
    const en = String.raw`\b(?:${PRODUCE_VERBS_EN})(?: me| us)? (?:a |an |the |my |some )?(?:(?!(?:of|on|about|for|from|in|into)\b)[\w-]+ ){0,3}?(?:${f.enRe.source})`;
    re = new RegExp(`${zh}|${en}`, 'iu');
    produced.set(f.key, re);
  }
  return re;
}

const mentions = new Map<string, RegExp>();
/**
 * The family's words anywhere in the request, with `producedBy`'s flags: a request that does not
 * mention them cannot ask for one, and this test is several times cheaper than `producedBy`'s
 * (which runs on every search of a user with learned skills).
 */
function mentionedIn(f: TaskFamily, request: string): boolean {
  let re = mentions.get(f.key);
  if (!re) {
    re = new RegExp(`(?:${f.zhRe.source})|(?:${f.enRe.source})`, 'iu');
    mentions.set(f.key, re);
  }
  return re.test(request);
}

/**
 * The family of a request. A transformation ("translate", "总结") names the work unless the
 * request turns material into another deliverable ("改写成公众号文章", "rewrite it as an email").
 */
export function familyOfRequest(request: string): TaskFamily | undefined {
  const into = /(?:改写|改|写|转|整理|做)成(.{1,12})|\b(?:into|as) (?:an? |the )?([\w -]{1,30})/i.exec(request);
  if (into) {
    const target = (into[1] ?? into[2] ?? '').trim();
    // a transformation named first in the target is what it becomes ("整理成会议记录发群里" is minutes)
    const f = FAMILIES.find((x) => (!x.transform || firstMatch(x, target)?.index === 0) && matches(x, target));
    if (f) return f;
  }
  // the deliverable a request asks to be made wins over a transformation named as its topic
  // ("帮我准备一份汇报材料，讲讲AI对翻译行业的影响", "write a report on the translation industry")
  const made = FAMILIES.find((f) => !f.transform && mentionedIn(f, request) && producedBy(f).test(request));
  // …unless another kind's name holds the word it was made from ("拍个短视频，帮我出个脚本" is a video script)
  if (made) return FAMILIES.find((f) => f !== made && !f.transform && names(f, made, request)) ?? made;
  const transform = FAMILIES.find((f) => f.transform && matches(f, request));
  if (transform) return FAMILIES.find((f) => !f.transform && names(f, transform, request)) ?? transform;
  return firstNamed(request);
}

function firstMatch(f: TaskFamily, text: string): RegExpExecArray | null {
  return f.enRe.exec(text) ?? f.zhRe.exec(text);
}

/**
 * `f`'s name in `text` holds `other`'s word: "年终总结" is a report that says 总结, "revision
 * notes" are study notes, not a summary. The longer name is the more specific kind of work.
 */
export function names(f: TaskFamily, other: TaskFamily, text: string): boolean {
  const m = firstMatch(f, text);
  if (!m || m[0].length < 2) return false;
  // …as its head, the word it ends with ("年终总结", "revision notes", "拍个短视频，帮我出个脚本"):
  // "年会要主持，帮我写一段开场" holds the host script's word but is no kind of host script
  for (const all of everyMatch(other)) {
    for (const inner of m[0].matchAll(all)) if (inner[0].length < m[0].length && inner.index + inner[0].length === m[0].length) return true;
  }
  return false;
}

const globalPatterns = new Map<string, readonly RegExp[]>();
/** The family's patterns with the g flag (matchAll), made once per family. */
function everyMatch(f: TaskFamily): readonly RegExp[] {
  let res = globalPatterns.get(f.key);
  if (!res) {
    res = [f.enRe, f.zhRe].map((re) => new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`));
    globalPatterns.set(f.key, res);
  }
  return res;
}

/** Activities rather than deliverables: they name the work only when no deliverable is named. */
const ACTIVITIES = new Set(['analysis', 'explanation']);

/**
 * Where the asking starts: "我要在县城开一家烘焙小店，帮我起几个店名" asks for names; the bakery is
 * context said before the ask.
 */
const ASK_AT = /帮我|帮忙|给我|请你|麻烦你?|\b(?:can|could|would|will) (?:you|u)\b|\bplease\b|\bhelp me\b|\b(?:I|we) (?:need|want)\b|^\s*(?:(?:hi|hey|ok(?:ay)?|so)[,!]?\s+)?(?:write|draft|make|create|prepare|compose|put together|give me|generate|plan|design|outline)\b/i;

/**
 * The deliverable named first, from where the asking starts ("公众号推文：40岁开始学编程" is an
 * article about programming, not code); one named only before the ask counts when none is after it.
 */
function firstNamed(request: string): TaskFamily | undefined {
  const askAt = ASK_AT.exec(request)?.index ?? 0;
  let best: TaskFamily | undefined;
  let at = Infinity;
  let asked: TaskFamily | undefined;
  let askedAt = Infinity;
  for (const f of FAMILIES) {
    if (f.transform || ACTIVITIES.has(f.key)) continue;
    for (const re of [f.enRe, f.zhRe]) {
      const m = re.exec(request);
      if (!m) continue;
      if (m.index < at) {
        best = f;
        at = m.index;
      }
      if (m.index >= askAt && m.index < askedAt) {
        asked = f;
        askedAt = m.index;
      }
    }
  }
  // a broad kind asked for ("…去西安玩四天，帮我规划一下") does not override the specific one said before the ask
  if (asked && asked !== best && (!BROAD_FAMILIES.has(asked.key) || (best && BROAD_FAMILIES.has(best.key)))) best = asked;
  // a narrower kind named along with its broader one is the work ("论文查重率太高" is rewording, not a paper)
  // (not for plans: "团建方案，…去郊区玩一天" asks for the plan document, whatever it plans)
  const narrower = best && best.key !== 'plan' && FAMILIES.find((f) => f.within === best!.key && matches(f, request));
  if (narrower) best = narrower;
  if (best) return FAMILIES.find((f) => f !== best && !f.transform && names(f, best!, request)) ?? best;
  return FAMILIES.find((f) => ACTIVITIES.has(f.key) && matches(f, request));
}

/** A family a rule itself names ("for my reports", "代码注释要…"), if any. */
/** A deliverable the rule is scoped to: "in a report", "for my emails", "报告里", "周报中". */
function scopedIndex(f: TaskFamily, rule: string): number {
  let at = Infinity;
  for (const re of [f.enRe, f.zhRe]) {
    const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
    for (let m = g.exec(rule); m; m = g.exec(rule)) {
      const before = rule.slice(Math.max(0, m.index - 16), m.index);
      const after = rule.slice(m.index + m[0].length, m.index + m[0].length + 2);
      if (
        /\b(?:in|for|to|into|across|within|of|on) (?:(?:a|an|the|my|our|all|every|each|your|any) )?$/i.test(before) ||
        // a class of them at the head of a clause: "Any trip I plan with him: …", "every cover letter …"
        /(?:^|[.;:!?,]\s*|\b(?:and|but|so|also) )(?:any|every|each|all)(?: (?:of )?(?:my|our|the|your))? $/i.test(before) ||
        /^(?:any|every|each|all) /i.test(m[0]) ||
        /^(?:里|中|内)/.test(after) ||
        // "以后我的报告只能…", "每份报告…", "所有的周报…": whose, or how many of them
        /(?:我|我们|所有|全部|以后|今后)(?:的)?$|每(?:一)?[份篇个封]?$/u.test(before) ||
        // "以后写合作邀约，…", "下次帮我做PPT…", "我做单词卡的要求…": the work said as what is done from now on, or as the user's
        /(?:以后|今后|往后|每次|下次|我|我们)(?:你)?(?:帮我|给我)?(?:写|做|出|发|弄|整理|列)(?:的)?\p{Script=Han}{0,2}$/u.test(before)
      )
        at = Math.min(at, m.index);
      if (m[0].length === 0) g.lastIndex++;
    }
  }
  return at;
}

/** A deliverable the rule is explicitly scoped to anywhere in it ("…，我的报告都要…", "…, in my reports"). */
export function scopedFamily(rule: string): TaskFamily | undefined {
  return FAMILIES.find((f) => f.inRules && scopedIndex(f, rule) < Infinity);
}

/**
 * A text without its comparisons: "像写公文一样", "like a legal document", "it reads a bit like his CV" say how it
 * reads, not what it is.
 */
export function withoutComparisons(text: string): string {
  return text.replace(/像[^，,。；;]{1,10}(?:一样|似的)|跟[^，,。；;]{1,10}似的|\blike (?:an? |some )?(?:[\w-]+ ){0,2}(?:report|essay|paper|legal document|contract|textbook|press release|email|speech)\b|\b(?:reads?|sounds?|looks?|feels?|comes? across) (?:\w+ ){0,2}like (?:an? |his |her |their |my |your |our |the |some )?(?:[\w-]+ ){0,2}[\w-]+/giu, ' ');
}

const EXAMPLES_AFTER = /[，,;；—-]\s*(?:尤其(?:是)?|特别是|比如|例如|\b(?:especially|particularly|for example|like)\b|e\.g\.)/iu;

/** a rule scoped to every answer (not to a kind of work) */
const EVERY_ANSWER = /每次回答|每个回答|所有(?:的)?回答|回答(?:的)?(?:最后|结尾|末尾|开头)|\b(?:every|each|all(?: of)?(?: your| my)?) (?:answers?|repl(?:y|ies)|responses?)\b|\b(?:end|start|begin|finish|close) (?:each|every|all|all of|your) (?:answers?|repl(?:y|ies)|responses?)\b/i;

export function familyInRule(said: string): TaskFamily | undefined {
  return familyOfRule(said)?.family;
}

/**
 * The family a rule is about (familyInRule), and whether the rule is scoped to it: opens with that
 * work ("When you translate for me, …") or names it as its scope ("in my reports", "Any trip I plan
 * with him: …"), rather than only naming it somewhere ("…then a two-sentence summary").
 */
export function familyOfRule(said: string): { family: TaskFamily; scoped: boolean } | undefined {
  // a comparison names no task: "像写公文一样" / "like a legal document" is how it reads, not what it is
  // a quoted phrase names no family ("none of that 'as per my last email' stuff"); a short quoted name still does ('"release notes"')
  const rule = withoutComparisons(said.replace(QUOTE_RE, (q) => (q.length > 16 ? ' … ' : q)));
  // scoped to every answer, a kind named in it is part of the answer: "每次回答最后加一句话总结", "end every reply with a summary"
  if (EVERY_ANSWER.test(rule)) return undefined;
  // what follows "especially" are examples of a general rule, not its scope ("别瞎编，尤其是论文、数据和出处")
  const examples = EXAMPLES_AFTER.exec(rule);
  if (examples) return familyOfRule(rule.slice(0, examples.index));
  // a rule that opens with the task it is about: "When you translate for me, …", "Whenever you summarize…"
  const lead = /^(?:whenever|when|every time|each time|any time|if) (?:you|u) ([^,.;]{2,60})/i.exec(rule) ?? /^(?:每次|以后)?(?:你)?(?:帮我)?((?:翻译|总结|写|做)[^，,。；;]{0,12})(?:时|的时候)/u.exec(rule);
  if (lead) {
    const f = familyOfRequest(lead[1]!);
    if (f && f.inRules) return { family: f, scoped: true };
  }
  // a deliverable the rule is explicitly scoped to wins ("no more than three charts in a report")
  let scoped: TaskFamily | undefined;
  let scopedAt = Infinity;
  for (const f of FAMILIES) {
    if (!f.inRules) continue;
    const i = scopedIndex(f, rule);
    if (i < scopedAt) {
      scoped = f;
      scopedAt = i;
    }
  }
  if (scoped) return { family: scoped, scoped: true };
  // the deliverable named first is the one the rule is about ("每份报告开头都要有一段摘要" is about reports)
  let best: TaskFamily | undefined;
  let at = Infinity;
  // a transformation noun inside a rule is usually a part of the deliverable ("an executive
  // summary at the top of each report"), so it names the family only when nothing else does
  for (const f of [...FAMILIES.filter((x) => !x.transform), ...FAMILIES.filter((x) => x.transform)]) {
    if (!f.inRules) continue;
    if (f.transform && best) break;
    for (const re of [f.enRe, f.zhRe]) {
      const m = re.exec(rule);
      if (m && m.index < at) {
        best = f;
        at = m.index;
      }
    }
  }
  return best && { family: best, scoped: false };
}

export function familyLabel(f: TaskFamily, lang: TemplateLanguage): string {
  return lang === 'zh' ? f.zh : f.en;
}

export function familyTriggers(f: TaskFamily, lang: TemplateLanguage): string[] {
  return lang === 'zh' ? [...f.zhTriggers, f.enTriggers[0]!] : [...f.enTriggers, f.zhTriggers[0]!];
}
