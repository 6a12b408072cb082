import type { Embedder } from '../ports/embedder.js';
import { isCjk, normalizeText, tokenize } from './tokenize.js';

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

const LATIN_WORD = /[\p{L}\p{N}]+/gu;

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
    const features = new Map<string, number>();
    const add = (key: string, w: number): void => {
      features.set(key, (features.get(key) ?? 0) + w);
    };
    for (const t of tokenize(text)) add(t, 1);
    if (this.ngramWeight > 0) {
      const norm = normalizeText(text);
      for (const m of norm.matchAll(LATIN_WORD)) {
        const word = m[0];
        if (isCjk(word[0] ?? '')) {
          for (const ch of word) if (isCjk(ch)) add('\u0001' + ch, this.ngramWeight);
          continue;
        }
        if (word.length < 4) continue;
        const padded = `<${word}>`;
        for (let i = 0; i + 3 <= padded.length; i++) add('\u0002' + padded.slice(i, i + 3), this.ngramWeight);
      }
    }
    const vec = new Float32Array(this.dimensions);
    for (const [key, weight] of features) {
      const h = hash32(key, 0x9747b28c);
      const idx = h % this.dimensions;
      const sign = hash32(key, 0x85ebca6b) & 1 ? -1 : 1;
      // damp repeated features: weight is (count × feature weight); keep the feature weight scale
      const base = weight >= 1 ? 1 + Math.log(weight) : weight;
      vec[idx]! += sign * base;
    }
    let norm = 0;
    for (let i = 0; i < vec.length; i++) norm += vec[i]! * vec[i]!;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < vec.length; i++) vec[i]! *= inv;
    }
    return vec;
  }
}

/** 32-bit FNV-1a over UTF-16 code units followed by murmur3's finalizer (better low-bit spread). */
export function hash32(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
