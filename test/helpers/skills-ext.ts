/**
 * A host's side of the MCP Skills extension (SEP-2640) on the official MCP Client: skills/list,
 * skills/get and resources/directory/read as raw requests with zod result schemas (the SDK has
 * no typed API for them yet), and the verification a host must do on every read (digest, size,
 * front matter field by field).
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const SKILLS_EXT = 'io.modelcontextprotocol/skills';

export const SkillResourceSchema = z.object({ uri: z.string(), digest: z.string().regex(/^sha256:[0-9a-f]{64}$/), size: z.number().int().nonnegative() });
export const SkillEntrySchema = z.object({
  uri: z.string(),
  frontmatter: z.looseObject({ name: z.string().min(1), description: z.string().min(1) }),
  resources: z.array(SkillResourceSchema),
});
export type SkillEntry = z.infer<typeof SkillEntrySchema>;
const Cacheable = { resultType: z.literal('complete'), ttlMs: z.number().int().nonnegative(), cacheScope: z.enum(['private', 'public']) };
export const ListSkillsResultSchema = z.object({ ...Cacheable, skills: z.array(SkillEntrySchema), nextCursor: z.string().optional() });
export const GetSkillResultSchema = z.object({ ...Cacheable, skill: SkillEntrySchema }).strict();
export const DirectoryResultSchema = z.object({
  resultType: z.literal('complete'),
  resources: z.array(z.looseObject({ uri: z.string(), name: z.string(), mimeType: z.string().optional() })),
  nextCursor: z.string().optional(),
});

export function listSkills(client: Client, cursor?: string) {
  return client.request({ method: 'skills/list', params: cursor ? { cursor } : {} }, ListSkillsResultSchema);
}

/** Every page, following nextCursor. */
export async function listAllSkills(client: Client): Promise<{ skills: SkillEntry[]; pages: number; cacheScope: string }> {
  const skills: SkillEntry[] = [];
  let cursor: string | undefined;
  let pages = 0;
  let cacheScope = '';
  do {
    const page = await listSkills(client, cursor);
    skills.push(...page.skills);
    cacheScope = page.cacheScope;
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { skills, pages, cacheScope };
}

export function getSkill(client: Client, uri: string) {
  return client.request({ method: 'skills/get', params: { uri } }, GetSkillResultSchema);
}

export function readDirectory(client: Client, uri: string) {
  return client.request({ method: 'resources/directory/read', params: { uri } }, DirectoryResultSchema);
}

/** The raw bytes of a resources/read answer (text as UTF-8, blob from base64). */
export async function readBytes(client: Client, uri: string): Promise<Buffer> {
  const { contents } = await client.readResource({ uri });
  const c = contents[0]!;
  return 'text' in c && typeof c.text === 'string' ? Buffer.from(c.text, 'utf8') : Buffer.from((c as { blob: string }).blob, 'base64');
}

export const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export function frontmatterOf(text: string): unknown {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text.replace(/^\uFEFF/, ''));
  return m ? parseYaml(m[1]!) : undefined;
}

/**
 * What a host checks before it uses a skill: each listed file read back has the listed digest and
 * size, the SKILL.md front matter equals the entry's, and the URI's last path segment is the name.
 * Returns the files' bytes by path relative to the skill directory.
 */
export async function verifyEntry(client: Client, entry: SkillEntry): Promise<Map<string, Buffer>> {
  const dir = entry.uri.slice(0, -'/SKILL.md'.length);
  if (!entry.uri.endsWith('/SKILL.md')) throw new Error(`${entry.uri} is not a SKILL.md URI`);
  if (dir.split('/').pop() !== entry.frontmatter.name) throw new Error(`${entry.uri}: last segment is not ${entry.frontmatter.name}`);
  if (!entry.resources.some((r) => r.uri === entry.uri)) throw new Error(`${entry.uri}: SKILL.md missing from resources`);
  const files = new Map<string, Buffer>();
  for (const r of entry.resources) {
    if (!r.uri.startsWith(`${dir}/`)) throw new Error(`${r.uri} is outside ${dir}`);
    const bytes = await readBytes(client, r.uri);
    if (bytes.byteLength !== r.size) throw new Error(`${r.uri}: size ${bytes.byteLength} != listed ${r.size}`);
    if (sha256(bytes) !== r.digest) throw new Error(`${r.uri}: digest mismatch`);
    files.set(decodeURIComponent(r.uri.slice(dir.length + 1)), bytes);
  }
  const fm = frontmatterOf(files.get('SKILL.md')!.toString('utf8'));
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(fm)), entry.frontmatter)) throw new Error(`${entry.uri}: front matter differs from the entry's`);
  return files;
}
