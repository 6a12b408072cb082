/**
 * `autoskill/langchain`: LangChain.js integration. `withSkills` injects skills into chat-model
 * input and learns from turns; `AutoSkillCallbackHandler` learns from chains you only attach it
 * to; `autoskillAgentMiddleware` does both for `createAgent`. `langChainLlm` turns any chat model
 * into the extraction model, `langChainEmbedder` any `Embeddings` into the index's embedder.
 */
export { withSkills, SkillsRunnable, type WithSkillsOptions } from './runnable.js';
export { AutoSkillCallbackHandler, type AutoSkillCallbackOptions } from './callback.js';
export { autoskillAgentMiddleware, type AgentMiddlewareOptions, type AgentRuntimeLike } from './agent-middleware.js';
export { langChainLlm, type LangChainLlmOptions, type StructuredOutputModel } from './llm.js';
export { LangChainEmbedder, langChainEmbedder, type EmbeddingsLike, type LangChainEmbedderOptions } from './embedder.js';
export { injectSkills, isSkillsMessage, INTERNAL_TAG } from './messages.js';
export type { ExtractionChoice } from './extraction.js';
export type { AdapterErrorInfo, AdapterPhase, SdkSource } from '../shared/core.js';
export type { InjectedSkill, ReportHit, TurnLearning, TurnReport } from '../../engine/index.js';
