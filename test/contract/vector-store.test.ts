import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/engine/ports/embedder.js';
import { FsVectorStore } from '../../src/engine/index/fs-vector-store.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import { VectorIndex } from '../../src/engine/index/vector-index.js';
import { SkillIndex } from '../../src/engine/index/skill-index.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { makeSkill } from '../fixtures/store-helpers.js';

/** Wraps an embedder and records every text it is asked to embed. */
class CountingEmbedder implements Embedder {
  readonly calls: string[][] = [];
  readonly capabilities = { semantic: false } as const;
  constructor(private readonly inner: LocalEmbedder = new LocalEmbedder({ dimensions: 64 })) {}
  get signature(): string {
    return this.inner.signature;
  }
  get dimensions(): number {
    return this.inner.dimensions;
  }
  get embedded(): number {
    return this.calls.reduce((n, c) => n + c.length, 0);
  }
  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls.push(texts);
    return this.inner.embed(texts);
  }
}

function skill(id: string, name: string, description: string, extra: Partial<Skill> = {}): Skill {
  return makeSkill({ id, slug: id, name, description, instructions: `Instructions for ${name}.`, triggers: [], tags: [], owner: 'library:test', ...extra });
}

function vec(values: number[]): Float32Array {
  return Float32Array.from(values);
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'autoskill-vs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('VectorIndex', () => {
  it('upserts, overwrites, swap-deletes and ranks by dot product', () => {
    const vi = new VectorIndex(3, 1);
    vi.upsert('a', vec([1, 0, 0]));
    vi.upsert('b', vec([0, 1, 0]));
    vi.upsert('c', vec([0.6, 0.8, 0]));
    expect(vi.search(vec([1, 0, 0]), 2).map((h) => h.id)).toEqual(['a', 'c']);
    vi.remove('a');
    expect(vi.size).toBe(2);
    // rows are int8 with a per-row scale: each component within half a step (max / 254) of the input
    const c = vi.get('c')!;
    [0.6, 0.8, 0].forEach((x, i) => expect(Math.abs(c[i]! - x)).toBeLessThanOrEqual(0.8 / 254 + 1e-7));
    expect(vi.rowOf('c')).toBe(0); // the last row moved into the hole
    vi.upsert('b', vec([1, 0, 0]));
    expect(vi.search(vec([1, 0, 0]), 5).map((h) => h.id)).toEqual(['b', 'c']);
    expect(vi.search(vec([1, 0, 0]), 5, (id) => id !== 'b').map((h) => h.id)).toEqual(['c']);
    expect(() => vi.upsert('x', vec([1, 0]))).toThrow(RangeError);
  });

  it('scores within the int8 quantization error of the float dot product, on real hashed vectors', async () => {
    const embedder = new LocalEmbedder();
    const texts = ['write a quarterly report with cited sources', '帮我写一份周报', 'plain text answers only', 'refactor the Rust grid code', 'a recipe for lentil soup'];
    const vectors = await embedder.embed(texts);
    const vi = new VectorIndex(embedder.dimensions);
    vectors.forEach((v, i) => vi.upsert(`t${i}`, v));
    for (const q of await embedder.embed(['please write my weekly report', 'soup recipe', '用纯文本回答'])) {
      vectors.forEach((v, i) => {
        let exact = 0;
        for (let k = 0; k < v.length; k++) exact += v[k]! * q[k]!;
        expect(Math.abs(vi.score(`t${i}`, q)! - exact)).toBeLessThan(5e-3);
      });
    }
  });

  it('never lets a non-finite component poison a row: NaN is stored as 0, an infinite vector as zeros', () => {
    const vi = new VectorIndex(3);
    vi.upsert('nan', vec([NaN, 1, 0]));
    vi.upsert('inf', vec([Infinity, 1, 0]));
    expect(vi.score('nan', vec([1, 1, 1]))).toBeCloseTo(1, 6);
    expect(vi.score('inf', vec([1, 1, 1]))).toBe(0);
  });
});

