import { describe, expect, it } from 'vitest';
import { MemoryJobJournal } from '../../src/engine/jobs/memory-journal.js';
import { Learner, type ExtractJobResult, LearnerError } from '../../src/engine/learn/learner.js';
import { MemorySkillStore } from '../helpers/memory-store.js';
import { reportBrain } from '../helpers/report-brain.js';
import { scriptedModel, type Responder } from '../helpers/scripted-llm.js';
import { simpleSearch } from '../helpers/simple-search.js';
import { SkillCatalog } from '../../src/engine/store/catalog.js';

const conv = [
  { role: 'user', content: 'Write a report about wind power. My key is sk-proj-AbCdEf0123456789GhIjKl.' },
  { role: 'assistant', content: 'Report ...' },
  { role: 'user', content: "Don't hallucinate, cite sources. Call me at +1 415 555 0132." },
];

async function setup(respond: Responder) {
  const store = new MemorySkillStore();
  const journal = new MemoryJobJournal();
  const model = scriptedModel(respond);
  const learner = new Learner({ store, catalog: await SkillCatalog.open(store), search: simpleSearch(store), llm: model.llm, journal, pollMs: 0 });
  return { store, journal, model, learner };
}

describe('Learner jobs', () => {
  it('malformed model output: the job fails with the reason and the store is untouched', async () => {
    const { store, learner, model } = await setup(() => 'Sure, I think the user wants a report skill with citations.');
    const job = await learner.extractNow('erin', conv, { wait: true });
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/skill_extraction answer unusable after one repair attempt \(no_json\)/);
    expect((await store.list())).toHaveLength(0);
    expect(store.puts).toBe(0);
    expect(model.calls.map((c) => c.mode)).toEqual(['extract', 'repair']);
    await learner.close();
  });

  it('the repair path succeeds when the second answer is valid', async () => {
    let first = true;
    const { store, learner, model } = await setup((call) => {
      if (call.mode === 'extract' && first) {
        first = false;
        return '{"skill": {"name": "report-writing", "title": "Report writing", "prompt": 7}}';
      }
      if (call.mode === 'repair') {
        const draft = call.user.slice(call.user.indexOf('DRAFT:'));
        expect(draft).toContain('report-writing');
        return reportBrain({ ...call, mode: 'extract', payload: { user_turns: ["Don't hallucinate, cite sources."] } });
      }
      return reportBrain(call);
    });
    const job = await learner.extractNow('erin', conv, { wait: true });
    expect(job).toMatchObject({ state: 'completed', result: { status: 'upserted' } });
    expect((await store.list())).toHaveLength(1);
    expect(model.calls.map((c) => c.mode)).toEqual(['extract', 'repair']);
    await learner.close();
  });

  it('redacts before the model sees anything and before the journal stores the payload', async () => {
    const { journal, learner, model } = await setup(reportBrain);
    const job = await learner.extractNow('erin', conv, { wait: true, hint: 'mail me: erin@example.com' });
    const stored = JSON.stringify((await journal.get(job.id))!.payload);
    for (const secret of ['sk-proj-AbCdEf0123456789GhIjKl', '415 555 0132', 'erin@example.com']) {
      expect(stored).not.toContain(secret);
      expect(model.calls.some((c) => c.user.includes(secret))).toBe(false);
    }
    expect(stored).toContain('<API_KEY>');
    expect(stored).toContain('<PHONE>');
    await learner.close();
  });

  it('a job whose model says "no skill" completes with the reason', async () => {
    const { learner } = await setup(() => '{"skill": null, "reason": "one-off task"}');
    const job = await learner.extractNow('erin', conv.slice(0, 1), { wait: true });
    expect(job).toMatchObject({ state: 'completed', result: { status: 'nothing', reason: 'one-off task' } });
    expect((job.result as ExtractJobResult).extractor).toBe('llm:mock-v3');
    await learner.close();
  });

  it('observeTurn returns at once; getJob/listJobs/events report progress', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { learner } = await setup(async (call) => {
      await gate;
      return reportBrain(call);
    });
    const events = learner.events('erin');
    const job = await learner.observeTurn('erin', conv);
    expect(job?.state).toBe('scheduled');
    expect((await learner.getJob(job!.id))!.state).toMatch(/scheduled|running/);
    release();
    const final = await learner.waitForJob(job!.id);
    expect(final.state).toBe('completed');
    const types: string[] = [];
    for await (const e of events) {
      types.push(e.type);
      if (e.type === 'completed') break;
    }
    expect(types).toEqual(['scheduled', 'running', 'completed']);
    expect((await learner.listJobs('erin', 10)).map((j) => j.id)).toEqual([job!.id]);
    expect(await learner.listJobs('nobody')).toEqual([]);
    await learner.close();
  });

  it('refuses extractNow with nothing to extract from', async () => {
    const { learner } = await setup(reportBrain);
    await expect(learner.extractNow('erin', [])).rejects.toSatisfy(LearnerError.isInstance);
    await learner.close();
  });
});
