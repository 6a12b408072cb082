import { parseSkillMd, type ParseContext, type ParseResult } from '../skill/skill-md.js';

/**
 * A SKILL.md text parsed once per write, not twice.
 *
 * An import parses each file to learn its id and fields, and the store then parses the text it is
 * about to write again (write-plan.ts verifySkillMd), so memory holds exactly what a later load
 * yields. For an import both parses see the same text with the same owner and folder name: the
 * YAML front matter was ~2 s of the bank import's CPU twice over. The import remembers its parse
 * here and the store's check takes it back (once: an entry is removed when used).
 *
 * A remembered result stands for a parse with the same text, owner and folder name, and the same
 * fallback id unless the text carries its own id (then the fallback is never used). The result is
 * shared, never mutated: both callers copy the skill before changing anything (spread, then zod).
 * Bounded by entries and by text size, oldest dropped first, so a batch that is never written
 * (skipped as already imported) cannot pile up.
 */

interface Remembered {
  ctx: ParseContext;
  result: ParseResult;
}

const MAX_ENTRIES = 512;
const MAX_CHARS = 16 * 1024 * 1024;
const remembered = new Map<string, Remembered>();
let chars = 0;

function sameParse(a: Remembered, ctx: ParseContext): boolean {
  return a.ctx.owner === ctx.owner && a.ctx.slug === ctx.slug && (a.result.hadId || a.ctx.fallbackId === ctx.fallbackId);
}

/** Parse `text` for an import and remember the result for the write that follows. */
export function parseForWrite(text: string, ctx: ParseContext): ParseResult {
  const result = parseSkillMd(text, ctx);
  if (text.length > MAX_CHARS / 4) return result;
  const old = remembered.get(text);
  if (old) {
    remembered.delete(text);
    chars -= text.length;
  }
  remembered.set(text, { ctx: { ...ctx }, result });
  chars += text.length;
  for (const [key] of remembered) {
    if (remembered.size <= MAX_ENTRIES && chars <= MAX_CHARS) break;
    remembered.delete(key);
    chars -= key.length;
  }
  return result;
}

/** The parse of `text` as `ctx` asks: a remembered one (taken out), else a fresh one. */
export function parseWritten(text: string, ctx: ParseContext): ParseResult {
  const hit = remembered.get(text);
  if (hit) {
    remembered.delete(text);
    chars -= text.length;
    if (sameParse(hit, ctx)) return hit.result;
  }
  return parseSkillMd(text, ctx);
}
