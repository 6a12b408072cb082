import { appliesOf, isLibraryOwner, isPending, type Actor, type AutoSkill, type ExtractJobResult, type JobInfo, type Skill, type SkillApplies, type SkillHit } from '../../engine/index.js';

/**
 * JSON views sent by the management API. Field names follow the upstream server (snake_case,
 * `resource_paths`, `updated_at`, `job_id`, `event_time` in ms) so existing clients keep working;
 * fields upstream lacked are added, none are renamed. `owner` is our canonical owner string
 * (`user:<id>` or `library:<name>`); `scope` says which of the two it is.
 */

export interface SkillSummary {
  id: string;
  name: string;
  slug: string;
  description: string;
  version: string;
  owner: string;
  scope: 'user' | 'common';
  /** `always`: a standing preference injected on every turn; `task`: retrieved when a request matches */
  applies: SkillApplies;
  /** `pending`: held for review, never injected until approved */
  review: 'pending' | null;
  tags: string[];
  triggers: string[];
  resource_paths: string[];
  created_at: string | null;
  updated_at: string | null;
}

export function skillSummary(s: Skill): SkillSummary {
  return {
    id: s.id,
    name: s.name,
    slug: s.slug,
    description: s.description,
    version: s.version,
    owner: s.owner,
    scope: isLibraryOwner(s.owner) ? 'common' : 'user',
    applies: appliesOf(s),
    review: isPending(s) ? 'pending' : null,
    tags: s.tags,
    triggers: s.triggers,
    resource_paths: s.resources.slice(0, 16),
    created_at: s.createdAt ?? null,
    updated_at: s.updatedAt ?? null,
  };
}

/** One page of a skill list in the list envelope clients expect (`total` counts every match). */
export function skillPage(skills: Skill[], page: { offset: number; limit: number }, extra: Record<string, unknown>) {
  return {
    object: 'list',
    ...extra,
    total: skills.length,
    data: skills.slice(page.offset, page.offset + page.limit).map(skillSummary),
  };
}

export function skillDetail(s: Skill, skillMd?: string) {
  return {
    ...skillSummary(s),
    resource_paths: s.resources,
    instructions: s.instructions,
    examples: s.examples.map((e) => ({ input: e.input, output: e.output ?? null, notes: e.notes ?? null })),
    metadata: s.metadata,
    source: s.source ?? null,
    license: s.license ?? null,
    compatibility: s.compatibility ?? null,
    allowed_tools: s.allowedTools ?? null,
    ...(skillMd !== undefined ? { skill_md: skillMd } : {}),
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function hitView(h: SkillHit, rank: number) {
  return {
    rank,
    score: round(h.score),
    lexical: round(h.lexical),
    semantic: round(h.semantic),
    id: h.skill.id,
    name: h.skill.name,
    description: h.skill.description,
    version: h.skill.version,
    owner: h.skill.owner,
    source: h.skill.owner,
    resource_paths: h.skill.resources.slice(0, 12),
    skill: skillSummary(h.skill),
  };
}

/** Split hits into the user's own and Common (upstream reported both lists). */
export function hitLists(hits: SkillHit[]) {
  const data = hits.map((h, i) => hitView(h, i + 1));
  const user = hits.filter((h) => !isLibraryOwner(h.skill.owner)).map((h, i) => hitView(h, i + 1));
  const common = hits.filter((h) => isLibraryOwner(h.skill.owner)).map((h, i) => hitView(h, i + 1));
  return { data, user, common };
}

function isResult(value: unknown): value is ExtractJobResult {
  return !!value && typeof value === 'object' && Array.isArray((value as ExtractJobResult).skills);
}

/**
 * An extraction job as the upstream "extraction event" (`job_id`, `status`, `event_time` ms,
 * `error`, `upserted`), plus our job fields. `upserted` lists the skills the job wrote that the
 * caller can still read.
 */
export function jobEvent(job: JobInfo, sdk: AutoSkill, actor: Actor) {
  const result = isResult(job.result) ? job.result : undefined;
  const upserted = (result?.skills ?? [])
    .map((ref) => sdk.get(ref.id, actor))
    .filter((s): s is Skill => s !== undefined)
    .map(skillSummary);
  return {
    job_id: job.id,
    user_id: job.userId,
    kind: job.kind,
    status: job.state,
    event_time: Date.parse(job.updatedAt),
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    attempts: job.attempts,
    error: job.error ?? '',
    upserted,
    result: result
      ? {
          status: result.status,
          reason: result.reason,
          extractor: result.extractor,
          skills: result.skills.map((s) => ({ id: s.id, name: s.name, version: s.version, action: s.action })),
        }
      : (job.result ?? null),
  };
}
