/**
 * TEST-ONLY fixtures shared by the framework adapter tests: temp store dirs, a realistic
 * conversation whose second user turn states a durable constraint, and the JSON a capable
 * extraction model returns for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { EXTRACT_SYSTEM } from '../../src/engine/learn/prompts/extract.js';
import { DECIDE_SYSTEM } from '../../src/engine/learn/prompts/maintain.js';

export async function tempStoreDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `autoskill-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Per-test lifecycle shared by the adapter tests: a fresh temp dir with an SDK on `<dir>/shared`,
 * handed to `onOpen`; after each test, every function pushed onto the returned list runs, then the
 * SDK closes and the dir is removed.
 */
export function useAdapterSdk(prefix: string, onOpen: (sdk: AutoSkill, dir: string) => void): Array<() => Promise<void>> {
  const closers: Array<() => Promise<void>> = [];
  let sdk: AutoSkill | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const tmp = await tempStoreDir(prefix);
    cleanup = tmp.cleanup;
    sdk = await AutoSkill.open({ storeDir: path.join(tmp.dir, 'shared') });
    onOpen(sdk, tmp.dir);
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await sdk?.close();
    await cleanup?.();
  });
  return closers;
}

export const FIRST_REQUEST = 'Write a short report about solar power adoption in Europe.';
export const FIRST_ANSWER = '# Solar power in Europe 🌞\nSolar capacity grew quickly in the last decade ✨.';
export const FEEDBACK = "Don't use emojis in reports, and always cite your sources.";
export const LATER_REQUEST = 'Write a report about wind energy in Denmark.';

/** What a capable model answers to the extraction prompt for the conversation above. */
export const EXTRACTION_JSON = JSON.stringify({
  skill: {
    name: 'report-writing-with-citations',
    title: 'Report writing with citations, no emojis',
    description: 'Writes reports that cite their sources and contain no emojis. Use when the user asks for a report.',
    prompt:
      '# Goal\nWrite a report on the requested topic.\n\n# Constraints & Style\n- Cite a source for every factual claim.\n- Do not use emojis anywhere in the report.',
    triggers: ['write a report', 'draft a report on a topic', 'report with sources'],
    tags: ['report', 'writing', 'citations'],
    confidence: 0.86,
  },
  reason: 'The user stated durable formatting rules for reports.',
});

/** The answer to maintenance's add/merge/discard question when nothing similar exists. */
export const DECIDE_ADD_JSON = JSON.stringify({ action: 'add', target_skill_id: null, reason: 'no similar skill' });

export type PromptKind = 'extract' | 'decide' | 'chat';

/** Which of autoskill's prompts (if any) a system text is. */
export function promptKind(system: string): PromptKind {
  if (system.includes(EXTRACT_SYSTEM)) return 'extract';
  if (system.includes(DECIDE_SYSTEM)) return 'decide';
  return 'chat';
}
