/**
 * A one-line progress bar for TTYs (silent otherwise, so logs and pipes stay clean). Hand-written:
 * it is a dozen lines, and `cli-progress` would be a dependency for a single redraw loop.
 */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  return {
    update(done, total, label = '') {
      const now = Date.now();
      if (now - last < 50 && done < total) return;
      last = now;
      const width = 28;
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(ratio * width);
      const text = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}`;
      const cols = stream.columns ?? 80;
      stream.write(`\r${text.slice(0, cols - 1).padEnd(cols - 1)}`);
    },
    done() {
      stream.write('\n');
    },
  };
}
