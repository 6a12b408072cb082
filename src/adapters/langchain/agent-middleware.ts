import { createMiddleware } from 'langchain';
import { z } from 'zod';
import type { AutoSkill } from '../../engine/index.js';
import { AdapterCore, type AdapterOptions } from '../shared/core.js';
import { extractionLlm, type ExtractionChoice } from './extraction.js';
import { appendSkills, firstId, readId, SESSION_KEYS, upToLastHumanTurn, USER_KEYS, withoutSkillsMessage } from './messages.js';

/**
 * LangChain v1 agent middleware (`createAgent({ middleware: [...] })`): every model call of the
 * agent gets the user's skills appended to its system message (`wrapModelCall`; the calls of one
 * run share one retrieval through the SDK's turn pipeline), and when the run is over its newest
 * user turn goes to the learning loop (`afterAgent`); the turn report goes to `onReport`.
 *
 *   const agent = createAgent({ model, tools, middleware: [autoskillAgentMiddleware({ sdk })] });
 *   await agent.invoke({ messages }, { context: { userId: 'u1' } });
 */
export interface AgentMiddlewareOptions extends AdapterOptions {
  /** user id of a run (default: `context.userId`, `configurable.userId`, then `userId`) */
  getUserId?: (runtime: AgentRuntimeLike) => string | undefined;
  /**
   * Extraction model of a lazily opened SDK: `'self'` (default) the agent's model, another chat
   * model, or `'offline'`.
   */
  extractionModel?: ExtractionChoice;
}

/** The part of the agent runtime this middleware reads. */
export interface AgentRuntimeLike {
  context?: unknown;
  configurable?: Record<string, unknown>;
}

/** Context keys the middleware understands (`agent.invoke(input, { context: { userId } })`). */
const ContextSchema = z.object({
  userId: z.string().optional(),
  sessionId: z.string().optional(),
});

type Who = { ok: true; userId: string; sessionId?: string } | { ok: false };

export function autoskillAgentMiddleware(options: AgentMiddlewareOptions) {
  // The agent's model is known only inside a model call; a lazily opened SDK extracts with it.
  let agentModel: unknown;
  const core = new AdapterCore(options, (hint) => extractionLlm(options.extractionModel, hint ?? agentModel), 'langchain');

  const who = (runtime: AgentRuntimeLike, phase: 'retrieve' | 'learn'): Who => {
    const context = (runtime.context && typeof runtime.context === 'object' ? runtime.context : undefined) as Record<string, unknown> | undefined;
    const user = firstId([readId(context, USER_KEYS), readId(runtime.configurable, USER_KEYS)]);
    if (!user.ok) {
      // A malformed user id must never fall back to the shared default user: no autoskill.
      core.report(new Error(user.error), { phase });
      return { ok: false };
    }
    const userId = core.resolveUser({ explicit: user.value, fromRequest: () => options.getUserId?.(runtime) }, phase);
    if (userId === undefined) return { ok: false };
    const session = firstId([readId(context, SESSION_KEYS), readId(runtime.configurable, SESSION_KEYS)]);
    return { ok: true, userId, ...(session.ok && session.value ? { sessionId: session.value } : {}) };
  };

  const middleware = createMiddleware({
    name: 'AutoSkillMiddleware',
    contextSchema: ContextSchema,
    wrapModelCall: async (request, handler) => {
      agentModel ??= request.model;
      const id = who(request.runtime as AgentRuntimeLike, 'retrieve');
      if (!id.ok) return handler(request);
      const retrieval = await core.retrieve(withoutSkillsMessage(request.messages), id.userId, request.model);
      const text = retrieval?.context?.text;
      if (!text) return handler(request);
      return handler({ ...request, systemMessage: appendSkills(request.systemMessage, text) });
    },
    afterAgent: async (state, runtime) => {
      const id = who(runtime as AgentRuntimeLike, 'learn');
      if (!id.ok) return undefined;
      const turn = upToLastHumanTurn(state.messages);
      if (turn.length === 0) return undefined;
      const learning = await core.observe({ userId: id.userId, messages: turn, sessionId: id.sessionId }, agentModel);
      if (options.onReport) {
        // The run's retrieval, from the per-turn cache its model calls filled.
        const retrieval = await core.retrieve(withoutSkillsMessage(turn), id.userId, agentModel);
        core.turnReport(id.userId, id.sessionId, retrieval, learning);
      }
      return undefined;
    },
  });

  return Object.assign(middleware, {
    /** the SDK (opened from options on first use) */
    getSdk: (): Promise<AutoSkill> => core.sdk(agentModel),
    /** wait until every run seen so far has been handed to the learning loop */
    flush: (): Promise<void> => core.flush(),
    /** flush, and close the SDK when the middleware opened it */
    close: (): Promise<void> => core.close(),
  });
}
