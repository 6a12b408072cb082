import type { Evidence } from '../retrieve/calibration.js';

/**
 * Search candidates' evidence as rows of shared Float64Arrays.
 *
 * A search scores ~80 candidates with 24 numbers each. As plain objects, every number that is not
 * a small integer is a separate heap box (V8 with pointer compression boxes double fields), so
 * the evidence alone was ~50 KB of garbage per search, a fifth of what a proxied request
 * allocates. A row stores the same numbers unboxed and reads like the object it replaces.
 */

/** Evidence's fields, in row order. */
export const EVIDENCE_FIELDS = [
  'lexical', 'info', 'coverage', 'headCoverage', 'trigger', 'triggerCover', 'nameCover', 'phrase',
  'headMass', 'lexicalMass', 'stated', 'semantic', 'question', 'headMiss', 'miss', 'topMiss',
  'topHeadMiss', 'remark', 'oneWord', 'headWords', 'headWordShare', 'wordShare', 'triggerStated',
] as const satisfies ReadonlyArray<keyof Evidence>;

// every field of Evidence has a column (a field added there without one fails to compile here)
type Missing = Exclude<keyof Evidence, (typeof EVIDENCE_FIELDS)[number]>;
const complete: [Missing] extends [never] ? true : never = true;
void complete;

const WIDTH = EVIDENCE_FIELDS.length;
/** rows per block: a search's pool fits in one or two */
const BLOCK_ROWS = 64;

interface EvidenceRow extends Evidence {}
class EvidenceRow {
  constructor(
    private readonly buf: Float64Array,
    private readonly at: number,
  ) {}

  /** serialized as the plain evidence it stands for, not as its buffer */
  toJSON(): Evidence {
    return plainEvidence(this);
  }
}
EVIDENCE_FIELDS.forEach((name, k) => {
  Object.defineProperty(EvidenceRow.prototype, name, {
    get(this: { buf: Float64Array; at: number }): number {
      return this.buf[this.at + k]!;
    },
    set(this: { buf: Float64Array; at: number }, v: number) {
      this.buf[this.at + k] = v;
    },
    enumerable: true,
  });
});

/** The rows of one search: each starts as a copy of `template`. */
export class EvidenceRows {
  private readonly template = new Float64Array(WIDTH);
  private block = new Float64Array(0);
  private used = 0;

  constructor(template: Evidence) {
    EVIDENCE_FIELDS.forEach((name, k) => (this.template[k] = template[name]));
  }

  row(): Evidence {
    if (this.used === this.block.length) {
      this.block = new Float64Array(BLOCK_ROWS * WIDTH);
      this.used = 0;
    }
    const at = this.used;
    this.block.set(this.template, at);
    this.used += WIDTH;
    return new EvidenceRow(this.block, at);
  }
}

/** A plain object with the same values (rows read their fields from the prototype, so a spread would copy none). */
export function plainEvidence(e: Evidence): Evidence {
  const out = {} as Record<keyof Evidence, number>;
  for (const name of EVIDENCE_FIELDS) out[name] = e[name];
  return out;
}
