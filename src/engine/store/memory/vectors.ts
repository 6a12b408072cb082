import type { StoredVectors, VectorStore } from '../../index/vector-store.js';

/**
 * Vectors kept in this process only (`memoryBackends()`): the same port as the filesystem and
 * PostgreSQL vector stores, so an SDK on memory backends runs the same index code paths.
 */
export class MemoryVectorStore implements VectorStore {
  private readonly bySignature = new Map<string, StoredVectors>();

  async load(signature: string): Promise<StoredVectors | undefined> {
    const stored = this.bySignature.get(signature);
    // A copy: the caller owns what it loads, as with a store that reads from disk.
    return stored && { dims: stored.dims, entries: new Map([...stored.entries].map(([id, e]) => [id, { hash: e.hash, vector: Float32Array.from(e.vector) }])) };
  }

  async save(signature: string, dims: number, upserts: Array<{ id: string; hash: string; vector: Float32Array }>, deletes: string[]): Promise<void> {
    let stored = this.bySignature.get(signature);
    // Another dimension under one signature means a new model behind the same name: start over.
    if (!stored || stored.dims !== dims) this.bySignature.set(signature, (stored = { dims, entries: new Map() }));
    for (const u of upserts) if (u.vector.length !== dims) throw new RangeError(`vector for ${u.id} has ${u.vector.length} dims, expected ${dims}`);
    for (const id of deletes) stored.entries.delete(id);
    for (const u of upserts) stored.entries.set(u.id, { hash: u.hash, vector: Float32Array.from(u.vector) });
  }

  async clear(signature: string): Promise<void> {
    this.bySignature.delete(signature);
  }
}
