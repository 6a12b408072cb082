import type { Skill } from './schema.js';

/**
 * Standing skills. A learned skill is either about a kind of task ("my reports: cite sources"),
 * retrieved when a request looks like that task, or about the user in every conversation ("answer
 * in plain text", "reply in Chinese", "no emoji"), injected on every turn whatever the request.
 *
 * The mode lives in the SKILL.md under `metadata.applies` (`always` | `task`; absent = `task`), so
 * it survives export, import and any store without a schema change.
 */
export type SkillApplies = 'always' | 'task';

export const APPLIES_KEY = 'applies';

export function appliesOf(skill: Pick<Skill, 'metadata'>): SkillApplies {
  return skill.metadata[APPLIES_KEY]?.trim().toLowerCase() === 'always' ? 'always' : 'task';
}

export function isStanding(skill: Pick<Skill, 'metadata'>): boolean {
  return appliesOf(skill) === 'always';
}

/** The metadata with `applies` set (`task` removes the key: it is the default). */
export function withApplies(metadata: Record<string, string>, applies: SkillApplies): Record<string, string> {
  const next = { ...metadata };
  if (applies === 'always') next[APPLIES_KEY] = 'always';
  else delete next[APPLIES_KEY];
  return next;
}
