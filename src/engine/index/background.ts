import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * Background term statistics: the IDF and average field lengths BM25 scores with.
 *
 * Why not the store's own statistics: with them a (query, skill) score depends on how many
 * skills the store holds and on skills of other users. With one skill in the store every term
 * has df = N = 1, IDF collapses to ~0.29 and an obvious match scores 0.1; another user adding
 * skills moves my scores. So the statistics come from a fixed corpus shipped with the package
 * (data/background-v1.json.gz, built by scripts/build-background.ts from the skill bank's Common
 * and ConvSkill libraries, MIT): a score is then a function of the query and the skill alone,
 * the same in an empty store, a full bank, for every user.
 *
 * Terms the table does not hold (pruned as rare, or never seen) get the IDF of a term seen in
 * `absentDf` documents: rare, hence specific, like every term that was pruned.
 */

export interface TermStats {
  /** documents the statistics were computed over */
  readonly n: number;
  /** BM25 idf: ln(1 + (N − df + 0.5) / (df + 0.5)) */
  idf(term: string): number;
  /** average token length of field `f` (BM25 length normalization) */
  avgLen(f: number): number;
}

/** The file's shape (see scripts/build-background.ts). */
interface BackgroundFile {
  format: 1;
  /** how the table was built (corpus, tokenizer fingerprint, pruning) */
  source: string;
  n: number;
  fields: string[];
  avgLen: number[];
  /** terms with df < minDf were dropped */
  minDf: number;
  /** terms joined by '\n', in the order of `df` */
  terms: string;
  df: number[];
}

export class BackgroundStats implements TermStats {
  readonly n: number;
  readonly fields: readonly string[];
  readonly minDf: number;
  readonly source: string;
  private readonly df: Map<string, number>;
  private readonly lens: readonly number[];
  private readonly absentIdf: number;

  constructor(file: BackgroundFile) {
    if (file.format !== 1) throw new Error(`unknown background table format ${String(file.format)}`);
    this.n = file.n;
    this.fields = file.fields;
    this.minDf = file.minDf;
    this.source = file.source;
    this.lens = file.avgLen;
    const terms = file.terms === '' ? [] : file.terms.split('\n');
    if (terms.length !== file.df.length) throw new Error('background table: terms and df differ in length');
    this.df = new Map(terms.map((t, i) => [t, file.df[i]!]));
    // A pruned term occurred in fewer than minDf documents; count it as a term seen once.
    this.absentIdf = idfOf(this.n, 1);
  }

  idf(term: string): number {
    const df = this.df.get(term);
    return df === undefined ? this.absentIdf : idfOf(this.n, df);
  }

  docFreq(term: string): number {
    return this.df.get(term) ?? 0;
  }

  avgLen(f: number): number {
    return this.lens[f] ?? 1;
  }

  get termCount(): number {
    return this.df.size;
  }
}

export function idfOf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

export function parseBackground(gz: Uint8Array): BackgroundStats {
  return new BackgroundStats(JSON.parse(gunzipSync(gz).toString('utf8')) as BackgroundFile);
}

/** Where the shipped table lives: `<package>/data/`, three levels above src/engine/index and dist/engine/index. */
export const BACKGROUND_URL = new URL('../../../data/background-v1.json.gz', import.meta.url);

let shipped: BackgroundStats | undefined;

/** The table shipped with the package, read once. */
export function defaultBackground(): BackgroundStats {
  shipped ??= parseBackground(readFileSync(BACKGROUND_URL));
  return shipped;
}
