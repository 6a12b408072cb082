import { assertReadable, assertWritable, canRead, canWrite, type Actor } from './access.js';
import { unifiedDiff } from './diff.js';
import type { Embedder } from './ports/embedder.js';
import { LocalEmbedder } from './index/local-embedder.js';
import type { VectorStore } from './index/vector-store.js';
import { renderContext, type RenderedContext, type RenderOptions } from './retrieve/render.js';
import { SkillIndex, type SearchOptions, type SkillHit } from './retrieve/search.js';
import { newSkillId } from './skill/ids.js';
import {
  SkillSchema,
  userOwner,
  type Owner,
  type Scope,
  type Skill,
  type SkillExample,
  type SkillSource,
} from './skill/schema.js';
import { parseSkillMd, renderSkillMd } from './skill/skill-md.js';
import { slugify, specNameFor } from './skill/slug.js';
import { newViolations, validateSkillMd, violationText, type ValidateMode, type Violation } from './skill/validate.js';
import { nextVersion } from './skill/version.js';
import { exportSkill, type ExportOptions } from './store/export.js';
import { importSkillMdText, importSkillTree, importSkillZip, type ImportOptions, type ZipImportOptions } from './store/import.js';
import { type DeletedSkill, type ImportReportEntry, type SkillStore, type StoreChange, type VersionEntry } from './store/store.js';
import { backendsFromOptions, withParts, type Backends } from './store/backends.js';
import { NotFoundError, AccessDeniedError, ValidationError } from './errors.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import type { JobJournal } from './jobs/journal.js';
import { Learner, type ExtractNowOptions, type LearnerDeps, type MessagesInput, type ObserveOptions } from './learn/learner.js';
import type { JobInfo } from './jobs/runner.js';
import type { LlmPort } from './ports/llm.js';
import { lastUserMessage, toChatMessages } from './ports/chat.js';
import type { ExtractMode } from './learn/policy.js';
import { UsageTracker } from './usage/tracker.js';
import type { UsagePersistence } from './usage/persistence.js';
import { buildRewriteQuery } from './retrieve/rewrite.js';
import { selectStanding, StandingRegistry } from './retrieve/standing.js';
import { appliesOf, withApplies, type SkillApplies } from './skill/standing.js';
import { isPending, withReview } from './skill/review.js';
import { TurnPipeline } from './turn/pipeline.js';
import type { EngineCore } from './services/core.js';
import { JobService } from './services/jobs.js';
import { LearningService } from './services/learning.js';
import { RetrievalService } from './services/retrieval.js';
import { importOwner, SkillService, skillInputOf } from './services/skills.js';

export interface AutoSkillOptions {
  /**
   * Where skills, jobs, vectors and usage persist, as one preset: `fsBackends(dir)`,
   * `await postgresBackends(url)` or `memoryBackends()` (a promise is awaited). Default:
   * `fsBackends(storeDir)`.
   */
  backends?: Backends | Promise<Backends>;
  /** Root of the local store (default `./Skills`): sugar for `backends: fsBackends(storeDir)`. Ignored with `store` or `backends`. */
  storeDir?: string;
  /** A custom store, with jobs, usage and vectors in memory unless given too (prefer `backends`). */
  store?: SkillStore;
  /** Default: the deterministic offline `LocalEmbedder`. */
  embedder?: Embedder;
  /** Default: vectors persisted under `<storeDir>/vectors/`. */
  vectorStore?: VectorStore;
  logger?: Logger;
  /** Defaults for search and rendering. */
  retrieval?: Partial<RetrievalDefaults>;
  /** Extraction model (structured output). Without one, the offline rule-based extractor runs. */
  llm?: LlmPort;
  /** Durable job journal. Default: `<storeDir>/.autoskill/jobs/` (in memory for custom stores). */
  journal?: JobJournal;
  learning?: LearningOptions;
  /**
   * Where retrieval/injection counters are persisted (e.g. `createPostgresBackends(url).usage`, so
   * replicas add up and counts survive restarts). Default: `<storeDir>/.autoskill/usage.json`;
   * in memory only for a custom store without one.
   */
  usage?: UsagePersistence;
  /** Released after the store on `close()` (e.g. a database pool the caller created for us). */
  dispose?: () => Promise<void>;
}

