import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Skill } from '../../skill/schema.js';
import { moduleSourceText } from '../source-fingerprint.js';
import { writeFileAtomic } from '../atomic.js';

/**
 * Parse cache for opening a store. Parsing YAML front matter is most of the cost of loading a
 * large store (about 1.5 s of ~2 s for the 5,188-skill bank on a cold process), while reading and
 * hashing the files takes ~0.2 s. So each full scan records, per skill folder, the hash of its
 * SKILL.md and the parsed skill (its instructions excepted); the next scan re-parses only files
 * whose hash changed.
 *
 * The cache is only an accelerator: the files stay the source of truth, a file is read and
 * hashed again unless its stat is the one recorded with its hash (stat-signature.ts: size, times
 * and inode, recorded only once the file has settled), and a missing, corrupt or foreign cache is
 * simply ignored.
 * Entries are tied to a fingerprint of the codec (the source files of `src/engine/skill/` and the
 * `yaml` version), so upgrading the parser invalidates the cache without anyone bumping a number.
 * When the fingerprint cannot be computed (e.g. a single-file bundle), caching is off.
 */

export interface CachedSkill {
  /** sha1 of the SKILL.md bytes */
  hash: string;
  hadId: boolean;
  /**
   * The parsed skill without `resources` (those come from the folder listing) and without
   * `instructions`: bodies stay on disk until read (bodies.ts), so the cache holds what opening
   * needs and no more.
   */
  skill: Omit<Skill, 'resources' | 'instructions'>;
  /** the skill's retrieval hash (index/retrieval-text.ts) as parsed, with the resources in `resources` */
  retrieval?: { hash: string; resources: string };
  /** SKILL.md's stat signature when `hash` was taken (stat-signature.ts); absent while the file was too fresh to vouch */
  stat?: string | undefined;
}

interface CacheFile {
  format: 2;
  fingerprint: string;
  /**
   * The store's change-log generation the entries are at least as new as: an open that takes the
   * entries without a scan replays the change log from here (what other processes wrote since).
   */
  gen?: number;
  entries: Record<string, CachedSkill>;
}

export interface LoadCache {
  entries: Map<string, CachedSkill>;
  /** see CacheFile.gen; undefined when unknown */
  gen: number | undefined;
}

let fingerprintPromise: Promise<string | undefined> | undefined;

/** Fingerprint of the SKILL.md codec as deployed, or undefined when it cannot be determined. */
export function codecFingerprint(): Promise<string | undefined> {
  fingerprintPromise ??= (async () => {
    try {
      const dir = fileURLToPath(new URL('../../skill/', import.meta.url));
      const names = (await readdir(dir)).filter((n) => /\.(?:[cm]?js|ts)$/.test(n) && !n.endsWith('.d.ts')).sort();
      if (!names.length) return undefined;
      const h = createHash('sha256');
      // each module by its TypeScript source where a current build has one (../source-fingerprint.ts),
      // so a store written from src/ (tsx) and opened from dist/ (the CLI) shares one cache
      for (const n of names) {
        const { name, text } = await moduleSourceText(dir + n);
        h.update(name).update('\0').update(text).update('\0');
      }
      const yamlVersion = (createRequire(import.meta.url)('yaml/package.json') as { version?: string }).version ?? '?';
      return h.update(`yaml@${yamlVersion}`).digest('hex');
    } catch {
      return undefined;
    }
  })();
  return fingerprintPromise;
}

export async function readLoadCache(file: string, fingerprint: string | undefined): Promise<LoadCache> {
  const none: LoadCache = { entries: new Map(), gen: undefined };
  if (!fingerprint) return none;
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheFile>;
    if (data.format !== 2 || data.fingerprint !== fingerprint || !data.entries || typeof data.entries !== 'object') return none;
    const out = new Map<string, CachedSkill>();
    for (const [relDir, e] of Object.entries(data.entries)) {
      // Light shape check only: the cache lives next to the files it describes and is written
      // atomically, so a full schema validation per skill would buy nothing but time.
      if (e && typeof e.hash === 'string' && typeof e.hadId === 'boolean' && e.skill && typeof e.skill.id === 'string') out.set(relDir, e);
    }
    return { entries: out, gen: Number.isSafeInteger(data.gen) && data.gen! >= 0 ? data.gen! : undefined };
  } catch {
    return none;
  }
}

export async function writeLoadCache(file: string, fingerprint: string | undefined, entries: Map<string, CachedSkill>, gen: number): Promise<void> {
  if (!fingerprint) return;
  const data: CacheFile = { format: 2, fingerprint, gen, entries: Object.fromEntries(entries) };
  await writeFileAtomic(file, JSON.stringify(data), { skipDirSync: true });
}
