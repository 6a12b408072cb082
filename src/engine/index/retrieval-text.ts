import { createHash } from 'node:crypto';
import { rememberedRetrievalHash } from '../skill/lazy-body.js';
import type { Skill } from '../skill/schema.js';
import type { DocText } from './doc-terms.js';

/** What of a skill the index reads: its six retrieval fields, the text it is embedded from, and their hash. */

export const FIELD_ORDER = ['name', 'description', 'triggers', 'tags', 'instructions', 'resources'] as const;
/** Resource paths are a utility signal; a skill with hundreds of files must not drown in them. */
const MAX_RESOURCE_PATHS = 32;
/** Cap on the text sent to the embedder (remote models have input limits). */
const MAX_EMBED_CHARS = 8000;
/** The text a skill is embedded from: its retrieval text, capped (remote models have input limits). */
export function embedText(skill: Skill): string {
  const text = retrievalText(skill);
  return text.length > MAX_EMBED_CHARS ? text.slice(0, MAX_EMBED_CHARS) : text;
}

/** What the index build tokenizes of a skill (index/doc-terms.ts). */
export function docText(skill: Skill): DocText {
  return { fields: retrievalFields(skill), triggers: skill.triggers, name: skill.name };
}

/** The six retrieval fields of a skill, in BM25 field order. */
export function retrievalFields(skill: Skill): string[] {
  return [
    skill.name,
    skill.description,
    skill.triggers.join('\n'),
    skill.tags.join('\n'),
    skill.instructions,
    skill.resources.slice(0, MAX_RESOURCE_PATHS).join('\n'),
  ];
}

/** The text a skill is retrieved by (and whose hash decides whether to re-embed). */
export function retrievalText(skill: Skill): string {
  const f = retrievalFields(skill);
  return [
    `Name: ${f[0]}`,
    `Description: ${f[1]}`,
    `Triggers:\n${f[2]}`,
    `Tags: ${skill.tags.join(', ')}`,
    `Instructions:\n${f[4]}`,
    `Resources:\n${f[5]}`,
  ].join('\n');
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * `textHash(retrievalText(skill))` without building the text: the same bytes are fed to the hash
 * piece by piece. Opening a store hashes every skill; concatenating each one first would copy the
 * whole bank (tens of MB of short-lived strings) just to throw it away.
 */
export function retrievalHash(skill: Skill): string {
  // a store that keeps bodies on disk remembers the hash it computed when it parsed the file
  const remembered = rememberedRetrievalHash(skill);
  if (remembered !== undefined) return remembered;
  const f = retrievalFields(skill);
  const h = createHash('sha256');
  h.update('Name: ').update(f[0]!).update('\nDescription: ').update(f[1]!).update('\nTriggers:\n').update(f[2]!);
  h.update('\nTags: ').update(skill.tags.join(', ')).update('\nInstructions:\n').update(f[4]!).update('\nResources:\n').update(f[5]!);
  return h.digest('hex').slice(0, 32);
}

