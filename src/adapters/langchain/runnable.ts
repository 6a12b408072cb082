import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { BaseMessage } from '@langchain/core/messages';
import { ensureConfig, Runnable, type RunnableConfig } from '@langchain/core/runnables';
import type { AutoSkill, CachedRetrieval, TurnLearning, TurnReport } from '../../engine/index.js';
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
 * learning loop, through the SDK's turn pipeline. It takes what a chat model takes (a string, messages, a prompt value) and
 * returns what the wrapped runnable returns; `.stream()` yields the wrapped runnable's chunks
 * unchanged, and it composes with `.pipe()` like any runnable.
 *
 *   const chain = prompt.pipe(withSkills(model, { sdk })).pipe(new StringOutputParser());
 *   await chain.invoke(input, { metadata: { userId: 'u1' } });
 *
 * The turn report (the same shape on every surface) goes to `onReport`, and, when the wrapped
 * runnable answers with a message, into its `response_metadata.autoskill`.
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
  turn?: { userId: string; sessionId?: string; messages: BaseMessage[]; learn: boolean; retrieval?: CachedRetrieval };
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
    this.core = new AdapterCore(options, () => extractionLlm(options.extractionModel, bound), 'langchain');
  }

  static override lc_name(): string {
    return 'SkillsRunnable';
  }

  override async invoke(input: BaseLanguageModelInput, options?: Partial<RunnableConfig>): Promise<RunOutput> {
    const config = ensureConfig(options);
    const prepared = await this.prepare(input, config);
    const output = await this.bound.invoke(prepared.messages, config);
    const report = await this.learn(prepared);
    if (report) attachReport(output, report);
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
    const userId = this.core.resolveUser({ explicit: user.value, fromRequest: () => this.opts.getUserId?.(config) });
    if (userId === undefined) return { messages };
    const session = firstId([readId(config.metadata, SESSION_KEYS), readId(config.configurable, SESSION_KEYS)]);
    const sessionId = session.ok ? session.value : undefined;
    const retrieval = await this.core.retrieve(messages, userId, this.bound);
    const text = retrieval?.context?.text;
    const learn = this.opts.learn !== false && endsWithHumanTurn(messages);
    return {
      messages: text ? injectSkills(messages, text) : messages,
      turn: { userId, messages, learn, ...(sessionId ? { sessionId } : {}), ...(retrieval ? { retrieval } : {}) },
    };
  }

  /** Hand the finished turn to the learning loop (when it ends with a user message) and report it. */
  private async learn(prepared: Prepared): Promise<TurnReport | undefined> {
    const t = prepared.turn;
    if (!t) return undefined;
    const learning: TurnLearning = t.learn
      ? await this.core.observe({ userId: t.userId, sessionId: t.sessionId, messages: t.messages }, this.bound)
      : { status: this.opts.learn === false ? 'disabled' : 'not_scheduled', job_id: null, state: null, reason: this.opts.learn === false ? 'learning is off for this runnable' : 'the input does not end with a user message (a tool-loop step)' };
    return this.core.turnReport(t.userId, t.sessionId, t.retrieval, learning);
  }
}

/** Put the report into a message answer's `response_metadata.autoskill` (other outputs are left alone). */
function attachReport(output: unknown, report: TurnReport): void {
  const meta = (output as { response_metadata?: unknown } | null)?.response_metadata;
  if (meta && typeof meta === 'object') (meta as Record<string, unknown>).autoskill = report;
}

export function withSkills<RunOutput>(
  runnable: Runnable<BaseLanguageModelInput, RunOutput>,
  options: WithSkillsOptions,
): SkillsRunnable<RunOutput> {
  return new SkillsRunnable(runnable, options);
}
