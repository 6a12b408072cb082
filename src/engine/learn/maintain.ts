import { z } from 'zod';
import type { Logger } from '../logger.js';
import { isLibraryOwner, userOwner, type Skill, type SkillSource } from '../skill/schema.js';
import { newSkillId } from '../skill/ids.js';
import { appliesOf, withApplies } from '../skill/standing.js';
import { coveredBy, findIdentityMatch, holdsAllRules, mergeCompatible, passesGate } from './merge-gate.js';
import { INITIAL_VERSION, nextVersion } from '../skill/version.js';
import type { SkillStore } from '../store/store.js';
import { safeResourcePath, type ProposedSkill } from './candidate.js';
import type { LlmPort } from './llm.js';
import { guardMerge, heuristicMerge, isUnchanged, llmMerge, refreshIdentity, type MergedFields } from './merge.js';
import { DECIDE_SYSTEM } from './prompts/maintain.js';
import type { LearnSkillHit, SearchFn } from './search-port.js';
import { generateStructured, LlmOutputError } from './structured.js';
import { poisonSummary, scanSkillText } from './poison.js';
import { learnedSource, type SourceOrigin } from './provenance.js';
import { isPending, withReview } from '../skill/review.js';

/**
 * Maintenance: given one candidate for one user, decide add / merge / discard and write the result.
 *
 * Order of evidence, strongest first:
 * 1. exact identity: a skill of this user with the same normalized title, slug or description is
 *    merged into at once (cheap, deterministic, and immune to index lag);
 * 2. the LLM decision (when a model is configured) over the similar user + Common skills;
 * 3. guardrails on that decision: never add next to a user skill that passes the merge gate,
 *    discard only when a Common skill really covers the candidate's rules, merge only into a
 *    skill of the same user (Common skills are read-only);
 * 4. without a model, the same gate decides.
 *
 * `maintain` runs read-decide-write inside `store.withLock('user:<id>')`, so concurrent
 * extractions for one user are serialized: no duplicate skills, and every bump is recorded.
 */

export interface MaintainDeps {
  store: SkillStore;
  search: SearchFn;
  llm?: LlmPort;
  logger?: Logger;
  now?: () => Date;
  /** called after every write, inside the user lock (the facade re-indexes here) */
  onSkillChanged?: (skill: Skill) => void | Promise<void>;
  /** how many similar skills to consider (default 8) */
  similarLimit?: number;
  /** review mode: every learned skill is held (`metadata.review: pending`) until its owner approves it */
  review?: boolean;
}

export type DecisionVia = 'identity' | 'llm' | 'guardrail' | 'rules' | 'replay' | 'review';

export interface Decision {
  action: 'add' | 'merge' | 'discard';
  targetId?: string;
  reason: string;
  via: DecisionVia;
}

/** Why a version is written: the job (ref, trigger) and where its turn came from (provenance.ts). */
export interface Provenance extends SourceOrigin {
  /** job id (or another reference such as `batch:<file>#3`) */
  ref: string;
  /** `auto`, `always`, `extract_now`, `batch`, ... */
  trigger: string;
}

export type MaintainAction = 'created' | 'merged' | 'unchanged' | 'discarded';

export interface MaintainResult {
  action: MaintainAction;
  decision: Decision;
  skill?: Skill;
  /** for dry runs: what would be written */
  preview?: Skill;
}

// ---------------------------------------------------------------------------------------------
// Similarity and the merge gate live in merge-gate.ts (re-exported for callers of this module).

export { coveredBy, familyOf, findIdentityMatch, holdsAllRules, MERGE_GATE, mergeCompatible, mergeConfidence, passesGate } from './merge-gate.js';

