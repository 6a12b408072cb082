/**
 * Persistence port for embeddings, per embedder signature. The in-memory search runs on typed
 * arrays; this port only loads and saves them, incrementally.
 */
export interface StoredVectors {
  dims: number;
  /** skill id → { content hash of the embedded text, vector } */
  entries: Map<string, { hash: string; vector: Float32Array }>;
}

export interface VectorStore {
  load(signature: string): Promise<StoredVectors | undefined>;
  /** Upsert and delete rows. Implementations must not rewrite the whole index per call. */
  save(
    signature: string,
    dims: number,
    upserts: Array<{ id: string; hash: string; vector: Float32Array }>,
    deletes: string[],
  ): Promise<void>;
  /** Drop everything stored for a signature (rebuild). */
  clear(signature: string): Promise<void>;
  /**
   * After a bulk build saved in several steps: fold the incremental saves into the form that
   * loads fastest, if the store has one (optional).
   */
  settle?(signature: string): Promise<void>;
}
