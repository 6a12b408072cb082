/**
 * A line diff between two texts (Myers' O(ND) algorithm), enough to compare two versions of a
 * SKILL.md. Written here rather than pulled from npm because it is ~60 lines, and the well-kept
 * `diff` package would be a runtime dependency of the engine for one function.
 */
export type DiffOp = { op: 'equal' | 'add' | 'remove'; line: string };

export function diffLines(a: string, b: string): DiffOp[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  const off = max + 1;
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let px: number;
      if (k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!)) px = v[off + k + 1]!;
      else px = v[off + k - 1]! + 1;
      let py = px - k;
      while (px < n && py < m && x[px] === y[py]) {
        px++;
        py++;
      }
      v[off + k] = px;
      if (px >= n && py >= m) break outer;
    }
  }
  // Walk the trace backwards to recover the edit script.
  const ops: DiffOp[] = [];
  let px = n;
  let py = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = px - py;
    let prevK: number;
    if (k === -d || (k !== d && vd[off + k - 1]! < vd[off + k + 1]!)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = vd[off + prevK]!;
    const prevY = prevX - prevK;
    while (px > prevX && py > prevY) {
      ops.push({ op: 'equal', line: x[--px]! });
      py--;
    }
    if (d > 0) {
      if (px === prevX) ops.push({ op: 'add', line: y[--py]! });
      else ops.push({ op: 'remove', line: x[--px]! });
    }
  }
  return ops.reverse();
}

/** A unified-diff style rendering with `context` lines around each change. */
export function unifiedDiff(a: string, b: string, labels: [string, string], context = 3): string {
  const ops = diffLines(a, b);
  if (ops.every((o) => o.op === 'equal')) return '';
  const out = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
  const changed = ops.map((o) => o.op !== 'equal');
  let i = 0;
  while (i < ops.length) {
    if (!changed[i]) {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are within 2*context lines of each other.
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && !changed[next]) next++;
      if (next >= ops.length || next - end > 2 * context) break;
      end = next + 1;
    }
    const stop = Math.min(ops.length, end + context);
    out.push('@@');
    for (let j = start; j < stop; j++) {
      const o = ops[j]!;
      out.push((o.op === 'add' ? '+' : o.op === 'remove' ? '-' : ' ') + o.line);
    }
    i = stop;
  }
  return out.join('\n') + '\n';
}
