import { z } from 'zod';
import type { Logger } from '../logger.js';
import { isLibraryOwner, userOwner } from '../skill/schema.js';
import { appliesOf } from '../skill/standing.js';
import type { SkillView } from '../store/catalog.js';
import type { SkillStore } from '../store/store.js';
import type { ProposedSkill } from './candidate.js';
import type { LlmPort } from '../ports/llm.js';
import { coveredBy, findIdentityMatch, findRevokedHolder, holdsAllRules, mergeCompatible, passesGate } from './merge-gate.js';
import { liftsOnlyCandidate } from './revoke.js';
import { parsePrompt } from './sections.js';
import { DECIDE_SYSTEM } from './prompts/maintain.js';
import type { LearnSkillHit, SearchFn } from './search-port.js';
import { generateStructured, LlmOutputError } from './structured.js';

/**
 * The maintenance decision for one candidate of one user: add, merge (into which skill) or
 * discard. Reads only; maintain.ts plans and writes what is decided here.
 *
 * Order of evidence, strongest first:
 * 1. exact identity: a skill of this user with the same normalized title, slug or description is
 *    merged into at once (cheap, deterministic, and immune to index lag);
 * 2. the LLM decision (when a model is configured) over the similar user + Common skills;
 * 3. guardrails on that decision: never add next to a user skill that passes the merge gate,
 *    discard only when a Common skill really covers the candidate's rules, merge only into a
 *    skill of the same user (Common skills are read-only);
 * 4. without a model, the same gate decides.
 */

export interface DecideDeps {
  store: SkillStore;
  /** the current skills without I/O (the engine's catalog, kept current by the store's change feed) */
  catalog: SkillView;
  /** retrieval over user + Common skills; the facade passes a search that waits for a settled index */
  search: SearchFn;
  llm?: LlmPort;
  logger?: Logger;
  /** how many similar skills to consider (default 8) */
  similarLimit?: number;
}

export type DecisionVia = 'identity' | 'llm' | 'guardrail' | 'rules' | 'replay' | 'review';

export interface Decision {
  action: 'add' | 'merge' | 'discard';
  targetId?: string;
  reason: string;
  via: DecisionVia;
}


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

async function findSimilar(deps: DecideDeps, userId: string, cand: ProposedSkill): Promise<Similar> {
  const owner = userOwner(userId);
  const hits = await deps.search(candidateQuery(cand), { userId, scope: 'all', limit: deps.similarLimit ?? 8 });
  // The index may lag the store by a moment; the store is the truth for what exists now.
  const fresh = (h: LearnSkillHit): LearnSkillHit | undefined => {
    const s = deps.catalog.get(h.skill.id);
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
  deps: DecideDeps & { llm: LlmPort },
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
    if (!LlmOutputError.isInstance(err)) throw err;
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

/** Decide what to do with a candidate. Reads only (the model call included), so it runs outside any lock. */
export async function decide(deps: DecideDeps, userId: string, cand: ProposedSkill, signal?: AbortSignal): Promise<Decision> {
  const owner = userOwner(userId);
  const userSkills = deps.catalog.all().filter((s) => s.owner === owner);
  // A statement that takes back one of the user's rules belongs with that rule, whatever task it
  // was said during ("stop calling me Sam" while asking for an explanation): the merge drops the rule.
  const candRules = parsePrompt(cand.instructions).constraints;
  const revoked = findRevokedHolder(userSkills, candRules);
  if (revoked) return { action: 'merge', targetId: revoked.id, via: 'rules', reason: `takes back a rule of "${revoked.name}"` };
  // A take-back of a wish this user never had asks for nothing ("you don't need to cite sources
  // anymore"): learned, it would be a skill named after, and injected with, the very wish it lifts.
  if (liftsOnlyCandidate(candRules)) return { action: 'discard', via: 'rules', reason: 'takes back a rule this user does not have' };
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
