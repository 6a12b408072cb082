import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { OwnerSchema, SkillSourceSchema, type Owner, type SkillSource } from '../../skill/schema.js';
import { writeFileAtomic } from '../atomic.js';
import type { VersionEntry } from '../store.js';

/**
 * Persisted version history, one folder per skill id:
 *
 *   <root>/.autoskill/history/<key>/v-000001.json   one file per version, oldest = lowest number
 *   <root>/.autoskill/history/<key>/blobs/<sha256>  resource contents, content-addressed, so an
 *                                                   unchanged resource costs nothing per version
 *   <root>/.autoskill/history/<key>/deleted.json    present while the skill is deleted: when,
 *                                                   and the folder name it had (restore reuses it)
 *
 * `<key>` is the id itself when it is a safe file name, else `h-<sha256>` (ids come from files and
 * users, so they are never trusted as paths). Every entry repeats the id so a folder can be
 * identified without the key. History outlives the skill folder: deleting a skill only adds
 * `deleted.json`, so it can be listed and restored after a restart.
 *
 * Callers serialize writes (the store's write lock); reads may run concurrently because every
 * file is written atomically.
 */

const EntryFileSchema = z.object({
  id: z.string(),
  seq: z.number().int().positive(),
  version: z.string(),
  at: z.string(),
  /** owner when the version was written (absent in entries written before owners were recorded) */
  owner: OwnerSchema.optional(),
  source: SkillSourceSchema.optional(),
  skillMd: z.string(),
  /** resource path → sha256 of its blob */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  /** why resources were not recorded (e.g. over the size cap) */
  filesOmitted: z.string().optional(),
});
type EntryFile = z.infer<typeof EntryFileSchema>;

export interface HistoryAppend {
  version: string;
  at: string;
  owner?: Owner;
  source?: SkillSource;
  skillMd: string;
  /** resource contents of this version */
  files?: Map<string, Uint8Array>;
  /** write even when identical to the newest entry (history imports are verbatim) */
  verbatim?: boolean;
}

export interface HistorySummary {
  id: string;
  versions: number;
  /** owner and version of the newest entry */
  owner?: Owner;
  version?: string;
  /** ISO time of the delete, when the skill is currently deleted */
  deletedAt?: string;
  /** the folder name the skill had when it was deleted (absent in tombstones written before it was recorded) */
  deletedSlug?: string;
}

export interface HistoryOptions {
  /** keep at most this many versions per skill (oldest pruned); default 200 */
  maxEntries?: number;
  /** do not record resources for a version whose files exceed this many bytes; default 32 MiB */
  maxFilesBytes?: number;
}

const ENTRY_RE = /^v-(\d{6,})\.json$/;

