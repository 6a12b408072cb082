import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Run `fn` outside whatever async context the caller is in.
 *
 * Frameworks keep per-request state in AsyncLocalStorage: LangChain/LangGraph the runnable config
 * (with the caller's callbacks, e.g. the handler that streams tokens of `streamMode: 'messages'`),
 * OpenTelemetry the active span. Work started from inside a request (opening the SDK, which
 * starts the background job runner; scheduling a learning job) would otherwise inherit that
 * context forever, so the extraction model's tokens could leak into the user's stream and its
 * spans into the user's trace. The snapshot is taken when this module loads, outside any request.
 */
const outsideAnyRequest = AsyncLocalStorage.snapshot();

export function detached<T>(fn: () => T): T {
  return outsideAnyRequest(fn);
}
