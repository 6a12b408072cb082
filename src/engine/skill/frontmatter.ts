import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { SkillMdError } from './errors.js';
import { checkFrontMatterDoc, preScanFrontMatter } from './yaml-limits.js';

/**
 * Safe front matter handling. The YAML is split off by hand and parsed with `yaml` v2 under the
 * YAML 1.2 core schema, so nothing is ever evaluated (`---js` is refused, unknown tags stay
 * strings), `version: 0.1.10` and dates stay strings and `010` is not octal. gray-matter is not
 * used on purpose: it `eval`s JS front matter and parses with YAML 1.1 rules.
 */

/** Refuses binary text, strips a UTF-8 BOM and turns CRLF / CR into LF. */
export function prepareText(text: string): string {
  if (text.includes('\u0000')) {
    throw new SkillMdError('binary', 'file contains NUL bytes (binary data), so it is not a readable SKILL.md');
  }
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.replace(/\r\n?/g, '\n');
}

/** Offsets into the text the front matter was located in (which may still contain CRLF). */
export interface FrontMatterLocation {
  /** first character of the YAML (the line after the opening `---`) */
  yamlStart: number;
  /** first character of the closing `---` line; the YAML text is `text.slice(yamlStart, yamlEnd)` */
  yamlEnd: number;
  /** first character after the closing line's line break */
  bodyStart: number;
}

function lineEndAt(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : i;
}

const stripCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);

/**
 * Finds `---\n<yaml>\n---` at the very start of `text` (BOM already removed). Returns undefined when
 * the file has no front matter. Throws for `---<lang>` other than yaml, and for an opening `---`
 * that is never closed: that is usually a truncated write, and reading it as a body would
 * silently turn metadata into instructions.
 */
export function locateFrontMatter(text: string): FrontMatterLocation | undefined {
  const firstEnd = lineEndAt(text, 0);
  const first = stripCr(text.slice(0, firstEnd)).trimEnd();
  if (!first.startsWith('---')) return undefined;
  if (first !== '---') {
    const lang = first.slice(3).trim();
    // `----` is a Markdown rule and `--- foo: bar` is not a front matter opener we recognise.
    if (!/^[A-Za-z][\w-]*$/.test(lang)) return undefined;
    if (!/^ya?ml$/i.test(lang)) {
      throw new SkillMdError(
        'frontmatter-language',
        `front matter language "${lang}" is not supported: only YAML front matter is read, and front matter is never executed`,
      );
    }
  }
  const yamlStart = Math.min(firstEnd + 1, text.length);
  let pos = yamlStart;
  while (pos < text.length) {
    const end = lineEndAt(text, pos);
    if (stripCr(text.slice(pos, end)).trimEnd() === '---') {
      return { yamlStart, yamlEnd: pos, bodyStart: Math.min(end + 1, text.length) };
    }
    pos = end + 1;
  }
  throw new SkillMdError('frontmatter-unclosed', 'front matter starts with "---" but has no closing "---" line');
}

// uniqueKeys is off because the library's check is quadratic; yaml-limits.ts finds duplicates in linear time.
const YAML_OPTIONS = { version: '1.2', schema: 'core', prettyErrors: true, uniqueKeys: false } as const;

/** One line per YAML problem (syntax, duplicate keys); line numbers count from the top of the file. */
function describeYamlError(e: { message: string; code: string; linePos?: [{ line: number; col: number }] | [{ line: number; col: number }, { line: number; col: number }] }): string {
  const where = e.linePos?.[0] ? ` at line ${e.linePos[0].line + 1}, column ${e.linePos[0].col}` : '';
  const what = e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') || e.code;
  return `${what}${where}`;
}

