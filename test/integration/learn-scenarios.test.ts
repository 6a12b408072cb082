import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsJobJournal } from '../../src/engine/jobs/fs-journal.js';
import { Learner, type ExtractJobResult } from '../../src/engine/learn/learner.js';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { reportBrain } from '../helpers/report-brain.js';
import { scriptedModel } from '../helpers/scripted-llm.js';
import { searchBackend } from '../helpers/search-backend.js';

/**
 * The seed's four lifecycle scenarios, end to end: real filesystem store and job journal,
 * background jobs through the auto policy, and either a scripted AI SDK model or the offline
 * extractor.
 *   A: a one-off "write a report" request → nothing stored
 *   B: "don't hallucinate, cite sources" → a new skill v0.1.0
 *   C: "also plain text, no markdown" → the same skill v0.1.1, no duplicate
 *   D: a new, similar request → that skill is retrieved
 */

let root: string;
let store: FsSkillStore;
let learner: Learner | undefined;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'autoskill-scenarios-'));
  store = new FsSkillStore({ root });
  await store.open();
});
afterEach(async () => {
  await learner?.close();
  learner = undefined;
  await store.close();
  await rm(root, { recursive: true, force: true });
});

async function makeLearner(withModel: boolean) {
  const backend = await searchBackend(store);
  const model = withModel ? scriptedModel(reportBrain, 'v3') : undefined;
  learner = new Learner({
    store,
    catalog: backend.catalog,
    search: backend.search,
    llm: model?.llm,
    journal: new FsJobJournal({ root }),
    settled: backend.settled,
    pollMs: 0,
  });
  learner.start();
  return { learner, backend, model };
}

const REQUEST = 'Write a report about self-evolving agents for the Ministry of Digital Affairs. Contact: li.wei@example.gov';

async function turn(l: Learner, history: ChatMessage[], user: string, assistant: string) {
  history.push({ role: 'user', content: user });
  const job = await l.observeTurn('alice', history, { sessionId: 's1' });
  history.push({ role: 'assistant', content: assistant });
  return job ? l.waitForJob(job.id) : undefined;
}

for (const withModel of [true, false]) {
  describe(`seed lifecycle (${withModel ? 'scripted AI SDK model' : 'offline extractor'})`, () => {
    it('A → B → C → D', async () => {
      const { learner: l, backend, model } = await makeLearner(withModel);
      const history: ChatMessage[] = [];

      // A: the first turn never extracts; a plain acknowledgement extracts nothing.
      expect(await turn(l, history, REQUEST, 'Here is the report on self-evolving agents ...')).toBeUndefined();
      const a = await turn(l, history, 'Thanks, that looks fine.', 'Glad it helps.');
      expect(a).toMatchObject({ state: 'completed', result: { status: 'nothing' } });
      expect((await store.list())).toHaveLength(0);

      // B: a durable rule → one new skill at 0.1.0
      const b = await turn(l, history, "Please don't hallucinate, and cite your sources.", 'Revised report with sources ...');
      expect(b?.state).toBe('completed');
      const bResult = b!.result as ExtractJobResult;
      expect(bResult.status).toBe('upserted');
      expect(bResult.skills).toHaveLength(1);
      expect(bResult.skills[0]).toMatchObject({ version: '0.1.0', action: 'created', owner: 'user:alice' });
      const id = bResult.skills[0]!.id;
      const v010 = (await store.get(id))!;
      expect(v010.source).toEqual({ kind: 'extraction', ref: b!.id, trigger: 'auto' });
      // de-identified and redacted: nothing of the instance is kept
      expect(JSON.stringify(v010)).not.toMatch(/Ministry|li\.wei|example\.gov|self-evolving/i);

      // C: another rule → the same skill, 0.1.1, no duplicate
      const c = await turn(l, history, 'Also, use plain text — no markdown.', 'Plain-text version ...');
      const cResult = c!.result as ExtractJobResult;
      expect(cResult).toMatchObject({ status: 'upserted', skills: [{ id, version: '0.1.1', action: 'merged' }] });
      expect((await store.list())).toHaveLength(1);
      const v011 = (await store.get(id))!;
      const rules = parsePrompt(v011.instructions).constraints.join('\n');
      expect(rules).toMatch(/hallucinat|invent/i);
      expect(rules).toMatch(/source/i);
      expect(rules).toMatch(/plain text/i);
      expect(v011.source).toMatchObject({ kind: 'merge', ref: c!.id });
      expect((await store.history(id)).map((h) => h.version)).toEqual(['0.1.0', '0.1.1']);
      const md = await readFile(path.join(root, 'Users', 'alice', v011.slug, 'SKILL.md'), 'utf8');
      expect(md).toContain('0.1.1');

      // D: a new conversation with a similar request retrieves the skill
      const hits = await backend.search('Write a report about self-evolving agents for a government audience', { userId: 'alice', scope: 'all', limit: 3 });
      expect(hits[0]?.skill.id).toBe(id);
      // and other users do not see it
      expect(await backend.search('Write a report about self-evolving agents', { userId: 'bob', scope: 'all', limit: 3 })).toEqual([]);

      if (model) {
        // the C extraction got B's skill as its identity reference
        const extractCalls = model.calls.filter((x) => x.mode === 'extract');
        expect(extractCalls.at(-1)!.payload!.reference_skill).toMatchObject({ name: v010.slug });
        // nothing sent to the model contains the e-mail address
        expect(model.calls.every((x) => !x.user.includes('li.wei@example.gov'))).toBe(true);
      }
      const jobs = await l.listJobs('alice');
      expect(jobs.map((j) => j.state)).toEqual(['completed', 'completed', 'completed']);
    });
  });
}

describe('explicit extraction and dry runs', () => {
  it('extractNow runs even in never mode; simulate writes nothing', async () => {
    const { learner: l } = await makeLearner(false);
    const conv: ChatMessage[] = [
      { role: 'user', content: 'Draft a press release about our Q3 results.' },
      { role: 'assistant', content: 'Draft ...' },
      { role: 'user', content: 'Never use exclamation marks, and always keep it under 300 words.' },
    ];
    expect(await l.observeTurn('bob', conv, { mode: 'never' })).toBeUndefined();
    const sim = await l.simulate('bob', conv);
    expect(sim).toMatchObject({ extractor: 'offline', action: 'created', decision: { action: 'add' } });
    expect(sim.preview).toMatchObject({ name: 'Articles: no exclamation marks', version: '0.1.0' });
    expect((await store.list())).toHaveLength(0);
    const done = await l.extractNow('bob', conv, { wait: true });
    expect(done).toMatchObject({ state: 'completed', result: { status: 'upserted', skills: [{ action: 'created' }] } });
    expect((await store.list())).toHaveLength(1);
    const again = await l.simulate('bob', conv);
    expect(again.action).toBe('unchanged');
  });
});
