import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { BaseMessage } from '@langchain/core/messages';
import type { Serialized } from '@langchain/core/load/serializable';
import type { AutoSkill } from '../../engine/index.js';
import { AdapterCore, type AdapterOptions } from '../shared/core.js';
import { extractionLlm } from './extraction.js';
import type { StructuredOutputModel } from './llm.js';
import { endsWithHumanTurn, INTERNAL_TAG, readId, SESSION_KEYS, USER_KEYS, withoutSkillsMessage } from './messages.js';

/**
 * Learning for chains you cannot change: attach the handler (`{ callbacks: [handler],
 * metadata: { userId } }`) and every chat-model run that ends normally is handed to the learning
 * loop (the SDK's turn pipeline: same policy as every surface, first-turn rules included), and
 * its report goes to `onReport`. A callback cannot change a run's input, so this handler only
 * learns; inject with `withSkills` or the agent middleware.
 */
export interface AutoSkillCallbackOptions extends Omit<AdapterOptions, 'inject' | 'scope' | 'topK' | 'minScore' | 'maxContextChars' | 'timeoutMs'> {
  /** user id of a run when its metadata has no `userId` (before the `userId` default) */
  getUserId?: (metadata: Record<string, unknown> | undefined) => string | undefined;
  /** extraction model of a lazily opened SDK (default: the SDK options' `llm`, else offline) */
  extractionModel?: StructuredOutputModel | 'offline';
  /** runs waiting for their end that are remembered at most (oldest dropped; default 1000) */
  maxOpenRuns?: number;
}

interface OpenRun {
  userId: string;
  sessionId?: string;
  messages: BaseMessage[];
}

export class AutoSkillCallbackHandler extends BaseCallbackHandler {
  name = 'AutoSkillCallbackHandler';
  private readonly core: AdapterCore;
  private readonly opts: AutoSkillCallbackOptions;
  private readonly runs = new Map<string, OpenRun>();

  constructor(options: AutoSkillCallbackOptions) {
    super();
    this.opts = options;
    this.core = new AdapterCore({ ...options, inject: false }, () => extractionLlm(options.extractionModel ?? 'offline', undefined), 'langchain');
  }

  override handleChatModelStart(
    _llm: Serialized,
    messages: BaseMessage[][],
    runId: string,
    _parentRunId?: string,
    _extraParams?: Record<string, unknown>,
    tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    if (tags?.includes(INTERNAL_TAG) || metadata?.[INTERNAL_TAG] === true) return;
    const input = messages[0];
    if (!input || messages.length !== 1 || !endsWithHumanTurn(input)) return;
    const user = readId(metadata, USER_KEYS);
    if (!user.ok) {
      this.core.report(new Error(user.error), { phase: 'learn' });
      return;
    }
    const userId = this.core.resolveUser({ explicit: user.value, fromRequest: () => this.opts.getUserId?.(metadata) }, 'learn');
    if (userId === undefined) return;
    const session = readId(metadata, SESSION_KEYS);
    this.remember(runId, {
      userId,
      ...(session.ok && session.value ? { sessionId: session.value } : {}),
      messages: withoutSkillsMessage(input),
    });
  }

  override async handleLLMEnd(_output: unknown, runId: string): Promise<void> {
    const run = this.runs.get(runId);
    if (!run) return;
    this.runs.delete(runId);
    const learning = await this.core.observe(run);
    // A callback cannot change the run's input, so nothing was retrieved or injected here.
    this.core.turnReport(run.userId, run.sessionId, undefined, learning);
  }

  override handleLLMError(_err: unknown, runId: string): void {
    // A failed call is not a finished turn.
    this.runs.delete(runId);
  }

  getSdk(): Promise<AutoSkill> {
    return this.core.sdk();
  }

  /** Wait until every finished run seen so far has been handed to the learning loop. */
  flush(): Promise<void> {
    return this.core.flush();
  }

  /** Flush, and close the SDK when the handler opened it. */
  close(): Promise<void> {
    return this.core.close();
  }

  private remember(runId: string, run: OpenRun): void {
    const max = this.opts.maxOpenRuns ?? 1000;
    while (this.runs.size >= max) {
      const oldest = this.runs.keys().next().value;
      if (oldest === undefined) break;
      this.runs.delete(oldest);
    }
    this.runs.set(runId, run);
  }
}
