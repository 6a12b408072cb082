/**
 * The store lock of a holder that is gone is taken at once, even when its pid is in use again:
 * a server restarted in a container usually gets the pid its SIGKILLed predecessor had, and a
 * busy host hands old pids to new processes. The lock's owner file records the holder's process
 * identity (boot and start time, Linux /proc), so "that pid is alive" no longer keeps a dead
 * holder's lock for lockStaleMs. A holder that is really alive is still waited for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { processStart } from '../../src/engine/store/lock.js';
import { tempDir } from '../fixtures/store-helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** A store whose lock directory exists with the given owner record, as a holder leaves it. */
async function lockedStore(owner: (ino: number) => Record<string, unknown>): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const t = await tempDir('autoskill-lock-owner-');
  const first = new FsSkillStore({ root: t.dir });
  await first.open();
  await first.close();
  const lockDir = path.join(t.dir, '.autoskill', 'locks', '__store__.lock');
  await mkdir(lockDir);
  await writeFile(`${lockDir}.owner`, JSON.stringify(owner((await stat(lockDir)).ino)));
  return t;
}

/** Open with a lock that goes stale only after 10 minutes: only the owner check can let it through in time. */
async function openWithin(dir: string, timeoutMs: number): Promise<number> {
  const store = new FsSkillStore({ root: dir, lockStaleMs: 600_000, lockTimeoutMs: timeoutMs });
  const t = performance.now();
  await store.open();
  const ms = performance.now() - t;
  await store.close();
  return ms;
}

function sleeper(): ChildProcess {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(c);
  return c;
}

describe.skipIf(!existsSync('/proc/self/stat'))('a dead holder whose pid lives on', () => {
  test("a lock recorded under this process's pid by an earlier process (a restarted container) is taken at once", async () => {
    const mine = processStart(process.pid)!;
    expect(mine).toMatch(/:\d+$/);
    const { dir, cleanup } = await lockedStore((ino) => ({ pid: process.pid, host: hostname(), ino, start: mine.replace(/\d+$/, '1') }));
    try {
      expect(await openWithin(dir, 4_000)).toBeLessThan(4_000);
    } finally {
      await cleanup();
    }
  });

  test('a lock whose pid now belongs to another live process is taken at once', async () => {
    const other = sleeper();
    const { dir, cleanup } = await lockedStore((ino) => ({ pid: other.pid, host: hostname(), ino, start: `${processStart(process.pid)!.split(':')[0]}:1` }));
    try {
      expect(await openWithin(dir, 4_000)).toBeLessThan(4_000);
    } finally {
      await cleanup();
    }
  });

  test('a live holder recorded with its own identity is still waited for', async () => {
    const holder = sleeper();
    await new Promise((r) => setTimeout(r, 50)); // /proc/<pid> of the child exists once it runs
    const start = processStart(holder.pid!);
    expect(start).toBeDefined();
    const { dir, cleanup } = await lockedStore((ino) => ({ pid: holder.pid, host: hostname(), ino, start }));
    try {
      await expect(openWithin(dir, 800)).rejects.toThrow(/timed out/);
    } finally {
      await cleanup();
    }
  });

  test('a lock recorded by this very process (another copy of the store module) is still waited for', async () => {
    const { dir, cleanup } = await lockedStore((ino) => ({ pid: process.pid, host: hostname(), ino, start: processStart(process.pid) }));
    try {
      await expect(openWithin(dir, 800)).rejects.toThrow(/timed out/);
    } finally {
      await cleanup();
    }
  });

  test('the owner file a holder writes carries its identity, and a SIGKILLed holder is replaced at once', async () => {
    const { dir, cleanup } = await tempDir('autoskill-lock-kill-');
    try {
      const first = new FsSkillStore({ root: dir });
      await first.open();
      await first.close();
      // A real holder in another process: takes the store's lock and never lets go.
      const script = `
        setInterval(() => {}, 1000); // alive until killed (the lock's refresh timer is unref'd)
        const { withFileLock } = await import(${JSON.stringify(path.resolve('src/engine/store/lock.ts'))});
        await withFileLock(${JSON.stringify(path.join(dir, '.autoskill', 'locks'))}, '__store__', async () => {
          process.stdout.write('held\\n');
          await new Promise(() => {});
        });
      `;
      const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(holder);
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d: Buffer) => String(d).includes('held') && resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const { readFile } = await import('node:fs/promises');
      const owner = JSON.parse(await readFile(path.join(dir, '.autoskill', 'locks', '__store__.lock.owner'), 'utf8')) as { pid: number; start?: string };
      expect(owner.pid).toBe(holder.pid);
      expect(owner.start).toBe(processStart(holder.pid!));
      // While it lives, it holds.
      await expect(openWithin(dir, 500)).rejects.toThrow(/timed out/);
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
      expect(await openWithin(dir, 4_000)).toBeLessThan(4_000);
    } finally {
      await cleanup();
    }
  }, 30_000);
});
