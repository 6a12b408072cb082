import type { Actor } from './access.js';
import { composeEngine, type EngineParts } from './compose.js';
import type { ExportOptions } from './store/export.js';
import type { ImportOptions, ZipImportOptions } from './store/import.js';
import type { SearchOptions, SkillHit } from './index/skill-index.js';
import type { JobInfo } from './jobs/runner.js';
import type { ExtractNowOptions, MessagesInput, ObserveOptions } from './learn/learner.js';
import { registerLiveIndex } from './live-index-registry.js';
import type { Logger } from './logger.js';
import type { AutoSkillOptions, VectorStatus } from './options.js';
import { renderContext, type RenderedContext, type RenderOptions } from './retrieve/render.js';
import { selectStanding } from './retrieve/standing.js';
import type { EngineCore } from './services/core.js';
import { JobService } from './services/jobs.js';
import { LearningService } from './services/learning.js';
import { RetrievalService } from './services/retrieval.js';
import { SkillService, skillInputOf } from './services/skills.js';
import type { ImportTarget, RetrievalDefaults, SkillInput, TurnRetrieval, TurnRetrievalOptions, VersionInfo } from './services/types.js';
import { userOwner, type Owner, type Scope, type Skill } from './skill/schema.js';
import type { SkillApplies } from './skill/standing.js';
import { validateSkillMd, type ValidateMode, type Violation } from './skill/validate.js';
import type { DeletedSkill, ImportReportEntry, StoreChange, VersionEntry } from './store/store.js';
import { TurnPipeline } from './turn/pipeline.js';

export type { AutoSkillOptions, LearningOptions, VectorStatus } from './options.js';

