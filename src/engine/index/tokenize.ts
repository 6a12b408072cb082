/**
 * Tokenization shared by the lexical index (BM25) and the local hashing embedder.
 *
 * Design, and why:
 * - Text is NFKC-normalized and lowercased first, so full-width forms (`ＡＢＣ１２３`), ligatures and
 *   case variants meet in one token.
 * - Word boundaries come from `Intl.Segmenter` (ICU). ICU uses a dictionary for Chinese/Japanese and
 *   the Unicode word-break rules elsewhere, so one pass handles mixed English/Chinese text.
 * - CJK runs additionally emit overlapping character bigrams over the *whole run* (across the
 *   segmenter's word boundaries). Dictionary segmentation of a short query and of a long document
 *   often disagree ("写政府报告" vs "政府工作报告"); bigrams make matching robust to that, while
 *   the dictionary words (kept when two characters or longer) reward exact multi-character words.
 *   Single CJK characters are only emitted for one-character runs: as unigrams they are too
 *   frequent to discriminate and they dominate postings (and latency).
 * - Latin words: identifiers are split into parts (`compute_metrics`, `camelCase`) and the
 *   compound is kept too; English stopwords are dropped; a light suffix stemmer conflates
 *   plural/verb forms (`writing`/`writes`/`write`), which trigger phrases and descriptions
 *   vary in constantly. Other alphabetic scripts (Cyrillic, accented Latin, …) are truncated to
 *   five letters, a crude but effective stemmer for inflected languages.
 * - Pleasantries ("hello", "thanks", "你好", "谢谢") are dropped: they never say which skill
 *   applies, but being rare in skill text they would otherwise look like specific evidence.
 * Changing any of this changes BM25 and LocalEmbedder features: bump LocalEmbedder's signature.
 */

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** a one-letter name with a symbol suffix or an ampersand pair: c++, c#, f#, q&a, r&d, p&l */
const SYMBOL_NAME = /(?<![\p{L}\p{N}&])(?:[a-z](?:\+\+|#)|[a-z]&[a-z])(?![\p{L}\p{N}+#&])/giu;

/** Short, high-frequency English function words. Content words such as "not"/"no" are kept: they carry constraints. */
const EN_STOPWORDS = new Set(
  (
    'a an the and or but if then so as at by for from in into of on onto to with without about ' +
    'is are was were be been being am do does did doing have has had having ' +
    'i me my we our us you your he him his she her it its they them their this that these those ' +
    'there here what which who whom whose when where why how ' +
    'can could would should will shall may might must ' +
    'just also very too more most some any such own same other each both all than only ' +
    'up out over under again further once s t d ll m re ve'
  ).split(/\s+/),
);

/**
 * Pleasantries and acknowledgements, English and Chinese. They say nothing about which skill
 * applies, yet are rare in skill text, so BM25 would treat them as highly specific and a bare
 * "hello" / "你好" would look like a strong match for whatever skill happens to contain it.
 */
const CHAT_STOPWORDS = new Set(
  (
    'hello hi hey hiya thanks thank thx ty ok okay yes yeah yep yup please pls sure cool bye goodbye ' +
    '你好 您好 你们好 大家好 谢谢 多谢 感谢 好的 好滴 嗯嗯 哈哈 哈哈哈 呵呵 在吗 在不在 拜拜 再见 早上好 晚上好 晚安'
  ).split(/\s+/),
);

const ASCII_ALNUM = /^[A-Za-z0-9]+$/;

let segmenter: Intl.Segmenter | undefined;
function getSegmenter(): Intl.Segmenter {
  // 'zh' selects ICU's CJK dictionary; Latin text is segmented by the same generic rules.
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  return segmenter;
}

/**
 * Segmenting takes time quadratic in the length of the string segmented (Node 24's
 * Intl.Segmenter: 80k characters 0.8 s, 160k 11 s; one 240 KB SKILL.md of the bank held up an
 * index build for 42 s), so long texts are segmented a piece at a time. Pieces end after a
 * whitespace character, where a word boundary is anyway, so the segments are the ones of the whole
 * text; only a run of more than SEGMENT_PIECE characters without any whitespace (a long CJK
 * paragraph, a base64 blob) is cut where it is, between two UTF-16 surrogate pairs.
 */
const SEGMENT_PIECE = 2048;
function* wordSegments(text: string): Generator<Intl.SegmentData> {
  const seg = getSegmenter();
  if (text.length <= SEGMENT_PIECE) {
    yield* seg.segment(text);
    return;
  }
  let from = 0;
  while (from < text.length) {
    let to = Math.min(text.length, from + SEGMENT_PIECE);
    if (to < text.length) {
      let cut = to;
      while (cut > from && !WHITESPACE.test(text[cut - 1]!)) cut--;
      if (cut > from) to = cut;
      else if (isHighSurrogate(text.charCodeAt(to - 1))) to--;
    }
    yield* seg.segment(text.slice(from, to));
    from = to;
  }
}
const WHITESPACE = /\s/;
const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/** NFKC + lowercase: the one normalization every index and query goes through. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function isCjk(ch: string): boolean {
  return CJK_CHAR.test(ch);
}

/**
 * A light English stemmer: strips the common inflectional suffixes (-s, -es, -ies, -ing, -ed, -ly)
 * and a final -e, so that write/writes/writing/written-ish forms and plural nouns share a stem.
 * It is deliberately conservative: it never touches words of four letters or fewer after
 * stripping, and only handles ASCII letters.
 */
export function stemEnglish(word: string): string {
  if (!/^[a-z]+$/.test(word)) return truncStem(word);
  if (word.length <= 3) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (/(sses|xes|ches|shes|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w) && w.length > 3) w = w.slice(0, -1);

  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  else if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);

  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 3) w = w.slice(0, -1) + 'i';
  return w;
}

