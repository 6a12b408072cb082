/** The outcome of waiting for a promise at most `ms` milliseconds. */
export type Boxed<T> = { ok: true; value: T } | { ok: false; timedOut: true };

/**
 * Wait for `work` at most `ms` milliseconds. The work itself is not cancelled: it carries on in
 * the background (the caller decides whether to keep its promise). Rejections propagate.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<Boxed<T>> {
  if (!Number.isFinite(ms)) return { ok: true, value: await work };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Boxed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, timedOut: true }), Math.max(0, ms));
  });
  try {
    return await Promise.race([work.then((value): Boxed<T> => ({ ok: true, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
