import { FsSkillStore, type SkillStore } from '../../engine/index.js';
import { isPostgresUrl } from '../../adapters/postgres/url.js';
import { assertStoreDir, CliError, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';
import { progressBar } from '../progress.js';

async function openStore(arg: string): Promise<{ store: SkillStore; close(): Promise<void> }> {
  if (isPostgresUrl(arg)) {
    const { createPostgresBackends } = await import('../../adapters/postgres/index.js');
    const pg = createPostgresBackends(arg, { applicationName: 'autoskill-migrate' });
    try {
      await pg.store.open();
    } catch (err) {
      await pg.close();
      throw new CliError(`cannot open the PostgreSQL store: ${(err as Error).message}`);
    }
    return { store: pg.store, close: () => pg.close() };
  }
  const store = new FsSkillStore({ root: arg });
  await store.open();
  return { store, close: () => store.close() };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(SPECS.migrate, argv);
  if (values.help) return (out(helpText(SPECS.migrate)), 0);
  if (!values.from || !values.to) throw new CliError('both --from and --to are required; see --help', 2);
  if (values.from === values.to) throw new CliError('--from and --to are the same store', 2);
  // A mistyped source must not become an empty store that migrates nothing.
  if (!isPostgresUrl(values.from)) await assertStoreDir(values.from);
  const { migrateStore } = await import('../../adapters/postgres/index.js');
  const from = await openStore(values.from);
  try {
    const to = await openStore(values.to);
    try {
      const present = (await to.store.list()).length;
      if (present > 0) throw new CliError(`the target store is not empty (${present} skills); migrate into an empty one`);
      const bar = progressBar();
      const report = await migrateStore(from.store, to.store, { onProgress: (done, total) => bar.update(done, total) });
      bar.done();
      if (values.json) out(JSON.stringify(report, null, 2));
      else
        out(
          `migrated ${report.skills} skill(s), ${report.deleted} deleted skill history(ies), ` +
            `${report.historyEntries} version(s), ${report.resourceFiles} resource file(s)`,
        );
      return 0;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
