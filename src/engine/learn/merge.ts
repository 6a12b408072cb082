import { kindOfFamilyKey } from '../skill/kind-family.js';
import { z } from 'zod';
import type { Skill } from '../skill/schema.js';
import type { ProposedSkill } from './candidate.js';
import { toPhraseList } from './candidate.js';
import type { LlmPort } from '../ports/llm.js';
import { MERGE_SYSTEM } from './prompts/maintain.js';
import { stripPlaceholders } from './redact.js';
import { parsePrompt, renderPrompt, uniqueItems } from './sections.js';
import { generateStructured } from './structured.js';
import { containment, jaccard, normalizeIdentity, tokenSet, uniquePhrases } from './text.js';
import { appliesOf } from '../skill/standing.js';
import { composeIdentity, rulesLanguage } from './rule-identity.js';
import { familyByKey } from './task-family.js';
import { facetsOf } from '../retrieve/standing.js';
import { takenBack } from './revoke.js';

/**
 * Merging a candidate into an existing skill of the same user. Both paths (heuristic and LLM)
 * end in the same guard: no rule of the existing skill may disappear (no regression), no rule
 * may appear twice (no duplication), and the candidate's new rules must be present. One exception:
 * the user changed their mind. An existing rule every facet of which (language, format, emoji,
 * length, tone: retrieve/standing.ts) a new rule speaks to is replaced by it ("reply in Chinese",
 * then "reply in English, not Chinese"), as the newer of two standing skills wins at injection;
 * and a rule a new statement takes back ("you don't need to cite sources anymore") goes (revoke.ts).
 */

/** The facets one rule speaks to. */
function ruleFacets(rule: string): string[] {
  return facetsOf({ name: '', description: '', instructions: rule }).map((f) => f.facet);
}

/** An existing rule the incoming rules override on every facet it has (none: never). */
export function superseded(rule: string, incoming: readonly string[]): boolean {
  const facets = ruleFacets(rule);
  if (facets.length === 0) return false;
  const newer = new Set(incoming.flatMap(ruleFacets));
  return facets.every((f) => newer.has(f)) && !incoming.some((r) => sameRule(r, rule));
}

/** An existing rule the incoming rules replace: overridden on every facet, or taken back (revoke.ts). */
export function overridden(rule: string, incoming: readonly string[]): boolean {
  return superseded(rule, incoming) || takenBack(rule, incoming);
}

export interface MergedFields {
  name: string;
  description: string;
  instructions: string;
  triggers: string[];
  tags: string[];
}

export const MERGE_MAX_TRIGGERS = 6;
export const MERGE_MAX_TAGS = 6;

/** Two rules say the same thing when their identity forms match or their tokens mostly overlap. */
export function sameRule(a: string, b: string): boolean {
  if (normalizeIdentity(a) === normalizeIdentity(b)) return true;
  const ta = tokenSet(a);
  const tb = tokenSet(b);
  return ta.size > 0 && tb.size > 0 && jaccard(ta, tb) >= 0.8;
}

/** Existing rules first (order kept), then each candidate rule that is not already there. */
export function unionRules(existing: string[], incoming: string[]): string[] {
  const out = uniqueItems(existing).filter((r) => !overridden(r, incoming));
  for (const rule of incoming) if (!out.some((r) => sameRule(r, rule))) out.push(rule.trim());
  return out;
}

function hasOwnSections(instructions: string): boolean {
  return /^\s{0,3}#{1,4}\s+(goal|constraints)/im.test(instructions);
}

function unionPhrases(a: string[], b: string[], max: number): string[] {
  return uniquePhrases([...a, ...b], max, 80);
}

/** A skill's name once what it asked for is taken back ("Reports: cite sources (taken back)"). */
function takenBackName(name: string): string {
  if (/\(taken back\)$|（已取消）$/.test(name)) return name;
  return /\p{Script=Han}/u.test(name) ? `${name}（已取消）` : `${name} (taken back)`;
}

