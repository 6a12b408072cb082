import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/engine/index/bm25.js';
import { EVIDENCE_FIELDS, EvidenceRows, plainEvidence } from '../../src/engine/index/evidence-rows.js';
import { tokenize } from '../../src/engine/index/tokenize.js';
import { calibrate, featureVector, FEATURE_NAMES, type Evidence } from '../../src/engine/retrieve/calibration.js';

// The search's allocation cuts (reused BM25 buffers, evidence rows, calibration scratch) must
// give exactly what the allocating forms gave.

function evidence(seed: number): Evidence {
  const e = {} as Record<keyof Evidence, number>;
  EVIDENCE_FIELDS.forEach((name, k) => (e[name] = ((seed * 7919 + k * 104729) % 1000) / 1000));
  return e;
}

describe('evidence rows', () => {
  it('start as the template, keep their own values, and read back as plain objects', () => {
    const template = evidence(1);
    const rows = new EvidenceRows(template);
    const made = Array.from({ length: 150 }, () => rows.row()); // more than one block
    made.forEach((r, i) => (r.lexical = i / 1000));
    made.forEach((r, i) => {
      expect(r.lexical).toBe(i / 1000);
      expect(plainEvidence(r)).toEqual({ ...template, lexical: i / 1000 });
    });
    expect(Object.keys(plainEvidence(made[0]!)).sort()).toEqual([...EVIDENCE_FIELDS].sort());
    expect(JSON.parse(JSON.stringify(made[3]))).toEqual(plainEvidence(made[3]!));
  });

  it('calibrate gives the dot product of featureVector, for rows and plain objects alike', () => {
    const model = { bias: -0.3, weights: FEATURE_NAMES.map((_, i) => Math.sin(i + 1)) };
    for (let seed = 0; seed < 20; seed++) {
      const e = evidence(seed);
      const x = featureVector(e);
      let z = model.bias;
      for (let i = 0; i < x.length; i++) z += model.weights[i]! * x[i]!;
      const p = 1 / (1 + Math.exp(-z));
      const want = e.triggerStated > 0 ? 1 - (1 - p) * 0.4 : p;
      expect(calibrate(e, model)).toBe(want);
      const row = new EvidenceRows(e).row();
      expect(calibrate(row, model)).toBe(want);
    }
  });
});

describe('BM25 reused result buffers', () => {
  it('hold the same matches as fresh arrays, until the next search', () => {
    const bm = new Bm25Index({ fields: [{ name: 'title', weight: 3, b: 0.75 }, { name: 'body', weight: 1, b: 0.75 }], k1: 1.2, headFields: 1 });
    const docs = ['weekly status email', 'sql query generator', 'status report for the board', 'email to a landlord about status'];
    docs.forEach((d, i) => bm.add(`d${i}`, [tokenize(d), tokenize(`${d} body text ${i}`)]));
    for (const q of ['status email', 'sql', 'board report status']) {
      const fresh = bm.search(tokenize(q));
      const reused = bm.search(tokenize(q), { reuse: true });
      expect(reused.count).toBe(fresh.count);
      for (const k of ['slots', 'scores', 'coverage', 'headCoverage', 'termMask', 'headTermMask'] as const) {
        expect(Array.from(reused[k])).toEqual(Array.from(fresh[k].subarray(0, fresh.count)));
      }
    }
    // a fresh search's arrays are its own: a later search does not change them
    const kept = bm.search(tokenize('status email'));
    const before = Array.from(kept.scores);
    bm.search(tokenize('sql query'), { reuse: true });
    bm.search(tokenize('sql query'));
    expect(Array.from(kept.scores)).toEqual(before);
  });
});
