import { describe, expect, it } from 'vitest';
import type { ProposedSkill } from '../../src/engine/learn/candidate.js';
import { decide, maintain, mergeConfidence, previewMaintain, type MaintainDeps } from '../../src/engine/learn/maintain.js';
import { heuristicMerge } from '../../src/engine/learn/merge.js';
import { parsePrompt, renderPrompt } from '../../src/engine/learn/sections.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import type { StoreChange } from '../../src/engine/store/store.js';
import { MemorySkillStore } from '../helpers/memory-store.js';
import { scriptedModel, type Responder } from '../helpers/scripted-llm.js';
import { simpleSearch } from '../helpers/simple-search.js';
import { makeSkill } from '../fixtures/store-helpers.js';
import { SkillCatalog } from '../../src/engine/store/catalog.js';

function cand(over: Partial<ProposedSkill> & { rules?: string[] } = {}): ProposedSkill {
  const { rules, ...rest } = over;
  return {
    slug: 'write-report',
    name: 'Write a report',
    description: 'Use when the user asks to write a report; applies their standing rules.',
    instructions: renderPrompt({ goal: 'Write a report.', constraints: rules ?? ["Don't hallucinate, cite sources."], workflow: [], other: '' }),
    triggers: ['write a report', 'help me write a report', 'report writing'],
    tags: ['report', 'citations'],
    examples: [],
    confidence: 0.7,
    files: {},
    ...rest,
  };
}

function skill(over: Partial<Skill>): Skill {
  return makeSkill({
    id: 'id-' + Math.random().toString(36).slice(2),
    slug: 'x',
    name: 'X',
    description: 'x',
    instructions: '# Goal\nx\n\n# Constraints & Style\n- x\n',
    triggers: ['x'],
    tags: ['x'],
    owner: 'user:u1',
    ...over,
  });
}

async function setup(respond?: Responder) {
  const store = new MemorySkillStore();
  const search = simpleSearch(store);
  const model = respond ? scriptedModel(respond) : undefined;
  // The store's change feed: the one path by which a learned write reaches the index.
  const changed: StoreChange[] = [];
  store.onChange((c) => void changed.push(c));
  const deps: MaintainDeps = { store, catalog: await SkillCatalog.open(store), search, llm: model?.llm };
  return { store, search, model, deps, changed };
}

const prov = (ref: string) => ({ ref, trigger: 'auto' });

