import { isPending } from '../skill/review.js';
import { isStanding } from '../skill/standing.js';
import type { Skill } from '../skill/schema.js';

/**
 * Which standing skills go into a turn. Standing skills are the user's preferences for every
 * conversation ("answer in plain text", "reply in Chinese"), so they are not ranked against the
 * request; they are chosen by recency within a small budget, and a newer preference overrides an
 * older one that says something else about the same aspect of the answer.
 *
 * Conflicts are found by facet: the aspect of the answer a rule is about (language, format,
 * emoji, length, tone, address) and the value it asks for. Two rules conflict when they share a
 * facet with different values ("plain text" vs "use Markdown"). An older skill is left out only
 * when every facet it speaks to is also spoken to by newer skills, so that "plain text, in
 * Chinese" still contributes its language when a newer rule changes only the format. Rules with
 * no recognised facet never conflict. Facets are detected with word lists on purpose: the check
 * runs on the request path, on the user's own few standing skills, and must be deterministic.
 */

export interface Facet {
  facet: string;
  value: string;
}

interface FacetRule {
  facet: string;
  value: string;
  pattern: RegExp;
}

const RULES: FacetRule[] = [
  // language of the answer
  { facet: 'language', value: 'zh', pattern: /\b(?:in|into) (?:simplified |traditional )?chinese\b|\bchinese (?:only|answers?|replies)\b|(?:用|使用|以)(?:简体)?中文|中文(?:回答|回复|作答)/i },
  { facet: 'language', value: 'en', pattern: /\b(?:in|into) english\b|\benglish (?:only|answers?|replies)\b|(?:用|使用|以)英文|英文(?:回答|回复|作答)|用英语/i },
  { facet: 'language', value: 'ja', pattern: /\b(?:in|into) japanese\b|(?:用|使用)日(?:文|语)/i },
  { facet: 'language', value: 'fr', pattern: /\b(?:in|into) french\b|(?:用|使用)法(?:文|语)/i },
  { facet: 'language', value: 'de', pattern: /\b(?:in|into) german\b|(?:用|使用)德(?:文|语)/i },
  { facet: 'language', value: 'es', pattern: /\b(?:in|into) spanish\b|(?:用|使用)西班牙语/i },
  // format of the answer (a wish taken back first: "forget the plain text thing, markdown is fine again")
  { facet: 'format', value: 'markdown', pattern: /\bmarkdown (?:is|are) (?:fine|ok|okay|allowed)(?: again)?\b|\b(?:use|go back to|start using) markdown again\b|markdown\s*(?:又|重新)可以|(?:又|重新)可以(?:用|使用)\s*markdown|恢复(?:用|使用)\s*markdown/i },
  { facet: 'format', value: 'plain', pattern: /\bplain[- ]?text\b|\bno markdown\b|\bwithout markdown\b|\bdon'?t use markdown\b|纯文本|不要(?:用|使用)?\s*markdown|不用\s*markdown/i },
  { facet: 'format', value: 'markdown', pattern: /\b(?:use|in|with|format (?:it |answers )?(?:in|as)) markdown\b|(?:用|使用)\s*markdown(?!.{0,3}(?:吗|么))/i },
  { facet: 'format', value: 'json', pattern: /\b(?:answer|reply|respond|output)s? (?:only )?in json\b|\bjson only\b|(?:用|以)\s*json\s*(?:格式)?(?:回答|回复|输出)/i },
  // emoji
  { facet: 'emoji', value: 'none', pattern: /\bno emojis?\b|\bwithout emojis?\b|\b(?:don'?t|do not|never) use emojis?\b|\bstop using emojis?\b|不要(?:用|使用|加)?(?:表情|emoji)|不用(?:表情|emoji)|别(?:用|加)(?:表情|emoji)/i },
  { facet: 'emoji', value: 'use', pattern: /\b(?:use|add|include) (?:some |more |a few )?emojis?\b|(?:多|要)(?:用|加)(?:表情|emoji)/i },
  // length of the answer
  { facet: 'length', value: 'short', pattern: /\b(?:be |keep (?:it|answers|replies|responses) )(?:brief|short|concise)\b|\bshort(?:er)? (?:answers|replies|responses)\b|\bconcise(?:ly)?\b|简洁|简短|简明|精简/i },
  { facet: 'length', value: 'long', pattern: /\b(?:detailed|in-depth|thorough|longer) (?:answers|replies|responses|explanations?)\b|\bin (?:great |more )?detail\b|详细(?:一些|一点|地|回答)|(?:展开|详尽)/i },
  // how to address the user ("call me Sam", later "call me Alex": the newer one wins)
  { facet: 'address', value: 'name', pattern: /\b(?:call|address|refer to) me\b|(?<![帮替给])叫我(?![去来做写])|称呼我/i },
  // tone
  { facet: 'tone', value: 'formal', pattern: /\bformal (?:tone|style|register|language)\b|\bbe formal\b|正式(?:的)?(?:语气|口吻|风格)|语气正式/i },
  { facet: 'tone', value: 'casual', pattern: /\b(?:casual|informal|friendly|relaxed) (?:tone|style|register|language)\b|\bbe casual\b|(?:轻松|随意|口语化)(?:的)?(?:语气|口吻|风格)?/i },
];

/** The facets a standing skill speaks to, from its name, description and instructions. */
export function facetsOf(skill: Pick<Skill, 'name' | 'description' | 'instructions'>): Facet[] {
  const text = `${skill.name}\n${skill.description}\n${skill.instructions}`.slice(0, 4000);
  const found = new Map<string, Facet>();
  for (const rule of RULES) {
    if (found.has(rule.facet)) continue; // the first match per facet wins; rules are ordered by strength
    if (rule.pattern.test(text)) found.set(rule.facet, { facet: rule.facet, value: rule.value });
  }
  return [...found.values()];
}

export interface StandingSelection {
  /** chosen skills, newest first */
  skills: Skill[];
  /** skills left out because newer standing skills override every facet they speak to */
  overridden: Array<{ id: string; by: string[] }>;
}

export interface StandingLimits {
  /** at most this many standing skills per turn (default 5) */
  max?: number;
}

export const DEFAULT_MAX_STANDING = 5;

function recency(s: Skill): number {
  const t = Date.parse(s.updatedAt ?? s.createdAt ?? '');
  return Number.isFinite(t) ? t : 0;
}

/**
 * Choose the standing skills for a turn from a user's standing skills: newest first, older ones
 * dropped when newer ones cover all their facets, at most `max`.
 */
export function selectStanding(candidates: readonly Skill[], limits: StandingLimits = {}): StandingSelection {
  const max = Math.max(0, Math.floor(limits.max ?? DEFAULT_MAX_STANDING));
  const sorted = candidates
    .filter(isStanding)
    .slice()
    .sort((a, b) => recency(b) - recency(a) || b.version.localeCompare(a.version, undefined, { numeric: true }) || a.id.localeCompare(b.id));
  /** facet → id of the newest skill that spoke to it */
  const claimed = new Map<string, string>();
  const skills: Skill[] = [];
  const overridden: StandingSelection['overridden'] = [];
  for (const s of sorted) {
    const facets = facetsOf(s);
    const by = facets.map((f) => claimed.get(f.facet)).filter((x): x is string => x !== undefined);
    if (facets.length > 0 && by.length === facets.length) {
      overridden.push({ id: s.id, by: [...new Set(by)] });
      continue;
    }
    for (const f of facets) if (!claimed.has(f.facet)) claimed.set(f.facet, s.id);
    if (skills.length < max) skills.push(s);
  }
  return { skills, overridden };
}

/**
 * A user's standing skills, kept up to date from store changes so the request path never scans
 * the store: a turn looks up its user in O(1) and sorts a handful of skills.
 */
export class StandingRegistry {
  private readonly byOwner = new Map<string, Map<string, Skill>>();
  private readonly ownerOf = new Map<string, string>();

  upsert(skill: Skill): void {
    this.remove(skill.id);
    // A skill held for review is never injected, standing or not.
    if (!isStanding(skill) || isPending(skill)) return;
    let m = this.byOwner.get(skill.owner);
    if (!m) this.byOwner.set(skill.owner, (m = new Map()));
    m.set(skill.id, skill);
    this.ownerOf.set(skill.id, skill.owner);
  }

  remove(id: string): void {
    const owner = this.ownerOf.get(id);
    if (owner === undefined) return;
    this.ownerOf.delete(id);
    const m = this.byOwner.get(owner);
    m?.delete(id);
    if (m && m.size === 0) this.byOwner.delete(owner);
  }

  /** The standing skills an owner (`user:<id>`) has. */
  of(owner: string): Skill[] {
    const m = this.byOwner.get(owner);
    return m ? [...m.values()] : [];
  }

  get size(): number {
    return this.ownerOf.size;
  }
}
