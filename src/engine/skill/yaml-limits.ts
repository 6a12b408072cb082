import { isAlias, isMap, isPair, isScalar, isSeq, type Document } from 'yaml';

/**
 * Bounded work for untrusted front matter. SKILL.md files arrive from uploads, imports, MCP and
 * hand edits, and the `yaml` library has super-linear paths on hostile input:
 *
 * - `uniqueKeys: true` compares every new key with every earlier one (20,000 keys: 12 s);
 * - each alias is resolved by walking the whole document;
 * - deep flow nesting (`[[[[...`) costs far more per byte than plain text.
 *
 * So the parser runs with `uniqueKeys: false` and this module does the rest in linear time: a
 * byte cap and a flow-depth pre-scan before parsing, then one iterative walk after it that
 * counts keys, depth and aliases and finds duplicate keys with a Set. The caps sit well above
 * real files: the largest front matter in a 5,188-skill bank is 15 KB with 20 keys.
 *
 * Why no worker thread: with these caps one parse is bounded by the byte cap (tens of
 * milliseconds in the worst case measured, see test/e2e/hardening-yaml.test.ts), which is less than
 * starting a worker and copying the text to it would cost. Parsing stays synchronous, so every
 * caller (store, facade, validator) gets the same limits without becoming async.
 */

export const FRONT_MATTER_LIMITS = {
  /** bytes of YAML between the `---` lines */
  bytes: 32 * 1024,
  /** mapping entries in the whole front matter (top level plus nested) */
  keys: 1000,
  /** nesting of mappings and sequences (block or flow) */
  depth: 32,
  /** alias nodes (`*name`) */
  aliases: 100,
} as const;

const kib = (n: number): string => `${Math.round(n / 1024)} KiB`;

/**
 * Checks that need no parse: size and flow nesting. Returns a problem or undefined. The depth
 * scan skips quoted scalars and comments; a bracket inside a plain scalar counts too, which can
 * only over-count, and real files never come near the cap.
 */
export function preScanFrontMatter(yamlText: string): string | undefined {
  const bytes = Buffer.byteLength(yamlText);
  if (bytes > FRONT_MATTER_LIMITS.bytes) {
    return `front matter is ${bytes} bytes; the limit is ${kib(FRONT_MATTER_LIMITS.bytes)} (move long text into the body)`;
  }
  // Key lines are counted before parsing too: the parse itself is the costly part, so a file
  // with thousands of short keys is refused without it (a line inside a block scalar that looks
  // like a key counts as well, which only over-counts).
  const keyLines = yamlText.match(/^[ \t-]*[^\s#:'"-][^\n:]*:(?=[ \t\n]|$)/gm)?.length ?? 0;
  if (keyLines > FRONT_MATTER_LIMITS.keys) return `front matter has more than ${FRONT_MATTER_LIMITS.keys} keys`;
  let depth = 0;
  let opened = 0;
  let aliases = 0;
  let prev = '\n'; // last non-space character seen, '\n' at a line start
  for (let i = 0; i < yamlText.length; i++) {
    const c = yamlText[i]!;
    if (c === '\n') {
      prev = '\n';
      continue;
    }
    if (c === ' ' || c === '\t') continue;
    if (c === '#' && (prev === '\n' || yamlText[i - 1] === ' ' || yamlText[i - 1] === '\t')) {
      const end = yamlText.indexOf('\n', i);
      i = end === -1 ? yamlText.length : end - 1;
      continue;
    }
    // A quote opens a quoted scalar only where a scalar can start.
    if ((c === '"' || c === "'") && (prev === '\n' || ':-[{,?'.includes(prev))) {
      i = quotedEnd(yamlText, i, c);
      prev = c;
      continue;
    }
    if (c === '*' && (prev === '\n' || ':-[{,?'.includes(prev))) {
      if (++aliases > FRONT_MATTER_LIMITS.aliases) return `front matter has more than ${FRONT_MATTER_LIMITS.aliases} aliases`;
    }
    if (c === '[' || c === '{') {
      if (++depth > FRONT_MATTER_LIMITS.depth) return `front matter nests deeper than ${FRONT_MATTER_LIMITS.depth} levels`;
      // Flow collections cost the parser far more per byte than plain text: cap their number too.
      if (++opened > FRONT_MATTER_LIMITS.keys) return `front matter has more than ${FRONT_MATTER_LIMITS.keys} flow collections`;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    prev = c;
  }
  return undefined;
}

/** Index of the closing quote (or the end of the text). */
function quotedEnd(text: string, start: number, q: string): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}

/** 1-based line and column of a character offset. */
function position(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return ` at line ${line}, column ${offset - lineStart + 1}`;
}

/** Identity of a scalar key, as the YAML library's own uniqueness check compares them. */
function keyIdentity(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  return `${typeof v}:${String(v)}`;
}

/**
 * One iterative walk over a parsed document: caps on keys, depth and aliases, and duplicate keys
 * in any mapping (O(n) with a Set per mapping). `lineOffset` is added to reported lines (the
 * YAML starts after the opening `---`). Returns problems, first ones first.
 */
export function checkFrontMatterDoc(doc: Document.Parsed, yamlText: string, lineOffset = 1): string[] {
  const problems: string[] = [];
  let keys = 0;
  let aliases = 0;
  const stack: Array<[unknown, number]> = [[doc.contents, 0]];
  const at = (node: unknown): string => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range) return '';
    return position(yamlText, range[0]).replace(/line (\d+)/, (_, l: string) => `line ${Number(l) + lineOffset}`);
  };
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (isAlias(node)) {
      if (++aliases > FRONT_MATTER_LIMITS.aliases) return [`front matter has more than ${FRONT_MATTER_LIMITS.aliases} aliases`];
      continue;
    }
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth + 1 > FRONT_MATTER_LIMITS.depth) return [`front matter nests deeper than ${FRONT_MATTER_LIMITS.depth} levels`];
    if (isMap(node)) {
      keys += node.items.length;
      if (keys > FRONT_MATTER_LIMITS.keys) return [`front matter has more than ${FRONT_MATTER_LIMITS.keys} keys`];
      const seen = new Set<string>();
      for (const pair of node.items) {
        const id = keyIdentity(pair.key);
        if (id !== undefined) {
          if (seen.has(id) && problems.length < 10) problems.push(`Map keys must be unique${at(pair.key)}`);
          seen.add(id);
        }
        stack.push([pair.key, depth + 1], [pair.value, depth + 1]);
      }
    } else {
      for (const item of node.items) stack.push([isPair(item) ? item.value : item, depth + 1]);
    }
  }
  return problems;
}
