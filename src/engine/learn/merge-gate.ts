import type { Skill } from '../skill/schema.js';
import { appliesOf } from '../skill/standing.js';
import type { ProposedSkill } from './candidate.js';
import { sameRule } from './merge.js';
import { TEMPLATE_WORDING } from './offline-extractor.js';
import { parsePrompt } from './sections.js';
import { isRelease, takenBack } from './revoke.js';
import type { LearnSkillHit } from './search-port.js';
import { containment, jaccard, normalizeIdentity, tokenSet } from './text.js';

/**
 * The merge gate: whether a candidate is the same capability as an existing skill (and may be
 * merged into it), whether a Common skill already covers it, and whether the user's skill
 * already holds its rules. Deterministic; maintenance uses it alone without a model and as the
 * guardrail on a model's decision.
 */

/** Merge-gate threshold on `mergeConfidence` (calibrated on labelled same/different pairs, see tests). */
export const MERGE_GATE = 0.35;
/** A Common skill "covers" a rule when this share of the rule's tokens appear in one of its lines. */
const COVERAGE = 0.7;

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * Task verbs say little about which capability a skill is ("write a report" vs "write an essay"
 * differ in the deliverable, not the verb), and template wording says nothing; both are removed
 * before skills are compared.
 */
const GENERIC_VERBS_EN =
  /\b(?:write|writing|draft|drafting|create|make|generate|compose|prepare|produce|do|give|build|get|provide|answer|respond|reply|help|please|the|a|an)\b/gi;
const GENERIC_VERBS_ZH = /撰写|起草|编写|生成|制作|准备|帮我|给我|请|写|做/g;
const NOISE = tokenSet(TEMPLATE_WORDING.join('\n'));

function capabilityTokens(text: string): Set<string> {
  const stripped = text.replace(GENERIC_VERBS_EN, ' ').replace(GENERIC_VERBS_ZH, ' ');
  const out = new Set<string>();
  for (const t of tokenSet(stripped)) if (!NOISE.has(t)) out.add(t);
  return out;
}

function signalText(s: { name: string; description: string; triggers: string[]; tags: string[] }): string {
  let text = [s.name, s.description, ...s.triggers, ...s.tags].join('\n');
  for (const w of TEMPLATE_WORDING) text = text.split(w).join(' ');
  return text;
}

/** Overlap of two token sets relative to the smaller one (a short name inside a longer one counts). */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  return Math.max(containment(a, b), containment(b, a)) * (a.size && b.size ? 1 : 0);
}

/**
 * Deterministic confidence that a candidate and a skill are the same capability: what they are
 * called (name and slug, task verbs removed), their descriptive signal (description, triggers,
 * tags), and the retrieval score.
 */
export function mergeConfidence(cand: ProposedSkill, skill: Skill, score: number): number {
  const name = overlap(
    capabilityTokens(`${cand.name} ${cand.slug.replace(/-/g, ' ')}`),
    capabilityTokens(`${skill.name} ${skill.slug.replace(/-/g, ' ')}`),
  );
  const signal = jaccard(capabilityTokens(signalText(cand)), capabilityTokens(signalText(skill)));
  return clamp01(0.45 * name + 0.3 * signal + 0.25 * clamp01(score));
}

/** The family a skill was learned for (offline extraction writes `metadata.family`). */
export function familyOf(skill: Pick<Skill, 'metadata'>): string | undefined {
  return skill.metadata.family?.trim() || undefined;
}

/**
 * Whether a candidate may merge into a user skill at all, whatever the similarity: both must be
 * standing or both task-bound (a task rule merged into a standing skill would be injected on
 * every turn; a standing rule merged into a task skill would only reach that task), and two known
 * task families must be the same (a poem rule never joins an article skill because both are
 * "writing").
 */
export function mergeCompatible(cand: ProposedSkill, skill: Skill): boolean {
  if ((cand.applies ?? 'task') !== appliesOf(skill)) return false;
  const target = familyOf(skill);
  return !(cand.family && target && cand.family !== target);
}

export function passesGate(cand: ProposedSkill, hit: LearnSkillHit): boolean {
  return mergeCompatible(cand, hit.skill) && mergeConfidence(cand, hit.skill, hit.score) >= MERGE_GATE;
}

/**
 * A Common skill covers a candidate only when it would reach every request the candidate would,
 * and says each of its rules:
 *  - a standing preference is never covered (no Common skill is injected on every turn);
 *  - the task: some trigger of the Common skill asks for no more than a trigger of the candidate
 *    ("write a report" covers "write a report"; "draft a government AI policy report" does not
 *    cover the user's reports in general: it is retrieved only for that narrower task);
 *  - each rule: most of its words in one line or sentence of the Common skill, not scattered over
 *    a long body (a 3,000-word skill holds "sources", "cite" and "facts" somewhere).
 */
export function coveredBy(cand: ProposedSkill, skill: Skill): boolean {
  if ((cand.applies ?? 'task') === 'always') return false;
  const taskCovered = cand.triggers.some((t) => {
    const mine = capabilityTokens(t);
    return mine.size > 0 && skill.triggers.some((u) => {
      const theirs = capabilityTokens(u);
      return theirs.size > 0 && containment(theirs, mine) === 1;
    });
  });
  if (!taskCovered) return false;
  const { constraints, workflow } = parsePrompt(cand.instructions);
  const rules = [...constraints, ...workflow];
  if (rules.length === 0) return true;
  const lines = `${skill.description}\n${skill.instructions}`
    .split(/\n|(?<=[.!?;。！？；])\s*/u)
    .map((l) => tokenSet(l))
    .filter((t) => t.size > 0);
  return rules.every((r) => {
    const rt = tokenSet(r);
    return lines.some((l) => containment(rt, l) >= COVERAGE);
  });
}

/** Every rule of the candidate is already a rule of `skill`. */
export function holdsAllRules(skill: Skill, cand: ProposedSkill): boolean {
  const mine = parsePrompt(cand.instructions).constraints;
  if (mine.length === 0) return false;
  const theirs = parsePrompt(skill.instructions).constraints;
  return mine.every((r) => theirs.some((t) => sameRule(t, r)));
}

/** Same normalized title, slug or description among this user's skills (most recently updated first). */
export function findIdentityMatch(userSkills: Skill[], cand: ProposedSkill): Skill | undefined {
  const name = normalizeIdentity(cand.name);
  const desc = normalizeIdentity(cand.description);
  const matches = userSkills.filter(
    (s) =>
      mergeCompatible(cand, s) &&
      ((name && normalizeIdentity(s.name) === name) ||
        s.slug === cand.slug ||
        (desc.length >= 12 && normalizeIdentity(s.description) === desc) ||
        // the same task family, learned offline: one skill per family collects its rules
        (cand.family !== undefined && familyOf(s) === cand.family)),
  );
  matches.sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
  return matches[0];
}

/** The user's skill (most recently updated first) holding a rule the candidate takes back (revoke.ts). */
export function findRevokedHolder(userSkills: Skill[], candRules: readonly string[]): Skill | undefined {
  const statements = candRules.filter(isRelease);
  if (statements.length === 0) return undefined;
  const holders = userSkills.filter((s) => parsePrompt(s.instructions).constraints.some((r) => takenBack(r, statements)));
  holders.sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
  return holders[0];
}
