/** `autoskill/openai`: the LLM port and the embedder for any OpenAI-compatible endpoint. */
export { openAiLlm } from './llm.js';
export type * from './llm.js';
export { openAiEmbedder, OpenAiEmbedder } from './embedder.js';
export type * from './embedder.js';
