import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Tests that spawn the real `autoskill` bin need dist/. `npm test` builds first (pretest); this
 * covers a bare `npx vitest` by building when dist/ is missing or older than src/.
 */
/** dist/ was built after the last change under src/ (the bench checks it too). */
export function distIsCurrent(root: string): boolean {
  const built = path.join(root, 'dist/cli/main.js');
  return existsSync(built) && statSync(built).mtimeMs >= newest(path.join(root, 'src'));
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  // The web page (dist/web) is built by web/build.mjs, part of `npm run build`.
  if (spawnSync(process.execPath, [path.join(root, 'web/build.mjs'), '--check'], { cwd: root }).status !== 0) {
    execFileSync(process.execPath, [path.join(root, 'web/build.mjs')], { cwd: root, stdio: 'pipe' });
  }
  if (distIsCurrent(root)) return;
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: root,
      stdio: 'pipe',
    });
  } catch (err) {
    // tsc still emits on type errors; the typecheck itself is CI's `npm run build` step.
    process.stderr.write(`global-setup: tsc reported errors (dist/ was still emitted)\n`);
  }
}
