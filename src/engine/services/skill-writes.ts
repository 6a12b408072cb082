import { assertSameOwner, assertWritable, type Actor } from '../access.js';
import type { SkillInput } from './types.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newSkillId } from '../skill/ids.js';
import { SkillSchema, userOwner, type Owner, type Skill } from '../skill/schema.js';
import { parseSkillMd } from '../skill/skill-md.js';
import { slugify, specNameFor } from '../skill/slug.js';
import { newViolations, validateSkillMd, violationText } from '../skill/validate.js';
import { nextVersion } from '../skill/version.js';
import { heldForReview } from '../learn/poison.js';
import type { VersionEntry } from '../store/store.js';
import type { EngineCore } from './core.js';

/**
 * The versioned writes behind SkillService: create/update, save from SKILL.md text, delete and
 * rollback. Each runs under the owner's lock and returns once the index reflects it
 * (`core.writeLocked`); with an actor, the access policy (access.ts) decides first.
 */

/**
 * Create or update a skill. An update bumps the patch version and keeps the previous version
 * in the persisted history (upstream reset the version and dropped history here).
 */
export async function upsertSkill(core: EngineCore, input: SkillInput, target: { owner?: Owner; actor?: Actor } = {}): Promise<Skill> {
  const owner = target.owner ?? (target.actor ? userOwner(target.actor.userId) : undefined);
  if (!owner) throw new ValidationError('upsert needs an owner or an actor');
  const { store } = core;
  return core.writeLocked(owner, async () => {
    const existing = input.id ? core.catalog.get(input.id) : undefined;
    if (existing && target.actor) assertWritable(target.actor, existing, existing.id);
    if (!existing && target.actor) assertWritable(target.actor, { owner } as Skill, input.id ?? '(new)');
    if (existing) assertSameOwner(target.actor, existing, owner);
    const now = new Date().toISOString();
    const history = existing ? (await store.versions(existing.id)).map((h) => h.version) : [];
    const id = existing?.id ?? input.id ?? newSkillId();
    const metadata = input.metadata ?? existing?.metadata ?? {};
    const skillOwner = existing?.owner ?? owner;
    // Whatever writes a user's skill (an edit, an agent's save_skill, the API), text that tries to
    // override instructions or send data away is held for the owner's review, as learned text is;
    // approving is the owner's word that it is meant.
    const hold = skillOwner.startsWith('user:') && input.source?.trigger !== 'approve' ? heldForReview({ name: input.name, description: input.description, instructions: input.instructions, triggers: input.triggers ?? [], examples: input.examples ?? [], files: textFiles(input.files), metadata }) : undefined;
    const skill = SkillSchema.parse({
      id,
      slug: existing?.slug ?? specNameFor({ id, slug: '', name: input.name, tags: input.tags ?? [], triggers: input.triggers ?? [] }),
      name: input.name,
      description: input.description,
      instructions: input.instructions,
      triggers: input.triggers ?? existing?.triggers ?? [],
      tags: input.tags ?? existing?.tags ?? [],
      examples: input.examples ?? existing?.examples ?? [],
      version: existing ? nextVersion(existing.version, history) : '0.1.0',
      owner: skillOwner,
      resources: existing?.resources ?? [],
      source: input.source ?? { kind: 'manual' },
      metadata: hold ?? metadata,
      ...optional('license', input.license ?? existing?.license),
      ...optional('compatibility', input.compatibility ?? existing?.compatibility),
      ...optional('allowedTools', input.allowedTools ?? existing?.allowedTools),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
    return store.put(skill, {
      ...(input.files ? { files: input.files } : {}),
      ...(input.removeFiles ? { removeFiles: input.removeFiles } : {}),
      ...(existing ? { expectedVersion: existing.version } : {}),
    });
  });
}

/**
 * Replace a skill from edited SKILL.md text. The text is validated first; on any problem the
 * store is untouched and the violations are returned in the error. `stored` is the SKILL.md as
 * stored now: the edit is judged on what it breaks, since imported files may carry violations
 * of their own.
 */
export async function saveSkillMdText(
  core: EngineCore,
  actor: Actor,
  id: string,
  text: string,
  stored: (id: string) => Promise<string>,
): Promise<Skill> {
  const existing = assertWritable(actor, core.catalog.get(id), id);
  const added = newViolations(validateSkillMd(text, { dirName: existing.slug }), validateSkillMd(await stored(id), { dirName: existing.slug }));
  if (added.length > 0) throw new ValidationError(`SKILL.md is not valid, nothing was saved: ${violationText(added)}`);
  let parsed: Skill;
  try {
    parsed = parseSkillMd(text, { owner: existing.owner, slug: existing.slug, fallbackId: existing.id }).skill;
  } catch (err) {
    throw new ValidationError(`invalid SKILL.md: ${(err as Error).message}`, { cause: err });
  }
  if (parsed.id !== existing.id) throw new ValidationError('the id in SKILL.md cannot be changed');
  return upsertSkill(core, { ...skillInputOf(parsed), id, source: { kind: 'manual', trigger: 'edit' } }, { owner: existing.owner, actor });
}

export async function deleteSkill(core: EngineCore, actor: Actor | undefined, id: string): Promise<boolean> {
  const skill = core.catalog.get(id);
  if (!skill) return false;
  if (actor) assertWritable(actor, skill, id);
  return core.writeLocked(skill.owner, () => core.store.delete(id));
}

/**
 * Restore an earlier version (default: the one before the current). The restored content is
 * written as a NEW version, so versions only move forward and never collide.
 */
export async function rollbackSkill(core: EngineCore, actor: Actor | undefined, id: string, version?: string): Promise<Skill> {
  const { store } = core;
  const current = core.catalog.get(id);
  const history = await store.history(id);
  const owner = current?.owner ?? ownerFromHistory(history);
  if (!owner) throw new NotFoundError(`skill not found: ${id}`);
  // A deleted skill can be restored by whoever could write it.
  if (actor) assertWritable(actor, current ?? ({ owner } as Skill), id);
  return core.writeLocked(owner, async () => {
    const fresh = core.catalog.get(id);
    const entries = await store.history(id);
    const tombSlug = fresh ? undefined : (await store.deletedSkill?.(id))?.slug;
    const target = version ? entries.findLast((h) => h.version === version) : entries.filter((h) => h.version !== fresh?.version).at(-1);
    if (!target) {
      throw new NotFoundError(version ? `version ${version} not found for ${id}` : `no earlier version of ${id}`);
    }
    const restored = parseSkillMd(target.skillMd, { owner, slug: fresh?.slug ?? slugify(id), fallbackId: id }).skill;
    const now = new Date().toISOString();
    const versions = entries.map((h) => h.version);
    const skill = SkillSchema.parse({
      ...restored,
      id,
      owner,
      // A deleted skill gets its old folder name back (preferredSlug below, from its tombstone);
      // without one (tombstones from before it was recorded) a name after its content, never its id.
      slug: fresh?.slug ?? tombSlug ?? specNameFor({ id, slug: '', name: restored.name, tags: restored.tags, triggers: restored.triggers }),
      version: nextVersion(fresh?.version ?? target.version, versions),
      source: { kind: 'rollback', ref: target.version },
      createdAt: fresh?.createdAt ?? restored.createdAt ?? now,
      updatedAt: now,
    });
    const files = target.files ? Object.fromEntries(Object.entries(target.files).map(([p, b64]) => [p, Buffer.from(b64, 'base64')])) : undefined;
    const removeFiles = fresh?.resources.filter((p) => !files || !(p in files));
    return store.put(skill, {
      ...(files ? { files } : {}),
      ...(removeFiles?.length ? { removeFiles } : {}),
      ...(tombSlug ? { preferredSlug: tombSlug } : {}),
    });
  });
}

/** The editable fields of a parsed skill, as `upsert` input (id, owner and version are the store's). */
export function skillInputOf(skill: Skill): SkillInput {
  return {
    name: skill.name,
    description: skill.description,
    instructions: skill.instructions,
    triggers: skill.triggers,
    tags: skill.tags,
    examples: skill.examples,
    metadata: skill.metadata,
    ...optional('license', skill.license),
    ...optional('compatibility', skill.compatibility),
    ...optional('allowedTools', skill.allowedTools),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function ownerFromHistory(history: VersionEntry[]): Owner | undefined {
  return history.findLast((h) => h.owner)?.owner;
}

/** The text files of a write, for the hostile-text scan (binary resources are not read into prompts). */
function textFiles(files: Record<string, string | Uint8Array> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, v] of Object.entries(files ?? {})) if (typeof v === 'string') out[p] = v;
  return out;
}
