import { cp, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { StorageError } from '../../src/engine/errors.js';
import { retrievalHash } from '../../src/engine/index/retrieval-text.js';
import { hasLazyInstructions, rememberedRetrievalHash } from '../../src/engine/skill/lazy-body.js';
import { parseSkillMd } from '../../src/engine/skill/skill-md.js';
import { deterministicId } from '../../src/engine/skill/ids.js';
import { nextVersion } from '../../src/engine/skill/version.js';
import { FsSkillStore, type LoadError } from '../../src/engine/store/fs/store.js';
import { exportSkill } from '../../src/engine/store/export.js';
import { importSkillMdText, importSkillTree, importSkillZip } from '../../src/engine/store/import.js';
import type { StoreChange } from '../../src/engine/store/store.js';
import { unzipSync } from 'fflate';
import { BANK, listAll, makeSkill, tempDir } from '../fixtures/store-helpers.js';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

/** bodies the store read from disk so far (its SkillBodies, reached past `private`) */
const bodyReads = (store: FsSkillStore): number => (store as unknown as { tree: { bodies: { reads: number } } }).tree.bodies.reads;

async function openStore(r = root, extra: Partial<ConstructorParameters<typeof FsSkillStore>[0]> = {}): Promise<FsSkillStore> {
  const store = new FsSkillStore({ root: r, lockStaleMs: 2000, ...extra });
  await store.open();
  return store;
}

describe('CRUD', () => {
  test('put writes Users/<user>/<slug>/SKILL.md, get/all read from memory, a new store loads the same skill', async () => {
    const store = await openStore();
    const skill = makeSkill();
    const saved = await store.put(skill);
    expect(saved.id).toBe(skill.id);
    expect(saved.slug).toBe('my-skill');
    const file = path.join(root, 'Users', 'alice', 'my-skill', 'SKILL.md');
    const text = await readFile(file, 'utf8');
    const parsed = parseSkillMd(text, { owner: 'user:alice', slug: 'my-skill', fallbackId: 'x' });
    expect(parsed.hadId).toBe(true);
    expect(parsed.skill.id).toBe(skill.id);
    expect((await store.get(skill.id))?.instructions).toBe(skill.instructions);
    expect((await store.list()).map((s) => s.id)).toEqual([skill.id]);

    const again = await openStore();
    expect((await again.get(skill.id))).toEqual((await store.get(skill.id)));
    expect(again.loadErrors).toEqual([]);
  });

  test('update keeps the folder across renames; delete removes the folder but keeps history', async () => {
    const store = await openStore();
    const changes: StoreChange[] = [];
    store.onChange((c) => changes.push(c));
    const skill = makeSkill();
    await store.put(skill);
    const renamed = await store.put({ ...skill, name: 'Totally different title', slug: 'totally-different', version: '0.1.1' });
    expect(renamed.slug).toBe('my-skill');
    expect(store.locate(skill.id)).toBe('Users/alice/my-skill');
    expect(await readdir(path.join(root, 'Users', 'alice'))).toEqual(['my-skill']);
    expect((await store.get(skill.id))?.name).toBe('Totally different title');

    expect(await store.delete(skill.id)).toBe(true);
    expect(await store.delete(skill.id)).toBe(false);
    expect((await store.get(skill.id))).toBeUndefined();
    expect(await readdir(path.join(root, 'Users', 'alice'))).toEqual([]);
    expect((await store.history(skill.id)).map((e) => e.version)).toEqual(['0.1.0', '0.1.1']);
    expect(changes.map((c) => `${c.type}:${c.version ?? ''}`)).toEqual(['put:0.1.0', 'put:0.1.1', 'delete:']);
  });

  test('expectedVersion: a stale writer gets a conflict and nothing is written', async () => {
    const store = await openStore();
    const skill = makeSkill();
    await store.put(skill);
    await store.put({ ...skill, version: '0.1.1' }, { expectedVersion: '0.1.0' });
    await expect(store.put({ ...skill, version: '0.1.2', instructions: 'lost' }, { expectedVersion: '0.1.0' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await store.get(skill.id))?.version).toBe('0.1.1');
    await expect(store.put(makeSkill(), { expectedVersion: '0.1.0' })).rejects.toMatchObject({ code: 'conflict' });
  });

  test('invalid skills are refused with a ValidationError', async () => {
    const store = await openStore();
    await expect(store.put({ ...makeSkill(), version: 'one' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.put({ ...makeSkill(), rawSkillMd: undefined } as never, { rawSkillMd: '---\nname: [broken\n---\nbody' })).rejects.toMatchObject({ code: 'invalid' });
    // raw text whose id differs from the skill's would load as another skill after a restart
    await expect(store.put(makeSkill({ id: 'a' }), { rawSkillMd: '---\nid: b\nname: x\ndescription: y\n---\nbody\n' })).rejects.toMatchObject({ code: 'invalid' });
    expect((await store.list())).toEqual([]);
  });

  test('slug collisions get -2, -3 and each skill keeps its own folder', async () => {
    const store = await openStore();
    const a = await store.put(makeSkill({ slug: 'dup' }));
    const b = await store.put(makeSkill({ slug: 'dup' }));
    const c = await store.put(makeSkill({ slug: 'dup' }));
    expect([a.slug, b.slug, c.slug]).toEqual(['dup', 'dup-2', 'dup-3']);
    // another user's folder is separate
    const d = await store.put(makeSkill({ slug: 'dup', owner: 'user:bob' }));
    expect(d.slug).toBe('dup');
    await store.delete(b.id);
    const e = await store.put(makeSkill({ slug: 'dup' }));
    expect(e.slug).toBe('dup-2');
    const reloaded = await openStore();
    expect((await reloaded.list()).map((s) => s.slug).sort()).toEqual(['dup', 'dup', 'dup-2', 'dup-3']);
  });

  test('library owners map to Common/ (flat) and Common/<library>/', async () => {
    const store = await openStore();
    const flat = await store.put(makeSkill({ owner: 'library:Common', slug: 'flat-one' }));
    const grouped = await store.put(makeSkill({ owner: 'library:team-lib', slug: 'grouped-one' }));
    expect(store.locate(flat.id)).toBe('Common/flat-one');
    expect(store.locate(grouped.id)).toBe('Common/team-lib/grouped-one');
    // a flat skill folder cannot double as a library
    await expect(store.put(makeSkill({ owner: 'library:flat-one' }))).rejects.toMatchObject({ code: 'conflict' });
    const reloaded = await openStore();
    expect((await reloaded.get(flat.id))?.owner).toBe('library:Common');
    expect((await reloaded.get(grouped.id))?.owner).toBe('library:team-lib');
  });

  test('changing the owner moves the folder', async () => {
    const store = await openStore();
    const s = await store.put(makeSkill());
    await store.put({ ...s, owner: 'library:Common', version: '0.1.1' });
    expect(store.locate(s.id)).toBe('Common/my-skill');
    expect(await readdir(path.join(root, 'Users', 'alice'))).toEqual([]);
    const reloaded = await openStore();
    expect((await reloaded.get(s.id))?.owner).toBe('library:Common');
    expect((await reloaded.list())).toHaveLength(1);
  });
});

describe('resources', () => {
  test('files are written, listed, read back byte-exact, removed, and recorded in history', async () => {
    const store = await openStore();
    const skill = makeSkill();
    const binary = new Uint8Array([0, 1, 2, 254, 255, 0]);
    const saved = await store.put(skill, { files: { 'scripts/run.sh': 'echo hi\n', 'assets/logo.bin': binary, 'LICENSE.txt': 'MIT' } });
    expect(saved.resources).toEqual(['LICENSE.txt', 'assets/logo.bin', 'scripts/run.sh']);
    expect(Buffer.from(await store.readResource(skill.id, 'assets/logo.bin'))).toEqual(Buffer.from(binary));
    expect(Buffer.from(await store.readResource(skill.id, 'scripts/run.sh')).toString()).toBe('echo hi\n');

    const updated = await store.put({ ...skill, version: '0.1.1' }, { removeFiles: ['scripts/run.sh'], files: { 'references/guide.md': '# Guide' } });
    expect(updated.resources).toEqual(['LICENSE.txt', 'assets/logo.bin', 'references/guide.md']);
    expect(await readdir(path.join(root, 'Users', 'alice', 'my-skill'))).not.toContain('scripts');
    await expect(store.readResource(skill.id, 'scripts/run.sh')).rejects.toMatchObject({ code: 'not_found' });

    const hist = await store.history(skill.id);
    expect(hist.map((h) => h.version)).toEqual(['0.1.0', '0.1.1']);
    expect(Buffer.from(hist[0]!.files!['scripts/run.sh']!, 'base64').toString()).toBe('echo hi\n');
    expect(Buffer.from(hist[0]!.files!['assets/logo.bin']!, 'base64')).toEqual(Buffer.from(binary));
    expect(Object.keys(hist[1]!.files!).sort()).toEqual(['LICENSE.txt', 'assets/logo.bin', 'references/guide.md']);
    // unchanged resources are stored once (content-addressed)
    const blobs = await readdir(path.join(root, '.autoskill', 'history', skill.id, 'blobs'));
    expect(blobs).toHaveLength(4);

    const reloaded = await openStore();
    expect((await reloaded.get(skill.id))?.resources).toEqual(['LICENSE.txt', 'assets/logo.bin', 'references/guide.md']);
  });

  test('size limits are enforced', async () => {
    const store = await openStore(root, { maxResourceBytes: 10, maxSkillBytes: 2000 });
    await expect(store.put(makeSkill(), { files: { 'big.txt': 'x'.repeat(11) } })).rejects.toMatchObject({ code: 'too_large' });
    await expect(store.put(makeSkill({ instructions: 'y'.repeat(5000) }))).rejects.toMatchObject({ code: 'too_large' });
    await expect(store.put(makeSkill(), { files: { 'SKILL.md': 'x' } })).rejects.toMatchObject({ code: 'invalid' });
    expect((await store.list())).toEqual([]);
  });
});

describe('history', () => {
  test('survives a restart and a delete, and lists every version including the current one', async () => {
    const store = await openStore();
    const skill = makeSkill();
    await store.put({ ...skill, source: { kind: 'extraction', ref: 'job-1' } });
    await store.put({ ...skill, version: '0.1.1', instructions: 'Second.', source: { kind: 'merge', ref: 'job-2' } });
    await store.put({ ...skill, version: '0.1.2', instructions: 'Third.', source: { kind: 'manual' } });
    // same content again: no duplicate entry
    await store.put({ ...skill, version: '0.1.2', instructions: 'Third.', source: { kind: 'manual' } });

    const restarted = await openStore();
    const hist = await restarted.history(skill.id);
    expect(hist.map((h) => h.version)).toEqual(['0.1.0', '0.1.1', '0.1.2']);
    expect(hist.map((h) => h.source?.kind)).toEqual(['extraction', 'merge', 'manual']);
    expect(hist[2]!.skillMd).toBe(await readFile(path.join(root, 'Users/alice/my-skill/SKILL.md'), 'utf8'));
    for (const h of hist) expect(Number.isNaN(Date.parse(h.at))).toBe(false);

    await restarted.delete(skill.id);
    const afterDelete = await openStore();
    expect(await afterDelete.get(skill.id)).toBeUndefined();
    expect((await afterDelete.history(skill.id)).map((h) => h.version)).toEqual(['0.1.0', '0.1.1', '0.1.2']);
    const summary = (await afterDelete.historySummaries()).find((s) => s.id === skill.id);
    expect(summary).toMatchObject({ id: skill.id, versions: 3 });
    expect(summary?.deletedAt).toBeDefined();
  });

  test('rollback-style restore: an old version is re-published with a new version number', async () => {
    const store = await openStore();
    const skill = makeSkill({ instructions: 'Original instructions.' });
    await store.put(skill);
    await store.put({ ...skill, version: '0.1.1', instructions: 'A bad merge.' });
    const hist = await store.history(skill.id);
    const old = parseSkillMd(hist[0]!.skillMd, { owner: 'user:alice', slug: 'my-skill', fallbackId: 'unused' }).skill;
    const version = nextVersion((await store.get(skill.id))!.version, hist.map((h) => h.version));
    await store.put({ ...old, version, source: { kind: 'rollback', ref: hist[0]!.version } }, { expectedVersion: '0.1.1' });

    const restarted = await openStore();
    expect((await restarted.get(skill.id))?.instructions).toBe('Original instructions.');
    expect((await restarted.get(skill.id))?.version).toBe('0.1.2');
    const after = await restarted.history(skill.id);
    expect(after.map((h) => h.version)).toEqual(['0.1.0', '0.1.1', '0.1.2']);
    expect(after[2]!.source).toEqual({ kind: 'rollback', ref: '0.1.0' });
  });

  test('a hand-edited file shows up as the current version and is kept as history before the next write', async () => {
    const store = await openStore();
    const skill = makeSkill();
    await store.put(skill);
    const file = path.join(root, 'Users/alice/my-skill/SKILL.md');
    const edited = (await readFile(file, 'utf8')).replace('Never use tables.', 'Never use tables. Edited by hand.');
    await writeFile(file, edited);
    await store.refresh();
    let hist = await store.history(skill.id);
    expect(hist).toHaveLength(2);
    expect(hist[1]!.skillMd).toBe(edited);
    await store.put({ ...skill, version: '0.1.1' });
    hist = await store.history(skill.id);
    expect(hist.map((h) => h.skillMd.includes('Edited by hand'))).toEqual([false, true, false]);
  });

  test('entries record the owner; historyIds lists deleted skills; importHistory replaces history verbatim', async () => {
    const store = await openStore();
    const skill = makeSkill();
    await store.put(skill);
    await store.put({ ...skill, owner: 'library:Common', version: '0.1.1' });
    const hist = await store.history(skill.id);
    // Only the current owner's versions are shown (issue 16): a move never reveals the old owner's drafts.
    expect(hist.map((h) => h.owner)).toEqual(['library:Common']);
    const gone = await store.put(makeSkill({ slug: 'gone' }));
    await store.delete(gone.id);
    expect((await store.historyIds()).sort()).toEqual([skill.id, gone.id].sort());

    // verbatim: identical consecutive entries, times and sources are kept as given
    const entries = [hist[0]!, hist[0]!, { ...hist[0]!, version: '0.1.2', at: '2020-01-01T00:00:00.000Z', files: { 'a.bin': Buffer.from([0, 1]).toString('base64') } }];
    await store.importHistory('imported-id', entries);
    const back = await (await openStore()).history('imported-id');
    expect(back).toEqual(entries);
    expect((await store.historySummaries()).find((x) => x.id === 'imported-id')?.deletedAt).toBeDefined();
  });

  test('maxHistory prunes the oldest versions', async () => {
    const store = await openStore(root, { maxHistory: 3 });
    const skill = makeSkill();
    for (let i = 0; i < 6; i++) await store.put({ ...skill, version: `0.1.${i}`, instructions: `v${i}` });
    expect((await store.history(skill.id)).map((h) => h.version)).toEqual(['0.1.3', '0.1.4', '0.1.5']);
  });
});

describe('loading the real bank', () => {
  /** The bank's SKILL.md files that contain NUL bytes (found by scanning the bank once). */
  const NUL_FILES = [
    'english_gpt3.5_8/literary-flashback-integration-guide',
    'english_gpt4_8/enhance-blog-for-virality-and-seo',
    'english_gpt4_8/astrological-imagery-and-ai-prompt-generator',
    'english_gpt4_8/cross-cultural-historical-fiction-writing-guide',
    'english_gpt4_8/ominous-liminal-space-world-building',
  ];

  test('a copied subset loads; NUL-byte, broken, oversized and duplicate files are reported, never silent', async () => {
    for (const u of ['u6', 'u37', 'u38', 'u39']) await cp(path.join(BANK, 'Users', u), path.join(root, 'Users', u), { recursive: true });
    for (const lib of ['superpowers', 'baoyu-skills']) await cp(path.join(BANK, 'Common', lib), path.join(root, 'Common', lib), { recursive: true });
    const conv = (await readdir(path.join(BANK, 'ConvSkill', 'english_gpt4_8'))).sort().slice(0, 200);
    for (const d of conv) await cp(path.join(BANK, 'ConvSkill', 'english_gpt4_8', d), path.join(root, 'Common', 'ConvSkill', d), { recursive: true });
    for (const f of NUL_FILES) {
      const src = path.join(BANK, 'ConvSkill', f);
      expect((await readFile(path.join(src, 'SKILL.md'))).includes(0)).toBe(true);
      await cp(src, path.join(root, 'Common', 'ConvSkill', path.basename(f)), { recursive: true });
    }
    // crafted failures
    await mkdir(path.join(root, 'Users', 'u6', 'broken-yaml'), { recursive: true });
    await writeFile(path.join(root, 'Users', 'u6', 'broken-yaml', 'SKILL.md'), '---\nname: [unclosed\ndescription: x\n---\nbody\n');
    await mkdir(path.join(root, 'Users', 'u6', 'huge'), { recursive: true });
    await writeFile(path.join(root, 'Users', 'u6', 'huge', 'SKILL.md'), '---\nname: huge\ndescription: x\n---\n' + 'x'.repeat(2 * 1024 * 1024));
    const firstU6 = (await readdir(path.join(BANK, 'Users', 'u6'))).sort()[0]!;
    await cp(path.join(BANK, 'Users', 'u6', firstU6), path.join(root, 'Users', 'u6', 'zz-duplicate-copy'), { recursive: true });

    const mtimeBefore = (await stat(path.join(root, 'Users', 'u6', firstU6, 'SKILL.md'))).mtimeMs;
    const visible = (await listAll(root)).filter((p) => p.endsWith('/SKILL.md') && !p.split('/').some((s) => s.startsWith('.')));
    const warnings: string[] = [];
    const store = await openStore(root, { logger: { warn: (m) => warnings.push(m) } });
    const errors = store.loadErrors;
    const reasonFor = (rel: string): LoadError | undefined => errors.find((e) => e.path === path.join(store.root, rel, 'SKILL.md'));

    for (const f of NUL_FILES) expect(reasonFor(`Common/ConvSkill/${path.basename(f)}`)?.reason).toMatch(/NUL|binary/i);
    expect(reasonFor('Users/u6/broken-yaml')).toBeDefined();
    expect(reasonFor('Users/u6/huge')?.reason).toMatch(/too large/);
    expect(reasonFor('Users/u6/zz-duplicate-copy')?.reason).toMatch(/duplicate id/);
    // every visible SKILL.md is either loaded or reported
    const skillErrors = errors.filter((e) => e.path.endsWith('SKILL.md'));
    expect((await store.list()).length + skillErrors.length).toBe(visible.length);
    expect(warnings.length).toBeGreaterThanOrEqual(skillErrors.length);
    // the hidden .claude skill is skipped; owners follow the layout
    expect((await store.list()).some((s) => s.slug === 'release-skills')).toBe(false);
    const owners = new Set((await store.list()).map((s) => s.owner));
    for (const o of ['user:u6', 'user:u37', 'library:superpowers', 'library:baoyu-skills', 'library:ConvSkill']) expect(owners).toContain(o);
    // bank library resources (e.g. scripts/, references/) are listed
    expect((await store.list()).some((s) => s.owner === 'library:baoyu-skills' && s.resources.length > 0)).toBe(true);
    // loading never rewrites files
    expect((await stat(path.join(root, 'Users', 'u6', firstU6, 'SKILL.md'))).mtimeMs).toBe(mtimeBefore);
  });

  test('the parse cache gives the same skills as parsing, and a corrupt cache is ignored', async () => {
    for (const lib of ['superpowers', 'anthropics-skill']) await cp(path.join(BANK, 'Common', lib), path.join(root, 'Common', lib), { recursive: true });
    await cp(path.join(BANK, 'Users', 'u6'), path.join(root, 'Users', 'u6'), { recursive: true });
    const first = await openStore();
    const cacheFile = path.join(root, '.autoskill', 'cache', 'load.json');
    const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(cached.entries)).toHaveLength((await first.list()).length);
    const second = await openStore();
    expect((await second.list())).toEqual((await first.list()));
    // a stale entry (hash mismatch) is re-parsed: edit one file behind the cache's back
    const victim = (await first.list()).find((s) => s.owner === 'user:u6')!;
    const file = path.join(root, first.locate(victim.id)!, 'SKILL.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n*$/, '\n\nAppended line.\n'));
    const third = await openStore();
    expect((await third.get(victim.id))?.instructions).toMatch(/Appended line\.$/);
    await writeFile(cacheFile, '{"format":1,"fingerprint":"x","entries":{"Users/u6/zz":{"hash":"h"');
    const fourth = await openStore();
    expect((await fourth.list())).toEqual((await third.list()));
  });

  test('a store opened from its parse cache reads instructions from disk when asked, and only then', async () => {
    await cp(path.join(BANK, 'Common', 'superpowers'), path.join(root, 'Common', 'superpowers'), { recursive: true });
    const first = await openStore(); // parses every file and writes the cache
    const parsed = await first.list();
    const cacheFile = path.join(root, '.autoskill', 'cache', 'load.json');
    const cacheText = await readFile(cacheFile, 'utf8');
    const sample = parsed.find((s) => s.instructions.length > 200)!;
    // the cache holds what opening needs, not the bodies
    expect(cacheText).not.toContain(JSON.stringify(sample.instructions).slice(1, 120));

    const second = await openStore();
    const loaded = await second.list();
    expect(loaded.every(hasLazyInstructions)).toBe(true);
    expect(bodyReads(second)).toBe(0);
    // the index's hash of each skill is known without reading its body
    for (const s of loaded) expect(rememberedRetrievalHash(s)).toBe(retrievalHash(parsed.find((p) => p.id === s.id)!));
    expect(bodyReads(second)).toBe(0);
    expect(loaded).toEqual(parsed);
    const again = (await second.get(sample.id))!;
    const reads = bodyReads(second);
    expect(again.instructions).toBe(sample.instructions); // the recently read are kept
    expect(bodyReads(second)).toBe(reads);
    // a copy is an ordinary skill, and carries no remembered hash that could go stale
    const copy = { ...again, description: 'changed' };
    expect(hasLazyInstructions(copy)).toBe(false);
    expect(rememberedRetrievalHash(copy)).toBeUndefined();

    // a body not read yet comes from the file as it is now (a hand edit not yet picked up by refresh)
    const third = await openStore();
    const [other, gone] = (await third.list()).filter((s) => s.id !== sample.id);
    const file = path.join(root, third.locate(other!.id)!, 'SKILL.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n*$/, '\n\nEdited by hand.\n'));
    expect(other!.instructions).toMatch(/Edited by hand\.$/);
    // a body that cannot be read is an error, never an empty body a merge would write back
    await rm(path.join(root, third.locate(gone!.id)!, 'SKILL.md'));
    expect(() => gone!.instructions).toThrow(StorageError);
  });

  test('the parse cache vouches for a SKILL.md by its stat once the file has settled, and an edit still shows', async () => {
    await cp(path.join(BANK, 'Common', 'superpowers'), path.join(root, 'Common', 'superpowers'), { recursive: true });
    const cacheFile = path.join(root, '.autoskill', 'cache', 'load.json');
    const entries = async (): Promise<Record<string, { hash: string; stat?: string }>> => JSON.parse(await readFile(cacheFile, 'utf8')).entries;
    const parsed = await (await openStore()).list();
    // just written: file times come from a coarse clock, so a fresh file's stat vouches for nothing yet
    expect(Object.values(await entries()).some((e) => e.stat)).toBe(false);

    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 10_000);
      expect(await (await openStore()).list()).toEqual(parsed);
      const settled = await entries();
      expect(Object.values(settled).every((e) => typeof e.stat === 'string')).toBe(true);

      // A file whose stat is the recorded one is not read: an entry whose hash is not the file's
      // own is believed (the files are read back only when their stat moves).
      const [relDir, entry] = Object.entries(settled)[0]!;
      const forged = { ...settled, [relDir]: { ...entry, hash: '0'.repeat(40) } };
      const data = JSON.parse(await readFile(cacheFile, 'utf8'));
      await writeFile(cacheFile, JSON.stringify({ ...data, entries: forged }));
      expect(await (await openStore()).list()).toEqual(parsed);
      expect((await entries())[relDir]!.hash).toBe('0'.repeat(40)); // not read, so not found out and rewritten

      // an edit in place that keeps the size and puts the mtime back still moves the ctime
      const file = path.join(root, relDir, 'SKILL.md');
      const before = await stat(file);
      const text = await readFile(file, 'utf8');
      const edited = text.replace(/[a-z](?=[^a-z]*$)/, (c) => (c === 'x' ? 'y' : 'x'));
      expect(edited.length).toBe(text.length);
      await writeFile(file, edited);
      await utimes(file, before.atime, before.mtime);
      const reopened = await openStore();
      const id = parsed.find((s) => reopened.locate(s.id) === relDir)!.id;
      expect((await reopened.get(id))!.instructions).toBe(parseSkillMd(edited, { owner: 'library:superpowers', slug: path.basename(relDir) }).skill.instructions);
      expect((await entries())[relDir]!.hash).not.toBe('0'.repeat(40));
    } finally {
      vi.useRealTimers();
    }
  });

  test("verifyOnOpen 'background': the open serves the tree its cache recorded, then the scan applies what changed while closed", async () => {
    const first = await openStore();
    const kept = await first.put(makeSkill({ slug: 'kept', name: 'kept', description: 'Kept as it was.' }));
    const edited = await first.put(makeSkill({ slug: 'edited', name: 'edited', description: 'Before the edit.' }));
    const removed = await first.put(makeSkill({ slug: 'removed', name: 'removed', description: 'Deleted by hand.' }));
    await first.flush();
    await first.close();
    // while no process watches: a hand edit, a folder deleted, a folder copied in
    const editedFile = path.join(root, 'Users', 'alice', 'edited', 'SKILL.md');
    await writeFile(editedFile, (await readFile(editedFile, 'utf8')).replace('Before the edit.', 'After the edit.'));
    await rm(path.join(root, 'Users', 'alice', 'removed'), { recursive: true });
    await mkdir(path.join(root, 'Users', 'alice', 'added'), { recursive: true });
    await writeFile(path.join(root, 'Users', 'alice', 'added', 'SKILL.md'), '---\nname: added\ndescription: Copied in by hand.\n---\n\nDo it.\n');

    const store = await openStore(root, { verifyOnOpen: 'background' });
    const changes: StoreChange[] = [];
    store.onChange((c) => changes.push(c));
    // served from the cache: what the last process recorded
    expect((await store.list()).map((s) => s.slug).sort()).toEqual(['edited', 'kept', 'removed']);
    expect((await store.get(edited.id))!.description).toBe('Before the edit.');
    const keptBefore = await store.get(kept.id);

    await store.verified();
    expect((await store.list()).map((s) => s.slug).sort()).toEqual(['added', 'edited', 'kept']);
    expect((await store.get(edited.id))!.description).toBe('After the edit.');
    expect(await store.get(removed.id)).toBeUndefined();
    expect(changes.filter((c) => c.type === 'put').map((c) => (c as { skill: { slug: string } }).skill.slug).sort()).toEqual(['added', 'edited']);
    expect(changes.filter((c) => c.type === 'delete').map((c) => c.id)).toEqual([removed.id]);
    // an unchanged skill keeps its record: no second copy of what the index holds
    expect(await store.get(kept.id)).toBe(keptBefore);
    await store.close();

    // what a process wrote after the cache was saved is in the change log: the open replays it
    const cacheFile = path.join(root, '.autoskill', 'cache', 'load.json');
    const saved = await readFile(cacheFile, 'utf8');
    const writer = await openStore();
    const later = await writer.put(makeSkill({ slug: 'later', name: 'later', description: 'Written after the cache was saved.' }));
    await writer.close();
    await writeFile(cacheFile, saved);
    const replayed = await openStore(root, { verifyOnOpen: 'background' });
    expect((await replayed.get(later.id))?.description).toBe('Written after the cache was saved.');
    await replayed.close();

    // without a usable cache the open scans before it returns, whatever the option
    await rm(path.join(root, '.autoskill', 'cache'), { recursive: true, force: true });
    const fresh = await openStore(root, { verifyOnOpen: 'background' });
    expect((await fresh.list()).map((s) => s.slug).sort()).toEqual(['added', 'edited', 'kept', 'later']);
    await fresh.close();
  });

  test('a rescan keeps a skill whose SKILL.md is unchanged while its folder gained a resource', async () => {
    const store = await openStore();
    const skill = await store.put(makeSkill({ slug: 'with-script', name: 'with-script' }));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 10_000);
      await store.refresh(); // the record now carries its file's settled stat
      await mkdir(path.join(root, 'Users', 'alice', 'with-script', 'scripts'), { recursive: true });
      await writeFile(path.join(root, 'Users', 'alice', 'with-script', 'scripts', 'run.py'), 'print(1)\n');
      await store.refresh();
      const now = await store.get(skill.id);
      expect(now?.resources).toEqual(['scripts/run.py']);
      expect(now?.instructions).toBe(skill.instructions);
      expect(store.loadErrors).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  test('missing ids get a deterministic id in memory; normalizeIds writes it into the file only', async () => {
    await mkdir(path.join(root, 'Users', 'alice', 'no-id'), { recursive: true });
    const original = '---\nname: no-id\ndescription: A skill without an id\n---\n\nDo the thing.\n';
    await writeFile(path.join(root, 'Users', 'alice', 'no-id', 'SKILL.md'), original);
    const store = await openStore();
    const id = deterministicId('user:alice', 'no-id');
    expect((await store.get(id))?.name).toBeDefined();
    expect(await readFile(path.join(root, 'Users/alice/no-id/SKILL.md'), 'utf8')).toBe(original);
    expect(await store.normalizeIds()).toEqual({ scanned: 1, changed: 1, renamed: [] });
    const text = await readFile(path.join(root, 'Users/alice/no-id/SKILL.md'), 'utf8');
    expect(text).toContain(id);
    const added = text.split('\n').filter((l) => !original.split('\n').includes(l));
    expect(added.length).toBeGreaterThan(0);
    for (const l of added) expect(l).toMatch(/^\s*(id: |metadata:)/);
    expect(await store.normalizeIds()).toEqual({ scanned: 1, changed: 0, renamed: [] });
    expect((await openStore()).get(id)).toBeDefined();
  });
});

describe('freshness across store instances', () => {
  test('withLock sees writes of another instance without refresh, and reports them through onChange', async () => {
    const a = await openStore();
    const b = await openStore();
    const seen: StoreChange[] = [];
    a.onChange((c) => seen.push(c));
    const s = await b.put(makeSkill());
    expect((await a.get(s.id))).toBeUndefined();
    await a.withLock('user:alice', async () => {
      expect((await a.get(s.id))?.version).toBe('0.1.0');
    });
    // the change carries the skill as this instance loaded it (what the engine's catalog applies)
    expect(seen).toEqual([{ type: 'put', id: s.id, owner: 'user:alice', version: '0.1.0', skill: await a.get(s.id) }]);
    expect(seen[0]!.skill).toEqual(s);
    // a's put on top of b's write allocates a fresh folder and knows about b's version
    await expect(a.put({ ...s, version: '0.1.1' }, { expectedVersion: '0.1.0' })).resolves.toBeDefined();
    await b.delete(s.id);
    await a.withLock('x', async () => undefined);
    expect((await a.get(s.id))).toBeUndefined();
  });

  test('refresh picks up folders added by hand, and leftovers of killed writers are never loaded', async () => {
    const store = await openStore();
    const s = await store.put(makeSkill());
    const dir = path.join(root, 'Users', 'alice', 'my-skill');
    // what a killed writer leaves behind: a temp file next to SKILL.md and a staging folder
    await writeFile(path.join(dir, '.SKILL.md.0123456789ab.tmp'), '---\nid: torn\nname: x');
    await mkdir(path.join(root, 'Users', 'alice', '.staging-0123456789ab'), { recursive: true });
    await writeFile(path.join(root, 'Users', 'alice', '.staging-0123456789ab', 'SKILL.md'), '---\nid: staged\nname: s\ndescription: d\n---\nx\n');
    await mkdir(path.join(root, 'Users', 'alice', 'by-hand'), { recursive: true });
    await writeFile(path.join(root, 'Users', 'alice', 'by-hand', 'SKILL.md'), '---\nid: hand-made\nname: by-hand\ndescription: Added by hand\n---\n\nBody.\n');
    await store.refresh();
    expect((await store.get('hand-made'))).toBeDefined();
    expect((await store.get('torn'))).toBeUndefined();
    expect((await store.get('staged'))).toBeUndefined();
    expect((await store.get(s.id))?.resources).toEqual([]);
    const reopened = await openStore();
    expect((await reopened.list()).map((x) => x.id).sort()).toEqual([s.id, 'hand-made'].sort());
    // open() removed the leftovers (no writer holds the lock)
    expect(await readdir(dir)).toEqual(['SKILL.md']);
    expect(await readdir(path.join(root, 'Users', 'alice'))).not.toContain('.staging-0123456789ab');
  });
});

describe('import and export', () => {
  test('importSkillTree keeps files pristine, adds missing ids, copies resources and reports per skill', async () => {
    const { dir: src, cleanup: done } = await tempDir('autoskill-import-');
    try {
      await cp(path.join(BANK, 'Common', 'superpowers'), path.join(src, 'superpowers'), { recursive: true });
      await mkdir(path.join(src, 'no-id'), { recursive: true });
      await writeFile(path.join(src, 'no-id', 'SKILL.md'), '---\nname: no-id\ndescription: Needs an id\n---\n\nBody.\n');
      await mkdir(path.join(src, 'bad'), { recursive: true });
      await writeFile(path.join(src, 'bad', 'SKILL.md'), 'a\u0000b');
      const store = await openStore();
      const progress: number[] = [];
      const report = await importSkillTree(store, src, { owner: 'library:superpowers' }, { onProgress: (d) => progress.push(d), trigger: 'cli' });
      const imported = report.filter((r) => r.status === 'imported');
      const total = (await listAll(src)).filter((p) => p.endsWith('SKILL.md')).length;
      expect(imported.length).toBe(total - 1);
      expect(report.find((r) => r.path === 'bad')).toMatchObject({ status: 'error' });
      expect(progress).toEqual(Array.from({ length: total }, (_, i) => i + 1));

      // pristine: a file that had an id is byte-identical
      const one = imported.find((r) => r.path.startsWith('superpowers/'))!;
      const rel = store.locate(one.id!)!;
      expect(await readFile(path.join(root, rel, 'SKILL.md'), 'utf8')).toBe(await readFile(path.join(src, one.path, 'SKILL.md'), 'utf8'));
      // the pristine file cannot carry provenance; the history entry does
      expect((await store.history(one.id!)).at(-1)?.source).toEqual({ kind: 'import', ref: one.path, trigger: 'cli' });
      // the file without id got the deterministic id for its path under the import root
      const noId = report.find((r) => r.path === 'no-id')!;
      expect(noId.id).toBe(deterministicId('library:superpowers', 'no-id'));
      // resources copied
      const withRes = (await store.list()).find((s) => s.resources.length > 0);
      expect(withRes).toBeDefined();

      // idempotent: a second import skips everything
      const again = await importSkillTree(store, src, { owner: 'library:superpowers' });
      expect(again.filter((r) => r.status === 'imported')).toEqual([]);
      expect(again.filter((r) => r.status === 'skipped').length).toBe(total - 1);
      // a single skill folder can be imported directly
      const single = await importSkillTree(store, path.join(src, 'no-id'), { owner: 'user:bob' });
      expect(single).toMatchObject([{ path: 'no-id', status: 'imported', id: deterministicId('user:bob', 'no-id') }]);
    } finally {
      await done();
    }
  });

  test('exportSkill as md, dir and zip; importSkillZip and importSkillMdText round-trip', async () => {
    const store = await openStore();
    const s = await store.put(makeSkill(), { files: { 'scripts/a.sh': 'echo a\n', 'assets/b.bin': new Uint8Array([1, 0, 2]) } });
    const md = await exportSkill(store, s.id, 'md');
    expect(md.text).toBe(await readFile(path.join(root, 'Users/alice/my-skill/SKILL.md'), 'utf8'));

    const { dir: out, cleanup: done } = await tempDir('autoskill-export-');
    try {
      const d = await exportSkill(store, s.id, 'dir', path.join(out, 'copy'));
      expect(await listAll(d.path!)).toEqual(['SKILL.md', 'assets/b.bin', 'scripts/a.sh']);
      await expect(exportSkill(store, s.id, 'dir', path.join(out, 'copy'))).rejects.toMatchObject({ code: 'conflict' });

      const z = await exportSkill(store, s.id, 'zip', path.join(out, 'skill.zip'));
      expect(Object.keys(unzipSync(z.bytes!)).sort()).toEqual(['my-skill/SKILL.md', 'my-skill/assets/b.bin', 'my-skill/scripts/a.sh']);
      expect(Buffer.from(await readFile(z.path!))).toEqual(Buffer.from(z.bytes!));

      const other = await openStore(path.join(out, 'store2'));
      const report = await importSkillZip(other, z.bytes!, { owner: 'user:carol' });
      expect(report).toMatchObject([{ path: 'my-skill', status: 'imported', id: s.id }]);
      expect(Buffer.from(await other.readResource(s.id, 'assets/b.bin'))).toEqual(Buffer.from([1, 0, 2]));
      expect(Buffer.from(await other.readResource(s.id, 'SKILL.md')).toString()).toBe(md.text);

      const text = '---\nname: from-text\ndescription: Pasted SKILL.md\n---\n\nDo it.\n';
      const first = await importSkillMdText(other, text, { owner: 'user:carol' });
      expect(first.status).toBe('imported');
      expect((await other.get(first.id!))?.slug).toBe('from-text');
      expect((await importSkillMdText(other, text, { owner: 'user:carol' })).status).toBe('skipped');
    } finally {
      await done();
    }
  });
});
