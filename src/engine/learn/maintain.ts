import { userOwner, type Skill, type SkillSource } from '../skill/schema.js';
import { newSkillId } from '../skill/ids.js';
import { withApplies } from '../skill/standing.js';
import { INITIAL_VERSION, nextVersion } from '../skill/version.js';
import type { SkillView } from '../store/catalog.js';
import type { PutOptions, SkillStore } from '../store/store.js';
import { safeResourcePath, type ProposedSkill } from './candidate.js';
import { decide, type DecideDeps, type Decision } from './decide.js';
import { guardMerge, heuristicMerge, isUnchanged, llmMerge, refreshIdentity, type MergedFields } from './merge.js';
import { LlmOutputError } from './structured.js';
import { poisonSummary, scanSkillText } from './poison.js';
import { learnedSource, type SourceOrigin } from './provenance.js';
import { isPending, withReview } from '../skill/review.js';

/**
 * Maintenance: given one candidate for one user, decide add / merge / discard (decide.ts) and
 * write the result.
 *
 * No model call runs under a lock. `maintain` plans outside the lock: the decision and, for a
 * merge, the merged text (both may ask the model), noting which of the user's skills (id and
 * version) the plan was made on. It then takes `store.withOwnerLock('user:<id>')` only to write: the
 * lock's catch-up read shows what other tasks and processes wrote meanwhile. A merge is written
 * only if its target is still at the planned version (`expectedVersion`); a new skill only if the
 * user's skills are exactly as planned on, because two concurrent plans that both decided "add"
 * for one preference would otherwise leave duplicates. Otherwise it plans again on the new state.
 * So concurrent learning never duplicates a skill or loses a version, and a slow or hung model
 * holds no lock (on PostgreSQL, no pooled connection in an open transaction): every other write
 * for the user proceeds meanwhile.
 */

export interface MaintainDeps extends DecideDeps {
  now?: () => Date;
  /** review mode: every learned skill is held (`metadata.review: pending`) until its owner approves it */
  review?: boolean;
  /**
   * Plans made with the model before giving up on the optimistic path (default 8). A user whose
   * skills keep changing under every plan then gets one plan made under the lock with the
   * deterministic gate and merge (no model call), so the job still ends.
   */
  maxPlans?: number;
}

export type { Decision, DecisionVia } from './decide.js';
export { decide } from './decide.js';

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
    if (!LlmOutputError.isInstance(err)) throw err;
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

// ---------------------------------------------------------------------------------------------
// Planning (outside the lock) and writing (under it)

/** What carrying out a decision writes, worked out before any lock is taken. */
interface Plan {
  /** final for discarded / unchanged; for created / merged `skill` is filled in by the write */
  result: MaintainResult;
  write?: { skill: Skill; opts: PutOptions };
}

/** The default number of model-made plans before the deterministic plan under the lock. */
const MAX_PLANS = 8;

/** Carry out a decision on paper: what would be written, and with which store options. */
async function planDecision(
  deps: MaintainDeps,
  userId: string,
  cand: ProposedSkill,
  decision: Decision,
  prov: Provenance,
  opts: { dryRun?: boolean; signal?: AbortSignal } = {},
): Promise<Plan> {
  if (decision.action === 'discard') return { result: { action: 'discarded', decision } };
  if (decision.action === 'merge' && decision.targetId) {
    const target = deps.catalog.get(decision.targetId);
    if (target && target.owner === userOwner(userId)) {
      const fields = await mergedFields(deps, target, cand, opts.signal);
      if (isUnchanged(target, fields)) return { result: { action: 'unchanged', decision, skill: target } };
      const history = opts.dryRun ? [] : (await deps.store.versions(target.id)).map((h) => h.version);
      const merged = mergedSkill(deps, target, fields, cand, nextVersion(target.version, history), prov);
      // merged into a held skill: it stays held, with the newest reason
      const next = decision.via === 'review' ? { ...merged, metadata: withReview(merged.metadata, true, decision.reason) } : merged;
      if (opts.dryRun) return { result: { action: 'merged', decision, preview: next } };
      const files = newFiles(target, cand);
      return { result: { action: 'merged', decision }, write: { skill: next, opts: { expectedVersion: target.version, ...(files ? { files } : {}) } } };
    }
    // The target vanished or is not ours (Common skills are read-only): add instead.
    decision = { action: 'add', via: 'guardrail', reason: `merge target unavailable (${decision.reason}); added instead` };
  }
  const skill = newSkillFrom(deps, userId, cand, prov, decision.via === 'review' ? decision.reason : undefined);
  if (opts.dryRun) return { result: { action: 'created', decision, preview: skill } };
  const files = newFiles(undefined, cand);
  return { result: { action: 'created', decision }, write: { skill, opts: files ? { files } : {} } };
}

async function plan(deps: MaintainDeps, userId: string, cand: ProposedSkill, prov: Provenance, signal?: AbortSignal): Promise<Plan> {
  const decision = await decideWithReview(deps, userId, cand, signal);
  signal?.throwIfAborted();
  return planDecision(deps, userId, cand, decision, prov, { signal });
}

