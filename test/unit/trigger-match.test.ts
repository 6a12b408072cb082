import { describe, expect, it } from 'vitest';
import { TriggerMatcher, type MatchCandidate } from '../../src/engine/index/trigger-match.js';
import { queryTerms } from '../../src/engine/index/query-terms.js';
import { tokenize } from '../../src/engine/index/tokenize.js';
import { makeSkill } from '../fixtures/store-helpers.js';

const candidate = (name: string, triggers: string[]): MatchCandidate => {
  const skill = makeSkill({ name, triggers, description: `${name}: ${triggers.join(', ')}` });
  const entry = { skill, library: false, triggerTokens: triggers.map((t) => [...new Set(tokenize(t))]), nameTokens: [...new Set(tokenize(name))] };
  return { entry, ev: {} as MatchCandidate['ev'] };
};

describe('TriggerMatcher', () => {
  it('gives the same evidence after its dictionary starts anew (ids of the old one are recomputed)', () => {
    const m = new TriggerMatcher(() => 3);
    const query = 'please write a weekly status report for my team';
    // the same entries throughout: their cached ids belong to the first dictionary
    const cs = [candidate('weekly report writer', ['write a weekly report', 'status update']), candidate('poem helper', ['write a poem'])];
    const run = (): string => {
      for (const c of cs) c.ev = {} as MatchCandidate['ev'];
      m.apply(query, new Map(), queryTerms(query), cs, 1);
      return JSON.stringify(cs.map((c) => c.ev));
    };
    const first = run();
    expect(JSON.parse(first)[0].triggerStated).toBe(0);
    expect(JSON.parse(first)[0].trigger).toBeGreaterThan(0);
    m.resetDictionary();
    expect(run()).toBe(first);
  });
});
