/**
 * TEST-ONLY: the search used by end-to-end learning tests. Uses the real `SkillIndex` (with the
 * local embedder) once it exists in the repo, else the simple stand-in. `onSkillChanged` keeps
 * the index current, as the SDK facade does.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SearchFn } from '../../src/engine/learn/search-port.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import type { SkillStore } from '../../src/engine/store/store.js';
import { simpleSearch } from './simple-search.js';

export interface SearchBackend {
  kind: 'SkillIndex' | 'simple';
  search: SearchFn;
  onSkillChanged: (s: Skill) => Promise<void>;
}

const SEARCH_TS = fileURLToPath(new URL('../../src/engine/retrieve/search.ts', import.meta.url));
const EMBEDDER_TS = fileURLToPath(new URL('../../src/engine/index/local-embedder.ts', import.meta.url));

export async function searchBackend(store: SkillStore): Promise<SearchBackend> {
  if (existsSync(SEARCH_TS) && existsSync(EMBEDDER_TS) && process.env.AUTOSKILL_TEST_SIMPLE_SEARCH !== '1') {
    const searchPath = '../../src/engine/retrieve/search.js';
    const embedderPath = '../../src/engine/index/local-embedder.js';
    const { SkillIndex } = await import(/* @vite-ignore */ searchPath);
    const { LocalEmbedder } = await import(/* @vite-ignore */ embedderPath);
    const index = new SkillIndex({ embedder: new LocalEmbedder() });
    await index.upsert(store.all());
    return {
      kind: 'SkillIndex',
      search: (q, o) => index.search(q, o),
      onSkillChanged: (s) => index.upsert([s]),
    };
  }
  return { kind: 'simple', search: simpleSearch(store), onSkillChanged: async () => {} };
}
