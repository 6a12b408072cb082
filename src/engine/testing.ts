import type { AutoSkill } from './autoskill.js';
import type { IndexUpdate } from './live-index.js';
import { liveIndexOf } from './live-index-registry.js';

export type { IndexUpdate } from './live-index.js';

/**
 * Test-only hooks. Not exported from the package root nor from any `exports` entry of
 * package.json, so applications cannot import it; the repository's tests do (from src/). The
 * facade's internals are `#private`; what a test cannot observe through the public seams
 * (`AutoSkill.open({ backends, embedder, llm })`, the services, a spied public method) it
 * observes here, read-only: it can watch the index, never change what the engine does.
 */
export interface IndexProbe {
  /** How the index was built at open: skills adopted from the persisted snapshot, tokenized, tokenized on workers. */
  readonly buildStats: { adopted: number; tokenized: number; onWorkers: number };
  /** Hear every update handed to the index from now on (open, the change feed, vector rebuilds); returns the unsubscribe. */
  onUpdate(listener: (update: IndexUpdate) => void): () => void;
}

export function indexProbe(sdk: AutoSkill): IndexProbe {
  const live = liveIndexOf(sdk);
  if (!live) throw new TypeError('indexProbe: not an opened AutoSkill');
  return {
    get buildStats() {
      return live.buildStats;
    },
    onUpdate: (listener) => live.probe(listener),
  };
}
