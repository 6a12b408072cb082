/**
 * Tolerant recovery of JSON values from model text: code fences, a chatty prefix ("Sure! Here is
 * the JSON:"), reasoning before the answer, trailing commas.
 *
 * This module only *finds* values; choosing among them is the caller's job, by validating each
 * against the expected schema (why not by shape: docs/decisions/json-recovery.md).
 *
 * Cost is linear in the text for well-formed input (one bracket scan); the quadratic fallback
 * (restart at each `{`) is capped by `maxStarts`.
 */

export interface JsonCandidatesOptions {
  /** only the tail of very long outputs is scanned (answers come last) */
  maxChars?: number;
  /** cap on restart positions for the fallback scan */
  maxStarts?: number;
}

const FENCE_RE = /```[A-Za-z0-9_-]*[ \t]*\r?\n?([\s\S]*?)```/g;

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // Common near-misses from models: trailing commas before a closing bracket.
    const fixed = text.replace(/,(\s*[}\]])/g, '$1');
    if (fixed !== text) {
      try {
        return { ok: true, value: JSON.parse(fixed) };
      } catch {
        return { ok: false };
      }
    }
    return { ok: false };
  }
}

/** End index (inclusive) of the balanced value opening at `start`, or -1. */
function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Top-level balanced `{…}`/`[…]` segments, left to right, in one pass. */
function topLevelSegments(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      const end = balancedEnd(text, i);
      if (end > i) {
        out.push(text.slice(i, end + 1));
        i = end + 1;
        continue;
      }
    }
    i++;
  }
  return out;
}

/**
 * Every JSON value that can be recovered from `text`, most plausible first: the whole text, then
 * fenced blocks (last first), then bare objects (last first), then bare arrays (last first).
 */
export function jsonCandidates(text: string, opts: JsonCandidatesOptions = {}): unknown[] {
  const maxChars = opts.maxChars ?? 50_000;
  const maxStarts = opts.maxStarts ?? 64;
  let t = text.replace(/^\uFEFF/, '').trim();
  if (!t) return [];
  const whole = tryParse(t);
  if (whole.ok) return [whole.value];
  if (t.length > maxChars) t = t.slice(t.length - maxChars);

  const objects: unknown[] = [];
  const arrays: unknown[] = [];
  const seen = new Set<string>();
  const add = (segment: string): boolean => {
    const s = segment.trim();
    if (!s || seen.has(s)) return false;
    seen.add(s);
    const parsed = tryParse(s);
    if (!parsed.ok) return false;
    if (Array.isArray(parsed.value)) arrays.push(parsed.value);
    else if (parsed.value !== null && typeof parsed.value === 'object') objects.push(parsed.value);
    else return false;
    return true;
  };

  const fenced: string[] = [];
  for (const m of t.matchAll(FENCE_RE)) fenced.push(m[1] ?? '');
  for (const block of fenced.reverse()) {
    if (!add(block)) for (const seg of topLevelSegments(block).reverse()) add(seg);
  }

  const unfenced = t.replace(/```[A-Za-z0-9_-]*/g, ' ');
  const segments = topLevelSegments(unfenced);
  let found = false;
  for (const seg of segments.reverse()) found = add(seg) || found;

  if (!found && objects.length === 0) {
    // Prose with an unbalanced bracket before the answer swallows it in the one-pass scan;
    // restart at individual braces, from the end, a bounded number of times.
    // Outer values first: they are longer than anything nested inside them.
    const recovered: string[] = [];
    let starts = 0;
    for (let i = unfenced.length - 1; i >= 0 && starts < maxStarts; i--) {
      if (unfenced[i] !== '{') continue;
      starts++;
      const end = balancedEnd(unfenced, i);
      if (end > i) recovered.push(unfenced.slice(i, end + 1));
    }
    for (const seg of recovered.sort((a, b) => b.length - a.length)) add(seg);
  }
  return [...objects, ...arrays];
}
