import type {
  LanguageModelV4CallOptions,
  LanguageModelV4Middleware,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import type { LanguageModel } from 'ai';
import type { AutoSkill, CachedRetrieval, TurnLearning, TurnReport } from '../../engine/index.js';
import type { LlmPort } from '../../engine/ports/llm.js';
import { AdapterCore, type AdapterOptions } from '../shared/core.js';
import { aiSdkLlm } from './llm.js';
import { endsWithUserTurn, injectSkills, PROVIDER_KEY, requestOptions, withoutSkillsMessage } from './prompt.js';

/**
 * Vercel AI SDK middleware: retrieves the user's skills for each call and injects them, then
 * hands the turn to the learning loop, both through the SDK's turn pipeline (the steps of one
 * tool loop share one retrieval; the turn is learned from at its first step). Use with `wrapLanguageModel({ model, middleware })`;
 * works for LanguageModelV4 (AI SDK 7) and V3 (AI SDK 6 era) models alike, because the SDK
 * presents both to middleware as V4.
 *
 *   const model = wrapLanguageModel({ model: openai('gpt-4o'), middleware: autoskillMiddleware({ sdk: { storeDir: './Skills' } }) });
 *   await generateText({ model, prompt, providerOptions: { autoskill: { userId: 'u1' } } });
 */
export interface AutoSkillMiddlewareOptions extends AdapterOptions {
  /** user id for a call without `providerOptions.autoskill.userId` (before the `userId` default) */
  getUserId?: (params: LanguageModelV4CallOptions) => string | undefined;
  /**
   * The model a lazily opened SDK extracts skills with (ignored when `sdk` is an open SDK or its
   * options carry `llm`): `'self'` (default) the wrapped model, a cheaper model, or `'offline'`
   * for the rule-based extractor.
   */
  extractionModel?: LanguageModel | 'self' | 'offline';
}

export type AutoSkillMiddleware = LanguageModelV4Middleware & {
  /** the SDK (opens it when created from options; with `extractionModel: 'self'` only after a first call) */
  getSdk(): Promise<AutoSkill>;
  /** wait until every turn seen so far has been handed to the learning loop */
  flush(): Promise<void>;
  /** flush, and close the SDK when the middleware opened it */
  close(): Promise<void>;
};

/** What the middleware reports under `providerMetadata.autoskill`: the turn report every surface gives. */
export type AutoSkillProviderMetadata = TurnReport;

interface CallState {
  userId: string;
  sessionId?: string;
  /** the caller's prompt, without our skills message */
  prompt: LanguageModelV4Prompt;
  retrieval?: CachedRetrieval;
  /** false: learning is off for this call; 'step': a later step of a tool loop (already observed) */
  learn: boolean | 'step';
}

const LATER_STEP: TurnLearning = {
  status: 'not_scheduled',
  job_id: null,
  state: null,
  reason: 'a later step of a tool loop; the turn was observed at its first step',
};

function extractionLlm(choice: AutoSkillMiddlewareOptions['extractionModel'], callModel: unknown): LlmPort | undefined {
  if (choice === 'offline') return undefined;
  const model = choice === undefined || choice === 'self' ? (callModel as LanguageModel | undefined) : choice;
  if (!model) {
    throw new Error("the extraction model is the wrapped model: make a first call, or pass `extractionModel` (a model or 'offline')");
  }
  // Marked internal, so that even a model wrapped with this middleware skips it for extraction.
  // The wrapped model ('self') was not chosen for structured output: when it cannot answer in
  // the extraction JSON, that job falls back to the offline extractor instead of failing.
  return aiSdkLlm(model, {
    providerOptions: { [PROVIDER_KEY]: { internal: true } },
    ...(choice === undefined || choice === 'self' ? { fallback: 'offline' as const } : {}),
  });
}

export function autoskillMiddleware(options: AutoSkillMiddlewareOptions): AutoSkillMiddleware {
  const core = new AdapterCore(options, (model) => extractionLlm(options.extractionModel, model), 'ai-sdk');
  // `wrapGenerate`/`wrapStream` receive exactly the params object `transformParams` returned.
  const calls = new WeakMap<LanguageModelV4CallOptions, CallState>();

  const learn = (state: CallState, model: unknown): Promise<TurnLearning> =>
    state.learn === 'step'
      ? Promise.resolve(LATER_STEP)
      : core.observe({ userId: state.userId, messages: state.prompt, sessionId: state.sessionId, learn: state.learn }, model);

  const metadata = (state: CallState, learning: TurnLearning | undefined): AutoSkillProviderMetadata =>
    core.turnReport(state.userId, state.sessionId, state.retrieval, learning);

  return {
    specificationVersion: 'v4',

    async transformParams({ params, model }) {
      const req = requestOptions(params);
      if (!req.ok) {
        // A malformed user id must never fall back to the shared default user: skip autoskill.
        core.report(new Error(req.error), { phase: 'retrieve' });
        return params;
      }
      if (req.value.internal) return params;
      const userId = core.resolveUser({ explicit: req.value.userId, fromRequest: () => options.getUserId?.(params) });
      if (userId === undefined) return params;
      const prompt = withoutSkillsMessage(params.prompt);
      const retrieval = req.value.inject === false ? undefined : await core.retrieve(prompt, userId, model);
      const text = retrieval?.context?.text;
      const out: LanguageModelV4CallOptions = { ...params, prompt: text ? injectSkills(prompt, text) : prompt };
      calls.set(out, {
        userId,
        ...(req.value.sessionId ? { sessionId: req.value.sessionId } : {}),
        prompt,
        ...(retrieval ? { retrieval } : {}),
        learn: req.value.learn === false ? false : endsWithUserTurn(prompt) ? true : 'step',
      });
      return out;
    },

    async wrapGenerate({ doGenerate, params, model }) {
      const result = await doGenerate();
      const state = calls.get(params);
      if (!state) return result;
      const learning = await learn(state, model);
      return { ...result, providerMetadata: { ...result.providerMetadata, [PROVIDER_KEY]: metadata(state, learning) } };
    },

    async wrapStream({ doStream, params, model }) {
      const result = await doStream();
      const state = calls.get(params);
      if (!state) return result;
      let failed = false;
      let finished = false;
      // Every part passes through as it arrives. Only the final `finish` part waits (at most
      // `learnWaitMs`) for the learning job to be scheduled, to report its id.
      const tap = new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
        async transform(part, controller) {
          if (part.type === 'error') failed = true;
          if (part.type !== 'finish') {
            controller.enqueue(part);
            return;
          }
          finished = true;
          if (part.finishReason.unified === 'error') failed = true;
          const learning = failed ? undefined : await learn(state, model);
          controller.enqueue({ ...part, providerMetadata: { ...part.providerMetadata, [PROVIDER_KEY]: metadata(state, learning) } });
        },
        flush() {
          // A stream that ended without a finish part still completed normally.
          if (!finished && !failed) void learn(state, model);
        },
      });
      return { ...result, stream: result.stream.pipeThrough(tap) };
    },

    getSdk: () => core.sdk(),
    flush: () => core.flush(),
    close: () => core.close(),
  };
}