export interface LearningOptions {
  /** auto (every `turnLimit` assistant turns), always, or never. Default auto. */
  mode?: ExtractMode;
  turnLimit?: number;
  /** messages extraction sees before the newest user message (default 6) */
  window?: number;
  /** background jobs at once across users (default 2) */
  concurrency?: number;
  /** start the job runner on open (default true); tools that only read pass false */
  start?: boolean;
  /**
   * Review mode: learned skills are saved as pending (`metadata.review: pending`) and never
   * injected until their owner approves them (`approve`). Off by default; candidates that the
   * poisoning scan flags are held either way.
   */
  review?: boolean;
}

/** What the request path gets back from `retrieveForTurn`: never throws, may be empty. */
export interface TurnRetrieval {
  query: string;
  /** skills retrieved for this request (task-bound; standing skills are listed in `standing`) */
  hits: SkillHit[];
  /** the user's standing skills injected whatever the request, newest first */
  standing: Skill[];
  /** rendered context, present when at least one skill is injected */
  context?: RenderedContext;
  /** retrieval failed or timed out; the caller proceeds without skills */
  error?: string;
  timedOut?: boolean;
  ms: number;
}

export interface TurnRetrievalOptions {
  userId: string;
  scope?: Scope;
  topK?: number;
  minScore?: number;
  maxContextChars?: number;
  /** time box for retrieval (default 1500 ms) */
  timeoutMs?: number;
  /** use recent history to complete a bare follow-up query (default true) */
  rewrite?: boolean;
  /** inject the user's standing skills (default true) */
  standing?: boolean;
}

export interface RetrievalDefaults {
  scope: Scope;
  topK: number;
  minScore: number;
  maxContextChars: number;
}

// minScore 0.5: scores are calibrated probabilities that the skill applies (retrieve/calibration.ts),
// independent of the store's size and of other users' skills, and 0.5 is the fitted operating
// point: ~92% of held-out bank triggers pass with their skill alone in the store (bench/injection.ts).
// The threshold is for injection only; search() ranks without it unless the caller passes minScore.
export const DEFAULT_RETRIEVAL: RetrievalDefaults = { scope: 'all', topK: 3, minScore: 0.5, maxContextChars: 6000 };

/** Input for creating or editing a skill through the SDK. */
export interface SkillInput {
  id?: string;
  name: string;
  description: string;
  instructions: string;
  triggers?: string[];
  tags?: string[];
  examples?: SkillExample[];
  metadata?: Record<string, string>;
  files?: Record<string, string | Uint8Array>;
  removeFiles?: string[];
  license?: string;
  compatibility?: string;
  allowedTools?: string;
  source?: SkillSource;
}

export interface VectorStatus {
  scope: Scope;
  /** skills visible in the scope */
  skills: number;
  /** of those, in the index */
  indexed: number;
  missing: number;
  /** whole index: entries and entries with a vector */
  indexSize: number;
  vectors: number;
  signature: string;
  dims: number;
}

export type ImportTarget = { scope: 'common'; library?: string } | { scope: 'user'; userId: string };

export interface VersionInfo {
  version: string;
  at: string;
  source?: SkillSource;
  current: boolean;
}

/** Unsaved changes worth rewriting the parse and term caches for (see saveCaches). */
const CACHE_SAVE_MIN = 32;

/**
 * The SDK facade: wires the store, the index and the learning loop together. Callers use its
 * use-case services, which take the actor first and apply the access policy (access.ts):
 * `skills`, `retrieval`, `learning`, `jobs`, and `turns` (the per-turn pipeline). The store, index,
 * learner and usage counters are private; adapters (HTTP, MCP, CLI, frameworks) cannot reach
 * past the services (the module boundary is checked in CI, .dependency-cruiser.cjs).
 */
export class AutoSkill {
  private readonly store: SkillStore;
  private readonly index: SkillIndex;
  readonly retrievalDefaults: RetrievalDefaults;
  readonly logger: Logger;
  private readonly learner: Learner;
  private readonly usage: UsageTracker;
  /** skills as the actor sees and edits them (get, list, upsert, save, delete, rollback, versions, diff, export, import) */
  readonly skills: SkillService;
  /** retrieval for a turn and searches on behalf of an actor, usage recorded inside */
  readonly retrieval: RetrievalService;
  /** observe, extract now, simulate, ingest, batch */
  readonly learning: LearningService;
  /** learning jobs the actor may see: get, list, wait, watch, events */
  readonly jobs: JobService;
  private unsubscribe: (() => void) | undefined;
  private readonly dispose: (() => Promise<void>) | undefined;
  private indexSync: Promise<void> = Promise.resolve();
  private pendingChanges: StoreChange[] = [];
  /** standing skills per owner, kept in step with the index */
  private readonly standing = new StandingRegistry();
  private turnPipeline: TurnPipeline | undefined;

