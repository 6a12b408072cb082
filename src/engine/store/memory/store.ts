import { ConflictError, NotFoundError, StorageError } from '../../errors.js';
import type { Owner, Skill } from '../../skill/schema.js';
import { ChangeListeners } from '../listeners.js';
import { holdsLock, withLocalLock } from '../lock.js';
import { safeRelPath } from '../paths.js';
import type { DeletedSkill, PutItem, PutOptions, SkillStore, StoreChange, VersionEntry, StoredVersion } from '../store.js';
import { describeText, ownersEntries } from '../tombstones.js';
import { checkWrite, planWrite, resolveLimits, type StoreLimits, type VersionDraft } from '../write-plan.js';

/**
 * The in-memory store (`memoryBackends()`): nothing survives the process. It commits the same
 * write plans as the filesystem and PostgreSQL stores, so a skill written here renders, verifies,
 * gets its folder name and keeps its history exactly as it would on disk; tests and ephemeral
 * deployments get the real store semantics without touching a disk or a server.
 */

export interface MemorySkillStoreOptions extends Partial<StoreLimits> {
  logger?: { warn(message: string, meta?: Record<string, unknown>): void };
}

interface Live {
  skill: Skill;
  skillMd: string;
  files: Map<string, Uint8Array>;
}

/** A history entry; entries imported from elsewhere may predate owner records. */
type HistoryItem = Omit<VersionDraft<Uint8Array>, 'owner'> & { owner?: Owner };

const now = (): string => new Date().toISOString();
let instances = 0;

export class MemorySkillStore implements SkillStore {
  private readonly limits: StoreLimits;
  private readonly live = new Map<string, Live>();
  private readonly historyOf = new Map<string, HistoryItem[]>();
  private readonly tombstones = new Map<string, { at: string; slug?: string }>();
  private readonly listeners = new ChangeListeners();
  /** lock ids are per instance: two memory stores never block each other */
  private readonly lockPrefix = `memory:${++instances}:`;
  private isOpen = false;

  constructor(private readonly options: MemorySkillStoreOptions = {}) {
    this.limits = resolveLimits(options);
  }

  async open(): Promise<void> {
    this.isOpen = true;
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.listeners.clear();
  }

  async refresh(): Promise<void> {
    this.ensureOpen();
  }

  private ensureOpen(): void {
    if (!this.isOpen) throw new StorageError('store is not open (call open() first)');
  }

  async list(): Promise<Skill[]> {
    this.ensureOpen();
    return [...this.live.values()].map((l) => l.skill);
  }

  async get(id: string): Promise<Skill | undefined> {
    this.ensureOpen();
    return this.live.get(id)?.skill;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    return this.listeners.add(listener);
  }

  withOwnerLock<T>(owner: Owner, fn: () => Promise<T>): Promise<T> {
    return this.withLock(owner, fn);
  }

  /** Nothing to catch up with: no other process shares this store. */
  async catchUp(): Promise<void> {
    this.ensureOpen();
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    this.ensureOpen();
    const id = this.lockPrefix + key;
    // Re-entrant per async chain, like the other stores.
    return holdsLock(id) ? fn() : withLocalLock(id, fn);
  }

  async put(skill: Skill, opts: PutOptions = {}): Promise<Skill> {
    const [result] = await this.putMany([{ skill, opts }]);
    if (result instanceof Error) throw result;
    return result!;
  }

  async putMany(items: PutItem[]): Promise<Array<Skill | Error>> {
    this.ensureOpen();
    // Writes are serialized like the other stores' write lock, so a batch is planned on a
    // consistent state and no put interleaves with another.
    return withLocalLock(this.lockPrefix + '__writes__', async () => {
      const at = now();
      const seen = new Set<string>();
      return items.map((item) => {
        try {
          const req = checkWrite(item.skill, item.opts ?? {}, this.limits);
          if (seen.has(req.input.id)) throw new ConflictError(`skill ${req.input.id} appears twice in one batch`);
          const cur = this.live.get(req.input.id);
          const owner = req.input.owner;
          const plan = planWrite<Uint8Array>(
            req,
            {
              ...(cur ? { existing: { skill: cur.skill, slug: cur.skill.slug, skillMd: cur.skillMd, files: cur.files } } : { heldBy: this.lastOwner(req.input.id) }),
              slugTaken: (name) => [...this.live.values()].some((l) => l.skill.owner === owner && l.skill.slug === name),
            },
            (bytes) => new Uint8Array(bytes),
            this.limits,
            at,
          );
          seen.add(req.input.id);
          if (plan.previous) this.record(req.input.id, plan.previous);
          this.live.set(plan.stored.id, { skill: plan.stored, skillMd: plan.text, files: plan.finalFiles });
          this.record(req.input.id, plan.next);
          this.tombstones.delete(req.input.id);
          this.listeners.emit({ type: 'put', id: plan.stored.id, owner: plan.stored.owner, version: plan.stored.version, skill: plan.stored }, this.options.logger);
          return structuredClone(plan.stored);
        } catch (err) {
          return err as Error;
        }
      });
    });
  }

