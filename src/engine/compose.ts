import { LocalEmbedder } from './index/local-embedder.js';
import { SkillIndex, type SearchOptions, type SkillHit } from './index/skill-index.js';
import { Learner, type LearnerDeps } from './learn/learner.js';
import { familyOfRequest, QUESTION_FAMILIES } from './learn/task-family.js';
import { LiveIndex } from './live-index.js';
import { storeLoaded } from './open-hooks.js';
import { silentLogger, type Logger } from './logger.js';
import type { AutoSkillOptions } from './options.js';
import { DEFAULT_RETRIEVAL, type RetrievalDefaults } from './services/types.js';
import { backendsFromOptions, withParts } from './store/backends.js';
import { SkillCatalog } from './store/catalog.js';
import type { SkillStore } from './store/store.js';
import { UsageTracker } from './usage/tracker.js';

/**
 * Everything behind the facade, opened and wired. Only `AutoSkill.open` calls `composeEngine`,
 * and the facade keeps these parts in `#private` fields: no caller reaches the store, the index,
 * the learner or the counters except through the use-case services.
 */
export interface EngineParts {
  readonly store: SkillStore;
  /** the current skills without I/O, built from the store's listing and kept current by its change feed */
  readonly catalog: SkillCatalog;
  readonly live: LiveIndex;
  readonly learner: Learner;
  readonly usage: UsageTracker;
  readonly logger: Logger;
  readonly retrievalDefaults: RetrievalDefaults;
  /** a search with the retrieval defaults filled in (the facade's `search` and the learner's) */
  readonly search: (query: string, opts?: SearchOptions) => Promise<SkillHit[]>;
  /** resolves once every store change seen so far is in the catalog and the index */
  readonly settled: () => Promise<void>;
  /** stops the index from following the catalog (on close) */
  readonly unfollow: () => void;
  /** releases the preset, then the caller's own `dispose` */
  readonly dispose: () => Promise<void>;
}

/**
 * The composition root. One value decides where everything persists (see store/backends.ts);
 * the older storeDir / store options are sugar over the presets, and explicit journal /
 * vectorStore / usage win.
 */
export async function composeEngine(opts: AutoSkillOptions): Promise<EngineParts> {
  const backends = opts.backends ? withParts(await opts.backends, opts) : backendsFromOptions(opts);
  const { store, journal } = backends;
  const logger = opts.logger ?? silentLogger;
  const retrievalDefaults = { ...DEFAULT_RETRIEVAL, ...opts.retrieval };
  const index = new SkillIndex({
    embedder: opts.embedder ?? new LocalEmbedder(),
    // a request reaches the rules learned for its kind of task (the learner's task families)
    taskOf: (query) => familyOfRequest(query)?.key,
    questionTasks: QUESTION_FAMILIES,
    ...(backends.vectorStore ? { vectorStore: backends.vectorStore } : {}),
    ...(backends.termCache ? { termCache: backends.termCache } : {}),
  });
  await store.open();
  const catalog = await SkillCatalog.open(store, logger);
  storeLoaded(); // e.g. the CLI collects the store load's garbage before the index load (open-hooks.ts)
  const live = new LiveIndex(index, catalog, logger);
  // Follow the catalog before building: a change that arrives during the build queues behind it
  // (LiveIndex.build), so none falls between the listing and the subscription.
  const unfollow = catalog.onChange((change) => live.follow(change));
  await live.build();
  const settled = async (): Promise<void> => {
    await store.verified?.(); // what changed while no process watched is announced by then
    await catalog.settled(); // a change the catalog reads back reaches the index after that read
    await live.settled();
  };
  const usage = new UsageTracker({ ...(backends.usage ? { persistence: backends.usage } : {}), logger });
  await usage.load();

  // No threshold by default: a search returns the best `limit` hits with their scores. The
  // injection threshold (retrievalDefaults.minScore) is applied by the retrieval for a turn.
  const search = (query: string, o: SearchOptions = {}): Promise<SkillHit[]> =>
    live.search(query, { scope: retrievalDefaults.scope, limit: retrievalDefaults.topK, ...o });
  const learning = opts.learning ?? {};
  const deps: LearnerDeps = {
    store,
    catalog,
    journal,
    logger,
    // Maintenance compares against everything similar, whatever the caller's min score, and
    // decides on the settled index: what earlier jobs wrote is in it. The index has one update
    // path, the store's change feed (LiveIndex.follow); learning writes reach it that way too.
    search: (query, o) => search(query, { ...o, minScore: 0, consistency: 'settled' }),
    settled,
    ...(opts.llm ? { llm: opts.llm } : {}),
    ...(learning.mode ? { mode: learning.mode } : {}),
    ...(learning.turnLimit !== undefined ? { turnLimit: learning.turnLimit } : {}),
    ...(learning.window !== undefined ? { extractWindow: learning.window } : {}),
    ...(learning.concurrency !== undefined ? { concurrency: learning.concurrency } : {}),
    ...(learning.review ? { review: true } : {}),
  };
  const learner = new Learner(deps);
  const dispose = async (): Promise<void> => {
    await backends.close();
    await opts.dispose?.();
  };
  return { store, catalog, live, learner, usage, logger, retrievalDefaults, search, settled, unfollow, dispose };
}