describe('FsVectorStore', () => {
  const sig = 'test-sig-d3';

  it('round-trips upserts and deletes through the log and the snapshot', async () => {
    const store = new FsVectorStore({ root, compactMinEntries: 5 });
    await store.save(sig, 3, [{ id: 'a', hash: 'h1', vector: vec([1, 2, 3]) }], []);
    await store.save(sig, 3, [{ id: 'b', hash: 'h2', vector: vec([4, 5, 6]) }], []);
    await store.save(sig, 3, [{ id: 'a', hash: 'h3', vector: vec([7, 8, 9]) }], ['b']);
    let loaded = await new FsVectorStore(root).load(sig);
    expect(loaded?.dims).toBe(3);
    expect([...loaded!.entries.keys()]).toEqual(['a']);
    expect(loaded!.entries.get('a')).toEqual({ hash: 'h3', vector: vec([7, 8, 9]) });

    // enough entries to trigger compaction: the log is folded into the snapshot
    await store.save(sig, 3, [{ id: 'c', hash: 'h4', vector: vec([0, 0, 1]) }], []);
    const { snap, log } = store.paths(sig);
    expect((await readFile(log, 'utf8')).length).toBe(0);
    expect((await readFile(snap)).length).toBeGreaterThan(0);
    loaded = await new FsVectorStore(root).load(sig);
    expect([...loaded!.entries.keys()].sort()).toEqual(['a', 'c']);
  });

  it('appends instead of rewriting: one save adds one line per change', async () => {
    const store = new FsVectorStore({ root });
    for (let i = 0; i < 5; i++) await store.save(sig, 3, [{ id: `s${i}`, hash: 'h', vector: vec([i, i, i]) }], []);
    const { log } = store.paths(sig);
    const before = (await readFile(log, 'utf8')).split('\n').filter(Boolean).length;
    await store.save(sig, 3, [{ id: 's9', hash: 'h', vector: vec([9, 9, 9]) }], ['s0']);
    const after = (await readFile(log, 'utf8')).split('\n').filter(Boolean).length;
    expect(after - before).toBe(2);
  });

  it('treats corrupt files as "rebuild", never as a crash', async () => {
    const store = new FsVectorStore({ root });
    await store.save(sig, 3, [{ id: 'a', hash: 'h', vector: vec([1, 1, 1]) }], []);
    const { snap, log } = store.paths(sig);
    // torn last line and garbage after a valid prefix
    await writeFile(log, (await readFile(log, 'utf8')) + '{"op":"put","id":"b","ha');
    let loaded = await new FsVectorStore(root).load(sig);
    expect([...loaded!.entries.keys()]).toEqual(['a']);

    await writeFile(snap, 'not a snapshot at all');
    await writeFile(log, 'garbage\n');
    loaded = await new FsVectorStore(root).load(sig);
    expect(loaded).toBeUndefined();

    // a snapshot with a flipped byte fails its checksum
    await new FsVectorStore(root).clear(sig);
    const s2 = new FsVectorStore({ root, compactMinEntries: 1 });
    await s2.save(sig, 3, [{ id: 'a', hash: 'h', vector: vec([1, 2, 3]) }], []);
    const bytes = await readFile(snap);
    bytes[bytes.length - 2] ^= 0xff;
    await writeFile(snap, bytes);
    expect(await new FsVectorStore(root).load(sig)).toBeUndefined();
  });

  it('keeps signatures apart and makes hostile signatures safe file names', async () => {
    const store = new FsVectorStore(root);
    await store.save('../../evil/sig', 3, [{ id: 'a', hash: 'h', vector: vec([1, 1, 1]) }], []);
    await store.save('other', 3, [{ id: 'b', hash: 'h', vector: vec([2, 2, 2]) }], []);
    const files = await readdir(path.join(root, 'vectors'));
    expect(files.every((f) => !f.includes('/') && !f.startsWith('.'))).toBe(true);
    expect([...(await store.load('../../evil/sig'))!.entries.keys()]).toEqual(['a']);
    expect([...(await store.load('other'))!.entries.keys()]).toEqual(['b']);
    await store.clear('other');
    expect(await store.load('other')).toBeUndefined();
  });
});

