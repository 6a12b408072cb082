/**
 * TEST-ONLY harness for issue #12's "Done when": the seed lifecycle through any surface driver
 * (test/helpers/lifecycle-drivers.ts), in English and Chinese, with the paraphrase sets of
 * test/fixtures/lifecycle/<lang>.json (written for this harness, none taken from web_sessions).
 *
 *   A: a one-off task (and an acknowledgement)        → the user owns no skill
 *   B: a report request, then "don't make things up / cite sources for my reports"
 *                                                      → exactly one task skill, v0.1.0, holding the rule
 *   C: (after canonical B) a later report conversation with a new constraint
 *                                                      → still one skill, the SAME id, v0.1.1, holding it
 *   D: (after canonical B and C) a similar later task  → that skill reaches the model
 *   E: a standing preference ("from now on plain text"), then an unrelated request in a new
 *      conversation                                    → one standing skill, and it reaches the model
 *   U: (after canonical B, C, E) unrelated requests    → none of the user's task skills reaches the model
 *
 * Each paraphrase of a step runs for a new user (one id per run, so runs never interfere), with
 * the other steps' preconditions built from each set's canonical (first) phrasing; a precondition
 * that fails marks the run `blocked`, which counts as a failure. "Reached the model" is read from
 * what the model received (drivers), mapping the skill ids found in that text to skills; whether a
 * skill is standing is read from its metadata (`applies`), the one place that defines it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AutoSkill } from '../../src/engine/autoskill.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { isStanding } from '../../src/engine/skill/standing.js';
import type { Msg, SurfaceDriver } from './lifecycle-drivers.js';

export const LANGS = ['en', 'zh'] as const;
export type Lang = (typeof LANGS)[number];
/**
 * A-E and U as in the header; BCD chains the i-th phrasings of B, C and D for one user (three
 * conversations), so the merge must recognise a paraphrased constraint as the same family as a
 * paraphrased rule, and the skill learned from paraphrases must reach a paraphrased request.
 */
export const STEPS = ['A', 'B', 'C', 'D', 'E', 'U', 'BCD'] as const;
export type Step = (typeof STEPS)[number];

// ------------------------------------------------------------------------------ paraphrase sets

