import type { Logger } from './logger.js';
import type { SearchOptions, SkillHit, SkillIndex } from './index/skill-index.js';
import { StandingRegistry } from './retrieve/standing.js';
import type { Owner, Skill } from './skill/schema.js';
import type { StoreChange } from './store/store.js';

/** The current skills, read without I/O: where the index takes a changed skill from. */
export interface CurrentSkills {
  get(id: string): Skill | undefined;
  all(): Skill[];
}

/** One update handed to the index (what the test-only probe in testing.ts reports). */
export type IndexUpdate = { type: 'upsert'; skills: readonly Skill[] } | { type: 'remove'; ids: readonly string[] };

/** Counts of the index and its embedder, for status pages (the facade adds what a user sees). */
export interface IndexCounts {
  indexed: number;
  indexSize: number;
  vectors: number;
  signature: string;
  dims: number;
}

/**
 * The skill index kept in step with the store. The store's change feed is the one update path:
 * whoever writes (this process, a job, another replica caught up with), the index follows the
 * announced changes in order, and the standing registry (skills injected on every turn) with
 * it. This object is the only holder of the SkillIndex, so every index update passes through
 * `#upsert`/`#remove` here; nothing else can touch the index behind its back.
 */
export class LiveIndex {
  readonly #index: SkillIndex;
  readonly #skills: CurrentSkills;
  readonly #logger: Logger;
  /** standing skills per owner, kept in step with the index */
  readonly #standing = new StandingRegistry();
  #sync: Promise<void> = Promise.resolve();
  #pending: StoreChange[] = [];
  readonly #probes = new Set<(update: IndexUpdate) => void>();

  constructor(index: SkillIndex, skills: CurrentSkills, logger: Logger) {
    this.#index = index;
    this.#skills = skills;
    this.#logger = logger;
  }

  /**
   * Load the persisted index and add the store's current skills (at open). The keyword index is
   * complete afterwards even if embedding fails: vectors are retried on the next upsert, and a
   * dead embedding service must not keep the store from opening.
   */
  build(): Promise<void> {
    // Changes followed meanwhile queue behind the build (`follow` chains onto #sync).
    this.#sync = this.#build();
    return this.#sync;
  }

  async #build(): Promise<void> {
    await this.#index.load();
    const all = this.#skills.all();
    try {
      await this.#upsert(all);
    } catch (err) {
      this.#logger.warn('embedding at open failed; searching lexically until it recovers', { err: String(err) });
    }
    for (const skill of all) this.#standing.upsert(skill);
  }

  /**
   * Take one store change. Changes that arrive while the index is busy are applied together on
   * the next pass, so a bulk import costs a few large index updates (and vector-log appends)
   * rather than one per skill.
   */
  follow(change: StoreChange): void {
    this.#pending.push(change);
    if (this.#pending.length > 1) return; // a pass is already scheduled
    this.#sync = this.#sync.then(() => this.#applyPending());
  }

  async #applyPending(): Promise<void> {
    const changes = this.#pending;
    this.#pending = [];
    // Runs of puts become one upsert and runs of deletes one remove; order between runs is kept.
    for (let i = 0; i < changes.length; ) {
      const type = changes[i]!.type;
      let j = i;
      while (j < changes.length && changes[j]!.type === type) j++;
      const ids = changes.slice(i, j).map((c) => c.id);
      for (const id of ids) {
        const skill = type === 'delete' ? undefined : this.#skills.get(id);
        if (skill) this.#standing.upsert(skill);
        else this.#standing.remove(id);
      }
      try {
        if (type === 'delete') await this.#remove(ids);
        else await this.#upsert(ids.map((id) => this.#skills.get(id)).filter((s): s is Skill => s !== undefined));
      } catch (err) {
        this.#logger.warn('index update failed', { ids: ids.slice(0, 10), count: ids.length, err: String(err) });
      }
      i = j;
    }
  }

  async #upsert(skills: Skill[]): Promise<void> {
    for (const probe of this.#probes) probe({ type: 'upsert', skills });
    await this.#index.upsert(skills);
  }

  async #remove(ids: string[]): Promise<void> {
    for (const probe of this.#probes) probe({ type: 'remove', ids });
    await this.#index.remove(ids);
  }

  /** Resolves once every store change seen so far is reflected in the index. */
  settled(): Promise<void> {
    return this.#sync;
  }

  /**
   * `consistency` (default `settled`): wait until every store change seen so far is indexed, or
   * (`available`) search the index as it is, never queueing behind a pending index update.
   */
  async search(query: string, opts: SearchOptions): Promise<SkillHit[]> {
    if ((opts.consistency ?? 'settled') === 'settled') await this.#sync;
    return this.#index.search(query, opts);
  }

  /** An owner's standing skills (applies: always), as registered; the selection is retrieve/standing.ts. */
  standingOf(owner: Owner): Skill[] {
    return this.#standing.of(owner);
  }

  counts(visible: readonly Skill[]): IndexCounts {
    return {
      indexed: visible.filter((s) => this.#index.has(s.id)).length,
      indexSize: this.#index.size(),
      vectors: this.#index.vectorCount(),
      signature: this.#index.embedder.signature,
      dims: this.#index.embedder.dimensions,
    };
  }

  /**
   * Embed skills that lack a vector; with `force`, drop every vector and embed all again.
   * Serialized with the store-change updates of the index.
   */
  async rebuildVectors(force: boolean): Promise<number> {
    const run = this.#sync.then(async () => {
      const all = this.#skills.all();
      const before = this.#index.vectorCount();
      if (force) await this.#remove(all.map((s) => s.id));
      await this.#upsert(all);
      return force ? this.#index.vectorCount() : this.#index.vectorCount() - before;
    });
    this.#sync = run.then(
      () => undefined,
      (err: unknown) => this.#logger.warn('vector rebuild failed', { err: String(err) }),
    );
    return run;
  }

  /** Save the index caches when at least `minUnsaved` changes are unsaved; never throws. */
  async flush(minUnsaved: number): Promise<void> {
    await this.#index.flush(minUnsaved).catch(() => undefined);
  }

  /** How the index was built at open (adopted from its snapshot, tokenized, on workers). */
  get buildStats(): Readonly<SkillIndex['buildStats']> {
    return { ...this.#index.buildStats };
  }

  /** Test-only (see testing.ts): hear every update handed to the index. */
  probe(listener: (update: IndexUpdate) => void): () => void {
    this.#probes.add(listener);
    return () => this.#probes.delete(listener);
  }
}
