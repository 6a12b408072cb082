/**
 * `npm pack` and a global install of the tarball, for the install tests. The install itself needs
 * the npm registry for the dependencies (an `--offline` install fails with ENOTCACHED here), so it
 * is done the way npm lays it out, with no network: the tarball unpacked into
 * `<prefix>/lib/node_modules/autoskill`, each of its `dependencies` (only those: no dev
 * dependency, no optional peer) linked from this checkout's node_modules, and
 * `<prefix>/bin/autoskill` linking to the package's bin, made executable (npm's bin-links).
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

export const REPO = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** PATH for children: the running Node first, so `#!/usr/bin/env node` and npm find Node ≥22. */
export function pathWith(...dirs: string[]): string {
  return [...dirs, path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
}

export interface PackResult {
  filename: string;
  files: string[];
}

/** `npm pack --json` in `cwd` (extra flags such as --dry-run, --ignore-scripts, --pack-destination). */
export async function npmPack(cwd: string, flags: string[]): Promise<PackResult> {
  const { stdout } = await run('npm', ['pack', '--json', '--loglevel=error', ...flags], {
    cwd,
    env: { ...process.env, PATH: pathWith(), npm_config_update_notifier: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
  // Lifecycle scripts (prepack) may print before the JSON array.
  const json = stdout.slice(stdout.search(/^\[/m));
  const [entry] = JSON.parse(json) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { filename: entry!.filename, files: entry!.files.map((f) => f.path).sort() };
}

/** Lay out `npm install -g <tarball> --prefix <prefix>`; returns the bin folder to put on PATH. */
export async function installTarball(tarball: string, prefix: string): Promise<string> {
  const pkg = path.join(prefix, 'lib', 'node_modules', 'autoskill');
  await mkdir(pkg, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
  const manifest = JSON.parse(await readFile(path.join(pkg, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    bin: Record<string, string>;
  };
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    const link = path.join(pkg, 'node_modules', ...dep.split('/'));
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(path.join(REPO, 'node_modules', ...dep.split('/')), link, 'dir');
  }
  const bin = path.join(prefix, 'bin');
  await mkdir(bin, { recursive: true });
  for (const [name, target] of Object.entries(manifest.bin)) {
    const abs = path.join(pkg, target);
    await chmod(abs, 0o755);
    await symlink(path.relative(bin, abs), path.join(bin, name));
  }
  return bin;
}
