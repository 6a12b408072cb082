import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseSkillMd } from '../../src/engine/skill/skill-md.js';
import { specSkillMd, uniqueName } from '../../src/engine/skill/spec-export.js';
import { deterministicId } from '../../src/engine/skill/ids.js';
import { errorsOf, validateSkillMd } from '../../src/engine/skill/validate.js';
import { BANK } from '../fixtures/store-helpers.js';

/**
 * The whole skill bank through the spec conversion that `export --spec` and `sync` use: every
 * readable SKILL.md becomes a folder on disk, and every folder passes our validator in reference
 * mode (which agrees with skills-ref on all 5188 bank folders; see spec-rules.test.ts for the
 * rule-by-rule cases). The store round trip is covered by sync.test.ts; here the files are parsed
 * directly so that 5,000 folders take seconds, not the minute a durable store import costs.
 */

const haveBank = existsSync(BANK);
let out: string | undefined;
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

async function* skillFiles(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* skillFiles(full);
    else if (e.name === 'SKILL.md') yield full;
  }
}

describe.skipIf(!haveBank)(`whole skill bank exported with --spec (${BANK})`, () => {
  test('every folder is spec-valid in reference mode, named meaningfully', async () => {
    const started = Date.now();
    out = await mkdtemp(path.join(os.tmpdir(), 'autoskill-spec-bank-'));
    const taken = new Set<string>();
    let files = 0;
    let unreadable = 0;
    let converted = 0;
    const bad: string[] = [];
    for await (const file of skillFiles(BANK)) {
      files++;
      const rel = path.relative(BANK, path.dirname(file));
      const text = await readFile(file, 'utf8');
      let skill;
      try {
        skill = parseSkillMd(text, { owner: 'library:bank', slug: path.basename(rel), fallbackId: deterministicId('library:bank', rel) }).skill;
      } catch {
        unreadable++; // NUL bytes: the importer refuses these too
        continue;
      }
      const first = specSkillMd(skill, text);
      const spec = taken.has(first.name) ? specSkillMd(skill, text, uniqueName(first.name, taken)) : first;
      taken.add(spec.name);
      if (spec.converted) converted++;
      await mkdir(path.join(out, spec.name));
      await writeFile(path.join(out, spec.name, 'SKILL.md'), spec.text);
    }
    // Read back from disk: the folder name as the file system gives it must match the name.
    const folders = await readdir(out);
    for (const folder of folders) {
      const errors = errorsOf(validateSkillMd(await readFile(path.join(out, folder, 'SKILL.md'), 'utf8'), { dirName: folder, mode: 'reference' }));
      if (errors.length) bad.push(`${folder}: ${errors.map((e) => e.message).join('; ')}`);
    }
    const numeric = folders.filter((f) => !/\p{L}/u.test(f));
    const cjk = folders.filter((f) => /\p{Script=Han}/u.test(f));
    console.log(`bank --spec export: ${files} files, ${folders.length} folders (${converted} converted, ${cjk.length} with Chinese names), ${unreadable} unreadable, ${bad.length} invalid, ${Date.now() - started} ms`);
    expect(bad.slice(0, 10)).toEqual([]);
    expect(folders.length + unreadable).toBe(files);
    expect(unreadable).toBeLessThan(10);
    expect(numeric).toEqual([]);
    expect(folders).toContain('10-你是一个有着-年工作经验的文案策划');
    expect(cjk.length).toBeGreaterThan(600);
  }, 60_000);
});