/** The user's skills as `id@version` lines: the state a plan was made on. */
function basisOf(skills: SkillView, owner: string): string {
  return skills
    .all()
    .filter((s) => s.owner === owner)
    .map((s) => `${s.id}@${s.version}`)
    .sort()
    .join('\n');
}

/** A job that already wrote (it crashed after the write, before recording completion) is not applied twice. */
function replayed(skills: SkillView, owner: string, prov: Provenance): MaintainResult | undefined {
  const done = skills.all().find((s) => s.owner === owner && s.source?.ref === prov.ref);
  if (!done) return undefined;
  return { action: 'unchanged', skill: done, decision: { action: 'merge', targetId: done.id, via: 'replay', reason: 'already applied by an earlier attempt of this job' } };
}

function isConflict(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'conflict';
}

/**
 * Per store and user, the plans made again after a conflict run one at a time in this process.
 * Without it a burst of N learning writes for one user (parallel ingests into one skill) would
 * plan in N rounds of all remaining jobs, about N²/2 model calls; queued, the losers of the first
 * round each plan once more on the newest state, about 2N. It is a queue of re-plans, not a
 * lock: it holds no store lock and no connection, and first plans and every other write never
 * wait for it.
 */
const replans = new WeakMap<SkillStore, Map<string, Promise<void>>>();

async function queuedReplan<T>(store: SkillStore, owner: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  let queues = replans.get(store);
  if (!queues) replans.set(store, (queues = new Map()));
  const prev = queues.get(owner) ?? Promise.resolve();
  let release!: () => void;
  const turn = prev.then(() => new Promise<void>((r) => (release = r)));
  queues.set(owner, turn);
  try {
    await untilOrAborted(prev, signal);
    return await fn();
  } finally {
    // Our place ends whether we ran, failed or gave up waiting; later re-plans keep their order.
    void prev.then(() => release());
    void turn.then(() => {
      if (queues.get(owner) === turn) queues.delete(owner);
    });
  }
}

/** Wait for `p` (which never rejects), or reject when the job is aborted meanwhile. */
function untilOrAborted(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

async function write(deps: MaintainDeps, p: Plan): Promise<MaintainResult> {
  if (!p.write) return p.result;
  return { ...p.result, skill: await deps.store.put(p.write.skill, p.write.opts) };
}

/**
 * The whole decide-plan-write for one candidate: planned outside the lock, written under it only
 * if the user's skills are still what the plan was made on, planned again otherwise.
 */
export async function maintain(
  deps: MaintainDeps,
  userId: string,
  cand: ProposedSkill,
  prov: Provenance,
  signal?: AbortSignal,
): Promise<MaintainResult> {
  const owner = userOwner(userId);
  const budget = Math.max(1, deps.maxPlans ?? MAX_PLANS);
  const once = async (): Promise<MaintainResult | undefined> => {
    const early = replayed(deps.catalog, owner, prov);
    if (early) return early;
    const basis = basisOf(deps.catalog, owner);
    const p = await plan(deps, userId, cand, prov, signal);
    signal?.throwIfAborted();
    // Nothing to write (discard, unchanged): no lock needed.
    if (!p.write) return p.result;
    return deps.store.withOwnerLock(owner, async () => {
      // withLock has caught up with every committed write, from any task or process, and the
      // catalog applied what the catch-up announced.
      const replay = replayed(deps.catalog, owner, prov);
      if (replay) return replay;
      // A merge writes only its target, and put's expectedVersion checks that; a new skill could
      // duplicate any skill of the user that appeared or changed meanwhile.
      if (p.result.action === 'created' && basisOf(deps.catalog, owner) !== basis) return undefined;
      try {
        return await write(deps, p);
      } catch (err) {
        // expectedVersion, the second line of defence: someone got in after all; plan again.
        if (isConflict(err)) return undefined;
        throw err;
      }
    });
  };
  for (let attempt = 1; attempt <= budget; attempt++) {
    const done = attempt === 1 ? await once() : await queuedReplan(deps.store, owner, once, signal);
    if (done) return done;
    deps.logger?.debug('learned write planned on a changed state; planning again', { userId, ref: prov.ref, attempt });
  }
  deps.logger?.warn('skills kept changing under every plan; planning under the lock without the model', { userId, ref: prov.ref, plans: budget });
  return deps.store.withOwnerLock(owner, async () => {
    const replay = replayed(deps.catalog, owner, prov);
    if (replay) return replay;
    return write(deps, await plan({ ...deps, llm: undefined }, userId, cand, prov, signal));
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
  const target = decision.action === 'merge' && decision.targetId ? deps.catalog.get(decision.targetId) : undefined;
  if (target && isPending(target)) return { action: 'merge', targetId: target.id, via: 'review', reason: held.reason };
  return held;
}

/** Dry run: the decision and what would be written, without taking the lock or writing. */
export async function previewMaintain(deps: MaintainDeps, userId: string, cand: ProposedSkill, signal?: AbortSignal): Promise<MaintainResult> {
  const decision = await decideWithReview(deps, userId, cand, signal);
  return (await planDecision(deps, userId, cand, decision, { ref: 'simulate', trigger: 'simulate' }, { dryRun: true, signal })).result;
}
