import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { SkillMdError } from './errors.js';
import { deref, loadFrontMatterYaml, locateFrontMatter, prepareText, scalarText } from './frontmatter.js';
import { charLength } from './normalize.js';
import { skillIdProblem } from './ids.js';

/**
 * Agent Skills spec check of a SKILL.md text. Reports every violation, not just the first, each
 * with the field it concerns and a message that says how to fix it.
 *
 * Rules: front matter is a YAML mapping; only name, description, license, compatibility,
 * metadata and allowed-tools at the top level; name is 1-64 chars of a-z, 0-9 and single dashes
 * (no leading/trailing dash) and equals the folder name; description is 1-1024 chars;
 * compatibility 1-500 chars; metadata maps strings to strings; license and allowed-tools are
 * strings.
 */

export interface Violation {
  field: string;
  message: string;
}

const ALLOWED = ['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools'];
const MAX_NAME = 64;
const MAX_DESCRIPTION = 1024;
const MAX_COMPATIBILITY = 500;

/** What a node is, for messages: `number 1.1`, `a list`, `empty (null)`. */
function describe(node: unknown, doc: Document): string {
  const n = deref(node, doc);
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) {
    if (n.value === null || n.value === undefined) return 'an empty value';
    return `${typeof n.value} ${n.source ?? String(n.value)}`;
  }
  return 'an unsupported value';
}

/** The string value of `node`, or undefined when it is not a string scalar. */
function stringValue(node: unknown, doc: Document): string | undefined {
  const n = deref(node, doc);
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}

function checkName(name: string, dirName: string | undefined): Violation[] {
  const out: Violation[] = [];
  const add = (message: string): void => void out.push({ field: 'name', message });
  if (name.trim() === '') {
    add('name is empty; it is required');
    return out;
  }
  const len = charLength(name);
  if (len > MAX_NAME) add(`name is ${len} characters long; the maximum is ${MAX_NAME}`);
  if (name !== name.toLowerCase()) add('name must be lowercase');
  const bad = [...new Set([...name].filter((c) => !/[a-zA-Z0-9-]/.test(c)))];
  if (bad.length) {
    add(`name contains characters that are not allowed (${bad.map((c) => JSON.stringify(c)).join(', ')}); use only a-z, 0-9 and "-"`);
  }
  if (name.startsWith('-') || name.endsWith('-')) add('name must not start or end with "-"');
  if (name.includes('--')) add('name must not contain consecutive dashes ("--")');
  if (dirName !== undefined && name !== dirName) add(`name "${name}" must match the folder name "${dirName}"`);
  return out;
}

function checkText(field: string, node: unknown, doc: Document, max: number, required: boolean): Violation[] {
  if (node === undefined) return required ? [{ field, message: `${field} is required` }] : [];
  const value = stringValue(node, doc);
  if (value === undefined) return [{ field, message: `${field} must be a string (got ${describe(node, doc)})` }];
  if (value.trim() === '') return [{ field, message: `${field} is empty; it must be 1-${max} characters` }];
  const len = charLength(value);
  return len > max ? [{ field, message: `${field} is ${len} characters long; the maximum is ${max}` }] : [];
}

function checkMetadata(node: unknown, doc: Document): Violation[] {
  const n = deref(node, doc);
  if (!isMap(n)) return [{ field: 'metadata', message: `metadata must be a mapping of string keys to string values (got ${describe(node, doc)})` }];
  const out: Violation[] = [];
  for (const pair of n.items) {
    const key = stringValue(pair.key, doc);
    const label = key ?? scalarText(pair.key, doc) ?? '?';
    if (key === undefined) out.push({ field: `metadata.${label}`, message: `metadata key ${label} must be a string (got ${describe(pair.key, doc)}); quote it` });
    if (stringValue(pair.value, doc) === undefined) {
      out.push({ field: `metadata.${label}`, message: `metadata.${label} must be a string (got ${describe(pair.value, doc)}); quote it` });
    }
  }
  return out;
}

