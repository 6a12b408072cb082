import type { Embedder } from '../../engine/ports/embedder.js';
import { batches, toUnitVector } from '../shared/vector.js';

/**
 * `Embedder` for any LangChain `Embeddings` (OpenAIEmbeddings, OllamaEmbeddings, ...). Typed
 * structurally, so that any `@langchain/core` 1.x embeddings class fits.
 *
 *   const embedder = await langChainEmbedder(new OpenAIEmbeddings({ model: 'text-embedding-3-small' }));
 */
export interface EmbeddingsLike {
  embedDocuments(texts: string[]): Promise<number[][]>;
}

export interface LangChainEmbedderOptions {
  /** the vector size; probed with one call when omitted */
  dimensions?: number;
  /** model name for the signature (default: the class name plus its `model`/`modelName`) */
  name?: string;
  /** index signature; default `langchain:<name>:d<dims>` */
  signature?: string;
  /** texts per `embedDocuments` call (default 256; the class may split further) */
  batchSize?: number;
}

function nameOf(embeddings: EmbeddingsLike): string {
  const e = embeddings as { model?: unknown; modelName?: unknown; constructor?: { name?: string } };
  const cls = e.constructor?.name && e.constructor.name !== 'Object' ? e.constructor.name : 'embeddings';
  const model = typeof e.model === 'string' ? e.model : typeof e.modelName === 'string' ? e.modelName : undefined;
  return model ? `${cls}:${model}` : cls;
}

export class LangChainEmbedder implements Embedder {
  readonly signature: string;
  readonly dimensions: number;
  /** a trained embedding model: its vectors relate paraphrases and other languages */
  readonly capabilities = { semantic: true } as const;
  private readonly embeddings: EmbeddingsLike;
  private readonly opts: LangChainEmbedderOptions;
  private readonly label: string;

  constructor(embeddings: EmbeddingsLike, opts: LangChainEmbedderOptions & { dimensions: number }) {
    if (!Number.isInteger(opts.dimensions) || opts.dimensions < 1) throw new RangeError('dimensions must be a positive integer');
    this.embeddings = embeddings;
    this.opts = opts;
    this.dimensions = opts.dimensions;
    this.label = opts.name ?? nameOf(embeddings);
    this.signature = opts.signature ?? `langchain:${this.label}:d${opts.dimensions}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const batch of batches(texts, this.opts.batchSize ?? 256)) {
      const vectors = await this.embeddings.embedDocuments(batch);
      if (vectors.length !== batch.length) throw new Error(`${this.label} returned ${vectors.length} vectors for ${batch.length} texts`);
      for (const v of vectors) out.push(toUnitVector(v, this.dimensions, this.label));
    }
    return out;
  }
}

/** Create the embedder, asking the model once for its vector size when it is not given. */
export async function langChainEmbedder(embeddings: EmbeddingsLike, opts: LangChainEmbedderOptions = {}): Promise<LangChainEmbedder> {
  if (opts.dimensions !== undefined) return new LangChainEmbedder(embeddings, { ...opts, dimensions: opts.dimensions });
  const [probe] = await embeddings.embedDocuments(['dimension probe']);
  if (!probe || probe.length === 0) throw new Error(`${opts.name ?? nameOf(embeddings)} returned no embedding`);
  return new LangChainEmbedder(embeddings, { ...opts, dimensions: probe.length });
}