function candidateQuery(cand: ProposedSkill): string {
  return [cand.name, cand.description, ...cand.triggers, cand.instructions.slice(0, 1500)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Decision

const DecisionAnswerSchema = z.object({
  action: z.enum(['add', 'merge', 'discard']),
  target_skill_id: z.string().nullable().optional(),
  reason: z.string().optional(),
});

const ACTION_ALIASES: Record<string, 'add' | 'merge' | 'discard'> = {
  add: 'add',
  create: 'add',
  new: 'add',
  merge: 'merge',
  update: 'merge',
  upsert: 'merge',
  discard: 'discard',
  drop: 'discard',
  skip: 'discard',
  ignore: 'discard',
  reject: 'discard',
  delete: 'discard',
};

function prepareDecision(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r = { ...(raw as Record<string, unknown>) };
  if (typeof r.action === 'string') r.action = ACTION_ALIASES[r.action.trim().toLowerCase()] ?? r.action;
  if (r.target_skill_id === undefined && typeof r.target === 'string') r.target_skill_id = r.target;
  if (r.target_skill_id === '') r.target_skill_id = null;
  if (r.reason === undefined && typeof r.rationale === 'string') r.reason = r.rationale;
  return r;
}

interface Similar {
  user: LearnSkillHit[];
  common: LearnSkillHit[];
}

async function findSimilar(deps: MaintainDeps, userId: string, cand: ProposedSkill): Promise<Similar> {
  const owner = userOwner(userId);
  const hits = await deps.search(candidateQuery(cand), { userId, scope: 'all', limit: deps.similarLimit ?? 8 });
  // The index may lag the store by a moment; the store is the truth for what exists now.
  const fresh = (h: LearnSkillHit): LearnSkillHit | undefined => {
    const s = deps.store.get(h.skill.id);
    return s ? { skill: s, score: h.score } : undefined;
  };
  const all = hits.map(fresh).filter((h): h is LearnSkillHit => h !== undefined);
  return {
    user: all.filter((h) => h.skill.owner === owner),
    common: all.filter((h) => isLibraryOwner(h.skill.owner)),
  };
}

/** The gate alone (no model): merge into a clearly-same user skill, discard if Common covers it, else add. */
function ruleDecision(cand: ProposedSkill, similar: Similar, prefix = ''): Decision {
  const bestUser = similar.user.find((h) => passesGate(cand, h));
  if (bestUser) {
    return { action: 'merge', targetId: bestUser.skill.id, via: 'rules', reason: `${prefix}same capability as "${bestUser.skill.name}"` };
  }
  const covering = similar.common.find((h) => passesGate(cand, h) && coveredBy(cand, h.skill));
  if (covering) {
    return { action: 'discard', via: 'rules', reason: `${prefix}already covered by common skill "${covering.skill.name}"` };
  }
  return { action: 'add', via: 'rules', reason: `${prefix}no existing skill has this capability` };
}

function hitForPrompt(h: LearnSkillHit, userId: string) {
  return {
    id: h.skill.id,
    scope: h.skill.owner === userOwner(userId) ? 'user' : 'common',
    title: h.skill.name,
    name: h.skill.slug,
    description: h.skill.description,
    prompt: h.skill.instructions.slice(0, 2000),
    triggers: h.skill.triggers.slice(0, 8),
    tags: h.skill.tags.slice(0, 8),
    similarity: Math.round(h.score * 1000) / 1000,
  };
}

async function llmDecision(
  deps: MaintainDeps & { llm: LlmPort },
  userId: string,
  cand: ProposedSkill,
  similar: Similar,
  signal?: AbortSignal,
): Promise<Decision> {
  const listed = [...similar.user, ...similar.common].sort((a, b) => b.score - a.score).slice(0, 8);
  let answer: z.infer<typeof DecisionAnswerSchema>;
  try {
    answer = await generateStructured(
      deps.llm,
      {
        system: DECIDE_SYSTEM,
        user: {
          candidate: {
            title: cand.name,
            name: cand.slug,
            description: cand.description,
            prompt: cand.instructions,
            triggers: cand.triggers,
            tags: cand.tags,
          },
          existing: listed.map((h) => hitForPrompt(h, userId)),
        },
        schema: DecisionAnswerSchema,
        schemaName: 'skill_decision',
        temperature: 0,
        signal,
      },
      { prepare: prepareDecision },
    );
  } catch (err) {
    if (!(err instanceof LlmOutputError)) throw err;
    deps.logger?.warn('maintenance decision model failed; using the deterministic gate', { reason: err.message });
    return ruleDecision(cand, similar, 'decision model failed; ');
  }
  const reason = answer.reason?.trim() || 'model decision';
  const bestUser = similar.user.find((h) => passesGate(cand, h));
  const covering = similar.common.find((h) => passesGate(cand, h) && coveredBy(cand, h.skill));

  if (answer.action === 'add') {
    if (bestUser) {
      return { action: 'merge', targetId: bestUser.skill.id, via: 'guardrail', reason: `add overridden: same capability as "${bestUser.skill.name}"` };
    }
    if (covering) return { action: 'discard', via: 'guardrail', reason: `add overridden: covered by common skill "${covering.skill.name}"` };
    return { action: 'add', via: 'llm', reason };
  }
  if (answer.action === 'merge') {
    const target = answer.target_skill_id
      ? similar.user.find((h) => h.skill.id === answer.target_skill_id && mergeCompatible(cand, h.skill))
      : undefined;
    if (target) return { action: 'merge', targetId: target.skill.id, via: 'llm', reason };
    if (bestUser) {
      return { action: 'merge', targetId: bestUser.skill.id, via: 'guardrail', reason: `merge target invalid; merged into "${bestUser.skill.name}"` };
    }
    return { action: 'add', via: 'guardrail', reason: 'merge target is not a skill of this user; added instead' };
  }
  return { action: 'discard', via: 'llm', reason };
}

/** Decide what to do with a candidate. Reads only; call inside the user lock when a write follows. */
export async function decide(deps: MaintainDeps, userId: string, cand: ProposedSkill, signal?: AbortSignal): Promise<Decision> {
  const owner = userOwner(userId);
  const userSkills = deps.store.all().filter((s) => s.owner === owner);
  const same = findIdentityMatch(userSkills, cand);
  if (same) return { action: 'merge', targetId: same.id, via: 'identity', reason: `same name or description as "${same.name}"` };
  // Rules the user stated before and that one of their skills already holds teach nothing new
  // (e.g. re-read when the task's request has scrolled out of the window): no duplicate skill.
  const holder = userSkills.find((s) => appliesOf(s) === (cand.applies ?? 'task') && holdsAllRules(s, cand));
  if (holder) return { action: 'discard', via: 'rules', reason: `"${holder.name}" already holds these rules` };
  const similar = await findSimilar(deps, userId, cand);
  // Nothing similar at all: there is nothing to merge into or be covered by; no model call needed.
  if (similar.user.length === 0 && similar.common.length === 0) return { action: 'add', via: 'rules', reason: 'no similar skill exists' };
  return deps.llm ? llmDecision({ ...deps, llm: deps.llm }, userId, cand, similar, signal) : ruleDecision(cand, similar);
}

// ---------------------------------------------------------------------------------------------
// Writing

function iso(deps: MaintainDeps): string {
  return (deps.now?.() ?? new Date()).toISOString();
}

export function newSkillFrom(deps: MaintainDeps, userId: string, cand: ProposedSkill, prov: Provenance, held?: string): Skill {
  const at = iso(deps);
  const source: SkillSource = learnedSource('extraction', prov);
  return {
    id: newSkillId(),
    slug: cand.slug,
    name: cand.name,
    description: cand.description,
    instructions: cand.instructions,
    triggers: cand.triggers,
    tags: cand.tags,
    examples: cand.examples,
    version: INITIAL_VERSION,
    owner: userOwner(userId),
    resources: [],
    source,
    metadata: withReview(
      withApplies(
        { confidence: cand.confidence.toFixed(2), ...(cand.family && cand.applies !== 'always' ? { family: cand.family } : {}) },
        cand.applies ?? 'task',
      ),
      held !== undefined,
      held,
    ),
    createdAt: at,
    updatedAt: at,
  };
}

async function mergedFields(deps: MaintainDeps, target: Skill, cand: ProposedSkill, signal?: AbortSignal): Promise<MergedFields> {
  if (!deps.llm) return refreshIdentity(target, guardMerge(target, cand, heuristicMerge(target, cand)));
  try {
    return refreshIdentity(target, await llmMerge(deps.llm, target, cand, signal));
  } catch (err) {
    if (!(err instanceof LlmOutputError)) throw err;
    deps.logger?.warn('merge model failed; using the deterministic merge', { reason: err.message });
    return refreshIdentity(target, guardMerge(target, cand, heuristicMerge(target, cand)));
  }
}

function mergedSkill(deps: MaintainDeps, target: Skill, fields: MergedFields, cand: ProposedSkill, version: string, prov: Provenance): Skill {
  const prevConfidence = Number.parseFloat(target.metadata.confidence ?? '0');
  return {
    ...target,
    ...fields,
    version,
    source: learnedSource('merge', prov),
    metadata: {
      ...target.metadata,
      confidence: Math.max(Number.isFinite(prevConfidence) ? prevConfidence : 0, cand.confidence).toFixed(2),
    },
    updatedAt: iso(deps),
  };
}

/**
 * Candidate resource files that are new or changed relative to the target. Checked here too, not
 * only by the model extractor: whatever extractor produced the candidate, a learned skill never
 * gets `scripts/` (or anything outside references/ and assets/).
 */
function newFiles(target: Skill | undefined, cand: ProposedSkill): Record<string, string> | undefined {
  const entries = Object.entries(cand.files).filter(([p]) => safeResourcePath(p) === p && !target?.resources.includes(p));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

async function notify(deps: MaintainDeps, skill: Skill): Promise<void> {
  if (!deps.onSkillChanged) return;
  try {
    await deps.onSkillChanged(skill);
  } catch (err) {
    deps.logger?.warn('onSkillChanged failed', { id: skill.id, error: err instanceof Error ? err.message : String(err) });
  }
}

export interface ApplyOptions {
  /** compute what would be written without writing (simulate) */
  dryRun?: boolean;
  signal?: AbortSignal;
}

/** Carry out a decision. Must run inside the user lock when not a dry run. */
export async function applyDecision(
  deps: MaintainDeps,
  userId: string,
  cand: ProposedSkill,
  decision: Decision,
  prov: Provenance,
  opts: ApplyOptions = {},
): Promise<MaintainResult> {
  if (decision.action === 'discard') return { action: 'discarded', decision };
  if (decision.action === 'merge' && decision.targetId) {
    const target = deps.store.get(decision.targetId);
    if (target && target.owner === userOwner(userId)) {
      const fields = await mergedFields(deps, target, cand, opts.signal);
      if (isUnchanged(target, fields)) return { action: 'unchanged', decision, skill: target };
      const history = opts.dryRun ? [] : (await deps.store.history(target.id)).map((h) => h.version);
      const merged = mergedSkill(deps, target, fields, cand, nextVersion(target.version, history), prov);
      // merged into a held skill: it stays held, with the newest reason
      const next = decision.via === 'review' ? { ...merged, metadata: withReview(merged.metadata, true, decision.reason) } : merged;
      if (opts.dryRun) return { action: 'merged', decision, preview: next };
      const files = newFiles(target, cand);
      const stored = await deps.store.put(next, { expectedVersion: target.version, ...(files ? { files } : {}) });
      await notify(deps, stored);
      return { action: 'merged', decision, skill: stored };
    }
    // The target vanished or is not ours (Common skills are read-only): add instead.
    decision = { action: 'add', via: 'guardrail', reason: `merge target unavailable (${decision.reason}); added instead` };
  }
  const skill = newSkillFrom(deps, userId, cand, prov, decision.via === 'review' ? decision.reason : undefined);
  if (opts.dryRun) return { action: 'created', decision, preview: skill };
  const files = newFiles(undefined, cand);
  const stored = await deps.store.put(skill, files ? { files } : {});
  await notify(deps, stored);
  return { action: 'created', decision, skill: stored };
}

/**
 * The whole read-decide-write for one candidate, serialized per user. A job that already wrote
 * (it crashed after the write, before recording completion) is recognized by its provenance and
 * not applied twice.
 */
export async function maintain(
  deps: MaintainDeps,
  userId: string,
  cand: ProposedSkill,
  prov: Provenance,
  signal?: AbortSignal,
): Promise<MaintainResult> {
  return deps.store.withLock(`user:${userId}`, async () => {
    const owner = userOwner(userId);
    const done = deps.store.all().find((s) => s.owner === owner && s.source?.ref === prov.ref);
    if (done) {
      return { action: 'unchanged', skill: done, decision: { action: 'merge', targetId: done.id, via: 'replay', reason: 'already applied by an earlier attempt of this job' } };
    }
    const decision = await decideWithReview(deps, userId, cand, signal);
    signal?.throwIfAborted();
    return applyDecision(deps, userId, cand, decision, prov, { signal });
  });
}

/**
 * A candidate that the poisoning scan flags, or any candidate in review mode, is held: written as
 * a new skill marked pending (never merged into a live skill, which would put it into prompts),
 * and injected only after its owner approves it.
 */
export function heldForReview(deps: MaintainDeps, cand: ProposedSkill): Decision | undefined {
  const findings = scanSkillText(cand);
  if (findings.length > 0) {
    deps.logger?.warn('learned candidate held for review', { name: cand.name, findings: poisonSummary(findings) });
    return { action: 'add', via: 'review', reason: `held for review: ${poisonSummary(findings)}` };
  }
  if (deps.review) return { action: 'add', via: 'review', reason: 'held for review (review mode is on)' };
  return undefined;
}

/**
 * The decision for a candidate that may be held. A held candidate never merges into a live skill
 * (that would put it into prompts), but it is not a new skill each time either: rules the user's
 * skills already hold teach nothing new (the same preference re-read on the next turn of the
 * conversation), and a candidate that belongs with a skill that is itself held merges into it.
 */
async function decideWithReview(deps: MaintainDeps, userId: string, cand: ProposedSkill, signal?: AbortSignal): Promise<Decision> {
  const held = heldForReview(deps, cand);
  const decision = await decide(deps, userId, cand, signal);
  if (!held || decision.action === 'discard') return decision;
  const target = decision.action === 'merge' && decision.targetId ? deps.store.get(decision.targetId) : undefined;
  if (target && isPending(target)) return { action: 'merge', targetId: target.id, via: 'review', reason: held.reason };
  return held;
}

/** Dry run: the decision and what would be written, without taking the lock or writing. */
export async function previewMaintain(deps: MaintainDeps, userId: string, cand: ProposedSkill, signal?: AbortSignal): Promise<MaintainResult> {
  const decision = await decideWithReview(deps, userId, cand, signal);
  return applyDecision(deps, userId, cand, decision, { ref: 'simulate', trigger: 'simulate' }, { dryRun: true, signal });
}