describe('maintenance without a model', () => {
  it('creates v0.1.0 with provenance, then merges by identity with a patch bump', async () => {
    const { store, deps, changed } = await setup();
    const a = await maintain(deps, 'u1', cand(), prov('job-1'));
    expect(a.action).toBe('created');
    expect(a.skill).toMatchObject({ version: '0.1.0', owner: 'user:u1', source: { kind: 'extraction', ref: 'job-1', trigger: 'auto' } });

    const b = await maintain(deps, 'u1', cand({ rules: ["Don't hallucinate, cite sources.", 'Use plain text, no markdown.'] }), prov('job-2'));
    expect(b.action).toBe('merged');
    expect(b.decision.via).toBe('identity');
    expect(b.skill!.id).toBe(a.skill!.id);
    expect(b.skill!.version).toBe('0.1.1');
    expect(b.skill!.source).toEqual({ kind: 'merge', ref: 'job-2', trigger: 'auto' });
    expect(parsePrompt(b.skill!.instructions).constraints).toEqual(["Don't hallucinate, cite sources.", 'Use plain text, no markdown.']);
    expect((await store.list())).toHaveLength(1);
    expect((await store.history(a.skill!.id)).map((h) => h.version)).toEqual(['0.1.0', '0.1.1']);
    expect(changed.map((s) => s.version)).toEqual(['0.1.0', '0.1.1']);
  });

  it('spends no version when a merge changes nothing', async () => {
    const { store, deps } = await setup();
    await maintain(deps, 'u1', cand(), prov('j1'));
    const again = await maintain(deps, 'u1', cand(), prov('j2'));
    expect(again.action).toBe('unchanged');
    expect((await store.list())[0]!.version).toBe('0.1.0');
    expect(store.puts).toBe(1);
  });

  it('does not apply the same job twice (replay after a crash)', async () => {
    const { store, deps } = await setup();
    await maintain(deps, 'u1', cand(), prov('j1'));
    const replay = await maintain(deps, 'u1', cand({ slug: 'other', name: 'Other', rules: ['Never do X.'] }), prov('j1'));
    expect(replay.decision.via).toBe('replay');
    expect((await store.list())).toHaveLength(1);
  });

  it('merges a similar (not identical) capability through the gate, adds a different one', async () => {
    const { store, deps } = await setup();
    await maintain(deps, 'u1', cand(), prov('j1'));
    const similar = cand({ slug: 'draft-report', name: 'Draft a report', description: 'Use when the user asks to draft a report; applies their standing rules.', rules: ['Keep it under two pages.'] });
    const d = await decide(deps, 'u1', similar);
    expect(d).toMatchObject({ action: 'merge', via: 'rules' });
    const other = cand({
      slug: 'translate-text',
      name: 'Translate text',
      description: 'Use when the user asks to translate text into Chinese.',
      triggers: ['translate this', 'translate to chinese', 'translation'],
      tags: ['translation'],
      rules: ['Keep the original paragraph breaks.'],
    });
    expect(await decide(deps, 'u1', other)).toMatchObject({ action: 'add' });
    expect((await store.list())).toHaveLength(1);
  });

  it('never merges into another user\'s skill and keeps users apart', async () => {
    const { store, deps } = await setup();
    await maintain(deps, 'u2', cand(), prov('j-u2'));
    const r = await maintain(deps, 'u1', cand(), prov('j-u1'));
    expect(r.action).toBe('created');
    expect((await store.list()).map((s) => s.owner).sort()).toEqual(['user:u1', 'user:u2']);
  });

  it('discards only when a Common skill covers every rule; Common skills are never modified', async () => {
    const { store, deps } = await setup();
    const common = await store.put(
      skill({
        owner: 'library:Common',
        slug: 'report-writing',
        name: 'Report writing',
        description: 'Write reports that do not hallucinate and cite sources.',
        instructions: "# Goal\nWrite a report.\n\n# Constraints & Style\n- Don't hallucinate, cite sources.\n",
        triggers: ['write a report', 'report writing'],
        tags: ['report', 'citations'],
      }),
    );
    const covered = await maintain(deps, 'u1', cand(), prov('j1'));
    expect(covered.action).toBe('discarded');
    const adds = await maintain(deps, 'u1', cand({ rules: ["Don't hallucinate, cite sources.", 'Write in plain text without markdown.'] }), prov('j2'));
    expect(adds.action).toBe('created');
    expect((await store.get(common.id))).toEqual(common);
  });

  it('a narrower Common skill, rules scattered in its body, or a standing preference is not covered', async () => {
    const narrow = await setup();
    await narrow.store.put(
      skill({
        owner: 'library:Common',
        slug: 'report-writing',
        name: 'Report writing',
        description: 'Write government AI policy reports that do not hallucinate and cite sources.',
        instructions: "# Goal\nWrite a policy report.\n\n# Constraints & Style\n- Don't hallucinate, cite sources.\n",
        triggers: ['write a government AI policy report'],
        tags: ['report', 'citations'],
      }),
    );
    // retrieved only for policy reports, so the user's rule for all their reports must stay
    expect((await maintain(narrow.deps, 'u1', cand(), prov('j1'))).action).toBe('created');

    const scattered = await setup();
    await scattered.store.put(
      skill({
        owner: 'library:Common',
        slug: 'report-writing',
        name: 'Report writing',
        description: 'Write reports.',
        instructions: "# Goal\nWrite a report.\n\n# Steps\n- Don't stop early.\n- Collect what you need; hallucinate nothing.\n- Cite the brief.\n- List sources.\n",
        triggers: ['write a report', 'report writing'],
        tags: ['report', 'citations'],
      }),
    );
    expect((await maintain(scattered.deps, 'u1', cand(), prov('j1'))).action).toBe('created');
    // a standing preference is never covered: no Common skill is injected on every turn
    const standing = await decide(scattered.deps, 'u2', cand({ applies: 'always' }));
    expect(standing.action).not.toBe('discard');
  });
});