  private constructor(
    store: SkillStore,
    index: SkillIndex,
    opts: AutoSkillOptions,
    journal: JobJournal,
    usage: UsageTracker,
  ) {
    this.store = store;
    this.index = index;
    this.usage = usage;
    this.dispose = opts.dispose;
    this.logger = opts.logger ?? silentLogger;
    this.retrievalDefaults = { ...DEFAULT_RETRIEVAL, ...opts.retrieval };
    const learning = opts.learning ?? {};
    const deps: LearnerDeps = {
      store,
      journal,
      logger: this.logger,
      // Maintenance compares against everything similar, whatever the caller's min score, and
      // decides on the settled index: what earlier jobs wrote is in it. The index has one update
      // path, the store's change feed (queueIndexChange); learning writes reach it that way too.
      search: (query, o) => this.search(query, { ...o, minScore: 0, consistency: 'settled' }),
      settled: () => this.settled(),
      ...(opts.llm ? { llm: opts.llm } : {}),
      ...(learning.mode ? { mode: learning.mode } : {}),
      ...(learning.turnLimit !== undefined ? { turnLimit: learning.turnLimit } : {}),
      ...(learning.window !== undefined ? { extractWindow: learning.window } : {}),
      ...(learning.concurrency !== undefined ? { concurrency: learning.concurrency } : {}),
      ...(learning.review ? { review: true } : {}),
    };
    this.learner = new Learner(deps);
    const core: EngineCore = { facade: this, store, learner: this.learner, usage };
    this.skills = new SkillService(core);
    this.retrieval = new RetrievalService(core);
    this.learning = new LearningService(core);
    this.jobs = new JobService(core);
  }

  static async open(opts: AutoSkillOptions = {}): Promise<AutoSkill> {
    // One value decides where everything persists (see store/backends.ts); the older storeDir /
    // store options are sugar over the presets, and explicit journal/vectorStore/usage win.
    const backends = opts.backends ? withParts(await opts.backends, opts) : backendsFromOptions(opts);
    const { store, journal } = backends;
    const embedder = opts.embedder ?? new LocalEmbedder();
    const index = new SkillIndex({
      embedder,
      ...(backends.vectorStore ? { vectorStore: backends.vectorStore } : {}),
      ...(backends.termCache ? { termCache: backends.termCache } : {}),
    });
    await store.open();
    await index.load();
    try {
      await index.upsert(store.all());
    } catch (err) {
      // The keyword index is already complete; vectors are retried on the next upsert. A dead
      // embedding service must not keep the store from opening.
      (opts.logger ?? silentLogger).warn('embedding at open failed; searching lexically until it recovers', {
        err: String(err),
      });
    }
    const usage = new UsageTracker({ ...(backends.usage ? { persistence: backends.usage } : {}), logger: opts.logger ?? silentLogger });
    await usage.load();
    const dispose = async (): Promise<void> => {
      await backends.close();
      await opts.dispose?.();
    };
    const sdk = new AutoSkill(store, index, { ...opts, dispose }, journal, usage);
    for (const skill of store.all()) sdk.standing.upsert(skill);
    if (opts.learning?.start !== false) sdk.learner.start();
    sdk.unsubscribe = store.onChange((change) => sdk.queueIndexChange(change));
    return sdk;
  }

  /**
   * Keep the index in step with the store, in order, whoever made the change. Changes that arrive
   * while the index is busy are applied together on the next pass, so a bulk import costs a few
   * large index updates (and vector-log appends) rather than one per skill.
   */
  private queueIndexChange(change: StoreChange): void {
    this.pendingChanges.push(change);
    if (this.pendingChanges.length > 1) return; // a pass is already scheduled
    this.indexSync = this.indexSync.then(() => this.applyIndexChanges());
  }

