import type { Logger } from '../logger.js';
import type { Skill } from '../skill/schema.js';
import { ChangeListeners } from './listeners.js';
import type { ChangeFeed, SkillRepository, StoreChange } from './store.js';

/** The current skills, read without I/O (what the catalog offers the engine). */
export interface SkillView {
  get(id: string): Skill | undefined;
  all(): Skill[];
}

/** What the catalog reads: the repository's listing and single reads, and the change feed. */
export type CatalogSource = Pick<SkillRepository, 'get' | 'list'> & Pick<ChangeFeed, 'onChange'>;

/**
 * The engine's in-memory view of the current skills: what the index is built from, what access
 * checks, listing, the standing registry and learning decisions read without I/O. The stores no
 * longer promise such a view (their port is async); the engine keeps this one, built once at open
 * from the repository's listing and then kept current by the change feed.
 *
 * A put change normally carries the stored skill (every store has it at hand when it announces
 * the write), and is applied at once, synchronously, inside the store's announcement: so once a
 * `put` resolves, or a lock's catch-up has run, the catalog already shows the result, exactly as
 * the stores' own maps did. A put change without the skill (a backend that only announces ids) is
 * read back through the repository's async `get`; later changes queue behind that read, so the
 * catalog applies, and forwards to its own listeners, every change in the order it was made.
 */
export class SkillCatalog implements SkillView {
  readonly #skills = new Map<string, Skill>();
  readonly #listeners = new ChangeListeners();
  /** changes waiting behind an async re-read, applied in order */
  #queue: Promise<void> = Promise.resolve();
  #waiting = 0;
  #unsubscribe: (() => void) | undefined;
  /** ids changed while the opening listing was in flight: the listing must not overwrite them */
  #touched: Set<string> | undefined = new Set();

  private constructor(
    private readonly source: CatalogSource,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  /** Subscribe first, then list, so that no change made during the listing is lost. */
  static async open(source: CatalogSource, logger?: Pick<Logger, 'warn'>): Promise<SkillCatalog> {
    const catalog = new SkillCatalog(source, logger);
    catalog.#unsubscribe = source.onChange((change) => catalog.#receive(change));
    try {
      const listed = await source.list();
      const touched = catalog.#touched!;
      for (const skill of listed) if (!touched.has(skill.id)) catalog.#skills.set(skill.id, skill);
      catalog.#touched = undefined;
      await catalog.settled();
    } catch (err) {
      catalog.close();
      throw err;
    }
    return catalog;
  }

  /** Every current skill (no I/O). */
  all(): Skill[] {
    return [...this.#skills.values()];
  }

  get(id: string): Skill | undefined {
    return this.#skills.get(id);
  }

  get size(): number {
    return this.#skills.size;
  }

  /** Changes after the catalog applied them: a listener reading `get` sees the change. */
  onChange(listener: (change: StoreChange) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Resolves once every change announced so far is applied (only re-reads can be outstanding). */
  async settled(): Promise<void> {
    while (this.#waiting > 0) await this.#queue;
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#listeners.clear();
  }

  #receive(change: StoreChange): void {
    this.#touched?.add(change.id);
    if (this.#waiting === 0 && (change.type === 'delete' || change.skill)) {
      this.#apply(change, change.skill);
      return;
    }
    // A re-read is needed, or one is in flight: keep the order of changes.
    this.#waiting++;
    this.#queue = this.#queue
      .then(async () => {
        const skill = change.type === 'delete' ? undefined : (change.skill ?? (await this.source.get(change.id)));
        this.#apply(change, skill);
      })
      .catch((err: unknown) => this.logger?.warn('catalog: cannot read a changed skill', { id: change.id, error: String(err) }))
      .finally(() => this.#waiting--);
  }

  #apply(change: StoreChange, skill: Skill | undefined): void {
    if (change.type === 'delete') this.#skills.delete(change.id);
    else if (skill) this.#skills.set(skill.id, skill);
    // a put whose skill is gone again by the time it was read: the delete that follows says so
    else return;
    this.#listeners.emit(change, this.logger);
  }
}
