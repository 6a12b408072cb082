import { kindOfFamilyKey } from '../skill/kind-family.js';
import { stemEnglish } from './tokenize.js';

/**
 * Does a request name the kind of work a learned skill is bound to, when that kind is one no task
 * family knows (metadata.family "kind:<noun>", learn/offline-extractor.ts)? "kind:朋友圈文案" is
 * named by "发个朋友圈"; "kind:gift-notes" by "a note for the gift" (every word, stemmed).
 *
 * Why a match on the kind's own words and not on its triggers: a kind skill's triggers are the
 * kind with a verb ("写朋友圈文案"), so a request that names the kind in other words states none.
 * One matcher per search: the request's words are stemmed once, on the first kind asked about.
 */
const ZH_GENERIC_TAIL = /(?:文案|内容|的东西|东西|材料|稿子|稿)$/u;
const HAN = /\p{Script=Han}/u;

const zhSplit = new Map<string, string[]>();
let segmenter: Intl.Segmenter | undefined;

/** A Chinese kind's words (ICU's dictionary segmentation), remembered per kind. */
function zhWords(kind: string): string[] {
  let words = zhSplit.get(kind);
  if (!words) {
    segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
    // characters the dictionary leaves single join their neighbours: 入|职|清单 → 入职|清单, 朋友|圈|文案 → 朋友圈|文案
    words = [];
    let single = '';
    for (const { segment, isWordLike } of segmenter.segment(kind)) {
      if (!isWordLike) continue;
      if (segment.length === 1) single += segment;
      else {
        if (single.length === 1 && words.length > 0) words[words.length - 1] += single;
        else if (single) words.push(single);
        single = '';
        words.push(segment);
      }
    }
    if (single.length === 1 && words.length > 0) words[words.length - 1] += single;
    else if (single) words.push(single);
    if (zhSplit.size > 4096) zhSplit.clear();
    zhSplit.set(kind, words);
  }
  return words;
}

export function kindMatcher(query: string): (family: string) => boolean {
  let said: Set<string> | undefined;
  return (family) => {
    const kind = kindOfFamilyKey(family);
    if (kind === undefined) return false;
    if (HAN.test(kind)) {
      if (query.includes(kind)) return true;
      const core = kind.replace(ZH_GENERIC_TAIL, '');
      if (core.length >= 2 && core !== kind && query.includes(core)) return true;
      // the kind's words apart: "入职清单" in "怎么安排入职？给我个清单"
      const parts = zhWords(kind);
      return parts.length >= 2 && parts.every((w) => w.length >= 2 && query.includes(w));
    }
    const words = kind.split(' ').filter((w) => w.length > 0);
    said ??= new Set((query.toLowerCase().match(/[a-z0-9]+/g) ?? []).map(stemEnglish));
    return words.length > 0 && words.every((w) => said!.has(stemEnglish(w)));
  };
}

export function namesKind(family: string, query: string): boolean {
  return kindMatcher(query)(family);
}
