/**
 * Where the skills system message goes: right after the caller's leading system messages.
 * Keeping the caller's system prefix untouched keeps provider prompt caching working, and never
 * placing a system message after a user turn satisfies providers that reject one mid-conversation.
 */
export function injectionIndex(roles: readonly string[]): number {
  let i = 0;
  while (i < roles.length && (roles[i] === 'system' || roles[i] === 'developer')) i++;
  return i;
}

/** Returns a new array with `message` inserted after the leading system messages. */
export function insertAfterSystem<M>(messages: readonly M[], message: M, roleOf: (m: M) => string): M[] {
  const at = injectionIndex(messages.map(roleOf));
  return [...messages.slice(0, at), message, ...messages.slice(at)];
}