  private async applyIndexChanges(): Promise<void> {
    const changes = this.pendingChanges;
    this.pendingChanges = [];
    // Runs of puts become one upsert and runs of deletes one remove; order between runs is kept.
    for (let i = 0; i < changes.length; ) {
      const type = changes[i]!.type;
      let j = i;
      while (j < changes.length && changes[j]!.type === type) j++;
      const ids = changes.slice(i, j).map((c) => c.id);
      for (const id of ids) {
        const skill = type === 'delete' ? undefined : this.store.get(id);
        if (skill) this.standing.upsert(skill);
        else this.standing.remove(id);
      }
      try {
        if (type === 'delete') await this.index.remove(ids);
        else await this.index.upsert(ids.map((id) => this.store.get(id)).filter((s): s is Skill => s !== undefined));
      } catch (err) {
        this.logger.warn('index update failed', { ids: ids.slice(0, 10), count: ids.length, err: String(err) });
      }
      i = j;
    }
  }

  /** Resolves once every store change seen so far is reflected in the index. */
  async settled(): Promise<void> {
    await this.indexSync;
  }

  /**
   * A single write under the owner's lock that returns once the index reflects it (waited for
   * after the lock is released), so a request-path search (`consistency: 'available'`) made
   * after the call sees it.
   */
  private async writeLocked<T>(owner: string, fn: () => Promise<T>): Promise<T> {
    const out = await this.store.withOwnerLock(owner as Owner, fn);
    await this.settled();
    return out;
  }

  // ---------------------------------------------------------------- reads

  get(id: string, actor?: Actor): Skill | undefined {
    const skill = this.store.get(id);
    if (!skill) return undefined;
    if (actor && !canRead(actor, skill)) return undefined;
    return skill;
  }

  /** Skills in a scope for a viewer, by name (the scope rule is access.ts `visibleInScope`). */
  list(opts: { userId?: string; scope?: Scope; admin?: boolean } = {}): Skill[] {
    return this.skills.list({ ...(opts.userId ? { userId: opts.userId } : {}), ...(opts.admin ? { admin: true } : {}) }, opts.scope);
  }

  /**
   * `consistency` (default `settled`): wait until every store change seen so far is indexed, or
   * (`available`) search the index as it is, never queueing behind a pending index update.
   */
  async search(query: string, opts: SearchOptions = {}): Promise<SkillHit[]> {
    if ((opts.consistency ?? 'settled') === 'settled') await this.indexSync;
    // No threshold by default: a search returns the best `limit` hits with their scores. The
    // injection threshold (retrievalDefaults.minScore) is applied by retrieveForTurn.
    return this.index.search(query, {
      scope: this.retrievalDefaults.scope,
      limit: this.retrievalDefaults.topK,
      ...opts,
    });
  }

  render(hits: SkillHit[], budget: number | RenderOptions = {}): RenderedContext {
    const opts = typeof budget === 'number' ? { maxChars: budget } : budget;
    return renderContext(hits, { maxChars: this.retrievalDefaults.maxContextChars, ...opts });
  }

  async versions(id: string, actor?: Actor): Promise<VersionInfo[]> {
    const skill = actor ? assertReadable(actor, this.store.get(id), id) : this.store.get(id);
    const history = await this.store.history(id);
    if (!skill && history.length === 0) throw new NotFoundError(`skill not found: ${id}`);
    return history.map((h) => ({
      version: h.version,
      at: h.at,
      ...(h.source ? { source: h.source } : {}),
      current: skill?.version === h.version,
    }));
  }

  async readVersion(id: string, version: string, actor?: Actor): Promise<VersionEntry> {
    if (actor) assertReadable(actor, this.store.get(id), id);
    const entry = (await this.store.history(id)).findLast((h) => h.version === version);
    if (!entry) throw new NotFoundError(`version ${version} of skill ${id} not found`);
    return entry;
  }

  async diff(id: string, from: string, to: string, actor?: Actor): Promise<string> {
    const [a, b] = await Promise.all([this.readVersion(id, from, actor), this.readVersion(id, to, actor)]);
    return unifiedDiff(a.skillMd, b.skillMd, [`${id}@${from}`, `${id}@${to}`]);
  }

  async readResource(id: string, file: string, actor?: Actor): Promise<Uint8Array> {
    if (actor) assertReadable(actor, this.store.get(id), id);
    return this.store.readResource(id, file);
  }

