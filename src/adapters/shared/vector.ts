/**
 * Turn a model's embedding into what the `Embedder` port promises: a Float32Array of the declared
 * size, L2-normalized so that a dot product is a cosine. A size mismatch is an error, never a
 * silent pad or cut: vectors of another model must not enter an index built for this one.
 */
export function toUnitVector(values: ArrayLike<number>, dimensions: number, label: string): Float32Array {
  if (values.length !== dimensions) {
    throw new Error(`${label} returned a ${values.length}-dimensional embedding, expected ${dimensions}`);
  }
  const out = Float32Array.from(values);
  let norm = 0;
  for (const v of out) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0 && Number.isFinite(norm)) for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return out;
}

/** Split `items` into consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
