import type { AutoSkill } from '../autoskill.js';
import type { Learner } from '../learn/learner.js';
import type { UsageTracker } from '../usage/tracker.js';
import type { SkillCatalog } from '../store/catalog.js';
import type { SkillStore } from '../store/store.js';
import type { Owner } from '../skill/schema.js';

/**
 * What the use-case services share: the facade's private parts (store, learner, usage counters)
 * and the facade itself for the operations it still implements. Only AutoSkill builds one; it is
 * not exported from the engine's entry points, so adapters cannot reach the parts behind it.
 */
export interface EngineCore {
  readonly facade: AutoSkill;
  readonly store: SkillStore;
  /** the current skills without I/O, kept current by the store's change feed (access checks, listing) */
  readonly catalog: SkillCatalog;
  readonly learner: Learner;
  readonly usage: UsageTracker;
  /** run a write under the owner's store lock; resolves once the index reflects it */
  writeLocked<T>(owner: Owner, fn: () => Promise<T>): Promise<T>;
  /** resolves once every store change seen so far is indexed */
  settled(): Promise<void>;
  /** after an import: index settled and caches saved once, so the next open starts warm */
  afterBulkWrite(): Promise<void>;
}
