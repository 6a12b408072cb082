import { skillIdProblem } from '../skill/ids.js';
import { SkillSchema, type Owner, type Skill, type SkillSource } from '../skill/schema.js';
import { renderSkillMd } from '../skill/skill-md.js';
import { parseWritten } from './parse-memo.js';
import { specNameFor } from '../skill/slug.js';
import { isSafeSegment, safeLibraryName, safeRelPath, safeUserId } from './paths.js';
import { VersionConflictError, type PutOptions } from './store.js';
import { AccessDeniedError, ConflictError, ValidationError, TooLargeError, SkillIdMismatchError } from '../errors.js';

/**
 * Every store write is planned here, by pure functions, and only committed by a backend
 * (filesystem, PostgreSQL, memory). Before this file each backend carried its own copy of the
 * input checks, slug allocation, file merge and render-and-verify, and the copies drifted.
 *
 *   checkWrite(skill, opts, limits)          no state: schema, id, owner, resource names and sizes
 *   planWrite(request, current, ...)         given what the backend read under its lock: the
 *                                            folder name, merged files, SKILL.md text, stored skill
 *                                            and the history entries to record
 *
 * File contents are generic (`F`): the filesystem and memory stores carry bytes, PostgreSQL
 * carries blob hashes (the bytes go to a content-addressed table).
 */

export interface StoreLimits {
  /** larger SKILL.md texts are refused (default 1 MiB) */
  maxSkillBytes: number;
  /** per resource file (default 8 MiB) */
  maxResourceBytes: number;
  /** resource files per skill (default 500) */
  maxResourceFiles: number;
  /** versions kept per skill (default 200) */
  maxHistory: number;
}

export const DEFAULT_STORE_LIMITS: Readonly<StoreLimits> = Object.freeze({
  maxSkillBytes: 1024 * 1024,
  maxResourceBytes: 8 * 1024 * 1024,
  maxResourceFiles: 500,
  maxHistory: 200,
});

/** Defaults filled in; `undefined` values in `partial` do not override them. */
export function resolveLimits(partial: Partial<StoreLimits> = {}): StoreLimits {
  const out = { ...DEFAULT_STORE_LIMITS };
  for (const k of Object.keys(out) as Array<keyof StoreLimits>) if (partial[k] !== undefined) out[k] = partial[k];
  return out;
}

/** Owner → its folder segments (`Users/<id>`, `Common`, `Common/<library>`), validated. */
export function ownerDirParts(owner: string): string[] {
  if (owner.startsWith('user:')) return ['Users', safeUserId(owner.slice(5))];
  if (owner === 'library:Common') return ['Common'];
  if (owner.startsWith('library:')) return ['Common', safeLibraryName(owner.slice(8))];
  throw new AccessDeniedError(`unknown owner ${JSON.stringify(owner)}`);
}

/** A write that passed every check that needs no stored state. */
export interface WriteRequest {
  input: Skill;
  opts: PutOptions;
  /** the owner's folder segments (the owner is valid) */
  ownerParts: string[];
  /** resource files to add or replace, as bytes */
  adds: Map<string, Uint8Array>;
  /** resource paths (files or folders) to remove */
  removals: string[];
}

