/**
 * Who owns a skill, in the words the page uses everywhere: "Common" for the default shared
 * library, "Common · <library>" for another one, "mine" for the viewer's own skills. Never the
 * raw `library:Common` nor "Common:Common".
 */
export function libraryOf(owner: string): string | null {
  return owner.toLowerCase().startsWith('library:') ? owner.slice('library:'.length) : null;
}

export function ownerLabel(owner: string): string {
  const lib = libraryOf(owner);
  if (lib === null) return 'mine';
  return lib === 'Common' ? 'Common' : `Common · ${lib}`;
}

/** Common skills are read-only except for admins (the server enforces it; the page only follows). */
export function canEdit(owner: string, admin: boolean): boolean {
  return admin || libraryOf(owner) === null;
}