const Regex = z.string().refine((s) => {
  try {
    new RegExp(s, 'iu');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const ItemSchema = z.object({
  /** the user's messages of one conversation, in order (the model's answer goes between them) */
  turns: z.array(z.string().trim().min(1)).min(1),
});
export type Item = z.infer<typeof ItemSchema>;

const items = () => z.array(ItemSchema).min(20);

export const ParaphraseSetSchema = z.object({
  lang: z.enum(LANGS),
  /** what the fake model answers to every turn */
  answer: z.string().min(1),
  /** what the learned skill's text must mention: B the rule, C the new constraint, E the preference */
  checks: z.object({ B: Regex, C: Regex, E: Regex }),
  steps: z.object({ A: items(), B: items(), C: items(), D: items(), E: items() }),
  unrelated: z.array(z.string().trim().min(1)).min(40),
});
export type ParaphraseSet = z.infer<typeof ParaphraseSetSchema>;

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/lifecycle');

/** `<dir>/<lang>.json` (default: this harness's own sets); any held-out set in the same shape runs too. */
export async function loadParaphrases(lang: Lang, dir = process.env.AUTOSKILL_LIFECYCLE_SETS || FIXTURES): Promise<ParaphraseSet> {
  const set = ParaphraseSetSchema.parse(JSON.parse(await readFile(path.join(dir, `${lang}.json`), 'utf8')));
  if (set.lang !== lang) throw new Error(`${lang}.json declares lang ${set.lang}`);
  return set;
}

/** The phrasings a step runs over: items of A-E, the unrelated requests for U. */
export function phrasings(set: ParaphraseSet, step: Step): Item[] {
  if (step === 'U') return set.unrelated.map((q) => ({ turns: [q] }));
  if (step === 'BCD') {
    const n = Math.min(set.steps.B.length, set.steps.C.length, set.steps.D.length);
    return set.steps.B.slice(0, n).map((b, i) => ({ turns: [...b.turns, '⏎⏎', ...set.steps.C[i]!.turns, '⏎⏎', ...set.steps.D[i]!.turns] }));
  }
  return set.steps[step];
}

// ------------------------------------------------------------------------------ observations

export interface Injected {
  standing: Skill[];
  task: Skill[];
}

/**
 * The skills whose ids appear in what the model received. Every token of the text is looked up,
 * so this does not depend on how a surface lays the skills out.
 */
export function injectedIn(sdk: AutoSkill, text: string): Injected {
  const out: Injected = { standing: [], task: [] };
  const seen = new Set<string>();
  for (const token of text.split(/[\s,;:()[\]{}<>"'`|]+/u)) {
    if (token.length < 8 || seen.has(token)) continue;
    seen.add(token);
    const skill = sdk.skills.get(undefined, token);
    if (skill) (isStanding(skill) ? out.standing : out.task).push(skill);
  }
  return out;
}

const own = (sdk: AutoSkill, userId: string): Skill[] => sdk.list({ userId, scope: 'user' });

/**
 * What the user's learning jobs did, oldest first, for a failure message: the component that went
 * wrong (policy, gate, merge) shows in it. e.g. `nothing (no durable rule)`, `upserted: created X@0.1.0`.
 */
async function jobLog(sdk: AutoSkill, userId: string): Promise<string> {
  const jobs = (await sdk.jobs.list({ userId }, 10_000)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (jobs.length === 0) return 'no learning job was scheduled';
  return jobs
    .map((j) => {
      if (j.state !== 'completed') return `${j.state}${j.error ? ` (${j.error})` : ''}`;
      const r = j.result as { status?: string; reason?: string; skills?: Array<{ name: string; version: string; action: string }> } | undefined;
      const skills = (r?.skills ?? []).map((s) => `${s.action} "${s.name}"@${s.version}`).join(', ');
      return `${r?.status ?? '?'}${skills ? `: ${skills}` : ''}${r?.reason ? ` (${r.reason.slice(0, 120)})` : ''}`;
    })
    .map((line, i) => `job ${i + 1}: ${line}`)
    .join('; ');
}

async function failedJobs(sdk: AutoSkill, userId: string): Promise<string[]> {
  return (await sdk.jobs.list({ userId }, 10_000)).filter((j) => j.state === 'failed').map((j) => `${j.id}: ${j.error ?? 'failed'}`);
}

/** Send one conversation (each user message, then the fake answer); what the model saw per turn. */
async function converse(d: SurfaceDriver, set: ParaphraseSet, userId: string, sessionId: string, turns: string[]): Promise<Injected[]> {
  const convo: Msg[] = [];
  const seen: Injected[] = [];
  for (const text of turns) {
    convo.push({ role: 'user', content: text });
    seen.push(injectedIn(d.sdk, (await d.turn(userId, sessionId, [...convo])).text));
    convo.push({ role: 'assistant', content: set.answer });
  }
  await d.flush(userId);
  return seen;
}

/**
 * For a failure message only: where `skillId` ranks for `query` in the user's view and its score,
 * against the injection threshold and top-k, so a miss reads as threshold, ranking or absence.
 */
async function rankNote(sdk: AutoSkill, query: string, userId: string, skillIds: string[]): Promise<string> {
  const hits = await sdk.search(query, { userId, limit: 50 });
  const { minScore, topK } = sdk.retrievalDefaults;
  const parts = skillIds.map((id) => {
    const i = hits.findIndex((h) => h.skill.id === id);
    return i < 0 ? 'not among the top 50 hits' : `rank ${i + 1}, score ${hits[i]!.score.toFixed(3)}`;
  });
  const top = hits.slice(0, 3).map((h) => h.score.toFixed(3)).join(' ');
  return `[search: ${parts.join('; ')}; injection needs score >= ${minScore} within top ${topK}; top scores ${top || 'none'}]`;
}

const describeSkill = (s: Skill) => `"${s.name}" v${s.version}${isStanding(s) ? ' (standing)' : ''}`;
const skillText = (s: Skill) => [s.name, s.description, s.instructions].join('\n');

// ------------------------------------------------------------------------------ steps

export interface StepResult {
  step: Step;
  phrasing: string;
  pass: boolean;
  /** why it failed (or what it did, when it passed) */
  reason: string;
  /** U on a store with Common skills: the Common task skills that reached the model (reported, not judged) */
  common?: string[];
}

export interface RunContext {
  driver: SurfaceDriver;
  set: ParaphraseSet;
  /** unique per run; step runners derive their user ids from it */
  userId: string;
}

type Verdict = { pass: boolean; reason: string; common?: string[] };
const fail = (reason: string): Verdict => ({ pass: false, reason });

/** B's check: exactly one skill, task-bound, v0.1.0, holding the rule. */
function checkLearnedTask(ctx: RunContext, version: string, rule: string): Verdict & { skill?: Skill } {
  const skills = own(ctx.driver.sdk, ctx.userId);
  if (skills.length !== 1) return fail(`expected 1 skill, user owns ${skills.length}: ${skills.map(describeSkill).join(', ') || 'none'}`);
  const s = skills[0]!;
  if (isStanding(s)) return fail(`learned ${describeSkill(s)} as standing, expected task-bound`);
  if (s.version !== version) return fail(`learned ${describeSkill(s)}, expected v${version}`);
  if (!new RegExp(rule, 'iu').test(skillText(s))) return fail(`${describeSkill(s)} does not hold the rule (/${rule}/): ${JSON.stringify(s.instructions.slice(0, 200))}`);
  return { pass: true, reason: `learned ${describeSkill(s)}`, skill: s };
}

async function setupB(ctx: RunContext): Promise<Verdict & { skill?: Skill }> {
  await converse(ctx.driver, ctx.set, ctx.userId, `${ctx.userId}-b`, ctx.set.steps.B[0]!.turns);
  const v = checkLearnedTask(ctx, '0.1.0', ctx.set.checks.B);
  return v.pass ? v : fail(`blocked: canonical B failed: ${v.reason}`);
}

async function setupC(ctx: RunContext, skill: Skill, turns: string[]): Promise<Verdict> {
  await converse(ctx.driver, ctx.set, ctx.userId, `${ctx.userId}-c`, turns);
  const skills = own(ctx.driver.sdk, ctx.userId);
  if (skills.length !== 1) return fail(`expected the 1 skill, user owns ${skills.length}: ${skills.map(describeSkill).join(', ')}`);
  const s = skills[0]!;
  if (s.id !== skill.id) return fail(`a different skill: ${describeSkill(s)} replaced ${describeSkill(skill)}`);
  if (s.version !== '0.1.1') return fail(`${describeSkill(s)}, expected v0.1.1 (constraint ${s.version === skill.version ? 'not merged' : 'merged more than once'})`);
  if (!new RegExp(ctx.set.checks.C, 'iu').test(skillText(s))) return fail(`${describeSkill(s)} does not hold the new constraint (/${ctx.set.checks.C}/)`);
  if (!new RegExp(ctx.set.checks.B, 'iu').test(skillText(s))) return fail(`${describeSkill(s)} lost the first rule (/${ctx.set.checks.B}/)`);
  return { pass: true, reason: `merged into ${describeSkill(s)}` };
}

async function setupE(ctx: RunContext, turns: string[], session: string): Promise<Verdict & { skill?: Skill }> {
  const before = new Set(own(ctx.driver.sdk, ctx.userId).map((s) => s.id));
  await converse(ctx.driver, ctx.set, ctx.userId, session, turns);
  const added = own(ctx.driver.sdk, ctx.userId).filter((s) => !before.has(s.id));
  const changed = own(ctx.driver.sdk, ctx.userId).filter((s) => before.has(s.id) && isStanding(s));
  if (changed.length > 0) return fail(`a task skill became standing: ${changed.map(describeSkill).join(', ')}`);
  if (added.length !== 1) return fail(`expected 1 new standing skill, got ${added.length}: ${added.map(describeSkill).join(', ') || 'none'}`);
  const s = added[0]!;
  if (!isStanding(s)) return fail(`learned ${describeSkill(s)} as task-bound, expected standing`);
  if (!new RegExp(ctx.set.checks.E, 'iu').test(skillText(s))) return fail(`${describeSkill(s)} does not hold the preference (/${ctx.set.checks.E}/)`);
  return { pass: true, reason: `learned ${describeSkill(s)}`, skill: s };
}

async function runOne(step: Step, ctx: RunContext, item: Item, index: number): Promise<Verdict> {
  const { driver: d, set, userId } = ctx;
  switch (step) {
    case 'A': {
      const seen = await converse(d, set, userId, `${userId}-a`, item.turns);
      const mine = seen.flatMap((s) => [...s.standing, ...s.task]).filter((s) => s.owner === `user:${userId}`);
      const skills = own(d.sdk, userId);
      if (skills.length > 0) return fail(`learned from a one-off task: ${skills.map(describeSkill).join(', ')}`);
      if (mine.length > 0) return fail('injected a skill of the user who owns none');
      const failed = await failedJobs(d.sdk, userId);
      return failed.length ? fail(`learning job failed: ${failed.join('; ')}`) : { pass: true, reason: 'nothing learned' };
    }
    case 'B': {
      await converse(d, set, userId, `${userId}-b`, item.turns);
      const failed = await failedJobs(d.sdk, userId);
      if (failed.length) return fail(`learning job failed: ${failed.join('; ')}`);
      return checkLearnedTask(ctx, '0.1.0', set.checks.B);
    }
    case 'C': {
      const b = await setupB(ctx);
      return b.pass ? setupC(ctx, b.skill!, item.turns) : b;
    }
    case 'D': {
      const b = await setupB(ctx);
      if (!b.pass) return b;
      const c = await setupC(ctx, b.skill!, set.steps.C[0]!.turns);
      if (!c.pass) return fail(`blocked: canonical C failed: ${c.reason}`);
      const seen = await converse(d, set, userId, `${userId}-d`, item.turns);
      const first = seen[0]!;
      if (first.task.some((s) => s.id === b.skill!.id)) return { pass: true, reason: 'injected' };
      const note = await rankNote(d.sdk, item.turns[0]!, userId, [b.skill!.id]);
      return fail(`not injected ${note}; the model got: ${[...first.standing, ...first.task].map(describeSkill).join(', ') || 'nothing'}`);
    }
    case 'E': {
      const e = await setupE(ctx, item.turns, `${userId}-e`);
      if (!e.pass) return e;
      // an unrelated request, in a new conversation (rotating through the unrelated set)
      const probe = set.unrelated[index % set.unrelated.length]!;
      const [seen] = await converse(d, set, userId, `${userId}-e2`, [probe]);
      if (seen!.standing.some((s) => s.id === e.skill!.id)) return { pass: true, reason: `injected for "${probe}"` };
      return fail(`standing skill not injected for "${probe}"; the model got: ${[...seen!.standing, ...seen!.task].map(describeSkill).join(', ') || 'nothing'}`);
    }
    case 'U':
      return checkUnrelated(ctx, item.turns[0]!);
    case 'BCD': {
      const [b, c, dd] = [set.steps.B[index]!, set.steps.C[index]!, set.steps.D[index]!];
      await converse(d, set, userId, `${userId}-b`, b.turns);
      const learned = checkLearnedTask(ctx, '0.1.0', set.checks.B);
      if (!learned.pass) return fail(`B: ${learned.reason}`);
      const merged = await setupC(ctx, learned.skill!, c.turns);
      if (!merged.pass) return fail(`C: ${merged.reason}`);
      const [seen] = await converse(d, set, userId, `${userId}-d`, dd.turns);
      if (seen!.task.some((s) => s.id === learned.skill!.id)) return { pass: true, reason: 'learned, merged, injected' };
      return fail(`D: not injected ${await rankNote(d.sdk, dd.turns[0]!, userId, [learned.skill!.id])}`);
    }
  }
}

/** U needs a user who learned B, C and E (canonical). Done once per context user; idempotent. */
export async function setupUnrelatedUser(ctx: RunContext): Promise<Verdict> {
  const b = await setupB(ctx);
  if (!b.pass) return b;
  const c = await setupC(ctx, b.skill!, ctx.set.steps.C[0]!.turns);
  if (!c.pass) return fail(`blocked: canonical C failed: ${c.reason}`);
  const e = await setupE(ctx, ctx.set.steps.E[0]!.turns, `${ctx.userId}-e`);
  return e.pass ? { pass: true, reason: 'ready' } : fail(`blocked: canonical E failed: ${e.reason}`);
}

let probeSeq = 0;
async function checkUnrelated(ctx: RunContext, probe: string): Promise<Verdict> {
  const [seen] = await converse(ctx.driver, ctx.set, ctx.userId, `${ctx.userId}-u${++probeSeq}`, [probe]);
  const mineTask = seen!.task.filter((s) => s.owner === `user:${ctx.userId}`);
  const common = seen!.task.filter((s) => !s.owner.startsWith('user:')).map((s) => s.name);
  const others = seen!.task.filter((s) => s.owner.startsWith('user:') && s.owner !== `user:${ctx.userId}`);
  if (others.length) return fail(`another user's skill reached the model: ${others.map(describeSkill).join(', ')}`);
  if (mineTask.length) {
    const note = await rankNote(ctx.driver.sdk, probe, ctx.userId, mineTask.map((s) => s.id));
    return { pass: false, reason: `task skill injected: ${mineTask.map(describeSkill).join(', ')} ${note}`, common };
  }
  return { pass: true, reason: seen!.standing.length ? 'standing only' : 'nothing', common };
}

/**
 * Run one phrasing of a step for a new user. `U` uses `sharedUser` (set up with
 * `setupUnrelatedUser`) instead, since its probes only read.
 */
export async function runStep(driver: SurfaceDriver, set: ParaphraseSet, step: Step, index: number, userId: string): Promise<StepResult> {
  const item = phrasings(set, step)[index]!;
  const phrasing = item.turns.join(' ⏎ ');
  try {
    const v = await runOne(step, { driver, set, userId }, item, index);
    // U and D only read: their job log would describe the setup, not the step
    if (!v.pass && step !== 'U' && step !== 'D') v.reason += `\n        jobs: ${await jobLog(driver.sdk, userId)}`;
    return { step, phrasing, ...v };
  } catch (err) {
    return { step, phrasing, pass: false, reason: `threw: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export interface CanonicalResult {
  step: Step;
  pass: boolean;
  reason: string;
}

/**
 * The seed lifecycle for ONE user, in order, with each set's canonical phrasing: A → B → C → D →
 * E → an unrelated request. A step after a failed one still runs and reports what it saw.
 */
export async function runCanonical(driver: SurfaceDriver, set: ParaphraseSet, userId: string): Promise<CanonicalResult[]> {
  const ctx: RunContext = { driver, set, userId };
  const out: CanonicalResult[] = [];
  const record = async (step: Step, fn: () => Promise<Verdict>) => {
    try {
      const v = await fn();
      out.push({ step, pass: v.pass, reason: v.pass ? v.reason : `${v.reason}\n        jobs so far: ${await jobLog(driver.sdk, userId)}` });
    } catch (err) {
      out.push({ step, pass: false, reason: `threw: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
  await record('A', () => runOne('A', ctx, set.steps.A[0]!, 0));
  let skill: Skill | undefined;
  await record('B', async () => {
    await converse(driver, set, userId, `${userId}-b`, set.steps.B[0]!.turns);
    const v = checkLearnedTask(ctx, '0.1.0', set.checks.B);
    skill = v.skill;
    return v;
  });
  await record('C', async () => (skill ? setupC(ctx, skill, set.steps.C[0]!.turns) : fail('blocked: no skill from B')));
  await record('D', async () => {
    const [seen] = await converse(driver, set, userId, `${userId}-d`, set.steps.D[0]!.turns);
    if (skill && seen!.task.some((s) => s.id === skill!.id)) return { pass: true, reason: 'injected' };
    const note = skill ? await rankNote(driver.sdk, set.steps.D[0]!.turns[0]!, userId, [skill.id]) : '(no skill from B)';
    return fail(`not injected ${note}; the model got: ${[...seen!.standing, ...seen!.task].map(describeSkill).join(', ') || 'nothing'}`);
  });
  let standing: Skill | undefined;
  await record('E', async () => {
    const e = await setupE(ctx, set.steps.E[0]!.turns, `${userId}-e`);
    if (!e.pass) return e;
    standing = e.skill;
    const probe = set.unrelated[0]!;
    const [seen] = await converse(driver, set, userId, `${userId}-e2`, [probe]);
    if (!seen!.standing.some((s) => s.id === standing!.id)) return fail(`standing skill not injected for "${probe}"`);
    return { pass: true, reason: `injected for "${probe}"` };
  });
  await record('U', () => checkUnrelated(ctx, set.unrelated[1]!));
  return out;
}

// ------------------------------------------------------------------------------ summaries

export interface Rate {
  passed: number;
  total: number;
  rate: number;
}

export function rateOf(results: Array<{ pass: boolean }>): Rate {
  const passed = results.filter((r) => r.pass).length;
  return { passed, total: results.length, rate: results.length ? passed / results.length : 0 };
}

export function failures(results: StepResult[]): string[] {
  return results.filter((r) => !r.pass).map((r) => `[${r.step}] ${r.phrasing}\n      → ${r.reason}`);
}
