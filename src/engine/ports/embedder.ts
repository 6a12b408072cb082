/**
 * The embedding port. `signature` names the model (provider, model, dimensions) so that indexes
 * built with different models are stored apart and never mixed.
 */
export interface Embedder {
  readonly signature: string;
  readonly dimensions: number;
  /** Embed a batch. Vectors are returned L2-normalized so that a dot product is a cosine. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
