import { describe, expect, it } from 'vitest';
import { Bm25Index, type Bm25Field, type Bm25Matches } from '../../src/engine/index/bm25.js';
import { defaultBackground } from '../../src/engine/index/background.js';
import { tokenize } from '../../src/engine/index/tokenize.js';

/**
 * Private groups (a user's skills kept out of the shared postings) must not change a single
 * score: a document's score is the same bits whether it sits in the shared lists or in its group,
 * and a search sees exactly the shared documents plus the groups it names.
 */
const FIELDS: Bm25Field[] = [
  { name: 'name', weight: 2.25, b: 0.75 },
  { name: 'description', weight: 2, b: 0.625 },
  { name: 'triggers', weight: 0.25, b: 0.875 },
  { name: 'tags', weight: 1.5, b: 0.75 },
  { name: 'instructions', weight: 0.5, b: 1 },
  { name: 'resources', weight: 1, b: 0.75 },
];

const DOCS: Array<[id: string, group: string | undefined, fields: string[]]> = [
  ['lib-report', undefined, ['weekly-status-report', 'Write a weekly status report', 'weekly report\nstatus update', 'report', 'Summarize the week: done, next, blockers.', '']],
  ['lib-review', undefined, ['code-review', 'Review code changes', 'review my pull request', 'code', 'Check tests, naming, and error handling.', 'checklist.md']],
  ['u1-report', 'user:u1', ['my-report-style', 'How I want my weekly report', 'weekly report', 'report', 'Use bullet points. Keep the status report short.', '']],
  ['u1-tea', 'user:u1', ['tea-notes', '关于茶的笔记', '写茶的笔记', 'tea', '用中文写，简洁。', '']],
  ['u2-report', 'user:u2', ['report-in-tables', 'Weekly status report as a table', 'status table', 'report', 'Put the weekly status report in a Markdown table.', '']],
];

function build(grouped: boolean, withStats: boolean): Bm25Index {
  const bm = new Bm25Index({ fields: FIELDS, k1: 1.2, headFields: 4, ...(withStats ? { stats: defaultBackground() } : {}) });
  for (const [id, group, fields] of DOCS) bm.add(id, fields.map((f) => tokenize(f)), grouped ? group : undefined);
  return bm;
}

function byId(bm: Bm25Index, m: Bm25Matches): Map<string, { score: number; cov: number; head: number; mask: number; headMask: number }> {
  const out = new Map<string, { score: number; cov: number; head: number; mask: number; headMask: number }>();
  for (let i = 0; i < m.count; i++) {
    out.set(bm.idOf(m.slots[i]!)!, { score: m.scores[i]!, cov: m.coverage[i]!, head: m.headCoverage[i]!, mask: m.termMask[i]!, headMask: m.headTermMask[i]! });
  }
  return out;
}

const QUERIES = ['weekly status report', 'review my pull request', '写茶的笔记', 'report table markdown', 'zyxwvut report'];

describe('Bm25Index private groups', () => {
  for (const withStats of [true, false]) {
    it(`scores a private document exactly as a shared one (${withStats ? 'background statistics' : 'index statistics'})`, () => {
      const flat = build(false, withStats);
      const grouped = build(true, withStats);
      for (const q of QUERIES) {
        const terms = tokenize(q);
        const all = byId(flat, flat.search(terms));
        const seen = byId(grouped, grouped.search(terms, { groups: ['user:u1'] }));
        const expected = new Map([...all].filter(([id]) => !id.startsWith('u2-')));
        expect(seen).toEqual(expected);
        const a = flat.search(terms);
        const b = grouped.search(terms, { groups: ['user:u1'] });
        expect([b.maxScore, b.queryMass, b.knownTerms, b.terms]).toEqual([a.maxScore, a.queryMass, a.knownTerms, a.terms]);
      }
    });
  }

  it('a search sees the shared documents and the named groups only', () => {
    const bm = build(true, true);
    const ids = (scope: Parameters<Bm25Index['search']>[1]) => [...byId(bm, bm.search(tokenize('weekly status report'), scope)).keys()].sort();
    expect(ids({})).toEqual(['lib-report']);
    expect(ids({ groups: ['user:u2'] })).toEqual(['lib-report', 'u2-report']);
    expect(ids({ shared: false, groups: ['user:u1'] })).toEqual(['u1-report']);
    expect(ids({ shared: false, groups: ['user:u1', 'user:u2'] })).toEqual(['u1-report', 'u2-report']);
    expect(ids({ shared: false })).toEqual([]);
  });

  it('document frequencies count private documents; remove and regroup keep postings consistent', () => {
    const bm = build(true, false);
    const flat = build(false, false);
    for (const t of ['report', 'weekli', 'statu', '茶的']) expect(bm.docFreq(t)).toBe(flat.docFreq(t));
    // move u1's report to u2, then remove it: u1 no longer sees it, u2 sees it, then nobody
    bm.add('u1-report', DOCS[2]![2].map((f) => tokenize(f)), 'user:u2');
    const q = tokenize('bullet points');
    expect([...byId(bm, bm.search(q, { groups: ['user:u1'] })).keys()]).toEqual([]);
    expect([...byId(bm, bm.search(q, { groups: ['user:u2'] })).keys()]).toEqual(['u1-report']);
    expect(bm.remove('u1-report')).toBe(true);
    expect(bm.search(q, { groups: ['user:u2'] }).count).toBe(0);
    expect(bm.docFreq('bullet')).toBe(0);
    expect(bm.size).toBe(DOCS.length - 1);
    // a term only private documents held is gone from the dictionary with them
    expect(bm.search(q, { groups: ['user:u2'] }).knownTerms).toBe(0);
  });

  it('restore adopts a snapshot exactly, and refuses an inconsistent one leaving the index empty and usable', () => {
    const bm = build(true, true);
    const snap = bm.snapshot();
    const copy = new Bm25Index({ fields: FIELDS, k1: 1.2, headFields: 4, stats: defaultBackground() });
    copy.restore(snap);
    const scope = { groups: ['user:u1', 'user:u2'] };
    for (const q of QUERIES) expect(byId(copy, copy.search(tokenize(q), scope))).toEqual(byId(bm, bm.search(tokenize(q), scope)));

    for (const bad of [{ ...snap, terms: snap.terms.map((t, i) => (i === 1 ? snap.terms[0]! : t)) }, { ...snap, ids: snap.ids.map((id, i) => (i === 1 ? snap.ids[0]! : id)) }]) {
      const idx = new Bm25Index({ fields: FIELDS, k1: 1.2, headFields: 4, stats: defaultBackground() });
      expect(() => idx.restore(bad)).toThrow();
      expect(idx.size).toBe(0);
      idx.add('x', DOCS[0]![2].map((f) => tokenize(f)));
      expect([...byId(idx, idx.search(tokenize('weekly status report'))).keys()]).toEqual(['x']);
    }
  });

  it('documents() round-trips private documents through addCounts', () => {
    const bm = build(true, true);
    const copy = new Bm25Index({ fields: FIELDS, k1: 1.2, headFields: 4, stats: defaultBackground() });
    const groupOf = new Map(DOCS.map(([id, g]) => [id, g]));
    for (const [id, d] of bm.documents()) copy.addCounts(id, d, groupOf.get(id));
    for (const q of QUERIES) {
      const scope = { groups: ['user:u1', 'user:u2'] };
      expect(byId(copy, copy.search(tokenize(q), scope))).toEqual(byId(bm, bm.search(tokenize(q), scope)));
    }
  });
});
