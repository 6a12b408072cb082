import type { Embedder } from '../ports/embedder.js';
import { hash32, hashEmbed } from './hash-embed.js';
import { isCjk, normalizeText, tokenize } from './tokenize.js';

const TOKENIZER = { tokenize, normalizeText, isCjk };

/**
 * A deterministic, offline embedder with no model weights: signed feature hashing
 * ("the hashing trick", Weinberger et al. 2009) of
 *   - the tokenizer's tokens (English stems, CJK dictionary words and CJK bigrams), and
 *   - character n-grams: boundary-marked trigrams of Latin words and single CJK characters,
 *     so that morphological variants and differently segmented Chinese still overlap.
 * Term frequencies are damped (1 + ln tf) so long skill bodies do not drown the few words a
 * query has, and the result is L2-normalized so a dot product is a cosine.
 *
 * It carries no semantics beyond surface overlap; its value in the hybrid ranking is a second,
 * differently normalized and fuzzier lexical view (cosine over the whole text vs. BM25's
 * saturated per-term evidence). A real embedding model plugs in through the same `Embedder` port.
 */
export interface LocalEmbedderOptions {
  /** vector size; default 512 */
  dimensions?: number;
  /** weight of a character n-gram feature relative to a token feature; default 0.35 */
  ngramWeight?: number;
}

export class LocalEmbedder implements Embedder {
  /**
   * Hashes of the tokens BM25 sees: similarity here implies shared tokens, so search need not
   * scan skills with no lexical match (see SkillIndex).
   */
  readonly capabilities = { semantic: false } as const;
  readonly dimensions: number;
  readonly signature: string;
  private readonly ngramWeight: number;

  constructor(opts: LocalEmbedderOptions = {}) {
    const dims = opts.dimensions ?? 512;
    if (!Number.isInteger(dims) || dims < 8 || dims > 65536) throw new RangeError('dimensions must be an integer in 8..65536');
    this.dimensions = dims;
    this.ngramWeight = opts.ngramWeight ?? 0.35;
    const w = this.ngramWeight === 0.35 ? '' : `-n${this.ngramWeight}`;
    // Any change to the feature extraction must bump the version so persisted vectors are rebuilt.
    // v2: the tokenizer keeps one-letter words and C++ / C# / Q&A names.
    this.signature = `local-hash-v2-d${dims}${w}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  /** Synchronous variant (the work is CPU-only). */
  embedOne(text: string): Float32Array {
    return hashEmbed(text, this.dimensions, this.ngramWeight, TOKENIZER);
  }

  /**
   * What an index build worker needs to compute the same vectors off the main thread
   * (index/build-pool.ts runs hash-embed.ts with these parameters).
   */
  get workerSpec(): { dimensions: number; ngramWeight: number } {
    return { dimensions: this.dimensions, ngramWeight: this.ngramWeight };
  }
}

export { hash32 };
