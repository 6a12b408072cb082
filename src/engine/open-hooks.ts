/**
 * Process-wide hooks between the steps of opening an engine, for whoever manages the process
 * (the CLI's heap settings, cli/heap.ts). The engine itself never acts on memory; it only says
 * where it is.
 *
 * `storeLoaded`: the store is read and the catalog of current skills built, the index not yet
 * loaded. Reading a large store leaves much garbage (the parse cache's text, the listing's
 * temporaries), and the index load that follows allocates as much again: collecting in between
 * keeps the two from adding up in the open's peak memory.
 */
type Hook = () => void;

const storeLoadedHooks = new Set<Hook>();

/** Run `hook` each time a store has been loaded by an opening engine; returns the unsubscribe. */
export function onStoreLoaded(hook: Hook): () => void {
  storeLoadedHooks.add(hook);
  return () => storeLoadedHooks.delete(hook);
}

/** Called by the composition root (compose.ts); a failing hook never fails the open. */
export function storeLoaded(): void {
  for (const hook of storeLoadedHooks) {
    try {
      hook();
    } catch {
      // a hook is an optimisation only
    }
  }
}