/**
 * Other alphabetic scripts (Cyrillic, Greek, accented Latin…) have no stemmer here; truncating
 * to the first five letters is a known, surprisingly effective stand-in for inflected
 * languages (Russian `залогом`/`залог`, `пассивным`/`пассивный`).
 */
function truncStem(word: string): string {
  if (!/^\p{L}+$/u.test(word)) return word;
  const chars = [...word];
  return chars.length > TRUNC_LEN ? chars.slice(0, TRUNC_LEN).join('') : word;
}
const TRUNC_LEN = 5;

function undouble(stem: string): string {
  const n = stem.length;
  if (n >= 3 && stem[n - 1] === stem[n - 2] && /[bdfgmnprt]/.test(stem[n - 1] ?? '')) return stem.slice(0, -1);
  return stem;
}

/** Split identifiers into parts: `compute_metrics` → compute, metrics; `seq2SeqTrainer` → seq, 2, seq, trainer. */
function identifierParts(raw: string): string[] {
  return raw
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-zA-Z])/g, '$1 $2')
    .split(/[\s_.\-'’/]+/)
    .filter((p) => p.length > 0);
}

/**
 * Tokens of one non-CJK word segment. They depend only on the segment and two options, and the
 * same words recur in every skill, so they are memoized: identifier splitting and stemming were
 * over half the cost of indexing a large bank. The memo is bounded (cleared when full).
 */
const wordMemos = [0, 1, 2, 3].map(() => new Map<string, readonly string[]>());
const WORD_MEMO_MAX = 50_000;

function wordTokens(raw: string, stop: boolean, stem: boolean): readonly string[] {
  // One memo per option set: no key concatenation on the hot path.
  const memo = wordMemos[(stop ? 2 : 0) + (stem ? 1 : 0)]!;
  const hit = memo.get(raw);
  if (hit) return hit;
  const out: string[] = [];
  const emit = (w: string): void => {
    // One-letter words count: "C", "R", "Q" are names of things, and a stopword list (not a
    // length rule) is what keeps "a" and "I" out.
    if (w.length === 0) return;
    if (stop && (EN_STOPWORDS.has(w) || CHAT_STOPWORDS.has(w))) return;
    out.push(stem ? stemEnglish(w) : w);
  };
  const parts = identifierParts(raw).map((p) => p.toLowerCase());
  if (parts.length <= 1) emit(raw.toLowerCase());
  else {
    // keep the compound (an exact identifier match is strong evidence) plus its parts
    out.push(raw.toLowerCase());
    for (const p of parts) emit(p);
  }
  if (memo.size >= WORD_MEMO_MAX) memo.clear();
  memo.set(raw, out);
  return out;
}

export interface TokenizeOptions {
  /** emit dictionary words of CJK text (two characters or longer); default true */
  cjkWords?: boolean;
  /** emit overlapping CJK character bigrams; default true */
  cjkBigrams?: boolean;
  /** emit every CJK character as a unigram (not only one-character runs); default false */
  cjkUnigrams?: boolean;
  /** drop English stopwords and pleasantries; default true */
  stopwords?: boolean;
  /** apply the light stemmer; default true */
  stem?: boolean;
}

/** Tokenize with explicit options (benchmarks and tests); `tokenize` uses the tuned defaults. */
export function tokenizeWith(text: string, opts: TokenizeOptions = {}): string[] {
  const cjkWords = opts.cjkWords ?? true;
  const cjkBigrams = opts.cjkBigrams ?? true;
  const cjkUnigrams = opts.cjkUnigrams ?? false;
  const stop = opts.stopwords ?? true;
  const stem = opts.stem ?? true;
  // One ASCII word: ICU's word segmentation of a run of ASCII letters and digits is that run
  // (UAX #29 WB5/8/9/10), so the segmenter is skipped. Phrase matching tokenizes word by word,
  // and creating a segment iterator per word was most of the cost of a first search.
  if (ASCII_ALNUM.test(text)) {
    const t = wordTokens(text, stop, stem);
    return stop ? t.filter((w) => !CHAT_STOPWORDS.has(w)) : [...t];
  }
  // NFKC before segmentation (full-width letters must segment as ASCII), but case is folded
  // per segment so identifier splitting can still see camelCase boundaries.
  const nfkc = text.normalize('NFKC');
  const o: BlockOptions = { cjkWords, cjkBigrams, cjkUnigrams, stop, stem };
  const remember = cjkWords && cjkBigrams && !cjkUnigrams && stop && stem && nfkc.length >= BLOCK_MIN;
  let out: string[] | undefined;
  if (remember) {
    const known = findBlock(nfkc);
    if (known) {
      // No word, symbol name or CJK run crosses a line feed (UAX #29 WB3a/WB3b break around it;
      // the patterns below cannot match it), so the text's tokens are the lines before the known
      // block, the block and the lines after it: their words, then their symbol names, then
      // their CJK n-grams, in that order.
      const parts = [
        known.at > 0 ? blockTokens(nfkc.slice(0, known.at - 1), o) : undefined,
        known.block.parts,
        known.at + known.block.text.length < nfkc.length ? blockTokens(nfkc.slice(known.at + known.block.text.length + 1), o) : undefined,
      ].filter((p): p is BlockTokens => p !== undefined);
      out = [];
      for (const p of parts) for (const t of p.words) out.push(t);
      for (const p of parts) for (const t of p.symbols) out.push(t);
      for (const p of parts) for (const t of p.cjk) out.push(t);
    }
  }
  if (!out) {
    const parts = blockTokens(nfkc, o);
    if (remember && nfkc.includes('\n')) rememberBlock(nfkc, parts);
    out = [...parts.words, ...parts.symbols, ...parts.cjk];
  }
  return stop ? out.filter((t) => !CHAT_STOPWORDS.has(t)) : out;
}

interface BlockOptions {
  cjkWords: boolean;
  cjkBigrams: boolean;
  cjkUnigrams: boolean;
  stop: boolean;
  stem: boolean;
}

/** A text's tokens in the three groups they are ordered by. */
interface BlockTokens {
  words: readonly string[];
  symbols: readonly string[];
  cjk: readonly string[];
}

/**
 * The last few long multi-line texts tokenized (default options), with their tokens. An index
 * build tokenizes a skill's fields, then (for the LocalEmbedder, index/hash-embed.ts) its
 * retrieval text, which holds the same instructions again between line feeds: that second pass
 * takes the instructions' tokens from here instead of segmenting them again (ICU segmentation is
 * most of the cost of indexing). A text is looked up only whole and only between line feeds.
 */
const recentBlocks: Array<{ text: string; parts: BlockTokens }> = [];
const RECENT_BLOCKS = 4;
/** shorter texts are cheaper to segment again than to look for */
const BLOCK_MIN = 256;

function rememberBlock(text: string, parts: BlockTokens): void {
  if (recentBlocks.length >= RECENT_BLOCKS) recentBlocks.shift();
  recentBlocks.push({ text, parts });
}

/** A remembered text that occurs in `text` as whole lines (bounded by line feeds or the ends). */
function findBlock(text: string): { at: number; block: (typeof recentBlocks)[number] } | undefined {
  for (let i = recentBlocks.length - 1; i >= 0; i--) {
    const block = recentBlocks[i]!;
    if (block.text.length > text.length) continue;
    const at = text.indexOf(block.text);
    if (at < 0) continue;
    const end = at + block.text.length;
    if ((at === 0 || text.charCodeAt(at - 1) === 10) && (end === text.length || text.charCodeAt(end) === 10)) return { at, block };
  }
  return undefined;
}

function blockTokens(nfkc: string, o: BlockOptions): BlockTokens {
  const words: string[] = [];
  for (const seg of wordSegments(nfkc)) {
    if (!seg.isWordLike) continue;
    const raw = seg.segment;
    if (!HAS_LETTER_OR_DIGIT.test(raw)) continue;
    if (CJK_CHAR.test(raw)) {
      // CJK runs become bigrams below; multi-character dictionary words are kept as well.
      if (o.cjkWords && [...raw].length >= 2) words.push(raw.toLowerCase());
      continue;
    }
    for (const t of wordTokens(raw, o.stop, o.stem)) words.push(t);
  }

  // Names the word segmenter splits apart: "C++", "C#", "F#", "Q&A", "R&D". The letter alone is
  // emitted too (above), so "C++" still meets "C" a little, and "C++" meets "C++" strongly.
  const symbols: string[] = [];
  for (const m of nfkc.matchAll(SYMBOL_NAME)) symbols.push(m[0].toLowerCase());

  const cjk: string[] = [];
  if (o.cjkBigrams || o.cjkUnigrams) {
    for (const m of nfkc.toLowerCase().matchAll(CJK_RUN)) {
      const chars = [...m[0]];
      if (chars.length === 1 || o.cjkUnigrams) cjk.push(...chars);
      if (o.cjkBigrams) for (let i = 0; i + 1 < chars.length; i++) cjk.push(chars[i]! + chars[i + 1]!);
    }
  }
  return { words, symbols, cjk };
}

/** Tokens for indexing and querying (tuned defaults). Order is not meaningful. */
export function tokenize(text: string): string[] {
  return tokenizeWith(text);
}

export function isChatStopword(token: string): boolean {
  return CHAT_STOPWORDS.has(token);
}

/**
 * The CJK character bigrams of `text` that straddle a word boundary of the segmenter ("写一份关于
 * 咖啡" → 份关, 于咖, …) and occur nowhere inside a word. Indexing keeps them (segmentation of a
 * short query and of a long document disagree, and bigrams bridge that), but in a query they are
 * mostly noise that no text contains, and as such they would claim the highest IDF of the query:
 * a query weighs them less (SkillIndex queryTerms, index/skill-index.ts).
 */
export function crossingBigrams(text: string): Set<string> {
  const out = new Set<string>();
  const inside = new Set<string>();
  const nfkc = text.normalize('NFKC').toLowerCase();
  for (const m of nfkc.matchAll(CJK_RUN)) {
    const run = m[0];
    const chars = [...run];
    if (chars.length < 2) continue;
    // word start offsets within the run, in characters
    const starts = new Set<number>();
    let pos = 0;
    for (const seg of wordSegments(run)) {
      starts.add(pos);
      const seg_chars = [...seg.segment];
      for (let i = 0; i + 1 < seg_chars.length; i++) inside.add(seg_chars[i]! + seg_chars[i + 1]!);
      pos += seg_chars.length;
    }
    for (let i = 0; i + 1 < chars.length; i++) if (starts.has(i + 1)) out.add(chars[i]! + chars[i + 1]!);
  }
  for (const b of inside) out.delete(b);
  return out;
}
