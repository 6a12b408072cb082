import OpenAI from 'openai';
import type { Embedder } from '../../engine/ports/embedder.js';
import { batches, toUnitVector } from '../shared/vector.js';

/**
 * `Embedder` for OpenAI and any OpenAI-compatible `/v1/embeddings` endpoint (vLLM, Ollama,
 * LM Studio, DashScope, a local TEI gateway ...). The signature names the endpoint's host as well
 * as the model, because the same model name served elsewhere is not guaranteed to be the same
 * weights, and vectors from different models must never share an index.
 *
 *   const embedder = await openAiEmbedder({ model: 'text-embedding-3-small' });
 *   const local = await openAiEmbedder({ baseURL: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text' });
 */
export interface OpenAiEmbedderOptions {
  /** an existing client (wins over baseURL/apiKey) */
  client?: OpenAI;
  /** default `OPENAI_BASE_URL` or https://api.openai.com/v1 */
  baseURL?: string;
  apiKey?: string;
  model: string;
  /** the vector size; probed with one call when omitted */
  dimensions?: number;
  /**
   * Send `dimensions` in the request (text-embedding-3 models shorten their vectors); default
   * true when `dimensions` is given. Older models and many compatible servers reject it.
   */
  sendDimensions?: boolean;
  /** inputs per request (default 128) */
  batchSize?: number;
  /** client timeout per request (ms, default 60 s) */
  timeoutMs?: number;
  /** index signature; default `openai:<host>:<model>:d<dims>` */
  signature?: string;
}

function hostOf(baseURL: string): string {
  try {
    const u = new URL(baseURL);
    return u.pathname && u.pathname !== '/' && u.pathname !== '/v1' ? `${u.host}${u.pathname.replace(/\/+$/, '')}` : u.host;
  } catch {
    return baseURL;
  }
}

function clientFor(opts: OpenAiEmbedderOptions): OpenAI {
  return (
    opts.client ??
    new OpenAI({
      apiKey: opts.apiKey ?? process.env.OPENAI_API_KEY ?? 'not-set',
      ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
      timeout: opts.timeoutMs ?? 60_000,
      maxRetries: 2,
    })
  );
}

async function embedRaw(client: OpenAI, opts: OpenAiEmbedderOptions, input: string[], dimensions?: number): Promise<number[][]> {
  if (input.length === 0) return [];
  const res = await client.embeddings.create({
    model: opts.model,
    input,
    // Explicit floats: some compatible servers do not implement base64.
    encoding_format: 'float',
    ...(dimensions !== undefined ? { dimensions } : {}),
  });
  const data = [...res.data].sort((a, b) => a.index - b.index);
  if (data.length !== input.length) throw new Error(`embeddings endpoint returned ${data.length} vectors for ${input.length} inputs`);
  return data.map((d) => d.embedding);
}

export class OpenAiEmbedder implements Embedder {
  readonly signature: string;
  readonly dimensions: number;
  /** a trained embedding model: its vectors relate paraphrases and other languages */
  readonly capabilities = { semantic: true } as const;
  private readonly client: OpenAI;
  private readonly opts: OpenAiEmbedderOptions;

  constructor(opts: OpenAiEmbedderOptions & { dimensions: number }) {
    if (!Number.isInteger(opts.dimensions) || opts.dimensions < 1) throw new RangeError('dimensions must be a positive integer');
    this.opts = opts;
    this.client = clientFor(opts);
    this.dimensions = opts.dimensions;
    this.signature = opts.signature ?? `openai:${hostOf(this.client.baseURL)}:${opts.model}:d${opts.dimensions}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const send = this.opts.sendDimensions ?? true;
    const out: Float32Array[] = [];
    for (const batch of batches(texts, this.opts.batchSize ?? 128)) {
      const vectors = await embedRaw(this.client, this.opts, batch, send ? this.dimensions : undefined);
      for (const v of vectors) out.push(toUnitVector(v, this.dimensions, `${this.opts.model} embeddings`));
    }
    return out;
  }
}

/** Create the embedder, asking the endpoint once for its vector size when it is not given. */
export async function openAiEmbedder(opts: OpenAiEmbedderOptions): Promise<OpenAiEmbedder> {
  if (opts.dimensions !== undefined) return new OpenAiEmbedder({ ...opts, dimensions: opts.dimensions });
  const client = clientFor(opts);
  const [probe] = await embedRaw(client, opts, ['dimension probe']);
  if (!probe || probe.length === 0) throw new Error(`${opts.model} returned no embedding`);
  // The probed size is what the model returns unasked, so it is not sent with later requests.
  return new OpenAiEmbedder({ ...opts, client, dimensions: probe.length, sendDimensions: opts.sendDimensions ?? false });
}
