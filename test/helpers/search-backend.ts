/**
 * TEST-ONLY: the search used by end-to-end learning tests. Uses the real `SkillIndex` (with the
 * local embedder) once it exists in the repo, else the simple stand-in. As in the SDK facade, the
 * index follows the store's change feed (its one update path), and `search` reads the settled
 * index: it waits until every change seen so far is applied.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SearchFn } from '../../src/engine/learn/search-port.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import type { SkillStore, StoreChange } from '../../src/engine/store/store.js';
import { SkillCatalog } from '../../src/engine/store/catalog.js';
import { simpleSearch } from './simple-search.js';

export interface SearchBackend {
  kind: 'SkillIndex' | 'simple';
  search: SearchFn;
  /** resolves once every store change seen so far is in the index (pass as `settled` to a Learner) */
  settled: () => Promise<void>;
  /** index updates applied, one entry per changed skill (id@version, or `-id` for a delete) */
  updates: string[];
  /** the engine's catalog over the store (what learning reads the current skills from) */
  catalog: SkillCatalog;
  /** stop following the store */
  close: () => void;
}

const SEARCH_TS = fileURLToPath(new URL('../../src/engine/index/skill-index.ts', import.meta.url));
const EMBEDDER_TS = fileURLToPath(new URL('../../src/engine/index/local-embedder.ts', import.meta.url));

export async function searchBackend(store: SkillStore): Promise<SearchBackend> {
  // As in the engine: the catalog applies each store change first, the index follows the catalog.
  const catalog = await SkillCatalog.open(store);
  if (existsSync(SEARCH_TS) && existsSync(EMBEDDER_TS) && process.env.AUTOSKILL_TEST_SIMPLE_SEARCH !== '1') {
    const searchPath = '../../src/engine/index/skill-index.js';
    const embedderPath = '../../src/engine/index/local-embedder.js';
    const { SkillIndex } = await import(/* @vite-ignore */ searchPath);
    const { LocalEmbedder } = await import(/* @vite-ignore */ embedderPath);
    const index = new SkillIndex({ embedder: new LocalEmbedder() });
    await index.upsert(catalog.all());
    const updates: string[] = [];
    let chain: Promise<void> = Promise.resolve();
    const apply = async (c: StoreChange) => {
      const skill: Skill | undefined = c.type === 'put' ? catalog.get(c.id) : undefined;
      if (skill) {
        updates.push(`${skill.id}@${skill.version}`);
        await index.upsert([skill]);
      } else {
        updates.push(`-${c.id}`);
        await index.remove([c.id]);
      }
    };
    const close = catalog.onChange((c) => {
      chain = chain.then(() => apply(c));
    });
    const settled = () => chain;
    return {
      kind: 'SkillIndex',
      search: async (q, o) => {
        await settled();
        return index.search(q, o);
      },
      settled,
      updates,
      catalog,
      close,
    };
  }
  return { kind: 'simple', search: simpleSearch(store), settled: () => catalog.settled(), updates: [], catalog, close: () => catalog.close() };
}
