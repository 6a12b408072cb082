import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { BaseMessage } from '@langchain/core/messages';
import { ensureConfig, Runnable, type RunnableConfig } from '@langchain/core/runnables';
import type { AutoSkill } from '../../engine/autoskill.js';
import { AdapterCore, type AdapterOptions } from '../shared/core.js';
import { extractionLlm, type ExtractionChoice } from './extraction.js';
import {
  endsWithHumanTurn,
  firstId,
  injectSkills,
  readId,
  SESSION_KEYS,
  toMessages,
  USER_KEYS,
  withoutSkillsMessage,
} from './messages.js';

/**
 * `withSkills(model, options)`: a runnable that puts the user's skills into chat-model input
 * (a SystemMessage after the leading system messages) and hands each finished turn to the
 * learning loop. It takes what a chat model takes (a string, messages, a prompt value) and
 * returns what the wrapped runnable returns; `.stream()` yields the wrapped runnable's chunks
 * unchanged, and it composes with `.pipe()` like any runnable.
 *
 *   const chain = prompt.pipe(withSkills(model, { sdk })).pipe(new StringOutputParser());
 *   await chain.invoke(input, { metadata: { userId: 'u1' } });
 */
export interface WithSkillsOptions extends AdapterOptions {
  /** user id of a call (default: `metadata.userId` / `configurable.userId`, then `userId`) */
  getUserId?: (config: RunnableConfig) => string | undefined;
  /** learn from the turns that pass through (default true) */
  learn?: boolean;
  /**
   * Extraction model of a lazily opened SDK: `'self'` (default) the wrapped chat model (or the
   * model inside a binding), another chat model, or `'offline'`.
   */
  extractionModel?: ExtractionChoice;
}

interface Prepared {
  messages: BaseMessage[];
  turn?: { userId: string; sessionId?: string; messages: BaseMessage[] };
}

export class SkillsRunnable<RunOutput = unknown> extends Runnable<BaseLanguageModelInput, RunOutput> {
  lc_namespace = ['autoskill', 'langchain'];
  readonly bound: Runnable<BaseLanguageModelInput, RunOutput>;
  private readonly core: AdapterCore;
  private readonly opts: WithSkillsOptions;

  constructor(bound: Runnable<BaseLanguageModelInput, RunOutput>, options: WithSkillsOptions) {
    super();
    this.bound = bound;
    this.opts = options;
    this.core = new AdapterCore(options, () => extractionLlm(options.extractionModel, bound));
  }

  static override lc_name(): string {
    return 'SkillsRunnable';
  }

  override async invoke(input: BaseLanguageModelInput, options?: Partial<RunnableConfig>): Promise<RunOutput> {
    const config = ensureConfig(options);
    const prepared = await this.prepare(input, config);
    const output = await this.bound.invoke(prepared.messages, config);
    await this.learn(prepared);
    return output;
  }

  override async *_streamIterator(input: BaseLanguageModelInput, options?: Partial<RunnableConfig>): AsyncGenerator<RunOutput> {
    const config = ensureConfig(options);
    const prepared = await this.prepare(input, config);
    const stream = await this.bound.stream(prepared.messages, config);
    for await (const chunk of stream) yield chunk;
    // Reached only when the caller consumed the whole stream: an abandoned answer is not learned from.
    await this.learn(prepared);
  }

  /** The SDK (opened from options on first use). */
  getSdk(): Promise<AutoSkill> {
    return this.core.sdk(this.bound);
  }

  /** Wait until every turn seen so far has been handed to the learning loop. */
  flush(): Promise<void> {
    return this.core.flush();
  }

  /** Flush, and close the SDK when this runnable opened it. */
  close(): Promise<void> {
    return this.core.close();
  }

  private async prepare(input: BaseLanguageModelInput, config: RunnableConfig): Promise<Prepared> {
    const messages = withoutSkillsMessage(toMessages(input));
    const user = firstId([readId(config.metadata, USER_KEYS), readId(config.configurable, USER_KEYS)]);
    if (!user.ok) {
      // A malformed user id must never fall back to the shared default user: no autoskill.
      this.core.report(new Error(user.error), { phase: 'retrieve' });
      return { messages };
    }
    let userId: string;
    try {
      userId = user.value ?? this.opts.getUserId?.(config) ?? this.core.defaultUserId;
    } catch (err) {
      this.core.report(err, { phase: 'retrieve' });
      return { messages };
    }
    const session = firstId([readId(config.metadata, SESSION_KEYS), readId(config.configurable, SESSION_KEYS)]);
    const sessionId = session.ok ? session.value : undefined;
    const retrieval = await this.core.retrieve(messages, userId, this.bound);
    const text = retrieval?.context?.text;
    const learn = this.opts.learn !== false && endsWithHumanTurn(messages);
    return {
      messages: text ? injectSkills(messages, text) : messages,
      ...(learn ? { turn: { userId, messages, ...(sessionId ? { sessionId } : {}) } } : {}),
    };
  }

  private async learn(prepared: Prepared): Promise<void> {
    if (prepared.turn) await this.core.observe(prepared.turn, this.bound);
  }
}

export function withSkills<RunOutput>(
  runnable: Runnable<BaseLanguageModelInput, RunOutput>,
  options: WithSkillsOptions,
): SkillsRunnable<RunOutput> {
  return new SkillsRunnable(runnable, options);
}