/** Deterministic merge (offline mode, and the fallback when the merge model fails). */
export function heuristicMerge(existing: Skill, cand: ProposedSkill): MergedFields {
  const cd = parsePrompt(cand.instructions);
  let instructions: string;
  // every rule the skill held was taken back or replaced: it is named after what it holds now
  let replaced = false;
  // every rule the skill held was taken back (not replaced by a new wish): it keeps its name, marked
  let revoked = false;
  if (hasOwnSections(existing.instructions)) {
    const ex = parsePrompt(existing.instructions);
    replaced = ex.constraints.every((r) => overridden(r, cd.constraints));
    revoked = ex.constraints.length > 0 && ex.constraints.every((r) => takenBack(r, cd.constraints));
    instructions = renderPrompt({
      goal: ex.goal || cd.goal,
      constraints: unionRules(ex.constraints, cd.constraints),
      workflow: ex.workflow.length > 0 ? ex.workflow : cd.workflow,
      other: ex.other,
    });
  } else {
    // An imported or hand-written skill: keep its text verbatim, append only rules it lacks.
    const whole = tokenSet(existing.instructions);
    const missing = cd.constraints.filter((r) => containment(tokenSet(r), whole) < 0.8);
    instructions =
      missing.length === 0
        ? existing.instructions
        : `${existing.instructions.trimEnd()}\n\n# Constraints & Style\n${missing.map((r) => `- ${r}`).join('\n')}\n`;
  }
  // A description that grew with the rules (as the offline extractor writes them) is more current.
  const description =
    !existing.description.trim() || cand.description.length > existing.description.length * 1.1
      ? cand.description
      : existing.description;
  return {
    name: revoked ? takenBackName(existing.name) : (replaced ? cand.name : existing.name) || cand.name,
    description,
    instructions,
    triggers: unionPhrases(existing.triggers, cand.triggers, MERGE_MAX_TRIGGERS),
    tags: unionPhrases(existing.tags, cand.tags, MERGE_MAX_TAGS),
  };
}

/**
 * Make a merge result safe: re-add existing rules the merge dropped, add candidate rules it
 * missed, collapse duplicates. Rules are compared by meaning-ish token overlap, so a merge that
 * rephrased a rule is not penalized.
 */
export function guardMerge(existing: Skill, cand: ProposedSkill, merged: MergedFields): MergedFields {
  if (!hasOwnSections(existing.instructions)) return merged;
  const ex = parsePrompt(existing.instructions);
  const cd = parsePrompt(cand.instructions);
  const mg = parsePrompt(merged.instructions);
  const mergedText = tokenSet(mg.constraints.join(' ') + ' ' + mg.workflow.join(' '));
  const kept = (rule: string): boolean =>
    mg.constraints.some((r) => sameRule(r, rule)) || containment(tokenSet(rule), mergedText) >= 0.75;
  // an existing rule the candidate overrides or takes back goes, whatever the merge kept
  const gone = ex.constraints.filter((r) => overridden(r, cd.constraints));
  let constraints = uniqueItems(mg.constraints).filter((r) => !gone.some((g) => sameRule(g, r)));
  // collapse near-duplicates the model produced
  constraints = constraints.filter((r, i) => !constraints.slice(0, i).some((p) => sameRule(p, r)));
  for (const rule of [...ex.constraints.filter((r) => !gone.includes(r)), ...cd.constraints]) if (!kept(rule)) constraints.push(rule);
  return {
    ...merged,
    instructions: renderPrompt({
      goal: mg.goal || ex.goal || cd.goal,
      constraints,
      workflow: mg.workflow.length > 0 ? mg.workflow : ex.workflow.length > 0 ? ex.workflow : cd.workflow,
      other: mg.other || ex.other,
    }),
  };
}

const MergeAnswerSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  prompt: z.string().min(1),
  triggers: z.union([z.array(z.string()), z.string()]),
  tags: z.union([z.array(z.string()), z.string()]),
});

function prepareMergeAnswer(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r = { ...(raw as Record<string, unknown>) };
  if (r.title === undefined && typeof r.name === 'string') r.title = r.name;
  if (r.prompt === undefined && typeof r.instructions === 'string') r.prompt = r.instructions;
  if (r.skill && typeof r.skill === 'object') return prepareMergeAnswer(r.skill);
  return r;
}

function skillForPrompt(s: { name: string; description: string; instructions: string; triggers: string[]; tags: string[] }) {
  return { title: s.name, description: s.description, prompt: s.instructions, triggers: s.triggers, tags: s.tags };
}

