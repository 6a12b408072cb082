import { isLibraryOwner, userOwner, type AutoSkill, type Skill } from '../engine/index.js';
import { CliError } from './common.js';

/**
 * A skill as people name it: its id, its folder name (slug, what `list` and the web page show) or
 * its exact name. The CLI runs with the operator's rights, so every owner is searched; a name
 * shared by several skills is an error that lists their ids, never a silent pick, unless --user
 * picks that user's copy.
 */
export function resolveSkill(sdk: AutoSkill, ref: string, opts: { userId?: string | undefined } = {}): Skill {
  const byId = sdk.get(ref);
  if (byId) return byId;
  const key = ref.trim().toLowerCase();
  const all = sdk.list({ admin: true });
  let matches = all.filter((s) => s.slug.toLowerCase() === key);
  if (matches.length === 0) matches = all.filter((s) => s.name.toLowerCase() === key);
  if (matches.length > 1 && opts.userId) {
    const mine = matches.filter((s) => s.owner === userOwner(opts.userId!));
    if (mine.length) matches = mine;
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new CliError(`skill not found: ${ref} (give an id, a slug or a name; see autoskill list)`);
  const lines = matches.map((s) => `  ${s.id}  ${ownerLabel(s.owner)}  ${s.slug}`).join('\n');
  throw new CliError(`"${ref}" names ${matches.length} skills; give the id (or --user U):\n${lines}`, 2);
}

/**
 * The owner as the web page and the terminal chat show it: "Common" for the default shared
 * library, "Common · <library>" for another library, "user <id>" for a user's own skill (never
 * the raw "library:Common").
 */
export function ownerLabel(owner: string): string {
  if (isLibraryOwner(owner)) {
    const lib = owner.slice('library:'.length);
    return lib === 'Common' ? 'Common' : `Common · ${lib}`;
  }
  return owner.startsWith('user:') ? `user ${owner.slice('user:'.length)}` : owner;
}
