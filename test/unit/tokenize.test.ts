import { describe, expect, it } from 'vitest';
import { crossingBigrams, normalizeText, stemEnglish, tokenize, tokenizeWith } from '../../src/engine/index/tokenize.js';

describe('tokenize', () => {
  it('segments Chinese into dictionary words plus overlapping bigrams over the whole run', () => {
    const t = tokenize('写政府报告');
    // bigrams cross the segmenter's word boundaries
    expect(t).toEqual(expect.arrayContaining(['写政', '政府', '府报', '报告']));
    // two-character dictionary words are present (as words and as bigrams)
    expect(t.filter((x) => x === '政府').length).toBeGreaterThanOrEqual(1);
    // no single characters from multi-character runs
    expect(t).not.toContain('写');
  });

  it('matches differently segmented Chinese through shared bigrams', () => {
    const q = new Set(tokenize('写政府报告 不要用表格'));
    const d = new Set(tokenize('撰写一份政府工作报告，禁止使用表格'));
    const shared = [...q].filter((x) => d.has(x));
    expect(shared).toEqual(expect.arrayContaining(['政府', '报告', '表格']));
  });

  it('keeps a one-character CJK run as a unigram', () => {
    expect(tokenize('把thinking变成html')).toContain('把');
  });

  it('lowercases, applies NFKC and drops English stopwords', () => {
    expect(tokenize('ＡＢＣ１２３ The Report')).toEqual(['abc123', 'abc', '123', 'report']);
    expect(normalizeText('Ｆｕｌｌ')).toBe('full');
  });

  it('stems English inflections to a shared form', () => {
    const forms = ['write', 'writes', 'writing'].map(stemEnglish);
    expect(new Set(forms).size).toBe(1);
    expect(stemEnglish('tables')).toBe(stemEnglish('table'));
    expect(stemEnglish('summaries')).toBe(stemEnglish('summary'));
    expect(stemEnglish('running')).toBe(stemEnglish('run'));
    // short words are left alone
    expect(stemEnglish('bus')).toBe('bus');
  });

  it('truncates other alphabetic scripts so Russian inflections meet', () => {
    const a = new Set(tokenize('помоги с пассивным залогом'));
    const b = new Set(tokenize('проверь пассивный залог'));
    expect([...a].filter((x) => b.has(x)).length).toBe(2);
  });

  it('splits identifiers and keeps the compound', () => {
    const t = tokenize('use compute_metrics in Seq2SeqTrainer');
    expect(t).toEqual(expect.arrayContaining(['compute_metrics', 'comput', 'metric', 'seq2seqtrainer', 'trainer']));
  });

  it('drops pleasantries in both languages', () => {
    expect(tokenize('hello! thanks, ok')).toEqual([]);
    expect(tokenize('你好')).toEqual([]);
    expect(tokenize('谢谢')).toEqual([]);
  });

  it('handles empty and symbol-only input', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('  --- !!! ')).toEqual([]);
  });

  it('options switch features off', () => {
    expect(tokenizeWith('政府报告', { cjkBigrams: false })).toEqual(['政府', '报告']);
    expect(tokenizeWith('the writing', { stopwords: false, stem: false })).toEqual(['the', 'writing']);
  });

  it('memoized words never leak between option sets or mutate', () => {
    const text = 'Writing the computeMetrics tests';
    const stemmed = tokenize(text);
    expect(tokenizeWith(text, { stem: false })).toEqual(['writing', 'computemetrics', 'compute', 'metrics', 'tests']);
    expect(tokenizeWith(text, { stopwords: false, stem: false })).toContain('the');
    const again = tokenize(text);
    expect(again).toEqual(stemmed);
    again.length = 0; // callers own the arrays they get
    expect(tokenize(text)).toEqual(stemmed);
  });
});

describe('one-letter names and symbol names', () => {
  it('keeps one-letter words (C, R, Q) and names like C++, C#, Q&A, R&D; stopwords "a" and "I" stay out', () => {
    expect(tokenize('I write C code')).toEqual(expect.arrayContaining(['c']));
    expect(tokenize('R language')).toEqual(expect.arrayContaining(['r']));
    expect(tokenize('C++ templates')).toEqual(expect.arrayContaining(['c', 'c++']));
    expect(tokenize('C# generics')).toEqual(expect.arrayContaining(['c#']));
    expect(tokenize('a Q&A page')).toEqual(expect.arrayContaining(['q&a']));
    expect(tokenize('R&D budget')).toEqual(expect.arrayContaining(['r&d']));
    expect(tokenize('a I')).toEqual([]);
    // not inside longer words or identifiers
    expect(tokenize('abc++ x#y')).not.toContain('c++');
  });
});

describe('crossingBigrams', () => {
  it('lists the CJK bigrams that straddle a word boundary and occur inside no word', () => {
    const x = crossingBigrams('帮我写一份关于咖啡出口的报告');
    expect(x.has('于咖')).toBe(true);
    expect(x.has('啡出')).toBe(true);
    expect(x.has('咖啡')).toBe(false);
    expect(x.has('报告')).toBe(false);
    expect(crossingBigrams('write a report').size).toBe(0);
  });
});

describe('tokenize: one ASCII word skips the segmenter', () => {
  it('gives what the segmenter gives for every word of a varied text', () => {
    const text =
      'Write the weekly STATUS report2 for Q3 2024 and hello thanks OK seq2SeqTrainer computeMetrics HTTPServer ' +
      'writing writes written running ran studies caresses ponies the a I C R x86 64bit v2 123 abc123def ' +
      'XMLHttpRequest getURLParams iOS macOS GPT4o ISO8601 utf8 ab ss is us tests tested testing quickly badly';
    const words = text.split(' ');
    for (const opts of [{}, { stopwords: false }, { stem: false }, { stopwords: false, stem: false }]) {
      for (const w of words) {
        // padded with spaces, the word goes through the segmenter (the spaces are not word-like)
        expect(tokenizeWith(w, opts), w).toEqual(tokenizeWith(` ${w} `, opts));
      }
    }
  });
});
