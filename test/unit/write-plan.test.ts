import { describe, expect, test } from 'vitest';
import { ConflictError } from '../../src/engine/errors.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { parseSkillMd } from '../../src/engine/skill/skill-md.js';
import { VersionConflictError } from '../../src/engine/store/store.js';
import { allocateSlug, checkWrite, DEFAULT_STORE_LIMITS, planWrite, resolveLimits, type CurrentState } from '../../src/engine/store/write-plan.js';
import { makeSkill } from '../fixtures/store-helpers.js';

/** The write plan every store commits: a pure function of the request and what is stored. */

const AT = '2026-01-02T03:04:05.000Z';
const limits = DEFAULT_STORE_LIMITS;
const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const none = (): boolean => false;

function plan(skill: Skill, cur: Partial<CurrentState<Uint8Array>> = {}, opts = {}) {
  return planWrite<Uint8Array>(checkWrite(skill, opts, limits), { slugTaken: none, ...cur }, (b) => b, limits, AT);
}

describe('planWrite', () => {
  test('a new skill: spec folder name, rendered text that loads back as the stored skill, one history entry', () => {
    const s = makeSkill({ name: 'Weekly status email', slug: 'weekly-status-email' });
    const p = plan(s);
    expect(p.slug).toBe('weekly-status-email');
    expect(p.moving).toBe(false);
    expect(p.previous).toBeUndefined();
    expect(p.next).toMatchObject({ version: '0.1.0', owner: 'user:alice', at: AT, skillMd: p.text });
    const loaded = parseSkillMd(p.text, { owner: 'user:alice', slug: p.slug, fallbackId: 'x' }).skill;
    expect(loaded.id).toBe(s.id);
    expect(p.stored).toMatchObject({ id: s.id, slug: 'weekly-status-email', resources: [] });
  });

  test('taken names get -2, -3; a preferred free name wins; long names are cut to fit the suffix', () => {
    const taken = new Set(['report', 'report-2']);
    const s = makeSkill({ name: 'Report', slug: 'report' });
    expect(plan(s, { slugTaken: (n) => taken.has(n) }).slug).toBe('report-3');
    expect(plan(s, { slugTaken: (n) => taken.has(n) }, { preferredSlug: 'old-report' }).slug).toBe('old-report');
    expect(plan(s, { slugTaken: (n) => taken.has(n) }, { preferredSlug: 'report-2' }).slug).toBe('report-3');
    const long = 'a'.repeat(64);
    const cut = allocateSlug(makeSkill({ slug: long, name: long }), false, (n) => n === long);
    expect(cut).toBe('a'.repeat(62) + '-2');
  });

  test('an update merges files: removals (folders too) first, then adds; previous version recorded', () => {
    const s = makeSkill();
    const files = new Map([
      ['assets/a.bin', bytes('a')],
      ['assets/b.bin', bytes('b')],
      ['scripts/run.sh', bytes('1')],
    ]);
    const existing = { skill: { ...s, slug: 'my-skill', updatedAt: '2025-01-01T00:00:00.000Z' }, slug: 'my-skill', skillMd: 'old text', files };
    const p = plan({ ...s, version: '0.1.1' }, { existing }, { files: { 'scripts/run.sh': '2', 'refs/r.md': 'r' }, removeFiles: ['assets'] });
    expect([...p.finalFiles.keys()].sort()).toEqual(['refs/r.md', 'scripts/run.sh']);
    expect(Buffer.from(p.finalFiles.get('scripts/run.sh')!).toString()).toBe('2');
    expect(p.gone.sort()).toEqual(['assets/a.bin', 'assets/b.bin']);
    expect(p.slug).toBe('my-skill');
    expect(p.previous).toMatchObject({ version: '0.1.0', at: '2025-01-01T00:00:00.000Z', skillMd: 'old text' });
    expect([...p.previous!.files.keys()]).toHaveLength(3);
    expect(p.stored.resources).toEqual(['refs/r.md', 'scripts/run.sh']);
  });

  test('expectedVersion, tombstones and owner moves', () => {
    const s = makeSkill();
    const existing = { skill: s, slug: 'my-skill', skillMd: 'x', files: new Map<string, Uint8Array>() };
    expect(() => plan(s, { existing }, { expectedVersion: '9.9.9' })).toThrow(VersionConflictError);
    expect(VersionConflictError.isInstance(new ConflictError('another conflict'))).toBe(false);
    expect(() => plan(s, {}, { expectedVersion: '0.1.0' })).toThrow(expect.objectContaining({ found: undefined }));
    expect(() => plan(s, { heldBy: 'user:bob' })).toThrow(ConflictError);
    expect(plan(s, { heldBy: 'user:alice' }).slug).toBe('my-skill');
    const moved = plan({ ...s, owner: 'user:bob' }, { existing, slugTaken: (n) => n === 'my-skill' });
    expect(moved).toMatchObject({ moving: true, slug: 'my-skill-2' });
  });

  test('raw SKILL.md is verified as a load would read it, with the backend rule for a missing id line', () => {
    const s = makeSkill({ slug: 'raw', name: 'Raw' });
    const raw = '---\nname: raw\ndescription: A raw file\n---\nBody\n';
    // A store that keeps ids beside the text accepts it; one that derives ids from the folder refuses another id.
    expect(plan(s, {}, { rawSkillMd: raw }).stored).toMatchObject({ id: s.id, description: 'A raw file' });
    expect(() => plan(s, { idWithoutIdLine: () => 'derived-id' }, { rawSkillMd: raw })).toThrow(/carries id derived-id/);
    expect(() => plan(s, {}, { rawSkillMd: '---\nname: [unclosed\n---\n' })).toThrow(expect.objectContaining({ code: 'invalid' }));
    const tight = resolveLimits({ maxSkillBytes: 10 });
    expect(() => planWrite(checkWrite(s, {}, tight), { slugTaken: none }, (b) => b, tight, AT)).toThrow(expect.objectContaining({ code: 'too_large' }));
  });
});

describe('checkWrite', () => {
  test('refuses invalid skills, unsafe or reserved resource names and oversized files before any read', () => {
    const s = makeSkill();
    expect(() => checkWrite({ ...s, version: 'x' }, {}, limits)).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => checkWrite(s, { files: { '../x': 'y' } }, limits)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => checkWrite(s, { files: { 'SKILL.md': 'y' } }, limits)).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => checkWrite(s, { files: { big: 'y'.repeat(5) } }, resolveLimits({ maxResourceBytes: 4 }))).toThrow(expect.objectContaining({ code: 'too_large' }));
    expect(checkWrite({ ...s, owner: 'library:Team' }, {}, limits).ownerParts).toEqual(['Common', 'Team']);
    expect(resolveLimits({ maxHistory: undefined, maxResourceFiles: 3 })).toEqual({ ...DEFAULT_STORE_LIMITS, maxResourceFiles: 3 });
  });
});