  skillMd(id: string, actor?: Actor): string {
    const skill = actor ? assertReadable(actor, this.store.get(id), id) : this.store.get(id);
    if (!skill) throw new NotFoundError(`skill not found: ${id}`);
    return renderSkillMd(skill);
  }

  /** The SKILL.md as stored (imported files stay byte for byte), else as rendered. */
  async storedSkillMd(id: string, actor?: Actor): Promise<string> {
    const rendered = this.skillMd(id, actor);
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(await this.store.readResource(id, 'SKILL.md'));
      return text.trim() ? text : rendered;
    } catch {
      return rendered;
    }
  }

  /** Errors and warnings of a SKILL.md text (see skill/validate.ts); only errors block a save. */
  validate(text: string, dirName?: string, mode?: ValidateMode): Violation[] {
    return validateSkillMd(text, { ...(dirName ? { dirName } : {}), ...(mode ? { mode } : {}) });
  }

  // ---------------------------------------------------------------- writes

  /**
   * Create or update a skill. An update bumps the patch version and keeps the previous version
   * in the persisted history (upstream reset the version and dropped history here).
   */
  async upsert(input: SkillInput, target: { owner?: Owner; actor?: Actor } = {}): Promise<Skill> {
    const owner = target.owner ?? (target.actor ? userOwner(target.actor.userId) : undefined);
    if (!owner) throw new ValidationError('upsert needs an owner or an actor');
    return this.writeLocked(owner, async () => {
      const existing = input.id ? this.store.get(input.id) : undefined;
      if (existing && target.actor) assertWritable(target.actor, existing, existing.id);
      if (!existing && target.actor) assertWritable(target.actor, { owner } as Skill, input.id ?? '(new)');
      if (existing && existing.owner !== owner && !target.actor?.admin) {
        throw new AccessDeniedError(`skill ${existing.id} belongs to another owner`);
      }
      const now = new Date().toISOString();
      const history = existing ? (await this.store.history(existing.id)).map((h) => h.version) : [];
      const id = existing?.id ?? input.id ?? newSkillId();
      const skill = SkillSchema.parse({
        id,
        slug:
          existing?.slug ??
          specNameFor({ id, slug: '', name: input.name, tags: input.tags ?? [], triggers: input.triggers ?? [] }),
        name: input.name,
        description: input.description,
        instructions: input.instructions,
        triggers: input.triggers ?? existing?.triggers ?? [],
        tags: input.tags ?? existing?.tags ?? [],
        examples: input.examples ?? existing?.examples ?? [],
        version: existing ? nextVersion(existing.version, history) : '0.1.0',
        owner: existing?.owner ?? owner,
        resources: existing?.resources ?? [],
        source: input.source ?? { kind: 'manual' },
        metadata: input.metadata ?? existing?.metadata ?? {},
        ...optional('license', input.license ?? existing?.license),
        ...optional('compatibility', input.compatibility ?? existing?.compatibility),
        ...optional('allowedTools', input.allowedTools ?? existing?.allowedTools),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      });
      return this.store.put(skill, {
        ...(input.files ? { files: input.files } : {}),
        ...(input.removeFiles ? { removeFiles: input.removeFiles } : {}),
        ...(existing ? { expectedVersion: existing.version } : {}),
      });
    });
  }

  /**
   * Replace a skill from edited SKILL.md text. The text is validated first; on any problem the
   * store is untouched and the violations are returned in the error.
   */
  async saveSkillMd(id: string, text: string, actor: Actor): Promise<Skill> {
    const existing = assertWritable(actor, this.store.get(id), id);
    // Judge the edit on what it breaks: imported files may carry violations of their own.
    const added = newViolations(
      validateSkillMd(text, { dirName: existing.slug }),
      validateSkillMd(await this.storedSkillMd(id), { dirName: existing.slug }),
    );
    if (added.length > 0) throw new ValidationError(`SKILL.md is not valid, nothing was saved: ${violationText(added)}`);
    let parsed: Skill;
    try {
      parsed = parseSkillMd(text, { owner: existing.owner, slug: existing.slug, fallbackId: existing.id }).skill;
    } catch (err) {
      throw new ValidationError(`invalid SKILL.md: ${(err as Error).message}`, { cause: err });
    }
    if (parsed.id !== existing.id) throw new ValidationError('the id in SKILL.md cannot be changed');
    return this.upsert(
      { ...skillInputFrom(parsed), id, source: { kind: 'manual', trigger: 'edit' } },
      { owner: existing.owner, actor },
    );
  }

  async delete(id: string, actor?: Actor): Promise<boolean> {
    const skill = this.store.get(id);
    if (!skill) return false;
    if (actor) assertWritable(actor, skill, id);
    return this.writeLocked(skill.owner, () => this.store.delete(id));
  }

  /**
   * Restore an earlier version (default: the one before the current). The restored content is
   * written as a NEW version, so versions only move forward and never collide.
   */
  async rollback(id: string, version?: string, actor?: Actor): Promise<Skill> {
    const current = this.store.get(id);
    const history = await this.store.history(id);
    const owner = current?.owner ?? ownerFromHistory(history);
    if (!owner) throw new NotFoundError(`skill not found: ${id}`);
    // A deleted skill can be restored by whoever could write it.
    if (actor) assertWritable(actor, current ?? ({ owner } as Skill), id);
    return this.writeLocked(owner, async () => {
      const fresh = this.store.get(id);
      const entries = await this.store.history(id);
      const tombSlug = fresh ? undefined : (await this.store.deletedSkill?.(id))?.slug;
      const target = version
        ? entries.findLast((h) => h.version === version)
        : entries.filter((h) => h.version !== fresh?.version).at(-1);
      if (!target) {
        throw new NotFoundError(version ? `version ${version} not found for ${id}` : `no earlier version of ${id}`);
      }
      const restored = parseSkillMd(target.skillMd, {
        owner,
        slug: fresh?.slug ?? slugify(id),
        fallbackId: id,
      }).skill;
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
      const files = target.files
        ? Object.fromEntries(Object.entries(target.files).map(([p, b64]) => [p, Buffer.from(b64, 'base64')]))
        : undefined;
      const removeFiles = fresh?.resources.filter((p) => !files || !(p in files));
      return this.store.put(skill, {
        ...(files ? { files } : {}),
        ...(removeFiles?.length ? { removeFiles } : {}),
        ...(tombSlug ? { preferredSlug: tombSlug } : {}),
      });
    });
  }

  /** Deleted skills the actor may restore with `rollback` (their own; admins: all), newest first. */
  async listDeleted(actor: Actor): Promise<DeletedSkill[]> {
    const all = (await this.store.deletedSkills?.()) ?? [];
    return all.filter((d) => canWrite(actor, { owner: d.owner }));
  }

  /**
   * Import a folder of skills into one target, or, with `{ layout: 'store' }`, a whole store tree
   * whose skills keep their owners (Users/<u> private, Common/<library>, ConvSkill-style groups as
   * libraries; see store/import-layout.ts).
   */
  async importSkills(
    dir: string,
    target: ImportTarget | { layout: 'store' },
    opts: Pick<ImportOptions, 'onProgress' | 'hiddenFolders'> = {},
  ): Promise<ImportReportEntry[]> {
    const report = await importSkillTree(this.store, dir, 'layout' in target ? target : { owner: importOwner(target) }, opts);
    await this.afterBulkWrite();
    return report;
  }

  /** Bring the index up to date and save the caches once, so the next open starts warm. */
  private async afterBulkWrite(): Promise<void> {
    await this.settled();
    await this.saveCaches();
  }

  /**
   * Each cache save rewrites a whole file (megabytes for a large store), so a handful of unsaved
   * changes is left to the next open, which simply parses and tokenizes those few again.
   */
  private async saveCaches(): Promise<void> {
    await this.index.flush(CACHE_SAVE_MIN).catch(() => undefined);
    await this.store.flush?.(CACHE_SAVE_MIN).catch(() => undefined);
  }

  /** Import skills from a zip archive held in memory (uploads): zip-slip and size checks apply. */
  async importZip(bytes: Uint8Array, target: ImportTarget, opts: ZipImportOptions = {}): Promise<ImportReportEntry[]> {
    const report = await importSkillZip(this.store, bytes, { owner: importOwner(target) }, opts);
    await this.afterBulkWrite();
    return report;
  }

  /** Import one SKILL.md given as text (uploads). */
  async importSkillMd(text: string, target: ImportTarget, opts: ImportOptions & { name?: string } = {}): Promise<ImportReportEntry> {
    const entry = await importSkillMdText(this.store, text, { owner: importOwner(target) }, opts);
    await this.settled();
    return entry;
  }

  /** `opts.spec`: a folder every Agent Skills host accepts (see store/export.ts). */
  async export(id: string, format: 'dir' | 'md' | 'zip', to?: string, actor?: Actor, opts: ExportOptions = {}) {
    if (actor) assertReadable(actor, this.store.get(id), id);
    return exportSkill(this.store, id, format, to, opts);
  }

  /** Vector index counts for what one user sees in a scope, plus the embedder. */
  vectorStatus(opts: { userId?: string; scope?: Scope } = {}): VectorStatus {
    const scope = opts.scope ?? 'all';
    const visible = this.list({ ...(opts.userId ? { userId: opts.userId } : {}), scope });
    const indexed = visible.filter((s) => this.index.has(s.id)).length;
    return {
      scope,
      skills: visible.length,
      indexed,
      missing: visible.length - indexed,
      indexSize: this.index.size(),
      vectors: this.index.vectorCount(),
      signature: this.index.embedder.signature,
      dims: this.index.embedder.dimensions,
    };
  }

  /**
   * Embed skills that lack a vector; with `force`, drop every vector and embed all again.
   * Serialized with the store-change updates of the index.
   */
  async rebuildVectors(opts: { force?: boolean } = {}): Promise<{ embedded: number; ms: number }> {
    const started = performance.now();
    const run = this.indexSync.then(async () => {
      const all = this.store.all();
      const before = this.index.vectorCount();
      if (opts.force) await this.index.remove(all.map((s) => s.id));
      await this.index.upsert(all);
      return opts.force ? this.index.vectorCount() : this.index.vectorCount() - before;
    });
    this.indexSync = run.then(
      () => undefined,
      (err: unknown) => this.logger.warn('vector rebuild failed', { err: String(err) }),
    );
    const embedded = await run;
    return { embedded, ms: Math.round(performance.now() - started) };
  }

  // ---------------------------------------------------------------- request path

  /**
   * Retrieval for one chat turn, as adapters need it: pick the query from the latest user turn
   * (completed from recent history when it is a bare follow-up), search, and render the hits
   * together with the user's standing skills (injected whatever the request). Time-boxed and
   * fail-open: it never throws, and on failure or timeout returns no hits with the reason (the
   * standing skills need no search, so they are still injected).
   */
  async retrieveForTurn(messages: MessagesInput, opts: TurnRetrievalOptions): Promise<TurnRetrieval> {
    const started = performance.now();
    const chat = toChatMessages(messages);
    const query = opts.rewrite === false ? (lastUserMessage(chat)?.content ?? '') : buildRewriteQuery(chat);
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    const maxChars = opts.maxContextChars ?? this.retrievalDefaults.maxContextChars;
    const finish = (hits: SkillHit[], extra: { error?: string; timedOut?: boolean } = {}): TurnRetrieval => {
      const standing = opts.standing === false ? [] : this.standingFor(opts.userId);
      const shown = new Set(standing.map((s) => s.id));
      const task = hits.filter((h) => !shown.has(h.skill.id));
      this.usage.recordRetrieved(opts.userId, task.map((h) => h.skill.id));
      if (task.length === 0 && standing.length === 0) return { query, hits: task, standing, ...extra, ms: elapsed() };
      const context = this.render(task, { query, maxChars, standing });
      this.usage.recordInjected(opts.userId, context.included.map((i) => i.id));
      return { query, hits: task, standing, ...(context.included.length > 0 ? { context } : {}), ...extra, ms: elapsed() };
    };
    if (!query.trim()) return finish([]);
    const timeoutMs = opts.timeoutMs ?? 1500;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const result = await Promise.race([
        this.search(query, {
          userId: opts.userId,
          scope: opts.scope ?? this.retrievalDefaults.scope,
          limit: opts.topK ?? this.retrievalDefaults.topK,
          minScore: opts.minScore ?? this.retrievalDefaults.minScore,
          // the user's own learned skills before library guides on the same task
          ownFirst: true,
          // A chat turn never waits behind a bulk import's index pass. Writes through this facade
          // return once indexed (writeLocked), so what a user saved is already searchable here.
          consistency: 'available',
        }),
        timeout,
      ]);
      if (result === 'timeout') {
        this.logger.warn('retrieval timed out', { userId: opts.userId, timeoutMs });
        return finish([], { error: `retrieval exceeded ${timeoutMs} ms`, timedOut: true });
      }
      return finish(result);
    } catch (err) {
      this.logger.warn('retrieval failed', { userId: opts.userId, err: String(err) });
      return finish([], { error: (err as Error).message ?? String(err) });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The standing skills injected into every turn of a user: their own skills marked
   * `applies: always`, newest first, with older ones dropped where a newer one overrides them.
   */
  standingFor(userId: string): Skill[] {
    return selectStanding(this.standing.of(userOwner(userId))).skills;
  }

  /**
   * Approve a skill held for review: a new version without the marker, so it goes live (retrieved,
   * and injected on every turn if standing). Reject one with `delete`.
   */
  async approve(id: string, actor?: Actor): Promise<Skill> {
    const current = actor ? assertWritable(actor, this.store.get(id), id) : this.store.get(id);
    if (!current) throw new NotFoundError(`skill not found: ${id}`);
    if (!isPending(current)) return current;
    return this.upsert(
      { ...skillInputFrom(current), id, metadata: withReview(current.metadata, false), source: { kind: 'manual', trigger: 'approve' } },
      { owner: current.owner, ...(actor ? { actor } : {}) },
    );
  }

  /** A user's skills waiting for review, newest first. */
  pending(userId: string): Skill[] {
    const owner = userOwner(userId);
    return this.store
      .all()
      .filter((s) => s.owner === owner && isPending(s))
      .sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
  }

  /**
   * Switch a skill between standing (`always`: injected on every turn) and task-bound (`task`:
   * retrieved when a request matches). Written as a new version, so it is undone by rollback and
   * travels with the SKILL.md (`metadata.applies`).
   */
  async setApplies(id: string, applies: SkillApplies, actor?: Actor): Promise<Skill> {
    const current = actor ? assertWritable(actor, this.store.get(id), id) : this.store.get(id);
    if (!current) throw new NotFoundError(`skill not found: ${id}`);
    if (appliesOf(current) === applies) return current;
    return this.upsert(
      { ...skillInputFrom(current), id, metadata: withApplies(current.metadata, applies), source: { kind: 'manual', trigger: `applies:${applies}` } },
      { owner: current.owner, ...(actor ? { actor } : {}) },
    );
  }

  /**
   * The turn use-case service every surface goes through: user resolution, retrieval once per
   * turn (shared by the steps of a tool loop), the learning policy and the one turn report
   * (see turn/pipeline.ts).
   */
  get turns(): TurnPipeline {
    return (this.turnPipeline ??= new TurnPipeline(this));
  }

  // ---------------------------------------------------------------- learning

  /** Feed a finished turn to the learning loop (policy decides); returns the scheduled job, if any. */
  observeTurn(userId: string, messages: MessagesInput, opts: ObserveOptions = {}): Promise<JobInfo | undefined> {
    return this.learner.observeTurn(userId, messages, opts);
  }

  /** Extract now, whatever the policy says. With `wait`, resolves when the job is final. */
  extractNow(userId: string, messages: MessagesInput, opts: Pick<ExtractNowOptions, 'hint' | 'wait' | 'sessionId' | 'surface'> = {}): Promise<JobInfo> {
    return this.learner.extractNow(userId, messages, opts);
  }

  // ---------------------------------------------------------------- processes sharing a store

  /** Store changes seen by this process: its own writes and those it caught up with (see catchUp). */
  onStoreChange(listener: (change: StoreChange) => void): () => void {
    return this.store.onChange(listener);
  }

  /**
   * Apply what other processes wrote to the store since this one last looked (serve --workers: a
   * sibling said it wrote). The filesystem store reads its change log and reloads just the
   * changed folders; the index follows the emitted changes.
   */
  async catchUp(): Promise<void> {
    await this.store.catchUp();
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    await this.learner.close();
    await this.usage.close();
    await this.indexSync;
    await this.saveCaches();
    await this.store.close();
    await this.dispose?.();
  }
}

/** The editable fields of a parsed skill, as `upsert` input (id, owner and version are the store's). */
export const skillInputFrom: (skill: Skill) => SkillInput = skillInputOf;

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function ownerFromHistory(history: VersionEntry[]): Owner | undefined {
  return history.findLast((h) => h.owner)?.owner;
}
