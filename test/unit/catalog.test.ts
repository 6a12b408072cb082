import { describe, expect, test } from 'vitest';
import type { Skill } from '../../src/engine/skill/schema.js';
import { SkillCatalog, type CatalogSource } from '../../src/engine/store/catalog.js';
import type { StoreChange } from '../../src/engine/store/store.js';
import { makeSkill } from '../fixtures/store-helpers.js';

/**
 * The catalog's own rules, against a source that announces only ids (a backend that does not hand
 * the stored skill along): a put is read back through the async get, changes stay in order, and a
 * listing in flight never overwrites a newer change. The stores themselves are covered by the
 * contract suite (test/contract/suites/skill-store.ts), over filesystem, PostgreSQL and memory.
 */
class IdOnlySource implements CatalogSource {
  readonly rows = new Map<string, Skill>();
  readonly listeners = new Set<(c: StoreChange) => void>();
  /** reads held until released, to make the async gap observable */
  gate: Promise<void> | undefined;
  reads = 0;

  async get(id: string): Promise<Skill | undefined> {
    this.reads++;
    await this.gate;
    return this.rows.get(id);
  }
  async list(): Promise<Skill[]> {
    const snapshot = [...this.rows.values()];
    await this.gate;
    return snapshot;
  }
  onChange(listener: (c: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  put(skill: Skill): void {
    this.rows.set(skill.id, skill);
    for (const l of this.listeners) l({ type: 'put', id: skill.id, owner: skill.owner, version: skill.version });
  }
  remove(id: string): void {
    const s = this.rows.get(id)!;
    this.rows.delete(id);
    for (const l of this.listeners) l({ type: 'delete', id, owner: s.owner });
  }
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('SkillCatalog', () => {
  test('a put announced without the skill is read back through get; settled() waits for the read', async () => {
    const src = new IdOnlySource();
    const catalog = await SkillCatalog.open(src);
    const g = gate();
    src.gate = g.promise;
    const s = makeSkill();
    src.put(s);
    expect(catalog.get(s.id)).toBeUndefined(); // the read is held
    const settled = catalog.settled();
    g.open();
    await settled;
    expect(catalog.get(s.id)).toEqual(s);
    expect(src.reads).toBe(1);
  });

  test('changes are applied and forwarded in the order they were made, even behind a read', async () => {
    const src = new IdOnlySource();
    const catalog = await SkillCatalog.open(src);
    const heard: string[] = [];
    catalog.onChange((c) => heard.push(`${c.type}:${c.id}:${catalog.get(c.id)?.version ?? '-'}`));
    const g = gate();
    src.gate = g.promise;
    const a = makeSkill({ id: 'a' });
    src.put(a);
    src.put({ ...a, version: '0.1.1' });
    src.remove('a');
    const b = makeSkill({ id: 'b' });
    src.put(b);
    g.open();
    await catalog.settled();
    // Both puts of `a` read the row as it is when read (the later version, then gone); the delete
    // comes after them, so `a` ends absent and `b` present.
    expect(catalog.get('a')).toBeUndefined();
    expect(catalog.get('b')).toEqual(b);
    expect(heard.filter((h) => h.startsWith('delete'))).toEqual(['delete:a:-']);
    expect(heard.at(-1)).toBe('put:b:0.1.0');
    expect(heard.indexOf('delete:a:-')).toBeLessThan(heard.indexOf('put:b:0.1.0'));
  });

  test('a change made while the opening listing is in flight is not overwritten by that listing', async () => {
    const src = new IdOnlySource();
    const old = makeSkill({ id: 'x', version: '0.1.0' });
    src.rows.set('x', old);
    src.rows.set('gone', makeSkill({ id: 'gone' }));
    const g = gate();
    src.gate = g.promise;
    const opening = SkillCatalog.open(src); // listed [x@0.1.0, gone], held
    await Promise.resolve();
    src.put({ ...old, version: '0.1.1' });
    src.remove('gone');
    g.open();
    const catalog = await opening;
    expect(catalog.get('x')?.version).toBe('0.1.1');
    expect(catalog.get('gone')).toBeUndefined();
  });

  test('a failed read back is logged and skipped; later changes still apply', async () => {
    const src = new IdOnlySource();
    const warnings: string[] = [];
    const catalog = await SkillCatalog.open(src, { warn: (m) => warnings.push(m) });
    const get = src.get.bind(src);
    src.get = async (id) => (id === 'bad' ? Promise.reject(new Error('disk gone')) : get(id));
    src.put(makeSkill({ id: 'bad' }));
    src.put(makeSkill({ id: 'good' }));
    await catalog.settled();
    expect(catalog.get('bad')).toBeUndefined();
    expect(catalog.get('good')).toBeDefined();
    expect(warnings).toEqual(['catalog: cannot read a changed skill']);
  });

  test('close stops following the source', async () => {
    const src = new IdOnlySource();
    const catalog = await SkillCatalog.open(src);
    catalog.close();
    src.put(makeSkill({ id: 'late' }));
    await catalog.settled();
    expect(catalog.get('late')).toBeUndefined();
    expect(src.listeners.size).toBe(0);
  });
});
