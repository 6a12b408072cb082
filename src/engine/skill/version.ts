import semver from 'semver';

/**
 * Skill versions are semantic versions. Anything else found in a file is coerced
 * deterministically (`1.0` → `1.0.0`, `v2` → `2.0.0`, YAML number `1.10` read as text → `1.10.0`);
 * text with no number at all becomes the initial version. A bump never goes backwards and never
 * resets (upstream reset every non-X.Y.Z version to 0.1.1).
 */

export const INITIAL_VERSION = '0.1.0';

export function coerceVersion(raw: string | undefined): string {
  const text = (raw ?? '').trim();
  if (!text) return INITIAL_VERSION;
  const valid = semver.valid(text);
  if (valid) return valid;
  return semver.coerce(text, { includePrerelease: false })?.version ?? INITIAL_VERSION;
}

/** 0.1.0 → 0.1.1; 1.2.3-beta → 1.2.3 (the release after a pre-release); invalid input is coerced first. */
export function bumpPatch(version: string): string {
  const v = coerceVersion(version);
  return semver.inc(v, 'patch') ?? v;
}

/** bumpPatch of the highest of `current` and every version in `history`, so a rollback never causes duplicates. */
export function nextVersion(current: string, history: string[]): string {
  let max = coerceVersion(current);
  for (const h of history) {
    const v = coerceVersion(h);
    if (semver.gt(v, max)) max = v;
  }
  return bumpPatch(max);
}
