import type { Actor } from '../access.js';
import type { TurnRetrieval, TurnRetrievalOptions } from '../autoskill.js';
import type { MessagesInput } from '../learn/learner.js';
import type { UsageRow } from '../usage/persistence.js';
import type { RenderedContext, RenderOptions } from '../retrieve/render.js';
import type { SearchOptions, SkillHit } from '../retrieve/search.js';
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

  /** Skills for one chat turn (time-boxed, fail-open; counters recorded). See AutoSkill.retrieveForTurn. */
  forTurn(actor: Actor, messages: MessagesInput, opts: Omit<TurnRetrievalOptions, 'userId'> = {}): Promise<TurnRetrieval> {
    return this.#core.facade.retrieveForTurn(messages, { ...opts, userId: actor.userId });
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
