import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/engine/index/bm25.js';
import { tokenize } from '../../src/engine/index/tokenize.js';

const FIELDS = [
  { name: 'title', weight: 3, b: 0.75 },
  { name: 'body', weight: 1, b: 0.75 },
];

function doc(title: string, body: string): string[][] {
  return [tokenize(title), tokenize(body)];
}

function scores(bm: Bm25Index, q: string): Map<string, number> {
  const m = bm.search(tokenize(q));
  const out = new Map<string, number>();
  for (let i = 0; i < m.count; i++) out.set(bm.idOf(m.slots[i]!)!, m.scores[i]!);
  return out;
}

function build(docs: Array<[string, string, string]>): Bm25Index {
  const bm = new Bm25Index({ fields: FIELDS, k1: 1.2 });
  for (const [id, t, b] of docs) bm.add(id, doc(t, b));
  return bm;
}

const CORPUS: Array<[string, string, string]> = [
  ['email', 'weekly status email', 'write a short status email for the team without tables'],
  ['report', '政府报告写作', '撰写政府工作报告，不要使用表格，语言朴实'],
  ['sql', 'sql query generator', 'generate postgres sql from english descriptions'],
  ['poem', 'poem writer', 'write a poem about the sea; email it later'],
];

describe('Bm25Index', () => {
  it('ranks the document matching the query best, in English and Chinese', () => {
    const bm = build(CORPUS);
    const en = scores(bm, 'status email');
    expect([...en.entries()].sort((a, b) => b[1] - a[1])[0]![0]).toBe('email');
    const zh = scores(bm, '写政府报告');
    expect([...zh.entries()].sort((a, b) => b[1] - a[1])[0]![0]).toBe('report');
  });

  it('weights a title match above a body match', () => {
    const bm = build([
      ['in-title', 'email helper', 'assists with writing'],
      ['in-body', 'writing helper', 'assists with email'],
    ]);
    const s = scores(bm, 'email');
    expect(s.get('in-title')!).toBeGreaterThan(s.get('in-body')!);
  });

  it('reports the ideal score so scores can be normalized absolutely', () => {
    const bm = build(CORPUS);
    const m = bm.search(tokenize('status email'));
    for (let i = 0; i < m.count; i++) expect(m.scores[i]!).toBeLessThan(m.maxScore);
    // a term unknown to the index still raises the ideal score
    const m2 = bm.search(tokenize('status email zyxwvut'));
    expect(m2.maxScore).toBeGreaterThan(m.maxScore);
    expect(m2.knownTerms).toBe(m.knownTerms);
  });

  it('removing a document equals never having added it', () => {
    const full = build(CORPUS);
    full.add('extra', doc('status dashboard', 'email status dashboard for team leads'));
    full.remove('extra');
    const fresh = build(CORPUS);
    for (const q of ['status email', 'write', '政府 表格', 'sql']) {
      const a = scores(full, q);
      const b = scores(fresh, q);
      expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
      for (const [id, s] of a) expect(s).toBeCloseTo(b.get(id)!, 10);
    }
    expect(full.size).toBe(fresh.size);
    expect(full.docFreq('dashboard')).toBe(0);
  });

  it('re-adding an id replaces the document (no stale terms)', () => {
    const bm = build(CORPUS);
    bm.add('sql', doc('spreadsheet formulas', 'excel formulas'));
    expect(scores(bm, 'postgres').has('sql')).toBe(false);
    expect(scores(bm, 'excel').has('sql')).toBe(true);
    expect(bm.size).toBe(CORPUS.length);
  });

  it('reuses slots after removal and keeps them stable for live docs', () => {
    const bm = build(CORPUS);
    const slot = bm.slotOf('poem');
    bm.remove('email');
    expect(bm.slotOf('poem')).toBe(slot);
    bm.add('new', doc('new doc', 'fresh text'));
    expect(bm.idOf(bm.slotOf('new')!)).toBe('new');
    expect(bm.has('email')).toBe(false);
  });

  it('churn (removes, term ids freed and reused, compaction) leaves the same index as a fresh build', () => {
    const bm = build(CORPUS);
    // Remove documents whose terms are unique to them, so their term ids are freed and reused.
    bm.remove('sql');
    bm.remove('poem');
    bm.add('haiku', doc('haiku composer', 'compose a haiku about autumn leaves'));
    bm.add('sql', doc('sql query generator', 'generate postgres sql from english descriptions'));
    bm.compact();
    const fresh = build([...CORPUS.filter(([id]) => id !== 'poem'), ['haiku', 'haiku composer', 'compose a haiku about autumn leaves']]);
    for (const q of ['status email', 'postgres sql', 'haiku autumn', 'poem sea', '政府 表格']) {
      const got = scores(bm, q);
      const want = scores(fresh, q);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [id, s] of want) expect(got.get(id)).toBeCloseTo(s, 10);
    }
    expect(bm.docFreq('poem')).toBe(0);
    expect(bm.docFreq('haiku')).toBe(1);
    expect(bm.documents().get('haiku')?.terms.slice().sort()).toEqual(fresh.documents().get('haiku')?.terms.slice().sort());
  });

  it('grows past its initial capacity', () => {
    const bm = new Bm25Index({ fields: FIELDS });
    for (let i = 0; i < 300; i++) bm.add(`d${i}`, doc(`title ${i}`, i % 2 ? 'odd body text' : 'even body text'));
    const s = scores(bm, 'odd');
    expect(s.size).toBe(150);
    expect(bm.size).toBe(300);
  });

  it('accepts weighted queries', () => {
    const bm = build(CORPUS);
    const a = bm.search(new Map([['email', 1]]));
    const b = bm.search(new Map([['email', 2]]));
    expect(b.maxScore).toBeCloseTo(2 * a.maxScore, 10);
  });

  it('rejects a wrong number of fields', () => {
    const bm = new Bm25Index({ fields: FIELDS });
    expect(() => bm.add('x', [['a']])).toThrow(RangeError);
  });
});
