import type { Actor } from '../access.js';
import type { TurnRetrieval, TurnRetrievalOptions } from './types.js';
import type { MessagesInput } from '../learn/learner.js';
import { lastUserMessage, toChatMessages } from '../ports/chat.js';
import { buildRewriteQuery } from '../retrieve/rewrite.js';
import type { UsageRow } from '../usage/persistence.js';
import type { RenderedContext, RenderOptions } from '../retrieve/render.js';
import type { SearchOptions, SkillHit } from '../index/skill-index.js';
import type { Skill } from '../skill/schema.js';
import type { EngineCore } from './core.js';

/** A search on behalf of a user: ranked hits, their standing skills, what would be injected. */
export interface ActorSearch {
  hits: SkillHit[];
  standing: Skill[];
  /** the rendered instructions of the hits that clear the injection threshold, plus standing skills */
  context?: RenderedContext;
}

export type ActorSearchOptions = Omit<SearchOptions, 'userId'>;

/**
 * Retrieval on behalf of an actor: only what the actor may see (the index applies access.ts
 * `visibleInScope`), and the retrieval/injection counters recorded here, so no surface records
 * usage itself or forgets to.
 */
export class RetrievalService {
  readonly #core: EngineCore;

  constructor(core: EngineCore) {
    this.#core = core;
  }

  /**
   * Retrieval for one chat turn, as adapters need it: pick the query from the latest user turn
   * (completed from recent history when it is a bare follow-up), search, and render the hits
   * together with the user's standing skills (injected whatever the request). Time-boxed and
   * fail-open: it never throws, and on failure or timeout returns no hits with the reason (the
   * standing skills need no search, so they are still injected). Counters are recorded here.
   */
  async forTurn(actor: Actor, messages: MessagesInput, options: Omit<TurnRetrievalOptions, 'userId'> = {}): Promise<TurnRetrieval> {
    const opts = { ...options, userId: actor.userId };
    const sdk = this.#core.facade;
    const started = performance.now();
    const chat = toChatMessages(messages);
    const query = opts.rewrite === false ? (lastUserMessage(chat)?.content ?? '') : buildRewriteQuery(chat);
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    const maxChars = opts.maxContextChars ?? sdk.retrievalDefaults.maxContextChars;
    const finish = (hits: SkillHit[], extra: { error?: string; timedOut?: boolean } = {}): TurnRetrieval => {
      const standing = opts.standing === false ? [] : sdk.standingFor(opts.userId);
      const shown = new Set(standing.map((s) => s.id));
      const task = hits.filter((h) => !shown.has(h.skill.id));
      this.#core.usage.recordRetrieved(opts.userId, task.map((h) => h.skill.id));
      if (task.length === 0 && standing.length === 0) return { query, hits: task, standing, ...extra, ms: elapsed() };
      const context = sdk.render(task, { query, maxChars, standing });
      this.#core.usage.recordInjected(opts.userId, context.included.map((i) => i.id));
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
        sdk.search(query, {
          userId: opts.userId,
          scope: opts.scope ?? sdk.retrievalDefaults.scope,
          limit: opts.topK ?? sdk.retrievalDefaults.topK,
          minScore: opts.minScore ?? sdk.retrievalDefaults.minScore,
          // the user's own learned skills before library guides on the same task
          ownFirst: true,
          // A chat turn never waits behind a bulk import's index pass. Writes through this facade
          // return once indexed (writeLocked), so what a user saved is already searchable here.
          consistency: 'available',
        }),
        timeout,
      ]);
      if (result === 'timeout') {
        sdk.logger.warn('retrieval timed out', { userId: opts.userId, timeoutMs });
        return finish([], { error: `retrieval exceeded ${timeoutMs} ms`, timedOut: true });
      }
      return finish(result);
    } catch (err) {
      sdk.logger.warn('retrieval failed', { userId: opts.userId, err: String(err) });
      return finish([], { error: (err as Error).message ?? String(err) });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A ranked search (no threshold unless `minScore` is given) as a tool shows it: every hit is
   * counted as retrieved; the hits that clear the injection threshold and the user's standing
   * skills are rendered and counted as injected.
   */
  async search(actor: Actor, query: string, opts: ActorSearchOptions = {}): Promise<ActorSearch> {
    const sdk = this.#core.facade;
    const hits = await sdk.search(query, { ...opts, userId: actor.userId });
    const standing = sdk.standingFor(actor.userId);
    const apply = hits.filter((h) => h.score >= sdk.retrievalDefaults.minScore);
    const context = apply.length > 0 || standing.length > 0 ? sdk.render(apply, { query, standing }) : undefined;
    this.#core.usage.recordRetrieved(actor.userId, hits.map((h) => h.skill.id));
    if (context) this.#core.usage.recordInjected(actor.userId, context.included.map((i) => i.id));
    return { hits, standing, ...(context ? { context } : {}) };
  }

  /** The standing skills injected into every turn of this user, newest first. */
  standing(actor: Actor): Skill[] {
    return this.#core.facade.standingFor(actor.userId);
  }

  render(hits: SkillHit[], opts: RenderOptions = {}): RenderedContext {
    return this.#core.facade.render(hits, opts);
  }

  /** How often one of the actor's visible skills was retrieved and injected for them. */
  usage(actor: Actor, skillId: string): UsageRow | undefined {
    return this.#core.usage.get(actor.userId, skillId);
  }
}
