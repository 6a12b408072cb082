/**
 * The k-th largest value of `values` (1-based; `values` is reordered in place), by quickselect
 * with median-of-three pivots: linear on average where sorting is n·log n, and the search's
 * rerank cut-off runs over thousands of BM25 scores on every request. Hand-written: the npm
 * `quickselect` package takes a comparator callback per comparison, which is the cost avoided here.
 */
export function kthLargest(values: Float64Array, k: number): number {
  const n = values.length;
  if (k < 1 || k > n) throw new RangeError(`k must be in 1..${n}`);
  // the k-th largest is the (n-k)-th smallest, 0-based
  const target = n - k;
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three to values[mid]
    if (values[mid]! < values[lo]!) swap(values, mid, lo);
    if (values[hi]! < values[lo]!) swap(values, hi, lo);
    if (values[hi]! < values[mid]!) swap(values, hi, mid);
    const pivot = values[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target]!;
  }
  return values[target]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