/** Ids that no route could address (`a/b`, `../x`): the skill could never be edited or deleted. */
function checkIds(fields: Map<string, unknown>, doc: Document): Violation[] {
  const out: Violation[] = [];
  const meta = deref(fields.get('metadata'), doc);
  const candidates: Array<[string, unknown]> = [
    ['metadata.id', isMap(meta) ? meta.items.find((p) => scalarText(p.key, doc) === 'id')?.value : undefined],
    ['id', fields.get('id')],
    ['skill_id', fields.get('skill_id')],
  ];
  for (const [field, node] of candidates) {
    const id = node === undefined ? undefined : scalarText(node, doc);
    if (id === undefined || id.trim() === '') continue;
    const problem = skillIdProblem(id);
    if (problem) out.push({ field, message: `${problem} (got ${JSON.stringify(id.slice(0, 100))}); run autoskill normalize-ids to replace it` });
  }
  return out;
}

export function validateSkillMd(text: string, opts: { dirName?: string } = {}): Violation[] {
  let prepared: string;
  let loc: ReturnType<typeof locateFrontMatter>;
  try {
    prepared = prepareText(text);
    loc = locateFrontMatter(prepared);
  } catch (e) {
    if (e instanceof SkillMdError) return [{ field: e.code === 'binary' ? 'file' : 'frontmatter', message: e.reason }];
    throw e;
  }
  if (!loc) {
    return [{ field: 'frontmatter', message: 'missing YAML front matter: the file must start with a "---" line, then name and description, then "---"' }];
  }
  const { doc, problems } = loadFrontMatterYaml(prepared.slice(loc.yamlStart, loc.yamlEnd));
  if (problems.length) return problems.map((p) => ({ field: 'frontmatter', message: `invalid YAML: ${p}` }));
  const root = doc.contents;
  if (root !== null && !isMap(root)) return [{ field: 'frontmatter', message: 'front matter must be a YAML mapping of keys to values' }];

  const out: Violation[] = [];
  const fields = new Map<string, unknown>();
  for (const pair of root?.items ?? []) {
    const key = scalarText(pair.key, doc) ?? '?';
    fields.set(key, pair.value);
    if (!ALLOWED.includes(key)) {
      out.push({
        field: key,
        message: `unknown top-level key "${key}"; the spec allows only ${ALLOWED.join(', ')} (put custom fields under metadata)`,
      });
    }
  }

  const nameNode = fields.get('name');
  if (nameNode === undefined) out.push({ field: 'name', message: 'name is required' });
  else {
    const name = stringValue(nameNode, doc);
    if (name === undefined) out.push({ field: 'name', message: `name must be a string (got ${describe(nameNode, doc)})` });
    else out.push(...checkName(name, opts.dirName));
  }
  out.push(...checkText('description', fields.get('description'), doc, MAX_DESCRIPTION, true));
  out.push(...checkText('compatibility', fields.get('compatibility'), doc, MAX_COMPATIBILITY, false));
  const license = fields.get('license');
  if (license !== undefined && stringValue(license, doc) === undefined) {
    out.push({ field: 'license', message: `license must be a string (got ${describe(license, doc)})` });
  }
  const tools = fields.get('allowed-tools');
  if (tools !== undefined && stringValue(tools, doc) === undefined) {
    out.push({ field: 'allowed-tools', message: `allowed-tools must be one space-separated string (got ${describe(tools, doc)})` });
  }
  if (fields.has('metadata')) out.push(...checkMetadata(fields.get('metadata'), doc));
  out.push(...checkIds(fields, doc));
  return out;
}

/** Violations in `now` that `before` did not have: an edit is judged only on what it breaks. */
export function newViolations(now: Violation[], before: Violation[]): Violation[] {
  const seen = new Set(before.map((v) => `${v.field}\u0000${v.message}`));
  return now.filter((v) => !seen.has(`${v.field}\u0000${v.message}`));
}

export function violationText(vs: Violation[]): string {
  return vs.map((v) => `${v.field}: ${v.message}`).join('; ');
}
