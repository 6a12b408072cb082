/**
 * Learned skills by the kind of task they are bound to (metadata.family), partitioned like the
 * lexical index: the library's skills in one shared set, each user's in a set of their own. A
 * search adds the request's family from the library and the requesting user only, so its cost
 * follows the skills that user can see, not how many users have a "report" skill.
 */
export class FamilyIndex {
  /** family → partition (undefined: the library) → skill ids */
  private readonly byFamily = new Map<string, Map<string | undefined, Set<string>>>();
  /** skill id → where it is filed */
  private readonly filed = new Map<string, { family: string; group: string | undefined }>();

  get size(): number {
    return this.filed.size;
  }

  /** File `id` under `family` in partition `group` (undefined: the library), replacing where it was filed. */
  set(id: string, family: string | undefined, group: string | undefined): void {
    this.delete(id);
    if (family === undefined) return;
    let groups = this.byFamily.get(family);
    if (!groups) this.byFamily.set(family, (groups = new Map()));
    let ids = groups.get(group);
    if (!ids) groups.set(group, (ids = new Set()));
    ids.add(id);
    this.filed.set(id, { family, group });
  }

  delete(id: string): void {
    const f = this.filed.get(id);
    if (!f) return;
    this.filed.delete(id);
    const groups = this.byFamily.get(f.family)!;
    const ids = groups.get(f.group)!;
    ids.delete(id);
    if (ids.size === 0) groups.delete(f.group);
    if (groups.size === 0) this.byFamily.delete(f.family);
  }

  /** The skills of `family` in the library (when `shared`) and in each of `groups`. */
  *of(family: string, shared: boolean, groups: readonly string[]): Iterable<string> {
    const parts = this.byFamily.get(family);
    if (!parts) return;
    if (shared) yield* parts.get(undefined) ?? [];
    for (const g of groups) yield* parts.get(g) ?? [];
  }
}
