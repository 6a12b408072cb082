import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryJobJournal } from '../../src/engine/jobs/memory-journal.js';
import { runBatch, loadConversations, type BatchProgress } from '../../src/engine/learn/batch.js';
import { Learner } from '../../src/engine/learn/learner.js';
import { UsageTracker } from '../../src/engine/usage/tracker.js';
import { MemorySkillStore } from '../helpers/memory-store.js';
import { reportBrain } from '../helpers/report-brain.js';
import { scriptedModel } from '../helpers/scripted-llm.js';
import { simpleSearch } from '../helpers/simple-search.js';
import { SkillCatalog } from '../../src/engine/store/catalog.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'autoskill-batch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ruleConv = (topic: string, rule: string) => ({
  messages: [
    { role: 'system', content: 'You are helpful.' },
    { role: 'user', content: `Write a report about ${topic}.` },
    { role: 'assistant', content: [{ type: 'text', text: 'Report ...' }] },
    { role: 'user', content: rule },
  ],
});
const oneOff = { messages: [{ role: 'user', content: 'What is the capital of France?' }, { role: 'assistant', content: 'Paris.' }] };

describe('batch learning from OpenAI-format conversations', () => {
  it('reads .json arrays and .jsonl lines, runs the pipeline, and summarizes', async () => {
    await writeFile(path.join(dir, 'a.json'), JSON.stringify([ruleConv('solar', "Don't hallucinate, cite sources."), oneOff]));
    await writeFile(
      path.join(dir, 'b.jsonl'),
      [JSON.stringify(ruleConv('wind', 'Also, always use plain text, no markdown.')), '{broken', JSON.stringify({ request: { messages: oneOff.messages } })].join('\n'),
    );
    const store = new MemorySkillStore();
    const learner = new Learner({ store, catalog: await SkillCatalog.open(store), search: simpleSearch(store), journal: new MemoryJobJournal() });
    const progress: BatchProgress[] = [];
    const summary = await runBatch(learner, { userId: 'frank', path: dir, onProgress: (p) => progress.push(p) });
    expect(summary).toMatchObject({ conversations: 4, processed: 4, created: 1, updated: 1, nothing: 2, failed: 1 });
    expect(summary.failures).toEqual([{ source: 'b.jsonl:2', reason: 'invalid JSON' }]);
    expect(summary.skills).toHaveLength(1);
    expect(summary.skills[0]).toMatchObject({ version: '0.1.1', action: 'merged' });
    expect(progress.map((p) => `${p.index + 1}/${p.total} ${p.source} ${p.status}`)).toEqual([
      '1/4 a.json#0 upserted',
      '2/4 a.json#1 nothing',
      '3/4 b.jsonl:1#0 upserted',
      '4/4 b.jsonl:3#0 nothing',
    ]);
    expect((await store.list())).toHaveLength(1);
    // re-running the same file is a no-op for conversations already applied
    const again = await runBatch(learner, { userId: 'frank', path: path.join(dir, 'b.jsonl') });
    expect(again.updated).toBe(0);
    await learner.close();
  });

  it('records a failing conversation (malformed model output) and continues', async () => {
    let n = 0;
    const model = scriptedModel((call) => {
      if (call.mode === 'extract' || call.mode === 'repair') n++;
      return n <= 2 ? 'garbage' : reportBrain(call);
    });
    const store = new MemorySkillStore();
    const learner = new Learner({ store, catalog: await SkillCatalog.open(store), search: simpleSearch(store), llm: model.llm, journal: new MemoryJobJournal() });
    const summary = await runBatch(learner, {
      userId: 'gina',
      data: [ruleConv('a', "Don't hallucinate."), ruleConv('b', 'Cite sources, always.')],
    });
    expect(summary).toMatchObject({ conversations: 2, processed: 1, failed: 1, created: 1 });
    expect(summary.failures[0]!.reason).toMatch(/unusable after one repair attempt/);
    await learner.close();
  });

  it('discovers conversations in wrapped records', async () => {
    const { conversations } = await loadConversations({
      data: { data: [{ conversation: oneOff.messages }, { body: { messages: [{ role: 'user', content: 'hi' }] }, response: { choices: [{ message: { content: 'hello' } }] } }] },
    });
    expect(conversations.map((c) => c.messages.map((m) => m.role).join(','))).toEqual(['user,assistant', 'user,assistant']);
  });
});

describe('usage tracking', () => {
  it('counts retrievals and injections, persists them atomically, and merges across processes', async () => {
    const a = new UsageTracker({ root: dir, debounceMs: 10_000 });
    const b = new UsageTracker({ root: dir, debounceMs: 10_000 });
    a.recordRetrieved('u1', ['s1', 's2', 's1']);
    a.recordInjected('u1', ['s1']);
    b.recordRetrieved('u1', ['s1']);
    b.recordRetrieved('u2', ['common-1']);
    expect(a.get('u1', 's1')).toMatchObject({ retrieved: 1, injected: 1 });
    await a.flush();
    await b.flush();
    const c = new UsageTracker({ root: dir });
    await c.load();
    expect(c.get('u1', 's1')).toMatchObject({ retrieved: 2, injected: 1, lastRetrievedAt: expect.any(String), lastInjectedAt: expect.any(String) });
    expect(c.stats()).toMatchObject({ s1: { retrieved: 2 }, s2: { retrieved: 1 }, 'common-1': { retrieved: 1 } });
    expect(Object.keys(c.stats('u2'))).toEqual(['common-1']);
    const file = JSON.parse(await readFile(path.join(dir, '.autoskill', 'usage.json'), 'utf8'));
    expect(file.version).toBe(1);
  });

  it('flushes by itself after the debounce delay', async () => {
    const t = new UsageTracker({ root: dir, debounceMs: 5 });
    t.recordInjected('u1', ['s9']);
    // no explicit flush: wait (bounded) until the debounced write shows up on disk
    const check = new UsageTracker({ root: dir });
    for (let i = 0; i < 250 && !check.get('u1', 's9'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      await check.load();
    }
    expect(check.get('u1', 's9')?.injected).toBe(1);
    await t.close();
  });
});
