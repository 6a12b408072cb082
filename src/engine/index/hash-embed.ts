/**
 * The LocalEmbedder's feature hashing (see local-embedder.ts for what and why), as a function of
 * the text and the tokenizer. No imports on purpose: index build workers (build-pool.ts) load
 * this module by file URL from src/ or dist/ and pass the tokenizer module in, so vectors
 * computed off the main thread are the ones LocalEmbedder computes.
 */

export interface HashEmbedTokenizer {
  tokenize(text: string): string[];
  normalizeText(text: string): string;
  isCjk(ch: string): boolean;
}

const LATIN_WORD = /[\p{L}\p{N}]+/gu;

export function hashEmbed(text: string, dimensions: number, ngramWeight: number, tok: HashEmbedTokenizer): Float32Array {
  const features = new Map<string, number>();
  const add = (key: string, w: number): void => {
    features.set(key, (features.get(key) ?? 0) + w);
  };
  for (const t of tok.tokenize(text)) add(t, 1);
  if (ngramWeight > 0) {
    const norm = tok.normalizeText(text);
    for (const m of norm.matchAll(LATIN_WORD)) {
      const word = m[0];
      if (tok.isCjk(word[0] ?? '')) {
        for (const ch of word) if (tok.isCjk(ch)) add('\u0001' + ch, ngramWeight);
        continue;
      }
      if (word.length < 4) continue;
      const padded = `<${word}>`;
      for (let i = 0; i + 3 <= padded.length; i++) add('\u0002' + padded.slice(i, i + 3), ngramWeight);
    }
  }
  const vec = new Float32Array(dimensions);
  for (const [key, weight] of features) {
    const h = hash32(key, 0x9747b28c);
    const idx = h % dimensions;
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
