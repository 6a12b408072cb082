/**
 * TEST-ONLY fixtures shared by the framework adapter tests: temp store dirs, a realistic
 * conversation whose second user turn states a durable constraint, and the JSON a capable
 * extraction model returns for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXTRACT_SYSTEM } from '../../src/engine/learn/prompts/extract.js';
import { DECIDE_SYSTEM } from '../../src/engine/learn/prompts/maintain.js';

export async function tempStoreDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `autoskill-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
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