export function historyKey(id: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(id)) return id;
  return 'h-' + createHash('sha256').update(id).digest('hex').slice(0, 40);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export class HistoryStore {
  private readonly maxEntries: number;
  private readonly maxFilesBytes: number;

  constructor(
    readonly dir: string,
    opts: HistoryOptions = {},
  ) {
    this.maxEntries = Math.max(1, opts.maxEntries ?? 200);
    this.maxFilesBytes = opts.maxFilesBytes ?? 32 * 1024 * 1024;
  }

  private skillDir(id: string): string {
    return path.join(this.dir, historyKey(id));
  }

  private async entryNames(id: string): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.skillDir(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names.filter((n) => ENTRY_RE.test(n)).sort((a, b) => seqOf(a) - seqOf(b));
  }

  private async readEntry(id: string, name: string): Promise<EntryFile | undefined> {
    try {
      const parsed = EntryFileSchema.safeParse(JSON.parse(await readFile(path.join(this.skillDir(id), name), 'utf8')));
      // A hash collision on the folder key would show up here as a foreign id: never mix them.
      return parsed.success && parsed.data.id === id ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** The newest entry without resource contents (cheap), or undefined. */
  async last(id: string): Promise<{ version: string; skillMd: string; files?: Record<string, string> } | undefined> {
    const names = await this.entryNames(id);
    for (let i = names.length - 1; i >= 0; i--) {
      const e = await this.readEntry(id, names[i]!);
      if (e) return e;
    }
    return undefined;
  }

  /** Owner of the newest entry that records one: who holds (or held) the id. */
  async lastOwner(id: string): Promise<Owner | undefined> {
    const names = await this.entryNames(id);
    for (let i = names.length - 1; i >= 0; i--) {
      const e = await this.readEntry(id, names[i]!);
      if (e?.owner) return e.owner;
    }
    return undefined;
  }

  /** Every version, oldest first, resources inlined as base64 (`files: false`: without them, for version listings). */
  async list(id: string, opts: { files?: boolean } = {}): Promise<VersionEntry[]> {
    const out: VersionEntry[] = [];
    for (const name of await this.entryNames(id)) {
      const e = await this.readEntry(id, name);
      if (!e) continue;
      const entry: VersionEntry = { version: e.version, at: e.at, skillMd: e.skillMd };
      if (e.owner) entry.owner = e.owner;
      if (e.source) entry.source = e.source;
      if (e.files && opts.files !== false) {
        const files: Record<string, string> = {};
        for (const [rel, hash] of Object.entries(e.files)) {
          const blob = await readFile(path.join(this.skillDir(id), 'blobs', hash)).catch(() => undefined);
          if (blob) files[rel] = blob.toString('base64');
        }
        entry.files = files;
      }
      out.push(entry);
    }
    return out;
  }

  /**
   * Append a version unless it is identical (version, text and resources) to the newest one.
   * Returns whether an entry was written.
   */
  async append(id: string, v: HistoryAppend): Promise<boolean> {
    const dir = this.skillDir(id);
    const names = await this.entryNames(id);
    const fileHashes = new Map<string, string>();
    let total = 0;
    for (const [rel, bytes] of v.files ?? []) {
      fileHashes.set(rel, sha256(bytes));
      total += bytes.byteLength;
    }
    const omitted = total > this.maxFilesBytes ? `resources total ${total} bytes > ${this.maxFilesBytes}` : undefined;
    const files = omitted || !v.files ? undefined : Object.fromEntries([...fileHashes].sort(([a], [b]) => a.localeCompare(b)));

    const prev = names.length ? await this.readEntry(id, names[names.length - 1]!) : undefined;
    if (!v.verbatim && prev && prev.version === v.version && prev.skillMd === v.skillMd && sameFiles(prev.files, files)) return false;

    await mkdir(path.join(dir, 'blobs'), { recursive: true });
    if (files) {
      const existing = new Set(await readdir(path.join(dir, 'blobs')));
      for (const [rel, bytes] of v.files ?? []) {
        const hash = fileHashes.get(rel)!;
        if (!existing.has(hash)) {
          await writeFileAtomic(path.join(dir, 'blobs', hash), bytes, { skipDirSync: true });
          existing.add(hash);
        }
      }
    }
    const seq = names.length ? seqOf(names[names.length - 1]!) + 1 : 1;
    const entry: EntryFile = { id, seq, version: v.version, at: v.at, skillMd: v.skillMd };
    if (v.owner) entry.owner = v.owner;
    if (v.source) entry.source = v.source;
    if (files) entry.files = files;
    if (omitted) entry.filesOmitted = omitted;
    await writeFileAtomic(path.join(dir, `v-${String(seq).padStart(6, '0')}.json`), JSON.stringify(entry));
    if (names.length + 1 > this.maxEntries) await this.prune(id, [...names, `v-${String(seq).padStart(6, '0')}.json`]);
    return true;
  }

  /** Drop the oldest entries beyond the cap and any blob no remaining entry references. */
  private async prune(id: string, names: string[]): Promise<void> {
    const dir = this.skillDir(id);
    const drop = names.slice(0, names.length - this.maxEntries);
    for (const name of drop) await unlink(path.join(dir, name)).catch(() => undefined);
    const keep = new Set<string>();
    for (const name of names.slice(drop.length)) {
      const e = await this.readEntry(id, name);
      for (const hash of Object.values(e?.files ?? {})) keep.add(hash);
    }
    for (const blob of await readdir(path.join(dir, 'blobs')).catch(() => [] as string[])) {
      if (!keep.has(blob)) await unlink(path.join(dir, 'blobs', blob)).catch(() => undefined);
    }
  }

  async markDeleted(id: string, at: string, slug?: string): Promise<void> {
    await mkdir(this.skillDir(id), { recursive: true });
    await writeFileAtomic(path.join(this.skillDir(id), 'deleted.json'), JSON.stringify({ id, at, ...(slug ? { slug } : {}) }));
  }

  /** The tombstone of a deleted skill (when and under which folder name), or undefined. */
  async deleted(id: string): Promise<{ at: string; slug?: string } | undefined> {
    const del = await readJson(path.join(this.skillDir(id), 'deleted.json'));
    if (typeof del?.at !== 'string' || del.id !== id) return undefined;
    return { at: del.at, ...(typeof del.slug === 'string' ? { slug: del.slug } : {}) };
  }

  async clearDeleted(id: string): Promise<void> {
    await unlink(path.join(this.skillDir(id), 'deleted.json')).catch(() => undefined);
  }

  /** Every skill id with recorded history (including deleted skills). */
  async summaries(): Promise<HistorySummary[]> {
    let keys: string[];
    try {
      keys = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: HistorySummary[] = [];
    for (const key of keys) {
      const names = (await readdir(path.join(this.dir, key)).catch(() => [] as string[])).filter((n) => ENTRY_RE.test(n));
      if (!names.length) continue;
      names.sort((a, b) => seqOf(a) - seqOf(b));
      const first = await readJson(path.join(this.dir, key, names[names.length - 1]!));
      const id = typeof first?.id === 'string' ? first.id : undefined;
      if (!id || historyKey(id) !== key) continue;
      const del = await readJson(path.join(this.dir, key, 'deleted.json'));
      const summary: HistorySummary = { id, versions: names.length };
      const owner = OwnerSchema.safeParse(first?.owner);
      if (owner.success) summary.owner = owner.data;
      if (typeof first?.version === 'string') summary.version = first.version;
      if (typeof del?.at === 'string') summary.deletedAt = del.at;
      if (typeof del?.slug === 'string') summary.deletedSlug = del.slug;
      out.push(summary);
    }
    return out;
  }

  /** Remove a skill's history for good (explicit purge; deletes never call this). */
  async purge(id: string): Promise<void> {
    await rm(this.skillDir(id), { recursive: true, force: true });
  }
}

function seqOf(name: string): number {
  return Number(ENTRY_RE.exec(name)?.[1] ?? 0);
}

function sameFiles(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => a![k] === b?.[k]);
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const v: unknown = JSON.parse(await readFile(file, 'utf8'));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
