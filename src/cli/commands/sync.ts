import { resolveSyncDir, syncAsciiNames, type SyncReport } from '../../engine/index.js';
import { CliError, cliUserId, openExistingSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';

/** Exit code when the mirror is up to date except for files edited in the target (see --help). */
export const CONFLICT_EXIT = 3;

export function printSyncReport(report: SyncReport, dryRun = false): void {
  const verb = dryRun ? 'would be ' : '';
  for (const f of report.created) out(`${verb}created  ${f}`);
  for (const f of report.updated) out(`${verb}updated  ${f}`);
  for (const f of report.removed) out(`${verb}removed  ${f}`);
  for (const c of report.conflicts) out(`conflict ${c.folder}${c.file ? `/${c.file}` : ''}: ${c.reason}`);
  out(
    `${report.dir}: ${report.created.length} created, ${report.updated.length} updated, ${report.removed.length} removed, ` +
      `${report.unchanged} unchanged, ${report.conflicts.length} conflict(s)${dryRun ? ' (dry run: nothing written)' : ''}`,
  );
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(SPECS.sync, argv);
  if (values.help) return (out(helpText(SPECS.sync)), 0);
  let dir: string;
  let asciiNames: boolean;
  try {
    asciiNames = syncAsciiNames({ agent: values.agent, ascii: values['ascii-names'], unicode: values['unicode-names'] });
    dir = resolveSyncDir({
      ...(values.to !== undefined ? { to: values.to } : {}),
      ...(values.agent !== undefined ? { agent: values.agent } : {}),
      ...(values.global ? { global: true } : {}),
    });
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
  const sdk = await openExistingSdk(values.store);
  try {
    const report = await sdk.skills.sync({ userId: cliUserId(values.user) }, {
      dir,
      withCommon: values['with-common'] ?? false,
      dryRun: values['dry-run'] ?? false,
      asciiNames,
    });
    if (values.json) out(JSON.stringify(report, null, 2));
    else printSyncReport(report, values['dry-run']);
    return report.conflicts.length ? CONFLICT_EXIT : 0;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError((err as Error).message);
  } finally {
    await sdk.close();
  }
}