/** Parses front matter YAML without throwing; `problems` lists every error. */
export function loadFrontMatterYaml(yamlText: string): { doc: Document.Parsed; problems: string[] } {
  // Size and flow depth are checked before the parser sees the text (see yaml-limits.ts).
  const early = preScanFrontMatter(yamlText);
  if (early) return { doc: parseDocument('', YAML_OPTIONS), problems: [early] };
  const doc = parseDocument(yamlText, YAML_OPTIONS);
  const problems = doc.errors.map(describeYamlError);
  if (problems.length === 0) problems.push(...checkFrontMatterDoc(doc, yamlText));
  if (problems.length === 0) {
    try {
      // Expands every alias once with a cap, so an alias bomb fails here instead of later.
      doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return { doc, problems };
}

/** Parses front matter YAML; any error (syntax, duplicate keys, alias bombs, non-mapping) throws. */
export function parseFrontMatterYaml(yamlText: string): Document.Parsed {
  const { doc, problems } = loadFrontMatterYaml(yamlText);
  if (problems.length) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new SkillMdError('yaml', `invalid YAML front matter: ${problems[0]}${more}`);
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new SkillMdError('frontmatter-not-mapping', 'front matter must be a YAML mapping of keys to values');
  }
  return doc;
}

/** Follows alias nodes (`*name`) to the node they point at. */
export function deref(node: unknown, doc: Document): unknown {
  let n = node;
  for (let i = 0; i < 16 && isAlias(n); i++) n = n.resolve(doc);
  return isAlias(n) ? undefined : n;
}

/**
 * The text of a scalar node, exactly as written for non-strings: `version: 1.10` gives "1.10"
 * (not 1.1) and `010` gives "010". Null/empty values and collections give undefined.
 */
export function scalarText(node: unknown, doc: Document): string | undefined {
  const n = deref(node, doc);
  if (!isScalar(n)) return undefined;
  const v = n.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  return n.source !== undefined && n.source !== '' ? n.source : String(v);
}

/** Key/value-node pairs of a mapping in file order, or undefined when `node` is not a mapping. */
export function mapEntries(node: unknown, doc: Document): Array<[string, unknown]> | undefined {
  const n = deref(node, doc);
  if (!isMap(n)) return undefined;
  const out: Array<[string, unknown]> = [];
  for (const pair of n.items) {
    const key = scalarText(pair.key, doc);
    if (key !== undefined) out.push([key, pair.value]);
  }
  return out;
}

/**
 * A list of strings from a sequence of scalars, or a one-item list from a single scalar (a string
 * is one item, never split into characters). Non-scalar items are skipped. Undefined when absent.
 */
export function listTexts(node: unknown, doc: Document): string[] | undefined {
  const n = deref(node, doc);
  if (isSeq(n)) {
    const out: string[] = [];
    for (const item of n.items) {
      const t = scalarText(item, doc);
      if (t !== undefined) out.push(t);
    }
    return out;
  }
  const t = scalarText(n, doc);
  return t === undefined ? undefined : [t];
}

/** The plain JS value of any node (aliases expanded), for stringifying unexpected shapes. */
export function plainValue(node: unknown, doc: Document): unknown {
  const n = deref(node, doc);
  if (n === undefined || n === null) return null;
  if (isScalar(n)) return n.value;
  if (isMap(n) || isSeq(n)) return n.toJS(doc, { maxAliasCount: 100 }) as unknown;
  return null;
}

export interface ParsedFrontMatter {
  /** undefined when the file has no front matter */
  doc: Document.Parsed | undefined;
  /** top-level key → value node, in file order */
  entries: Array<[string, unknown]>;
  /** the Markdown after the front matter */
  body: string;
  /** non-fatal YAML notes (e.g. unknown tags such as `!!js/function`, which stay plain strings) */
  warnings: string[];
}

/** Splits and parses a prepared (BOM-free, LF-only) SKILL.md text. */
export function readFrontMatter(text: string): ParsedFrontMatter {
  const loc = locateFrontMatter(text);
  if (!loc) return { doc: undefined, entries: [], body: text, warnings: [] };
  const doc = parseFrontMatterYaml(text.slice(loc.yamlStart, loc.yamlEnd));
  const warnings = doc.warnings.map((w) => `front matter: ${w.message.split('\n')[0] ?? w.code}`);
  return { doc, entries: mapEntries(doc.contents, doc) ?? [], body: text.slice(loc.bodyStart), warnings };
}