  async delete(id: string): Promise<boolean> {
    this.ensureOpen();
    return withLocalLock(this.lockPrefix + '__writes__', async () => {
      const cur = this.live.get(id);
      if (!cur) return false;
      const s = cur.skill;
      this.record(id, { version: s.version, owner: s.owner, at: s.updatedAt ?? now(), ...(s.source ? { source: s.source } : {}), skillMd: cur.skillMd, files: cur.files });
      this.live.delete(id);
      this.tombstones.set(id, { at: now(), slug: s.slug });
      this.listeners.emit({ type: 'delete', id, owner: s.owner }, this.options.logger);
      return true;
    });
  }

  /** Append unless equal to the newest entry (as the other stores do); keep the newest maxHistory. */
  private record(id: string, v: HistoryItem): void {
    const list = this.historyOf.get(id) ?? [];
    const last = list[list.length - 1];
    if (last && last.version === v.version && last.skillMd === v.skillMd && sameFiles(last.files, v.files)) return;
    list.push({ ...v, files: new Map(v.files) });
    if (list.length > this.limits.maxHistory) list.splice(0, list.length - this.limits.maxHistory);
    this.historyOf.set(id, list);
  }

  private lastOwner(id: string): Owner | undefined {
    return this.historyOf.get(id)?.findLast((e) => e.owner)?.owner;
  }

  async history(id: string): Promise<VersionEntry[]> {
    this.ensureOpen();
    const entries = (this.historyOf.get(id) ?? []).map(toEntry);
    return ownersEntries(entries, this.live.get(id)?.skill.owner);
  }

  /** history()'s owner rule (tombstones.ts) on the entries themselves: no file is copied or encoded. */
  async versions(id: string): Promise<StoredVersion[]> {
    this.ensureOpen();
    const items = this.historyOf.get(id) ?? [];
    const owner = this.live.get(id)?.skill.owner ?? items.findLast((e) => e.owner)?.owner;
    return items
      .filter((e) => !owner || !e.owner || e.owner === owner)
      .map((e) => ({ version: e.version, at: e.at, ...(e.owner ? { owner: e.owner } : {}), ...(e.source ? { source: e.source } : {}) }));
  }

  async readResource(id: string, rel: string): Promise<Uint8Array> {
    this.ensureOpen();
    const cur = this.live.get(id);
    if (!cur) throw new NotFoundError(`no skill ${id}`);
    if (rel === 'SKILL.md') return new Uint8Array(Buffer.from(cur.skillMd, 'utf8'));
    safeRelPath(rel);
    const bytes = cur.files.get(rel);
    if (!bytes) throw new NotFoundError(`not found: ${id}/${rel}`);
    return new Uint8Array(bytes);
  }

  async deletedSkills(): Promise<DeletedSkill[]> {
    this.ensureOpen();
    const out: DeletedSkill[] = [];
    for (const id of this.tombstones.keys()) {
      const d = await this.deletedSkill(id);
      if (d) out.push(d);
    }
    return out.sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
  }

  async deletedSkill(id: string): Promise<DeletedSkill | undefined> {
    this.ensureOpen();
    const tomb = this.tombstones.get(id);
    const last = this.historyOf.get(id)?.findLast((e) => e.owner);
    if (this.live.has(id) || !tomb || !last?.owner) return undefined;
    return { id, owner: last.owner, version: last.version, deletedAt: tomb.at, ...(tomb.slug ? { slug: tomb.slug } : {}), ...describeText(last.skillMd, last.owner) };
  }

  async historyIds(): Promise<string[]> {
    this.ensureOpen();
    return [...this.historyOf.keys()].sort();
  }

  async importHistory(id: string, entries: VersionEntry[]): Promise<void> {
    this.ensureOpen();
    this.historyOf.set(
      id,
      entries.map((e) => ({
        version: e.version,
        ...(e.owner ? { owner: e.owner } : {}),
        at: e.at,
        ...(e.source ? { source: e.source } : {}),
        skillMd: e.skillMd,
        files: new Map(Object.entries(e.files ?? {}).map(([p, b64]) => [p, new Uint8Array(Buffer.from(b64, 'base64'))])),
      })),
    );
    if (!this.live.has(id) && entries.length) this.tombstones.set(id, { at: entries[entries.length - 1]!.at });
  }
}

function toEntry(v: HistoryItem): VersionEntry {
  const e: VersionEntry = { version: v.version, at: v.at, skillMd: v.skillMd, files: {} };
  if (v.owner) e.owner = v.owner;
  if (v.source) e.source = v.source;
  for (const [p, bytes] of v.files) e.files![p] = Buffer.from(bytes).toString('base64');
  return e;
}

function sameFiles(a: ReadonlyMap<string, Uint8Array>, b: ReadonlyMap<string, Uint8Array>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || !Buffer.from(v).equals(Buffer.from(w))) return false;
  }
  return true;
}
