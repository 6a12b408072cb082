import { z } from 'zod';
import semver from 'semver';

/**
 * The skill model. One zod schema is both the TypeScript type and the runtime check used at
 * every boundary (a file on disk, an HTTP body, an LLM answer, a tool argument).
 */

/**
 * `user:<id>` for a user's own skills, `library:<name>` for shared (read-only) libraries. A
 * template literal schema, so parsing a string (a file, a row, a request) yields the `Owner`
 * type itself and no code downstream needs a cast.
 */
export const OwnerSchema = z.templateLiteral([z.enum(['user', 'library']), ':', z.string().regex(/^[^\s/\\]+$/)], {
  error: 'owner must be "user:<id>" or "library:<name>"',
});
export type Owner = z.infer<typeof OwnerSchema>;

export const SkillExampleSchema = z.object({
  input: z.string().min(1),
  output: z.string().optional(),
  notes: z.string().optional(),
});
export type SkillExample = z.infer<typeof SkillExampleSchema>;

/** Where the current version came from; also recorded on every history entry. */
/**
 * The message a learned version came from: the newest user message of the turn (or the hint of
 * an explicit extraction without one), after redaction. Its text is not kept whole: a hash to
 * match it against a transcript, and a short excerpt for a reviewer.
 */
export const SourceMessageSchema = z.object({
  role: z.enum(['user', 'hint']),
  /** position among the conversation's messages that carry text, from 0 (absent for a hint) */
  index: z.number().int().min(0).optional(),
  /** SHA-256 (hex) of the redacted text */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** the first characters of the redacted text */
  excerpt: z.string().max(200),
});
export type SourceMessage = z.infer<typeof SourceMessageSchema>;

export const SkillSourceSchema = z.object({
  kind: z.enum(['extraction', 'merge', 'import', 'manual', 'rollback', 'migration']),
  /** job id, conversation id, file path, ...: whatever identifies the cause */
  ref: z.string().optional(),
  /** what started it: `auto`, `always`, `extract_now`, `api`, `cli`, ... */
  trigger: z.string().optional(),
  // Provenance of learned versions (memory-poisoning defence: every version can be traced back).
  // Kept with the version history and the job, not written into SKILL.md.
  /** which surface the turn came through: proxy, ai-sdk, langchain, mcp, chat, web, api, cli, sdk */
  surface: z.string().max(40).optional(),
  /** the conversation (session id) the turn belongs to, when the surface has one */
  session: z.string().max(200).optional(),
  /** the turn: how many user messages the conversation had up to and including the one learned from */
  turn: z.number().int().min(1).optional(),
  message: SourceMessageSchema.optional(),
});
export type SkillSource = z.infer<typeof SkillSourceSchema>;

export const SemverSchema = z
  .string()
  .refine((v) => semver.valid(v) !== null, { message: 'version must be a semantic version like 0.1.0' });

/** Folder name and Agent Skills `name`: lowercase a-z, 0-9 and single dashes, at most 64 chars. */
export const SlugSchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'slug must be lowercase a-z, 0-9 and single dashes');

export const SkillSchema = z.object({
  id: z.string().min(1).max(200),
  /** Folder name and spec `name`. Stable once assigned, so renames never move folders. */
  slug: z.string().min(1).max(200),
  /** Human title; may be any language. */
  name: z.string().min(1),
  description: z.string(),
  instructions: z.string(),
  triggers: z.array(z.string()),
  tags: z.array(z.string()),
  examples: z.array(SkillExampleSchema),
  version: SemverSchema,
  owner: OwnerSchema,
  /** Relative paths of resource files (`scripts/…`, `references/…`, `assets/…`, others). */
  resources: z.array(z.string()),
  source: SkillSourceSchema.optional(),
  /** Free-form string map (the Agent Skills spec's `metadata`, minus the keys we own). */
  metadata: z.record(z.string(), z.string()),
  /** Agent Skills spec fields, kept so that imported files survive a re-render. */
  license: z.string().optional(),
  compatibility: z.string().optional(),
  allowedTools: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type Skill = z.infer<typeof SkillSchema>;

/** What the learning loop proposes before maintenance decides add / merge / discard. */
export const CandidateSchema = z.object({
  name: z.string().min(1),
  description: z.string().min(1),
  instructions: z.string().min(1),
  triggers: z.array(z.string()).min(1).max(5),
  tags: z.array(z.string()).min(1).max(6),
  examples: z.array(SkillExampleSchema).default([]),
  confidence: z.number().min(0).max(1),
  /** optional resource files: relative path → text */
  files: z.record(z.string(), z.string()).default({}),
  /** extraction's verdict: a standing preference about the user (`always`) or bound to a kind of task (`task`, the default when absent) */
  applies: z.enum(['always', 'task']).optional(),
});
export type Candidate = z.infer<typeof CandidateSchema>;

/** `library` is accepted as an alias of `common` at every boundary. */
export const ScopeSchema = z
  .enum(['user', 'common', 'library', 'all'])
  .transform((s) => (s === 'library' ? 'common' : s));
export type Scope = 'user' | 'common' | 'all';

export function isLibraryOwner(owner: string): boolean {
  return owner.toLowerCase().startsWith('library:');
}

export function userOwner(userId: string): Owner {
  return `user:${userId}`;
}

export function ownerUserId(owner: string): string | undefined {
  return owner.startsWith('user:') ? owner.slice(5) : undefined;
}

export function libraryName(owner: string): string | undefined {
  return isLibraryOwner(owner) ? owner.slice('library:'.length) : undefined;
}
