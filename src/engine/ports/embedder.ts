/**
 * What an embedder can do, declared rather than probed: search reads these instead of guessing
 * from the class (new capabilities get a field here, and every implementation states it).
 */
export interface EmbedderCapabilities {
  /**
   * True for a trained model, whose vectors relate texts with no word in common (a paraphrase,
   * another language). False for lexical hashes (the offline `LocalEmbedder`): there a skill
   * without a shared token has no meaningful similarity, so search skips the exact vector scan.
   */
  readonly semantic: boolean;
}

/**
 * The embedding port. `signature` names the model (provider, model, dimensions) so that indexes
 * built with different models are stored apart and never mixed.
 */
export interface Embedder {
  readonly signature: string;
  readonly dimensions: number;
  readonly capabilities: EmbedderCapabilities;
  /** Embed a batch. Vectors are returned L2-normalized so that a dot product is a cosine. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
