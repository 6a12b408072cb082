/**
 * TEST-ONLY in-memory `SkillStore`: keeps skills and a per-skill version history in maps and
 * serializes `withLock` per key. It does not render SKILL.md (history entries carry a JSON
 * snapshot instead); the real filesystem store is used by the end-to-end tests.
 */
import type { Owner, Skill } from '../../src/engine/skill/schema.js';
import { SkillSchema } from '../../src/engine/skill/schema.js';
import type { PutOptions, SkillStore, StoreChange, VersionEntry } from '../../src/engine/store/store.js';
import { NotFoundError, ConflictError } from '../../src/engine/errors.js';

export class MemorySkillStore implements SkillStore {
  private readonly skills = new Map<string, Skill>();
  private readonly versions_ = new Map<string, VersionEntry[]>();
  private readonly locks = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(c: StoreChange) => void>();
  puts = 0;

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async list(): Promise<Skill[]> {
    return [...this.skills.values()];
  }
  async get(id: string): Promise<Skill | undefined> {
    return this.skills.get(id);
  }
  async put(skill: Skill, opts: PutOptions = {}): Promise<Skill> {
    const parsed = SkillSchema.parse(skill);
    const existing = this.skills.get(parsed.id);
    if (opts.expectedVersion !== undefined && existing?.version !== opts.expectedVersion) {
      throw new ConflictError(`version conflict for ${parsed.id}`);
    }
    // Mimic the real store: a yield between read and write makes lost-update races observable.
    await new Promise((r) => setImmediate(r));
    const resources = new Set([...(existing?.resources ?? []), ...Object.keys(opts.files ?? {})]);
    const stored: Skill = { ...parsed, resources: [...resources].sort() };
    this.skills.set(stored.id, stored);
    const list = this.versions_.get(stored.id) ?? [];
    list.push({ version: stored.version, at: stored.updatedAt ?? new Date().toISOString(), source: stored.source, skillMd: JSON.stringify(stored) });
    this.versions_.set(stored.id, list);
    this.puts++;
    for (const l of this.listeners) l({ type: 'put', id: stored.id, owner: stored.owner, version: stored.version, skill: stored });
    return stored;
  }
  async putMany(items: Array<{ skill: Skill; opts?: PutOptions }>): Promise<Array<Skill | Error>> {
    const out: Array<Skill | Error> = [];
    for (const { skill, opts } of items) out.push(await this.put(skill, opts).catch((err: unknown) => err as Error));
    return out;
  }
  async versions(id: string): Promise<Array<{ version: string; at: string }>> {
    return (this.versions_.get(id) ?? []).map((v) => ({ version: v.version, at: v.at, ...(v.source ? { source: v.source } : {}) }));
  }
  async delete(id: string): Promise<boolean> {
    return this.skills.delete(id);
  }
  async history(id: string): Promise<VersionEntry[]> {
    return [...(this.versions_.get(id) ?? [])];
  }
  async readResource(): Promise<Uint8Array> {
    throw new NotFoundError('not supported in the test store');
  }
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.locks.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }
  withOwnerLock<T>(owner: Owner, fn: () => Promise<T>): Promise<T> {
    return this.withLock(owner, fn);
  }
  async catchUp(): Promise<void> {}
  onChange(listener: (c: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async refresh(): Promise<void> {}
}
