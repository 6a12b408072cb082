/**
 * What indexing needs from one skill's text, as a pure function of that text: per-field token
 * counts with packed per-term field frequencies (BM25), each trigger's unique terms and the
 * name's unique terms (trigger and name evidence).
 *
 * No imports on purpose: this module is loaded by the index build workers (build-pool.ts) by
 * file URL, next to the tokenizer, and must load as it is from src/ (Node strips the types) and
 * from dist/. The tokenizer is passed in.
 */

export interface DocText {
  /** the retrieval fields in BM25 field order */
  fields: string[];
  triggers: string[];
  name: string;
}

export interface DocCounts {
  lens: number[];
  terms: string[];
  /** per-field term frequencies of `terms[i]`, packed 8 bits per field (field 0 lowest), each capped at 255 */
  packed: number[];
}

export interface DocTokens extends DocCounts {
  triggerTokens: string[][];
  nameTokens: string[];
}

const TF_CAP = 255;

/** Term counts of a document given as one token list per field (terms in first-seen order). */
export function countTerms(fieldTokens: readonly (readonly string[])[]): DocCounts {
  const nFields = fieldTokens.length;
  const tf = new Map<string, number[]>();
  fieldTokens.forEach((tokens, f) => {
    for (const t of tokens) {
      let counts = tf.get(t);
      if (!counts) tf.set(t, (counts = new Array<number>(nFields).fill(0)));
      counts[f]! += 1;
    }
  });
  const terms: string[] = [];
  const packed: number[] = [];
  for (const [term, counts] of tf) {
    terms.push(term);
    packed.push(pack(counts));
  }
  return { lens: fieldTokens.map((t) => t.length), terms, packed };
}

export function pack(counts: readonly number[]): number {
  let code = 0;
  for (let f = counts.length - 1; f >= 0; f--) code = code * 256 + Math.min(TF_CAP, counts[f]!);
  return code;
}

/** Everything indexing takes from one skill's text. */
export function docTokens(doc: DocText, tokenize: (text: string) => string[]): DocTokens {
  return {
    ...countTerms(doc.fields.map((f) => tokenize(f))),
    triggerTokens: doc.triggers.map((t) => [...new Set(tokenize(t))]),
    nameTokens: [...new Set(tokenize(doc.name))],
  };
}
