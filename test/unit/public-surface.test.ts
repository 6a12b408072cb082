import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The package root (src/index.ts) is the public API. Two promises, checked with the TypeScript
 * compiler on the real sources (test/helpers/public-surface.mjs): the root stays small (runtime
 * names are counted), and every type a public signature mentions is exported, so a user can name
 * what they are handed or must pass (before, `MessagesInput`, `ObserveOptions`, `VectorStatus`,
 * `ImportOptions`, ... appeared in signatures but could not be imported).
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runtime names the root may carry; raise it only for something every user needs. */
const MAX_VALUES = 22;

interface Surface {
  values: string[];
  types: string[];
  missing: string[];
}

let surface: Surface;

beforeAll(async () => {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'test/helpers/public-surface.mjs')], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  surface = JSON.parse(stdout) as Surface;
}, 180_000);

describe('public surface (src/index.ts)', () => {
  it('is small: the facade, backend presets, the offline embedder, SKILL.md helpers, loggers and the error classes', () => {
    expect(surface.values.length, surface.values.join(', ')).toBeLessThanOrEqual(MAX_VALUES);
    expect(surface.values).toEqual(expect.arrayContaining(['AutoSkill', 'AutoskillError', 'NotFoundError', 'AccessDeniedError', 'ValidationError', 'fsBackends']));
  });

  it('exports every type its public signatures use', () => {
    expect(surface.missing).toEqual([]);
    // The six the issue found missing are among the exports now.
    expect(surface.types).toEqual(expect.arrayContaining(['MessagesInput', 'ObserveOptions', 'VectorStatus', 'ImportOptions', 'ZipImportOptions']));
  });

  it('keeps engine internals out', () => {
    for (const internal of ['SkillIndex', 'Learner', 'FsSkillStore', 'canRead', 'slugify', 'deterministicId', 'bumpPatch', 'diffLines', 'injectionIndex', 'UsageTracker']) {
      expect([...surface.values, ...surface.types]).not.toContain(internal);
    }
  });
});
