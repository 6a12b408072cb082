import type { ConverterFunction } from 'opencc-js';

/**
 * Traditional Chinese read as simplified, for matching only: the offline gate's markers ("以后",
 * "别再"), the task families and the skill bank are written in simplified characters, so "之後回答
 * 都用繁體" was learned from nothing. What a user wrote is stored as they wrote it elsewhere; here
 * only the analysis and the search see the simplified form.
 *
 * Why opencc-js (the OpenCC dictionaries, MIT/Apache-2.0) and its `t2cn` entry (108 KB): a
 * character table of our own would miss the one-to-many cases OpenCC resolves by phrase. Loaded
 * on the first text that holds a traditional-only character, never for others.
 */

/** Frequent characters that exist only in traditional writing: a text without any needs no conversion. */
const TRADITIONAL_ONLY =
  /[們個這來說為會時後對與見經還實應邊體學發關問題點書電話開長處變讓從覺總請進過遠選種麼樣燈風飛馬鳥魚龍車東門間聽頭顏寫讀認識語譯報導樂歡愛國業務產費買賣錢價貨單區號華萬歲氣熱當幾隻條標準確辦議論記憶錄類輕鬆簡繁雙給嗎網頁幫煩謝]/u;

let converter: ConverterFunction | undefined;
let loading: Promise<void> | undefined;

/** Whether `text` holds traditional-only characters. */
export function hasTraditional(text: string): boolean {
  return TRADITIONAL_ONLY.test(text);
}

/** Load the converter (once) when any of `texts` needs it. */
export async function prepareTraditional(texts: readonly string[]): Promise<void> {
  if (converter || !texts.some(hasTraditional)) return;
  loading ??= import('opencc-js/t2cn')
    .then((m) => {
      converter = m.Converter({ from: 'tw', to: 'cn' });
    })
    .catch(() => {
      loading = undefined; // a failed load leaves texts as they are, and is tried again later
    });
  await loading;
}

/** `text` in simplified characters when it holds traditional ones and the converter is loaded; else unchanged. */
export function toSimplified(text: string): string {
  return converter && hasTraditional(text) ? converter(text) : text;
}
