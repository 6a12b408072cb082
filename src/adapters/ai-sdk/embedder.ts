import { embedMany, type EmbeddingModel } from 'ai';
import type { Embedder } from '../../engine/ports/embedder.js';
import { batches, toUnitVector } from '../shared/vector.js';

/**
 * `Embedder` for any AI SDK embedding model (a provider model object, V2/V3/V4, or a gateway id
 * string) through `embedMany`, which splits large batches by the model's per-call limit.
 *
 *   const embedder = await aiSdkEmbedder(openai.embedding('text-embedding-3-small'));
 *   const sdk = await AutoSkill.open({ embedder });
 */
export interface AiSdkEmbedderOptions {
  /** the vector size the model returns; probed with one call when omitted */
  dimensions?: number;
  /** ask the provider for shortened vectors of this size (models that support it); implies `dimensions` */
  requestDimensions?: number;
  /** index signature; default `ai-sdk:<provider>:<modelId>:d<dims>` */
  signature?: string;
  /** texts per `embedMany` call (default 256); the SDK splits further by the model's limit */
  batchSize?: number;
  /** parallel provider calls inside one `embedMany` (default 2) */
  maxParallelCalls?: number;
  maxRetries?: number;
  providerOptions?: Parameters<typeof embedMany>[0]['providerOptions'];
}

function modelName(model: EmbeddingModel): string {
  if (typeof model === 'string') return `gateway:${model}`;
  return `${model.provider}:${model.modelId}`;
}

export class AiSdkEmbedder implements Embedder {
  readonly signature: string;
  readonly dimensions: number;
  /** a trained embedding model: its vectors relate paraphrases and other languages */
  readonly capabilities = { semantic: true } as const;
  private readonly model: EmbeddingModel;
  private readonly opts: AiSdkEmbedderOptions;

  constructor(model: EmbeddingModel, opts: AiSdkEmbedderOptions & { dimensions: number }) {
    if (!Number.isInteger(opts.dimensions) || opts.dimensions < 1) throw new RangeError('dimensions must be a positive integer');
    this.model = model;
    this.opts = opts;
    this.dimensions = opts.dimensions;
    this.signature = opts.signature ?? `ai-sdk:${modelName(model)}:d${opts.dimensions}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const batch of batches(texts, this.opts.batchSize ?? 256)) {
      const embeddings = await embedRaw(this.model, batch, this.opts);
      for (const e of embeddings) out.push(toUnitVector(e, this.dimensions, modelName(this.model)));
    }
    return out;
  }
}

async function embedRaw(model: EmbeddingModel, values: string[], opts: AiSdkEmbedderOptions): Promise<number[][]> {
  if (values.length === 0) return [];
  const { embeddings } = await embedMany({
    model,
    values,
    maxParallelCalls: opts.maxParallelCalls ?? 2,
    ...(opts.requestDimensions !== undefined ? { dimensions: opts.requestDimensions } : {}),
    ...(opts.maxRetries !== undefined ? { maxRetries: opts.maxRetries } : {}),
    ...(opts.providerOptions ? { providerOptions: opts.providerOptions } : {}),
  });
  return embeddings;
}

/** Create the embedder, asking the model once for its vector size when it is not given. */
export async function aiSdkEmbedder(model: EmbeddingModel, opts: AiSdkEmbedderOptions = {}): Promise<AiSdkEmbedder> {
  const known = opts.dimensions ?? opts.requestDimensions;
  if (known !== undefined) return new AiSdkEmbedder(model, { ...opts, dimensions: known });
  const [probe] = await embedRaw(model, ['dimension probe'], opts);
  if (!probe || probe.length === 0) throw new Error(`${modelName(model)} returned no embedding`);
  return new AiSdkEmbedder(model, { ...opts, dimensions: probe.length });
}
