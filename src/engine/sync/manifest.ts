import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic.js';

/**
 * `.autoskill-sync.json` in a mirrored skills folder: which folders autoskill wrote, for which
 * skill, and the sha256 of every file as written. A file whose digest on disk differs was edited
 * there, and sync never overwrites or deletes it. Folders not listed are someone else's and are
 * never touched.
 */

export const MANIFEST_FILE = '.autoskill-sync.json';

const Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/);

export const ManifestEntrySchema = z.object({
  id: z.string().min(1).max(200),
  version: z.string().max(100),
  owner: z.string().max(300),
  files: z.record(z.string().min(1).max(1000), Digest),
  /** the skill is gone from autoskill, but its folder was edited here, so it was left in place */
  orphaned: z.boolean().optional(),
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export const ManifestSchema = z.object({
  tool: z.literal('autoskill'),
  format: z.literal(1),
  user: z.string().min(1).max(200),
  with_common: z.boolean(),
  synced_at: z.string().optional(),
  /** folder name → what was written there */
  skills: z.record(z.string().min(1).max(300), ManifestEntrySchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function emptyManifest(user: string, withCommon: boolean): Manifest {
  return { tool: 'autoskill', format: 1, user, with_common: withCommon, skills: {} };
}

/** The manifest of `dir`, undefined when there is none; a damaged one is an error, never ignored (it guards edited files). */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path.join(dir, MANIFEST_FILE)} is not valid JSON; fix or remove it (without it, every folder there counts as someone else's)`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path.join(dir, MANIFEST_FILE)} is not an autoskill sync manifest (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

/** Written to a temp name and renamed, so a reader never sees half a manifest. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