/** LLM merge, validated and guarded. Throws `LlmOutputError` when the model's answer is unusable. */
export async function llmMerge(llm: LlmPort, existing: Skill, cand: ProposedSkill, signal?: AbortSignal): Promise<MergedFields> {
  const answer = await generateStructured(
    llm,
    {
      system: MERGE_SYSTEM,
      user: { existing: skillForPrompt(existing), candidate: skillForPrompt(cand) },
      schema: MergeAnswerSchema,
      schemaName: 'skill_merge',
      temperature: 0,
      signal,
    },
    { prepare: prepareMergeAnswer },
  );
  const fallback = heuristicMerge(existing, cand);
  const triggers = uniquePhrases(toPhraseList(answer.triggers).map(stripPlaceholders), MERGE_MAX_TRIGGERS, 80);
  const tags = uniquePhrases(toPhraseList(answer.tags).map(stripPlaceholders), MERGE_MAX_TAGS, 40);
  const prompt = parsePrompt(answer.prompt);
  const merged: MergedFields = {
    name: stripPlaceholders(answer.title) || fallback.name,
    description: stripPlaceholders(answer.description) || fallback.description,
    instructions:
      prompt.constraints.length > 0 || prompt.workflow.length > 0
        ? renderPrompt({ ...prompt, goal: stripPlaceholders(prompt.goal) })
        : fallback.instructions,
    triggers: triggers.length > 0 ? triggers : fallback.triggers,
    tags: tags.length > 0 ? tags : fallback.tags,
  };
  return guardMerge(existing, cand, merged);
}

const STANDING_TEMPLATE = /^(?:Applies to every answer for this user|适用于该用户的所有回答)/;

/**
 * After a merge, a skill whose identity the templates wrote (a learned task family, or a standing
 * preference) gets its description, triggers and tags rewritten from all its rules, so they
 * describe everything it now holds; its name and slug stay (they are how people know it). A
 * skill written by hand, imported or named by a model keeps what the merge produced.
 */
export function refreshIdentity(target: Skill, fields: MergedFields): MergedFields {
  const familyKey = target.metadata.family?.trim();
  const family = familyByKey(familyKey);
  const applies = appliesOf(target);
  if (!familyKey && !(applies === 'always' && STANDING_TEMPLATE.test(target.description))) return fields;
  const rules = parsePrompt(fields.instructions).constraints;
  if (rules.length === 0) return fields;
  // the skill keeps the language its name is in (a user may add a rule in another language)
  const lang = /\p{Script=Han}/u.test(target.name) ? 'zh' : /[A-Za-z]/.test(target.name) ? 'en' : rulesLanguage(rules);
  // a kind no family names keeps its kind (it may have come from the request, not the rules)
  const filed = kindOfFamilyKey(familyKey);
  const kind = filed !== undefined ? { kind: filed } : {};
  const id = composeIdentity({ lang, family, applies, rules, ...kind });
  // rules in both languages: the task phrases of both, so requests in either language find it
  const other = lang === 'zh' ? 'en' : 'zh';
  if (rules.some((r) => rulesLanguage([r]) === other)) {
    const alt = composeIdentity({ lang: other, family, applies, rules, ...kind }).triggers;
    id.triggers = uniquePhrases([...id.triggers.slice(0, 3), ...alt.slice(0, 3)], MERGE_MAX_TRIGGERS, 80);
  }
  return {
    ...fields,
    description: id.description,
    // the family's task phrases, then what the skill already had (never the candidate's phrases:
    // they belong to its own family, or are rule text)
    triggers: uniquePhrases([...id.triggers, ...target.triggers.filter((t) => !rules.some((r) => sameRule(r, t)))], MERGE_MAX_TRIGGERS, 80),
    tags: uniquePhrases([...id.tags, ...target.tags], MERGE_MAX_TAGS, 40),
  };
}

/** True when writing `fields` would not change the skill (then no version is spent). */
export function isUnchanged(existing: Skill, fields: MergedFields): boolean {
  const same = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
  const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => same(x, b[i]!));
  return (
    same(existing.name, fields.name) &&
    same(existing.description, fields.description) &&
    same(existing.instructions, fields.instructions) &&
    sameList(existing.triggers, fields.triggers) &&
    sameList(existing.tags, fields.tags)
  );
}
