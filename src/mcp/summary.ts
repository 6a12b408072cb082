import { z } from 'zod';
import { appliesOf, canWrite, isPending, type Actor, type Skill } from '../engine/index.js';
import { skillFileUri, skillUri, uriScopeOf } from './uri.js';

/** How tools describe a skill to the model: small, stable, with the URI to read it in full. */
export const SkillSummaryShape = {
  id: z.string(),
  name: z.string(),
  description: z.string(),
  version: z.string(),
  scope: z.enum(['user', 'common']),
  read_only: z.boolean().describe('true for Common skills (and anything this user may not edit)'),
  uri: z.string().describe('resource URI of the SKILL.md'),
  applies: z
    .enum(['always', 'task'])
    .describe('"always" = a standing preference of the user, applied in every conversation; "task" = used when a task matches'),
  pending: z.boolean().describe('true = a learned skill held for review: never injected until approve_skill'),
};
export const SkillSummarySchema = z.object(SkillSummaryShape);
export type SkillSummary = z.infer<typeof SkillSummarySchema>;

export function summarize(skill: Skill, actor: Actor): SkillSummary {
  return {
    id: skill.id,
    name: skill.name,
    description: skill.description,
    version: skill.version,
    scope: uriScopeOf(skill.owner),
    read_only: !canWrite(actor, skill),
    uri: skillUri(skill),
    applies: appliesOf(skill),
    pending: isPending(skill),
  };
}

export const SkillFileSchema = z.object({ path: z.string(), uri: z.string() });

export function filesOf(skill: Skill): Array<z.infer<typeof SkillFileSchema>> {
  return skill.resources.map((p) => ({ path: p, uri: skillFileUri(skill, p) }));
}

/** One line per skill for the text half of a tool result. */
export function summaryLine(s: SkillSummary, extra = ''): string {
  const flags = [s.scope, `v${s.version}`, s.applies === 'always' ? 'standing: applies always' : '', s.pending ? 'held for review' : '', s.read_only ? 'read-only' : '']
    .filter(Boolean)
    .join(', ');
  return `- ${s.name} [${s.id}] (${flags})${extra}${s.description ? `: ${oneLine(s.description, 200)}` : ''}`;
}

export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
