/**
 * The family key of a task rule about a kind of work no task family names ("study notes",
 * "朋友圈文案"): `kind:<slug>`, so it gathers rules about that kind only. One place writes and reads
 * the format: the learner files skills under it, merges and the ranker read the kind back.
 */
const HAN = /\p{Script=Han}/u;

export function kindFamilyKey(kind: string): string {
  return `kind:${HAN.test(kind) ? kind : kind.replace(/[^a-z0-9]+/g, '-')}`;
}

/** The kind a `kind:` family key files ("kind:packing-list" → "packing list"), or undefined for any other key. */
export function kindOfFamilyKey(key: string | undefined): string | undefined {
  if (!key?.startsWith('kind:')) return undefined;
  const slug = key.slice(5);
  return HAN.test(slug) ? slug : slug.replace(/-/g, ' ');
}
