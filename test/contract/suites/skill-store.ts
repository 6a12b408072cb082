import { describe, expect, test } from 'vitest';
import { ConflictError } from '../../../src/engine/errors.js';
import type { Skill } from '../../../src/engine/skill/schema.js';
import { parseSkillMd } from '../../../src/engine/skill/skill-md.js';
import { VersionConflictError, type SkillStore, type StoreChange } from '../../../src/engine/store/store.js';
import type { StoreLimits } from '../../../src/engine/store/write-plan.js';
import { SkillCatalog } from '../../../src/engine/store/catalog.js';
import { makeSkill } from '../../fixtures/store-helpers.js';

/**
 * One `SkillStore` contract, run against every implementation (filesystem, PostgreSQL, memory):
 * the cases a caller relies on whichever backend is configured. Each implementation file supplies
 * a factory; `reopen` (durable backends only) opens a second store over the same storage.
 */
export interface StoreHarness {
  store: SkillStore;
  /** a fresh store instance over the same storage (undefined: the backend keeps nothing) */
  reopen?: () => Promise<SkillStore>;
}

export type StoreFactory = (limits?: Partial<StoreLimits>) => Promise<StoreHarness>;

const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
const userSkill = (user: string, over: Partial<Skill> = {}): Skill => makeSkill({ owner: `user:${user}`, ...over });