export function checkWrite(skill: Skill, opts: PutOptions, limits: StoreLimits): WriteRequest {
  const checked = SkillSchema.safeParse(skill);
  if (!checked.success) {
    throw new ValidationError(`invalid skill: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const input = checked.data;
  // Checked once for every door (save, import, MCP, migrate): what is stored must be addressable.
  const badId = skillIdProblem(input.id);
  if (badId) throw new ValidationError(`skill id ${JSON.stringify(input.id.slice(0, 200))} is not allowed: ${badId}`);
  const ownerParts = ownerDirParts(input.owner);
  const adds = new Map<string, Uint8Array>();
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    safeRelPath(rel);
    if (rel.toLowerCase() === 'skill.md') throw new ValidationError('write SKILL.md through the skill or rawSkillMd, not files');
    const bytes = typeof content === 'string' ? new Uint8Array(Buffer.from(content, 'utf8')) : content;
    if (bytes.byteLength > limits.maxResourceBytes) throw new TooLargeError(`resource ${rel} is larger than ${limits.maxResourceBytes} bytes`);
    adds.set(rel, bytes);
  }
  const removals = (opts.removeFiles ?? []).map((r) => safeRelPath(r));
  return { input, opts, ownerParts, adds, removals };
}

/** The stored state a plan depends on, read by the backend under its write lock. */
export interface CurrentState<F> {
  /** the live skill with this id, if any */
  existing?: {
    skill: Skill;
    /** its folder name (spec `name`) */
    slug: string;
    /** its SKILL.md text; undefined when unreadable (then no history entry is recorded for it) */
    skillMd: string | undefined;
    files: ReadonlyMap<string, F>;
  };
  /** the owner of the newest owned history entry of this id (live or deleted), if any */
  heldBy?: Owner | undefined;
  /** whether a folder name under the target owner is in use (by a skill, a file, or an earlier item of a batch) */
  slugTaken(name: string): boolean;
  /**
   * The id a later load would give this SKILL.md when it carries none. The filesystem store
   * derives one from the folder; stores that keep the id beside the text return undefined.
   */
  idWithoutIdLine?(owner: Owner, slug: string): string;
}

export interface VersionDraft<F> {
  version: string;
  owner: Owner;
  at: string;
  source?: SkillSource;
  skillMd: string;
  files: Map<string, F>;
}

export interface WritePlan<F> {
  /** the validated input */
  input: Skill;
  /** the skill changes owner: it gets a new folder under the new owner */
  moving: boolean;
  /** its folder name after the write */
  slug: string;
  /** every resource file after the write */
  finalFiles: Map<string, F>;
  /** resource paths of the previous version that are gone after the write */
  gone: string[];
  /** the SKILL.md text to write */
  text: string;
  /** the skill exactly as a later load of `text` yields it */
  stored: Skill;
  /** the previous version, recorded in history before the write (absent for a new skill) */
  previous?: VersionDraft<F>;
  /** the new version's history entry */
  next: VersionDraft<F>;
}

/** The folder name a new skill starts from before `-2`, `-3`, ... suffixes. */
export function slugBase(skill: Skill, raw: boolean): string {
  // Rendered skills get a spec slug (SKILL.md `name` can equal the folder, as the Agent Skills
  // spec asks); raw writes (imports) keep their original folder name when it is safe, e.g. CJK.
  const base = raw && isSafeSegment(skill.slug) ? skill.slug : specNameFor(skill);
  return isSafeSegment(base) ? base : 'skill';
}

/** A free folder name: the preferred one if safe and free, else `<base>`, `<base>-2`, ... */
export function allocateSlug(skill: Skill, raw: boolean, taken: (name: string) => boolean, preferred?: string): string {
  if (preferred && isSafeSegment(preferred) && !taken(preferred)) return preferred;
  const base = slugBase(skill, raw);
  for (let n = 1; n < 100_000; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const stem = suffix && base.length + suffix.length > 64 ? base.slice(0, Math.max(1, 64 - suffix.length)).replace(/-+$/, '') : base;
    const name = stem + suffix;
    if (isSafeSegment(name) && !taken(name)) return name;
  }
  throw new ConflictError(`no free folder name for ${skill.slug}`);
}

export function planWrite<F>(req: WriteRequest, cur: CurrentState<F>, toFile: (bytes: Uint8Array) => F, limits: StoreLimits, at: string): WritePlan<F> {
  const { input, opts } = req;
  const existing = cur.existing;
  if (opts.expectedVersion !== undefined && existing?.skill.version !== opts.expectedVersion) {
    throw new VersionConflictError(input.id, opts.expectedVersion, existing?.skill.version);
  }
  // Tombstones: an id another owner holds or held (a deleted skill) is never handed over, or its
  // history would become readable by the new holder and the old owner could not restore it.
  if (!existing && cur.heldBy !== undefined && cur.heldBy !== input.owner) {
    throw new ConflictError(`skill id ${input.id} is taken (it belongs to another owner, possibly a deleted skill); use another id`);
  }
  const moving = existing !== undefined && existing.skill.owner !== input.owner;
  const slug = existing && !moving ? existing.slug : allocateSlug(input, opts.rawSkillMd !== undefined, cur.slugTaken, opts.preferredSlug);

  const prevFiles = existing?.files ?? new Map<string, F>();
  const finalFiles = new Map(prevFiles);
  for (const rel of req.removals) for (const k of [...finalFiles.keys()]) if (k === rel || k.startsWith(rel + '/')) finalFiles.delete(k);
  for (const [rel, bytes] of req.adds) finalFiles.set(rel, toFile(bytes));
  if (finalFiles.size > limits.maxResourceFiles) throw new TooLargeError(`more than ${limits.maxResourceFiles} resource files`);
  const gone = [...prevFiles.keys()].filter((p) => !finalFiles.has(p));

  const draft: Skill = { ...input, slug, resources: [...finalFiles.keys()].sort() };
  const text = opts.rawSkillMd ?? renderSkillMd(draft);
  const stored = verifySkillMd(text, draft, limits, cur.idWithoutIdLine?.(input.owner, slug) ?? draft.id);

  const plan: WritePlan<F> = {
    input,
    moving,
    slug,
    finalFiles,
    gone,
    text,
    stored,
    next: { version: stored.version, owner: stored.owner, at, ...(input.source ? { source: input.source } : {}), skillMd: text, files: finalFiles },
  };
  if (existing?.skillMd !== undefined) {
    const s = existing.skill;
    plan.previous = {
      version: s.version,
      owner: s.owner,
      at: s.updatedAt ?? at,
      ...(s.source ? { source: s.source } : {}),
      skillMd: existing.skillMd,
      files: new Map(prevFiles),
    };
  }
  return plan;
}

/**
 * Parse the text about to be written exactly as a later load would, so what a store holds in
 * memory always equals what survives a restart (or a migration to another backend), and refuse
 * text that would load as a different skill, or not at all.
 */
export function verifySkillMd(text: string, draft: Skill, limits: Pick<StoreLimits, 'maxSkillBytes'>, fallbackId: string): Skill {
  if (Buffer.byteLength(text) > limits.maxSkillBytes) throw new TooLargeError(`SKILL.md is larger than ${limits.maxSkillBytes} bytes`);
  let parsed;
  try {
    // an import's own parse of this text when it has one (parse-memo.ts): the same function, same input
    parsed = parseWritten(text, { owner: draft.owner, slug: draft.slug, fallbackId });
  } catch (err) {
    throw new ValidationError(`SKILL.md would not load: ${(err as Error).message}`, { cause: err });
  }
  if (parsed.skill.id !== draft.id) throw new SkillIdMismatchError(draft.id, parsed.skill.id);
  const stored = SkillSchema.safeParse({ ...parsed.skill, owner: draft.owner, slug: draft.slug, resources: draft.resources });
  if (!stored.success) throw new ValidationError(`SKILL.md would load as an invalid skill: ${stored.error.message}`);
  return stored.data;
}