export { DEFAULT_RETRIEVAL } from './services/types.js';
export type { ImportTarget, RetrievalDefaults, SkillInput, TurnRetrieval, TurnRetrievalOptions, VersionInfo } from './services/types.js';

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
  // Runtime-private (ES #fields): adapters, tests and scripts reach the engine only through the
  // services below; tests use the seams of `open` (backends, embedder, llm) or testing.ts.
  readonly #store: EngineParts['store'];
  readonly #live: EngineParts['live'];
  readonly #catalog: EngineParts['catalog'];
  readonly #learner: EngineParts['learner'];
  readonly #usage: EngineParts['usage'];
  readonly #search: EngineParts['search'];
  readonly #settled: EngineParts['settled'];
  readonly #unfollow: EngineParts['unfollow'];
  readonly #dispose: EngineParts['dispose'];
  #turnPipeline: TurnPipeline | undefined;
  readonly retrievalDefaults: RetrievalDefaults;
  readonly logger: Logger;
  /** skills as the actor sees and edits them (get, list, upsert, save, delete, rollback, versions, diff, export, import) */
  readonly skills: SkillService;
  /** retrieval for a turn and searches on behalf of an actor, usage recorded inside */
  readonly retrieval: RetrievalService;
  /** observe, extract now, simulate, ingest, batch */
  readonly learning: LearningService;
  /** learning jobs the actor may see: get, list, wait, subscribe, onEvent */
  readonly jobs: JobService;

  private constructor(parts: EngineParts) {
    this.#store = parts.store;
    this.#live = parts.live;
    this.#catalog = parts.catalog;
    this.#learner = parts.learner;
    this.#usage = parts.usage;
    this.#search = parts.search;
    this.#settled = parts.settled;
    this.#unfollow = parts.unfollow;
    this.#dispose = parts.dispose;
    this.logger = parts.logger;
    this.retrievalDefaults = parts.retrievalDefaults;
    const core: EngineCore = {
      facade: this,
      store: parts.store,
      catalog: parts.catalog,
      learner: parts.learner,
      usage: parts.usage,
      writeLocked: (owner, fn) => this.#writeLocked(owner, fn),
      settled: () => this.settled(),
      afterBulkWrite: () => this.#afterBulkWrite(),
    };
    this.skills = new SkillService(core);
    this.retrieval = new RetrievalService(core);
    this.learning = new LearningService(core);
    this.jobs = new JobService(core);
  }

  /** Open the backends, build the index and start the job runner (see compose.ts). */
  static async open(opts: AutoSkillOptions = {}): Promise<AutoSkill> {
    const parts = await composeEngine(opts);
    const sdk = new AutoSkill(parts);
    registerLiveIndex(sdk, parts.live);
    // The index already follows the store (through the catalog, which applies each change first).
    if (opts.learning?.start !== false) parts.learner.start();
    return sdk;
  }

  /** Resolves once every store change seen so far is reflected in the index. */
  async settled(): Promise<void> {
    await this.#settled();
  }

  /**
   * A single write under the owner's lock that returns once the index reflects it (waited for
   * after the lock is released), so a request-path search (`consistency: 'available'`) made
   * after the call sees it.
   */
  async #writeLocked<T>(owner: Owner, fn: () => Promise<T>): Promise<T> {
    const out = await this.#store.withOwnerLock(owner, fn);
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
    // No threshold by default (the scope and limit are the retrieval defaults): the injection
    // threshold (retrievalDefaults.minScore) is applied by the retrieval for a turn.
    return this.#search(query, opts);
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
  async #afterBulkWrite(): Promise<void> {
    await this.settled();
    await this.#saveCaches();
  }

  /**
   * Each cache save rewrites a whole file (megabytes for a large store), so a handful of unsaved
   * changes is left to the next open, which simply parses and tokenizes those few again.
   */
  async #saveCaches(): Promise<void> {
    await this.#live.flush(CACHE_SAVE_MIN);
    await this.#store.flush?.(CACHE_SAVE_MIN).catch(() => undefined);
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
    const counts = this.#live.counts(visible);
    return { scope, skills: visible.length, ...counts, missing: visible.length - counts.indexed };
  }

  /**
   * Embed skills that lack a vector; with `force`, drop every vector and embed all again.
   * Serialized with the store-change updates of the index.
   */
  async rebuildVectors(opts: { force?: boolean } = {}): Promise<{ embedded: number; ms: number }> {
    const started = performance.now();
    const embedded = await this.#live.rebuildVectors(opts.force === true);
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
    return selectStanding(this.#live.standingOf(userOwner(userId))).skills;
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
    return (this.#turnPipeline ??= new TurnPipeline(this));
  }

  // ---------------------------------------------------------------- learning

  /** Feed a finished turn to the learning loop (policy decides); returns the scheduled job, if any. */
  observeTurn(userId: string, messages: MessagesInput, opts: ObserveOptions = {}): Promise<JobInfo | undefined> {
    return this.#learner.observeTurn(userId, messages, opts);
  }

  /** Extract now, whatever the policy says. With `wait`, resolves when the job is final. */
  extractNow(userId: string, messages: MessagesInput, opts: Pick<ExtractNowOptions, 'hint' | 'wait' | 'sessionId' | 'surface'> = {}): Promise<JobInfo> {
    return this.#learner.extractNow(userId, messages, opts);
  }

  // ---------------------------------------------------------------- processes sharing a store

  /** Store changes seen by this process: its own writes and those it caught up with (see catchUp). */
  onStoreChange(listener: (change: StoreChange) => void): () => void {
    return this.#store.onChange(listener);
  }

  /**
   * Apply what other processes wrote to the store since this one last looked (serve --workers: a
   * sibling said it wrote). The filesystem store reads its change log and reloads just the
   * changed folders; the index follows the emitted changes.
   */
  async catchUp(): Promise<void> {
    await this.#store.catchUp();
  }

  async close(): Promise<void> {
    this.#unfollow();
    await this.#learner.close();
    await this.#usage.close();
    await this.#live.settled();
    await this.#saveCaches();
    this.#catalog.close();
    await this.#store.close();
    await this.#dispose();
  }
}

/** The editable fields of a parsed skill, as `upsert` input (id, owner and version are the store's). */
export const skillInputFrom: (skill: Skill) => SkillInput = skillInputOf;