export function skillStoreContract(name: string, open: StoreFactory): void {
  describe(`SkillStore contract: ${name}`, () => {
    test('put renders SKILL.md that loads back as the stored skill; folder names are allocated per owner', async () => {
      const { store } = await open();
      const a = await store.put(userSkill('u1', { name: 'Weekly report', slug: 'weekly-report' }));
      const b = await store.put(userSkill('u1', { name: 'Weekly report', slug: 'weekly-report' }));
      const c = await store.put(userSkill('u2', { name: 'Weekly report', slug: 'weekly-report' }));
      expect([a.slug, b.slug, c.slug]).toEqual(['weekly-report', 'weekly-report-2', 'weekly-report']);
      expect((await store.get(a.id))).toEqual(a);
      expect((await store.list()).map((s) => s.id).sort()).toEqual([a.id, b.id, c.id].sort());
      const md = text(await store.readResource(b.id, 'SKILL.md'));
      const parsed = parseSkillMd(md, { owner: 'user:u1', slug: b.slug, fallbackId: 'none' }).skill;
      expect({ ...parsed, resources: [] }).toEqual({ ...b, resources: [] });
    });

    test('resource files merge across updates (add, replace, remove a folder), bytes are binary safe', async () => {
      const { store } = await open();
      const s = userSkill('files');
      const first = await store.put(s, { files: { 'scripts/run.sh': 'echo 1\n', 'assets/a.bin': new Uint8Array([0, 255, 7]), 'assets/b.txt': 'b' } });
      expect(first.resources).toEqual(['assets/a.bin', 'assets/b.txt', 'scripts/run.sh']);
      const second = await store.put({ ...s, version: '0.1.1' }, { files: { 'scripts/run.sh': 'echo 2\n', 'references/r.md': '# r' }, removeFiles: ['assets'] });
      expect(second.resources).toEqual(['references/r.md', 'scripts/run.sh']);
      expect(text(await store.readResource(s.id, 'scripts/run.sh'))).toBe('echo 2\n');
      await expect(store.readResource(s.id, 'assets/a.bin')).rejects.toMatchObject({ code: 'not_found' });
      const history = await store.history(s.id);
      expect(history.map((h) => h.version)).toEqual(['0.1.0', '0.1.1']);
      expect([...Buffer.from(history[0]!.files!['assets/a.bin']!, 'base64')]).toEqual([0, 255, 7]);
      expect(Object.keys(history[1]!.files!).sort()).toEqual(['references/r.md', 'scripts/run.sh']);
    });

    test('expectedVersion: a stale version fails with a typed conflict naming what is stored', async () => {
      const { store } = await open();
      const s = userSkill('cas');
      await store.put(s);
      await store.put({ ...s, version: '0.1.1' }, { expectedVersion: '0.1.0' });
      const err = await store.put({ ...s, version: '0.1.2' }, { expectedVersion: '0.1.0' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VersionConflictError);
      expect(err).toBeInstanceOf(ConflictError);
      expect(err).toMatchObject({ code: 'conflict', id: s.id, expected: '0.1.0', found: '0.1.1' });
      const fresh = userSkill('cas');
      await expect(store.put(fresh, { expectedVersion: '0.0.1' })).rejects.toMatchObject({ found: undefined });
      expect((await store.get(s.id))?.version).toBe('0.1.1');
    });

    test('history and versions list the same versions, oldest first, the current one last', async () => {
      const { store } = await open();
      const s = userSkill('hist');
      for (const v of ['0.1.0', '0.1.1', '0.2.0']) await store.put({ ...s, version: v, instructions: `Step ${v}.` });
      const history = await store.history(s.id);
      expect(history.map((h) => h.version)).toEqual(['0.1.0', '0.1.1', '0.2.0']);
      expect(history[2]!.skillMd).toBe(text(await store.readResource(s.id, 'SKILL.md')));
      const row = (e: { version: string; owner?: string; at: string; source?: unknown }) => [e.version, e.owner, e.at, e.source];
      expect((await store.versions(s.id)).map(row)).toEqual(history.map(row));
      expect(await store.versions('no-such-id')).toEqual([]);
    });

    test('history keeps the newest maxHistory versions', async () => {
      const { store } = await open({ maxHistory: 3 });
      const s = userSkill('cap');
      for (let i = 0; i < 6; i++) await store.put({ ...s, version: `0.1.${i}`, instructions: `Version ${i}.` });
      expect((await store.history(s.id)).map((h) => h.version)).toEqual(['0.1.3', '0.1.4', '0.1.5']);
    });

    test('delete leaves a tombstone: only its owner may reuse the id, and a restore gets its folder back', async () => {
      const { store } = await open();
      const s = userSkill('tomb', { name: 'Release notes', slug: 'release-notes' });
      await store.put(s);
      const other = await store.put(userSkill('tomb', { name: 'Release notes', slug: 'release-notes' }));
      expect(other.slug).toBe('release-notes-2');
      expect(await store.delete(s.id)).toBe(true);
      expect(await store.delete(s.id)).toBe(false);
      expect((await store.get(s.id))).toBeUndefined();
      expect(await store.deletedSkill(s.id)).toMatchObject({ id: s.id, owner: 'user:tomb', version: '0.1.0', slug: 'release-notes', name: 'Release notes' });
      expect((await store.deletedSkills!()).map((d) => d.id)).toEqual([s.id]);
      await expect(store.put({ ...s, owner: 'user:thief' })).rejects.toBeInstanceOf(ConflictError);
      const restored = await store.put({ ...s, version: '0.1.1' }, { preferredSlug: 'release-notes' });
      expect(restored.slug).toBe('release-notes');
      expect(await store.deletedSkill(s.id)).toBeUndefined();
      expect((await store.history(s.id)).map((h) => h.version)).toEqual(['0.1.0', '0.1.1']);
    });

    test('an owner change moves the skill: a folder under the new owner, history shows only its versions', async () => {
      const { store } = await open();
      const s = userSkill('from', { name: 'Shared rule', slug: 'shared-rule' });
      await store.put(s, { files: { 'notes.md': 'n' } });
      await store.put(userSkill('to', { name: 'Shared rule', slug: 'shared-rule' }));
      const moved = await store.put({ ...s, owner: 'user:to', version: '0.2.0' });
      expect(moved).toMatchObject({ owner: 'user:to', slug: 'shared-rule-2', resources: ['notes.md'] });
      expect(text(await store.readResource(s.id, 'notes.md'))).toBe('n');
      expect((await store.history(s.id)).map((h) => [h.version, h.owner])).toEqual([['0.2.0', 'user:to']]);
    });

    test('input checks are the same everywhere: schema, id, owner, resource names and sizes', async () => {
      const { store } = await open({ maxResourceBytes: 16, maxResourceFiles: 2 });
      const s = userSkill('checks');
      await expect(store.put({ ...s, version: 'not-semver' })).rejects.toMatchObject({ code: 'invalid' });
      await expect(store.put({ ...s, id: 'a/b' })).rejects.toMatchObject({ code: 'invalid' });
      await expect(store.put({ ...s, owner: 'user:../x' as Skill['owner'] })).rejects.toMatchObject({ code: expect.stringMatching(/^(invalid|forbidden)$/) });
      await expect(store.put(s, { files: { '../escape': 'x' } })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(store.put(s, { files: { 'skill.MD': 'x' } })).rejects.toMatchObject({ code: 'invalid' });
      await expect(store.put(s, { files: { 'big.txt': 'x'.repeat(17) } })).rejects.toMatchObject({ code: 'too_large' });
      await expect(store.put(s, { files: { a: '1', b: '2', c: '3' } })).rejects.toMatchObject({ code: 'too_large' });
      // Raw text is verified as a later load would read it: one that loads as another skill is refused.
      await expect(store.put(s, { rawSkillMd: '---\nname: x\ndescription: d\nid: someone-else\n---\nbody\n' })).rejects.toMatchObject({ code: 'invalid' });
      await expect(store.put(s, { rawSkillMd: '---\nname: [unclosed\n---\n' })).rejects.toMatchObject({ code: 'invalid' });
      await expect(store.readResource(s.id, 'SKILL.md')).rejects.toMatchObject({ code: 'not_found' });
      expect((await store.list())).toEqual([]);
    });

    test('putMany: per-item results in order; an id twice in one batch fails only the second', async () => {
      const { store } = await open();
      const a = userSkill('batch', { name: 'Alpha', slug: 'alpha' });
      const b = userSkill('batch', { name: 'Alpha', slug: 'alpha' });
      const results = await store.putMany!([{ skill: a }, { skill: { ...a, version: '0.1.1' } }, { skill: { ...b, version: 'bad' } }, { skill: b }]);
      expect(results[0]).toMatchObject({ id: a.id, slug: 'alpha' });
      expect(results[1]).toBeInstanceOf(ConflictError);
      expect(results[2]).toMatchObject({ code: 'invalid' });
      expect(results[3]).toMatchObject({ id: b.id, slug: 'alpha-2' });
    });

    test('onChange reports puts and deletes with owner and version', async () => {
      const { store } = await open();
      const seen: StoreChange[] = [];
      const off = store.onChange((c) => seen.push(c));
      const s = userSkill('feed');
      await store.put(s);
      await store.put({ ...s, version: '0.1.1' });
      await store.delete(s.id);
      off();
      await store.put(userSkill('feed'));
      expect(seen.filter((c) => c.id === s.id).map((c) => [c.type, c.owner, c.version])).toEqual([
        ['put', 'user:feed', '0.1.0'],
        ['put', 'user:feed', '0.1.1'],
        ['delete', 'user:feed', undefined],
      ]);
      expect(seen).toHaveLength(3);
    });

    test('withOwnerLock serializes read-modify-write: concurrent bumps lose no version', async () => {
      const { store } = await open();
      const s = userSkill('lock');
      await store.put(s);
      await Promise.all(
        Array.from({ length: 8 }, () =>
          store.withOwnerLock('user:lock', async () => {
            const cur = (await store.get(s.id))!;
            const [maj, min, patch] = cur.version.split('.').map(Number);
            await new Promise((r) => setImmediate(r));
            await store.put({ ...cur, version: `${maj}.${min}.${patch! + 1}` }, { expectedVersion: cur.version });
          }),
        ),
      );
      expect((await store.get(s.id))?.version).toBe('0.1.8');
      expect((await store.versions(s.id)).map((v) => v.version)).toHaveLength(9);
    });

    test('owner locks are per owner: another owner is not held up, the same owner waits (also through withLock)', async () => {
      const { store } = await open();
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      // wait for the holder to be inside its lock, not a fixed time (a slow lock backend under load)
      const inside = new Promise<void>((r) => (entered = r));
      const a = store.withOwnerLock('user:la', async () => {
        order.push('a in');
        entered();
        await held;
        order.push('a out');
      });
      await inside;
      await store.withOwnerLock('user:lb', async () => order.push('b'));
      const sameOwner = store.withLock('user:la', async () => order.push('a again'));
      await new Promise((r) => setTimeout(r, 20));
      release();
      await Promise.all([a, sameOwner]);
      expect(order).toEqual(['a in', 'b', 'a out', 'a again']);
    });

    test('catchUp: a second instance over the same storage applies the first one\'s writes and reports them', async (ctx) => {
      const h = await open();
      if (!h.reopen) return ctx.skip();
      const other = await h.reopen();
      const seen: StoreChange[] = [];
      other.onChange((c) => seen.push(c));
      const s = await h.store.put(userSkill('catch'));
      await other.catchUp();
      expect((await other.get(s.id))).toEqual(s);
      expect(seen.some((c) => c.type === 'put' && c.id === s.id)).toBe(true);
    });

    test('importHistory replaces recorded history verbatim; historyIds includes deleted skills', async () => {
      const { store } = await open();
      const live = await store.put(userSkill('imp'));
      const gone = userSkill('imp');
      await store.put(gone);
      await store.delete(gone.id);
      const [current] = await store.history(live.id);
      const older = { ...current!, version: '0.0.9', skillMd: current!.skillMd.replace('Never use tables.', 'Tables are fine.') };
      await store.importHistory!(live.id, [older, current!]);
      const history = await store.history(live.id);
      expect(history.map((e) => e.version)).toEqual(['0.0.9', '0.1.0']);
      expect(history[0]!.skillMd).toContain('Tables are fine.');
      expect(await store.historyIds!()).toEqual(expect.arrayContaining([live.id, gone.id]));
    });

    test('durable backends: a second instance over the same storage sees skills, files, history and tombstones', async (ctx) => {
      const h = await open();
      if (!h.reopen) return ctx.skip();
      const s = userSkill('durable');
      await h.store.put(s, { files: { 'r.txt': 'kept' } });
      await h.store.put({ ...s, version: '0.1.1' });
      const gone = await h.store.put(userSkill('durable', { name: 'Gone', slug: 'gone' }));
      await h.store.delete(gone.id);
      const again = await h.reopen();
      expect((await again.get(s.id))).toEqual((await h.store.get(s.id)));
      expect(text(await again.readResource(s.id, 'r.txt'))).toBe('kept');
      expect((await again.versions(s.id)).map((v) => v.version)).toEqual(['0.1.0', '0.1.1']);
      expect(await again.deletedSkill(gone.id)).toMatchObject({ owner: 'user:durable', slug: 'gone' });
    });

    test('the engine catalog over this store: built from list(), current once a write resolves, listeners see the applied change', async () => {
      const { store } = await open();
      const before = await store.put(userSkill('cat', { name: 'Before' }));
      const catalog = await SkillCatalog.open(store);
      expect(catalog.all().map((x) => x.id)).toEqual([before.id]);
      // what a listener of the catalog reads when it hears a change (the index does exactly this)
      const heard: Array<string | undefined> = [];
      catalog.onChange((c) => heard.push(c.type === 'put' ? `${c.id}@${catalog.get(c.id)?.version}` : `-${c.id}:${catalog.get(c.id) === undefined}`));
      const added = await store.put(userSkill('cat', { name: 'Added' }));
      expect(catalog.get(added.id)).toEqual(added);
      const bumped = await store.put({ ...before, version: '0.1.1', instructions: 'Changed.' });
      expect(catalog.get(before.id)).toEqual(bumped);
      // every store hands the stored skill along with a put, so nothing waits on a read back
      expect(catalog.get(before.id)).toEqual(await store.get(before.id));
      await store.delete(added.id);
      expect(catalog.get(added.id)).toBeUndefined();
      expect(catalog.all().map((x) => x.id)).toEqual([before.id]);
      expect(heard).toEqual([`${added.id}@0.1.0`, `${before.id}@0.1.1`, `-${added.id}:true`]);
      const batch = await store.putMany([{ skill: userSkill('cat', { name: 'One', slug: 'one' }) }, { skill: userSkill('cat', { name: 'Two', slug: 'two' }) }]);
      for (const r of batch) expect(catalog.get((r as Skill).id)).toEqual(r);
      catalog.close();
    });

    test('the engine catalog over this store: another instance\'s writes arrive through catchUp and under the owner lock', async (ctx) => {
      const h = await open();
      if (!h.reopen) return ctx.skip();
      const other = await h.reopen();
      const catalog = await SkillCatalog.open(other);
      const s = await h.store.put(userSkill('remote'));
      await other.catchUp();
      expect(catalog.get(s.id)).toEqual(s);
      const next = await h.store.put({ ...s, version: '0.1.1', instructions: 'Remote edit.' });
      // taking the owner's lock catches up first: inside it, the catalog shows the other's write
      const seen = await other.withOwnerLock('user:remote', async () => catalog.get(s.id)?.version);
      expect(seen).toBe(next.version);
      await h.store.delete(s.id);
      await other.catchUp();
      expect(catalog.get(s.id)).toBeUndefined();
      catalog.close();
    });
  });
}
