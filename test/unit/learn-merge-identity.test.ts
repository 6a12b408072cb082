import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { decide, maintain, type MaintainDeps } from '../../src/engine/learn/maintain.js';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';
import { isStanding } from '../../src/engine/skill/standing.js';
import { MemorySkillStore } from '../helpers/memory-store.js';
import { scriptedModel, type Responder } from '../helpers/scripted-llm.js';
import { searchBackend } from '../helpers/search-backend.js';

/**
 * Maintenance of offline-learned skills: one skill per task family collects its rules, a merge
 * rewrites description and triggers to cover them, unrelated families and standing/task skills
 * never share a bucket, and rules a skill already holds add nothing.
 */

const learn = (request: string, feedback: string) => {
  const messages: ChatMessage[] = [
    { role: 'user', content: request },
    { role: 'assistant', content: 'Here it is ...' },
    { role: 'user', content: feedback },
  ];
  const c = extractOffline({ userId: 'u', messages }).candidate;
  if (!c) throw new Error(`nothing learned from ${feedback}`);
  return c;
};

async function setup(respond?: Responder) {
  const store = new MemorySkillStore();
  const backend = await searchBackend(store);
  const model = respond ? scriptedModel(respond) : undefined;
  const deps: MaintainDeps = { store, catalog: backend.catalog, search: backend.search, llm: model?.llm };
  return { store, deps };
}

let n = 0;
const prov = () => ({ ref: `job-${++n}`, trigger: 'test' });

describe('merging offline-learned skills', () => {
  it('a merge rewrites the description and keeps task-phrase triggers (EN)', async () => {
    const { store, deps } = await setup();
    const a = await maintain(deps, 'u', learn('Write a report on grain prices.', 'Always cite sources in my reports.'), prov());
    const b = await maintain(deps, 'u', learn('Draft a report about port traffic.', 'Keep my reports under 600 words.'), prov());
    expect(b).toMatchObject({ action: 'merged', skill: { id: a.skill!.id, version: '0.1.1' } });
    const s = (await store.get(a.skill!.id))!;
    expect(s.description).toMatch(/cite sources/i);
    expect(s.description).toMatch(/under 600 words/i);
    expect(s.triggers).toContain('write a report');
    expect(s.triggers.join(' ')).not.toMatch(/cite|600/);
    expect(s.metadata.family).toBe('report');
  });

  it('a merge rewrites the description (ZH)', async () => {
    const { store, deps } = await setup();
    const a = await maintain(deps, 'u', learn('写一份关于粮价的报告', '报告里的数据必须注明来源'), prov());
    await maintain(deps, 'u', learn('写一份关于港口的周报', '周报不要超过600字'), prov());
    const s = (await store.get(a.skill!.id))!;
    expect(s.version).toBe('0.1.1');
    expect(s.description).toContain('注明来源');
    expect(s.description).toContain('600字');
  });

  it('a rule added in the other language keeps the skill\'s language and adds task phrases of both', async () => {
    const { store, deps } = await setup();
    const a = await maintain(deps, 'u', learn('Write a report on grain prices.', 'Always cite sources in my reports.'), prov());
    await maintain(deps, 'u', learn('写一份关于港口的报告', '报告不要用表格'), prov());
    const s = (await store.get(a.skill!.id))!;
    expect(s.version).toBe('0.1.1');
    expect(s.description).toMatch(/^Use when the user asks for reports: /);
    expect(s.triggers).toEqual(expect.arrayContaining(['write a report', '写报告']));
  });

  it('rules of different families never share a skill', async () => {
    const { store, deps } = await setup();
    await maintain(deps, 'u', learn('Write an article about city parks.', 'Never use rhetorical questions in my articles.'), prov());
    await maintain(deps, 'u', learn('Write a poem about snow.', 'Never use rhetorical questions, and keep poems short.'), prov());
    await maintain(deps, 'u', learn('Make a lesson plan on fractions.', 'Never use rhetorical questions in lesson plans.'), prov());
    expect((await store.list()).map((s) => s.metadata.family).sort()).toEqual(['article', 'lesson-plan', 'poem']);
    for (const s of (await store.list())) expect(parsePrompt(s.instructions).constraints).toHaveLength(1);
  });

  it('a task rule with no known deliverable does not join a named family', async () => {
    const { store, deps } = await setup();
    await maintain(deps, 'u', learn('Write a report on rail freight.', 'Always cite sources in reports.'), prov());
    const general = learn('Help me with this.', 'Never use the word "leverage".');
    expect(general.family).toBe('general');
    const r = await maintain(deps, 'u', general, prov());
    expect(r.action).toBe('created');
    expect((await store.list())).toHaveLength(2);
  });

  it('a restated rule the user already has adds nothing', async () => {
    const { store, deps } = await setup();
    await maintain(deps, 'u', learn('Write a report on tea.', 'Always cite sources in my reports.'), prov());
    const again = learn('What do you think?', 'Always cite sources in my reports.');
    const d = await decide(deps, 'u', { ...again, family: 'general' });
    expect(d.action).toBe('discard');
    expect((await store.list())).toHaveLength(1);
  });

  it('a model decision to merge a standing rule into a task skill is overruled', async () => {
    const { store, deps } = await setup(async (c) => {
      if (c.mode !== 'decide') return '{}';
      const target = (await store.list())[0]!;
      return JSON.stringify({ action: 'merge', target_skill_id: target.id, reason: 'similar' });
    });
    await maintain(deps, 'u', learn('Write a report on tea.', 'Answer in plain text in my reports.'), prov());
    const standing = learn('What is tea?', 'From now on, always answer in plain text.');
    expect(standing.applies).toBe('always');
    const r = await maintain(deps, 'u', standing, prov());
    expect(r.action).toBe('created');
    expect(isStanding(r.skill!)).toBe(true);
    expect((await store.list()).filter(isStanding)).toHaveLength(1);
  });
});