describe('maintenance with a model', () => {
  it('an LLM "add" next to a clearly same user skill becomes a merge (guardrail)', async () => {
    const { store, deps, model } = await setup((c) => (c.mode === 'decide' ? '{"action":"add","target_skill_id":null,"reason":"looks new"}' : '{}'));
    await store.put(skill({ slug: 'report-writing', name: 'Report writing', description: 'Writes reports for this user following the rules they set.', instructions: "# Goal\nWrite a report.\n\n# Constraints & Style\n- Don't hallucinate, cite sources.\n", triggers: ['write a report', 'report writing'], tags: ['report'] }));
    const r = await maintain(deps, 'u1', cand({ slug: 'report-drafting', name: 'Report drafting', rules: ['Use plain text.'] }), prov('j1'));
    expect(r.decision).toMatchObject({ action: 'merge', via: 'guardrail' });
    expect(r.skill!.version).toBe('0.1.1');
    expect((await store.list())).toHaveLength(1);
    expect(model!.calls.map((c) => c.mode)).toEqual(['decide', 'merge', 'repair']);
  });

  it('an LLM merge target that is a Common skill is refused', async () => {
    const { store, deps } = await setup();
    const common = await store.put(skill({ owner: 'library:Common', slug: 'report-writing', name: 'Report writing', description: 'Reports.', triggers: ['write a report'], tags: ['report'] }));
    const m = scriptedModel((c) => (c.mode === 'decide' ? JSON.stringify({ action: 'merge', target_skill_id: common.id, reason: 'same' }) : '{}'));
    const r = await maintain({ ...deps, llm: m.llm }, 'u1', cand({ slug: 'poem', name: 'Poems', description: 'Writes poems in plain text.', triggers: ['poem'], tags: ['poem'], rules: ['Rhyme every line.'] }), prov('j1'));
    expect(r.action).toBe('created');
    expect(r.decision.via).toBe('guardrail');
    expect((await store.get(common.id))).toEqual(common);
  });

  it('LLM merge: rules the model dropped are restored, duplicates collapsed', async () => {
    const { store, deps } = await setup();
    const target = await store.put(skill({ slug: 'write-report', name: 'Write a report', instructions: "# Goal\nWrite a report.\n\n# Constraints & Style\n- Don't hallucinate, cite sources.\n- Keep it under two pages.\n" }));
    const m = scriptedModel((c) =>
      c.mode === 'merge'
        ? JSON.stringify({
            title: 'Write a report',
            description: 'Writes factual reports in plain text.',
            prompt: "# Goal\nWrite a report.\n\n# Constraints & Style\n- Don't hallucinate, cite sources.\n- Don't hallucinate; cite sources.\n- Use plain text, no markdown.",
            triggers: 'write a report; report in plain text; factual report',
            tags: ['report', 'plain-text'],
          })
        : '{}',
    );
    const r = await maintain({ ...deps, llm: m.llm }, 'u1', cand({ rules: ['Use plain text, no markdown.'] }), prov('j1'));
    expect(r.decision.via).toBe('identity');
    expect(r.skill!.id).toBe(target.id);
    expect(parsePrompt(r.skill!.instructions).constraints).toEqual(["Don't hallucinate, cite sources.", 'Use plain text, no markdown.', 'Keep it under two pages.']);
    expect(r.skill!.triggers).toEqual(['write a report', 'report in plain text', 'factual report']);
    expect(r.skill!.description).toBe('Writes factual reports in plain text.');
  });

  it('falls back to the deterministic gate and merge when the model answers garbage', async () => {
    const { store, deps } = await setup();
    await maintain(deps, 'u1', cand(), prov('j1'));
    const m = scriptedModel(() => 'I cannot decide.');
    const similar = cand({ slug: 'draft-report', name: 'Draft a report', description: 'Use when the user asks to draft a report.', rules: ['Use plain text.'] });
    const r = await maintain({ ...deps, llm: m.llm }, 'u1', similar, prov('j2'));
    expect(r.action).toBe('merged');
    expect(r.decision.reason).toContain('decision model failed');
    expect(parsePrompt(r.skill!.instructions).constraints).toContain('Use plain text.');
    expect((await store.list())).toHaveLength(1);
  });

  it('previewMaintain writes nothing', async () => {
    const { store, deps } = await setup();
    await maintain(deps, 'u1', cand(), prov('j1'));
    const p = await previewMaintain(deps, 'u1', cand({ rules: ['Use plain text.'] }));
    expect(p.action).toBe('merged');
    expect(p.preview!.version).toBe('0.1.1');
    expect((await store.list())[0]!.version).toBe('0.1.0');
    expect(store.puts).toBe(1);
  });
});

describe('merge helpers', () => {
  it('heuristic merge keeps an imported skill\'s text verbatim and appends only missing rules', () => {
    const imported = skill({ instructions: 'Always write in a calm tone.\nUse short paragraphs.' });
    const m = heuristicMerge(imported, cand({ rules: ['Use short paragraphs.', 'Cite sources.'] }));
    expect(m.instructions.startsWith('Always write in a calm tone.\nUse short paragraphs.')).toBe(true);
    expect(m.instructions).toContain('# Constraints & Style\n- Cite sources.');
    expect(m.instructions.match(/short paragraphs/g)).toHaveLength(1);
  });

  it('merge confidence rises with overlap', () => {
    const s = skill({ slug: 'write-report', name: 'Write a report', description: 'Use when the user asks to write a report.', triggers: ['write a report'], tags: ['report'] });
    expect(mergeConfidence(cand(), s, 0.8)).toBeGreaterThan(mergeConfidence(cand(), skill({}), 0.1));
  });
});
