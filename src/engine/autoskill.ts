import type { Actor } from './access.js';
import type { Embedder } from './ports/embedder.js';
import { LocalEmbedder } from './index/local-embedder.js';
import type { VectorStore } from './index/vector-store.js';
import { renderContext, type RenderedContext, type RenderOptions } from './retrieve/render.js';
import { SkillIndex, type SearchOptions, type SkillHit } from './index/skill-index.js';
import { familyOfRequest } from './learn/task-family.js';
import {
  userOwner,
  type Owner,
  type Scope,
  type Skill,
} from './skill/schema.js';
import { validateSkillMd, type ValidateMode, type Violation } from './skill/validate.js';
import type { ExportOptions } from './store/export.js';
import type { ImportOptions, ZipImportOptions } from './store/import.js';
import { type DeletedSkill, type ImportReportEntry, type SkillStore, type StoreChange, type VersionEntry } from './store/store.js';
import { backendsFromOptions, withParts, type Backends } from './store/backends.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import type { JobJournal } from './jobs/journal.js';
import { Learner, type ExtractNowOptions, type LearnerDeps, type MessagesInput, type ObserveOptions } from './learn/learner.js';
import type { JobInfo } from './jobs/runner.js';
import type { LlmPort } from './ports/llm.js';
import type { ExtractMode } from './learn/policy.js';
import { UsageTracker } from './usage/tracker.js';
import type { UsagePersistence } from './usage/persistence.js';
import { selectStanding, StandingRegistry } from './retrieve/standing.js';
import type { SkillApplies } from './skill/standing.js';
import { TurnPipeline } from './turn/pipeline.js';
import type { EngineCore } from './services/core.js';
import { JobService } from './services/jobs.js';
import { LearningService } from './services/learning.js';
import { RetrievalService } from './services/retrieval.js';
import { SkillService, skillInputOf } from './services/skills.js';
import { DEFAULT_RETRIEVAL, type ImportTarget, type RetrievalDefaults, type SkillInput, type TurnRetrieval, type TurnRetrievalOptions, type VersionInfo } from './services/types.js';

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

export { DEFAULT_RETRIEVAL } from './services/types.js';
export type { ImportTarget, RetrievalDefaults, SkillInput, TurnRetrieval, TurnRetrievalOptions, VersionInfo } from './services/types.js';

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
  /** learning jobs the actor may see: get, list, wait, subscribe, onEvent */
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
    const core: EngineCore = {
      facade: this,
      store,
      learner: this.learner,
      usage,
      writeLocked: (owner, fn) => this.writeLocked(owner, fn),
      settled: () => this.settled(),
      afterBulkWrite: () => this.afterBulkWrite(),
    };
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
      // a request reaches the rules learned for its kind of task (the learner's task families)
      taskOf: (query) => familyOfRequest(query)?.key,
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
  private async writeLocked<T>(owner: Owner, fn: () => Promise<T>): Promise<T> {
    const out = await this.store.withOwnerLock(owner, fn);
    await this.settled();
    return out;
  }

  // ---------------------------------------------------------------- reads

  get(id: string, actor?: Actor): Skill | undefined {
    return this.skills.get(actor, id);
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
    return this.skills.versions(actor, id);
  }

  async readVersion(id: string, version: string, actor?: Actor): Promise<VersionEntry> {
    return this.skills.readVersion(actor, id, version);
  }

  async diff(id: string, from: string, to: string, actor?: Actor): Promise<string> {
    return this.skills.diff(actor, id, from, to);
  }

  async readResource(id: string, file: string, actor?: Actor): Promise<Uint8Array> {
    return this.skills.readResource(actor, id, file);
  }

  skillMd(id: string, actor?: Actor): string {
    return this.skills.skillMd(actor, id);
  }

  /** The SKILL.md as stored (imported files stay byte for byte), else as rendered. */
  async storedSkillMd(id: string, actor?: Actor): Promise<string> {
    return this.skills.storedSkillMd(actor, id);
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
    return this.skills.upsert(target.actor, input, target.owner ? { owner: target.owner } : {});
  }

  /**
   * Replace a skill from edited SKILL.md text. The text is validated first; on any problem the
   * store is untouched and the violations are returned in the error.
   */
  async saveSkillMd(id: string, text: string, actor: Actor): Promise<Skill> {
    return this.skills.saveSkillMd(actor, id, text);
  }

  async delete(id: string, actor?: Actor): Promise<boolean> {
    return this.skills.delete(actor, id);
  }

  /**
   * Restore an earlier version (default: the one before the current). The restored content is
   * written as a NEW version, so versions only move forward and never collide.
   */
  async rollback(id: string, version?: string, actor?: Actor): Promise<Skill> {
    return this.skills.rollback(actor, id, version);
  }

  /** Deleted skills the actor may restore with `rollback` (their own; admins: all), newest first. */
  async listDeleted(actor: Actor): Promise<DeletedSkill[]> {
    return this.skills.listDeleted(actor);
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
    return this.skills.importTree(undefined, dir, target, opts);
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
    return this.skills.importZip(undefined, bytes, target, opts);
  }

  /** Import one SKILL.md given as text (uploads). */
  async importSkillMd(text: string, target: ImportTarget, opts: ImportOptions & { name?: string } = {}): Promise<ImportReportEntry> {
    return this.skills.importSkillMd(undefined, text, target, opts);
  }

  /** `opts.spec`: a folder every Agent Skills host accepts (see store/export.ts). */
  async export(id: string, format: 'dir' | 'md' | 'zip', to?: string, actor?: Actor, opts: ExportOptions = {}) {
    return this.skills.export(actor, id, format, to, opts);
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
    return this.retrieval.forTurn({ userId: opts.userId }, messages, opts);
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
    return this.skills.approve(actor, id);
  }

  /** A user's skills waiting for review, newest first. */
  pending(userId: string): Skill[] {
    return this.skills.pending({ userId });
  }

  /**
   * Switch a skill between standing (`always`: injected on every turn) and task-bound (`task`:
   * retrieved when a request matches). Written as a new version, so it is undone by rollback and
   * travels with the SKILL.md (`metadata.applies`).
   */
  async setApplies(id: string, applies: SkillApplies, actor?: Actor): Promise<Skill> {
    return this.skills.setApplies(actor, id, applies);
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