describe('SkillIndex persistence', () => {
  const skills = [
    skill('s1', 'weekly status email', 'short status emails without tables'),
    skill('s2', '政府报告写作', '撰写政府工作报告，不要使用表格'),
    skill('s3', 'sql generator', 'generate postgres sql from english'),
  ];

  it('never re-embeds unchanged skills, across restarts', async () => {
    const e1 = new CountingEmbedder();
    const i1 = new SkillIndex({ embedder: e1, vectorStore: new FsVectorStore(root) });
    await i1.load();
    await i1.upsert(skills);
    expect(e1.embedded).toBe(3);
    await i1.upsert(skills); // same content: nothing to do
    expect(e1.embedded).toBe(3);

    // a new process: vectors come from disk
    const e2 = new CountingEmbedder();
    const i2 = new SkillIndex({ embedder: e2, vectorStore: new FsVectorStore(root) });
    await i2.load();
    await i2.upsert(skills);
    expect(e2.embedded).toBe(0);
    expect(i2.vectorCount()).toBe(3);

    // one skill changes: exactly one embed
    await i2.upsert([{ ...skills[0]!, description: 'short status emails, bullet points only' }]);
    expect(e2.embedded).toBe(1);
    // metadata-only change does not touch the retrieval text: no embed
    await i2.upsert([{ ...skills[1]!, metadata: { team: 'gov' } }]);
    expect(e2.embedded).toBe(1);

    // upsert before load also adopts persisted vectors
    const e3 = new CountingEmbedder();
    const i3 = new SkillIndex({ embedder: e3, vectorStore: new FsVectorStore(root) });
    const pending = i3.upsert(skills.slice(1));
    await pending;
    const e3Before = e3.embedded;
    await i3.load();
    await i3.upsert(skills.slice(1));
    expect(e3.embedded).toBe(e3Before);
  });

  it('removes vectors for deleted skills from disk', async () => {
    const e = new CountingEmbedder();
    const idx = new SkillIndex({ embedder: e, vectorStore: new FsVectorStore(root) });
    await idx.upsert(skills);
    await idx.remove(['s3']);
    const stored = await new FsVectorStore(root).load(e.signature);
    expect([...stored!.entries.keys()].sort()).toEqual(['s1', 's2']);
    expect(idx.size()).toBe(2);
    expect((await idx.search('postgres sql')).map((h) => h.skill.id)).not.toContain('s3');
  });

  it('rebuilds when the stored vectors are corrupt or of another size', async () => {
    const store = new FsVectorStore(root);
    const e = new CountingEmbedder();
    const { log } = store.paths(e.signature);
    await store.save(e.signature, 5, [{ id: 's1', hash: 'x', vector: new Float32Array(5) }], []);
    const idx = new SkillIndex({ embedder: e, vectorStore: store });
    await idx.load(); // dims 5 ≠ 64: cleared, no crash
    await idx.upsert(skills);
    expect(e.embedded).toBe(3);

    await writeFile(log, '\u0000\u0001binary junk');
    const e2 = new CountingEmbedder();
    const idx2 = new SkillIndex({ embedder: e2, vectorStore: new FsVectorStore(root) });
    await idx2.load();
    await idx2.upsert(skills);
    expect(e2.embedded).toBe(3);
    expect((await idx2.search('sql generator'))[0]?.skill.id).toBe('s3');
  });

  it('keeps the lexical index when the embedder fails, and retries the missing vectors', async () => {
    let fail = true;
    const inner = new LocalEmbedder({ dimensions: 64 });
    const flaky: Embedder = {
      signature: inner.signature,
      dimensions: inner.dimensions,
      embed: async (texts) => {
        if (fail) throw new Error('provider down');
        return inner.embed(texts);
      },
    };
    const idx = new SkillIndex({ embedder: flaky });
    await expect(idx.upsert(skills)).rejects.toThrow('provider down');
    expect(idx.size()).toBe(3);
    expect((await idx.search('sql generator'))[0]?.skill.id).toBe('s3');
    fail = false;
    await idx.upsert(skills);
    expect(idx.vectorCount()).toBe(3);
  });
});
