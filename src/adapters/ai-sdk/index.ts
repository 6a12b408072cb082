/**
 * `autoskill/ai-sdk`: Vercel AI SDK integration. The middleware injects skills and learns from
 * turns; `aiSdkLlm` turns any AI SDK model into the extraction model; `aiSdkEmbedder` any AI SDK
 * embedding model into the index's embedder.
 */
export {
  autoskillMiddleware,
  type AutoSkillMiddleware,
  type AutoSkillMiddlewareOptions,
  type AutoSkillProviderMetadata,
} from './middleware.js';
export { aiSdkLlm, type AiSdkLlmOptions } from './llm.js';
export { AiSdkEmbedder, aiSdkEmbedder, type AiSdkEmbedderOptions } from './embedder.js';
export { PROVIDER_KEY, RequestOptionsSchema, type RequestOptions, injectSkills, isSkillsMessage } from './prompt.js';
export type { AdapterErrorInfo, AdapterPhase, SdkSource } from '../shared/core.js';
export type { InjectedSkill, ReportHit, TurnLearning, TurnReport } from '../../engine/index.js';
