import type { LiveIndex } from './live-index.js';

/**
 * Which LiveIndex serves which AutoSkill, for the test-only hooks in testing.ts and nothing else.
 * A WeakMap (not a field) keeps the facade's internals `#private`; entries go with the facade.
 */
const registry = new WeakMap<object, LiveIndex>();

export function registerLiveIndex(sdk: object, live: LiveIndex): void {
  registry.set(sdk, live);
}

export function liveIndexOf(sdk: object): LiveIndex | undefined {
  return registry.get(sdk);
}
