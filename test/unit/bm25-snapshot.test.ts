import { expect, it } from 'vitest';
import { Bm25Index, type Bm25Field, type Bm25Matches } from '../../src/engine/index/bm25.js';
import { defaultBackground } from '../../src/engine/index/background.js';
import { tokenize } from '../../src/engine/index/tokenize.js';

/**
 * Bm25Index.snapshot after an index has lived a while (documents replaced and removed, so term
 * ids and slots are reused out of insertion order), with a `keep` filter: every kept document
 * comes out with its terms strictly ascending and its own frequencies, and a restored copy scores
 * exactly as an index holding only the kept documents.
 */
const FIELDS: Bm25Field[] = ['name', 'description', 'triggers', 'tags', 'instructions', 'resources'].map((name, i) => ({ name, weight: 1 + i / 4, b: 0.75 }));

const text = (i: number): string[] => [
  `guide-${i}`,
  `Notes on the ${['otter', 'heron', 'badger', 'lynx'][i % 4]} survey number ${i}`,
  `survey ${i}\ncount ${['otters', 'herons'][i % 2]}`,
  `field`,
  `Walk transect ${i % 7}. 写调查报告 ${i % 3}. Count everything twice.`,
  i % 5 === 0 ? 'sheet.csv' : '',
];

function scores(bm: Bm25Index, m: Bm25Matches): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < m.count; i++) out.set(bm.idOf(m.slots[i]!)!, [m.scores[i]!, m.coverage[i]!, m.headCoverage[i]!, m.termMask[i]!, m.headTermMask[i]!]);
  return out;
}

it('a snapshot of a changed index, filtered, restores to exactly the kept documents', () => {
  const make = () => new Bm25Index({ fields: FIELDS, k1: 1.2, headFields: 4, stats: defaultBackground() });
  const group = (i: number) => (i % 3 === 0 ? `user:u${i % 2}` : undefined);
  const bm = make();
  for (let i = 0; i < 60; i++) bm.add(`d${i}`, text(i).map((f) => tokenize(f)), group(i));
  // removals free slots and term ids; later adds reuse them
  for (let i = 0; i < 60; i += 4) bm.remove(`d${i}`);
  for (let i = 60; i < 80; i++) bm.add(`d${i}`, text(i + 1000).map((f) => tokenize(f)), group(i));
  for (let i = 1; i < 60; i += 9) bm.add(`d${i}`, text(i + 500).map((f) => tokenize(f)), group(i + 1));

  const keep = (id: string) => Number(id.slice(1)) % 5 !== 2;
  const snap = bm.snapshot(keep);
  const expected = make();
  const docs = bm.documents();
  for (let d = 0; d < snap.ids.length; d++) {
    const id = snap.ids[d]!;
    expect(keep(id)).toBe(true);
    const terms = Array.from(snap.docTerms.subarray(snap.docStart[d]!, snap.docStart[d + 1]!));
    for (let k = 1; k < terms.length; k++) expect(terms[k]!).toBeGreaterThan(terms[k - 1]!);
    const own = docs.get(id)!;
    const got = new Map(terms.map((t, k) => [snap.terms[t]!, snap.docPacked[snap.docStart[d]! + k]!]));
    expect(got).toEqual(new Map(own.terms.map((t, k) => [t, own.packed[k]!])));
    expected.addCounts(id, own, snap.groups[d]);
  }
  expect(snap.ids.length).toBe([...docs.keys()].filter(keep).length);
  // every dictionary entry is held by some kept document
  const used = new Set(snap.docTerms);
  expect(used.size).toBe(snap.terms.length);

  const copy = make();
  copy.restore(snap);
  const scope = { groups: ['user:u0', 'user:u1'] };
  for (const q of ['otter survey', 'count herons twice', '调查报告', 'guide-1001 transect', 'sheet csv field']) {
    expect(scores(copy, copy.search(tokenize(q), scope))).toEqual(scores(expected, expected.search(tokenize(q), scope)));
  }
});

it('a restored index keeps its postings in flat lists, and changes on top of them score as a fresh build', () => {
  const make = () => new Bm25Index({ fields: FIELDS, k1: 1.2, headFields: 4, stats: defaultBackground() });
  const group = (i: number) => (i % 4 === 0 ? 'user:u0' : undefined);
  const source = make();
  for (let i = 0; i < 40; i++) source.add(`d${i}`, text(i).map((f) => tokenize(f)), group(i));
  const restored = make();
  restored.restore(source.snapshot());
  const live = new Map<string, { i: number; g: string | undefined }>();
  for (let i = 0; i < 40; i++) live.set(`d${i}`, { i, g: group(i) });
  // removals from the restored lists (shared and private), replacements, a move between groups,
  // terms whose last document goes (their ids are reused), and new documents
  const change = (id: string, i: number | undefined, g?: string) => {
    if (i === undefined) {
      restored.remove(id);
      live.delete(id);
    } else {
      restored.add(id, text(i).map((f) => tokenize(f)), g);
      live.set(id, { i, g });
    }
  };
  for (let i = 0; i < 40; i += 3) change(`d${i}`, undefined);
  for (let i = 1; i < 40; i += 7) change(`d${i}`, i + 300, group(i + 1));
  change('d2', 2, 'user:u1');
  for (let i = 40; i < 55; i++) change(`d${i}`, i + 900, group(i));
  restored.compact();
  const fresh = make();
  for (const [id, { i, g }] of live) fresh.add(id, text(i).map((f) => tokenize(f)), g);
  const scope = { groups: ['user:u0', 'user:u1'] };
  for (const q of ['otter survey', 'count herons twice', '调查报告', 'guide-1301 transect', 'sheet csv field', 'guide-0 notes', 'lynx badger']) {
    const got = scores(restored, restored.search(tokenize(q), scope));
    const want = scores(fresh, fresh.search(tokenize(q), scope));
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [id, v] of want) expect(got.get(id)!.map((x) => Number(x.toFixed(10)))).toEqual(v.map((x) => Number(x.toFixed(10))));
  }
  for (const term of ['otter', 'heron', 'guide-0', 'sheet']) expect(restored.docFreq(tokenize(term)[0]!)).toBe(fresh.docFreq(tokenize(term)[0]!));
  // what it persists next is what it holds
  const again = make();
  again.restore(restored.snapshot());
  for (const q of ['otter survey', '调查报告', 'guide-1301 transect']) {
    expect(scores(again, again.search(tokenize(q), scope))).toEqual(scores(restored, restored.search(tokenize(q), scope)));
  }
});
