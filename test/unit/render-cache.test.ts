import { describe, expect, test } from 'vitest';
import { renderContext } from '../../src/engine/retrieve/render.js';
import type { SkillHit } from '../../src/engine/index/skill-index.js';
import type { Skill } from '../../src/engine/skill/schema.js';

/**
 * renderContext caches blocks per (skill objects in order, query, budget): a repeat is the same
 * frozen result; an edited skill (a new object, as the stores hand out) or another query or
 * budget renders again.
 */

function skill(id: string, instructions: string, version = '0.1.0'): Skill {
  return {
    id,
    name: `Skill ${id}`,
    description: `What ${id} does.`,
    instructions,
    triggers: [`use ${id}`],
    tags: [],
    examples: [],
    owner: 'user:u1',
    version,
    metadata: {},
    files: [],
  } as unknown as Skill;
}

const hit = (s: Skill): SkillHit => ({ skill: s, score: 0.9 }) as unknown as SkillHit;

describe('render cache', () => {
  test('the same skills, query and budget: the same frozen block', () => {
    const hits = [hit(skill('a', 'Always cite sources.')), hit(skill('b', 'x'.repeat(5000)))];
    const first = renderContext(hits, { query: 'write a report', maxChars: 3000 });
    const again = renderContext([...hits], { query: 'write a report', maxChars: 3000 });
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.included)).toBe(true);
    expect(() => (first.included as unknown as unknown[]).push({})).toThrow();
  });

  test('an edited skill, another query or another budget renders again', () => {
    const a = skill('c', 'Use bullet points.');
    const base = renderContext([hit(a)], { query: 'status email', maxChars: 3000 });
    const edited = renderContext([hit(skill('c', 'Use numbered lists.', '0.1.1'))], { query: 'status email', maxChars: 3000 });
    expect(edited).not.toBe(base);
    expect(edited.text).toContain('Use numbered lists.');
    expect(edited.text).not.toContain('Use bullet points.');
    const otherQuery = renderContext([hit(a)], { query: 'weekly email', maxChars: 3000 });
    expect(otherQuery.text).toContain('Query: weekly email');
    const d = [hit(skill('d', 'y'.repeat(4000)))];
    const smaller = renderContext(d, { query: 'q', maxChars: 2000 });
    const larger = renderContext(d, { query: 'q', maxChars: 6000 });
    expect([...smaller.text].length).toBeLessThanOrEqual(2000);
    expect(larger.text.length).toBeGreaterThan(smaller.text.length);
  });

  test('a cut skill is cut the same way it always was (code points, line ends)', () => {
    // 300 lines of 20 characters with a two-unit emoji each: the cut may not split a surrogate pair.
    const long = Array.from({ length: 300 }, (_, i) => `line ${String(i).padStart(3, '0')} 🙂 text..`).join('\n');
    const r = renderContext([hit(skill('e', long))], { query: 'q', maxChars: 2500 });
    expect(r.truncated).toBe(true);
    expect(r.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    const shown = /\[instructions truncated: (\d+) of (\d+) characters shown\]/.exec(r.text);
    expect(shown).not.toBeNull();
    expect(Number(shown![2])).toBe([...long].length);
    // Cut at a line end: the shown head is whole lines.
    const head = [...long].slice(0, Number(shown![1])).join('');
    expect(long.startsWith(head)).toBe(true);
    expect(long[head.length]).toBe('\n');
  });
});
