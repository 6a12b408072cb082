import { describe, expect, it } from 'vitest';
import type { ProposedSkill } from '../../src/engine/learn/candidate.js';
import { maintain, type MaintainDeps, type MaintainResult } from '../../src/engine/learn/maintain.js';
import { parsePrompt, renderPrompt } from '../../src/engine/learn/sections.js';
import { MemorySkillStore } from '../helpers/memory-store.js';
import { reportBrain } from '../helpers/report-brain.js';
import { scriptedModel, type ScriptedCall } from '../helpers/scripted-llm.js';
import { simpleSearch } from '../helpers/simple-search.js';
import { SkillCatalog } from '../../src/engine/store/catalog.js';

/**
 * Re-plans after a conflict wait their turn per user (maintain.ts), but a job aborted while it
 * waits leaves at once: a hung model in the re-plan ahead of it never keeps a job that is being
 * shut down. The conflicts are real: three merges into one skill are planned together, one
 * writes, the other two are re-planned one after the other.
 */

const cand = (rule: string): ProposedSkill => ({
  slug: 'write-report',
  name: 'Write a report',
  description: 'Use when the user asks to write a report; applies their standing rules.',
  instructions: renderPrompt({ goal: 'Write a report.', constraints: [rule], workflow: [], other: '' }),
  triggers: ['write a report'],
  tags: ['report'],
  examples: [],
  confidence: 0.7,
  files: {},
});

const RULES = ['Rule number 1 must always be followed.', 'Rule number 2 must always be followed.', 'Rule number 3 must always be followed.'];

describe('queued re-plans', () => {
  it('a job aborted while its re-plan waits behind a hung model leaves at once; the others finish', async () => {
    const store = new MemorySkillStore();
    const search = simpleSearch(store);
    const catalog = await SkillCatalog.open(store);
    const seeded = await maintain({ store, catalog, search }, 'u', cand('Cite a source for every claim.'), { ref: 'seed', trigger: 'test' });
    expect(seeded.action).toBe('created');

    // The first three merge calls (one per job) answer together; the fourth (the first re-plan) hangs.
    const firstRound: Array<() => void> = [];
    let releaseHung!: () => void;
    const hungReleased = new Promise<void>((r) => (releaseHung = r));
    let hungStarted!: (c: ScriptedCall) => void;
    const hung = new Promise<ScriptedCall>((r) => (hungStarted = r));
    let merges = 0;
    const model = scriptedModel(async (call) => {
      if (call.mode === 'merge') {
        merges++;
        if (merges <= 3) {
          await new Promise<void>((r) => {
            firstRound.push(r);
            if (firstRound.length === 3) for (const go of firstRound) go();
          });
        } else if (merges === 4) {
          hungStarted(call);
          await hungReleased;
        }
      }
      return reportBrain(call);
    });
    const deps: MaintainDeps = { store, catalog, search, llm: model.llm };
    const controllers = RULES.map(() => new AbortController());
    const settled: Array<MaintainResult | Error | undefined> = RULES.map(() => undefined);
    const jobs = RULES.map((rule, i) =>
      maintain(deps, 'u', cand(rule), { ref: `job-${i}`, trigger: 'test' }, controllers[i]!.signal).then(
        (r) => (settled[i] = r),
        (e: Error) => (settled[i] = e),
      ),
    );

    const hungCall = await hung;
    const winner = settled.findIndex((r) => r !== undefined && !(r instanceof Error));
    expect(winner).toBeGreaterThanOrEqual(0);
    const hungJob = RULES.findIndex((r) => (hungCall.payload?.candidate as { prompt: string }).prompt.includes(r));
    const waiting = [0, 1, 2].find((i) => i !== winner && i !== hungJob)!;
    expect(settled[waiting]).toBeUndefined();

    controllers[waiting]!.abort(new Error('job shut down'));
    // The timer only bounds the failure: a queue that ignored the abort would keep the job waiting.
    const bound = new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), 10_000).unref());
    expect(await Promise.race([jobs[waiting], bound]), 'an aborted job kept waiting for its turn').not.toBe('still waiting');
    expect(settled[waiting]).toBeInstanceOf(Error);
    expect((settled[waiting] as Error).message).toBe('job shut down');
    expect(settled[hungJob]).toBeUndefined(); // still in its hung re-plan

    releaseHung();
    await Promise.all(jobs);
    expect(settled[hungJob]).toMatchObject({ action: 'merged' });
    const [skill] = (await store.list());
    expect((await store.list())).toHaveLength(1);
    expect((await store.history(skill!.id)).map((h) => h.version)).toEqual(['0.1.0', '0.1.1', '0.1.2']);
    const rules = parsePrompt(skill!.instructions).constraints.join('\n');
    expect(rules).toContain(RULES[winner]);
    expect(rules).toContain(RULES[hungJob]);
    expect(rules).not.toContain(RULES[waiting]);
    expect(merges).toBe(4);
  });
});
