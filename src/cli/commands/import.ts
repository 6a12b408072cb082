import path from 'node:path';
import { stat } from 'node:fs/promises';
import { isStoreTree } from '../../engine/index.js';
import { CliError, openSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';
import { progressBar } from '../progress.js';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SPECS.import, argv);
  if (values.help) return (out(helpText(SPECS.import)), 0);
  const dir = positionals[0];
  if (!dir) throw new CliError('missing <dir>; see --help', 2);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`not a directory: ${dir}`);
  const scope = values.scope ?? 'common';
  if (scope !== 'common' && scope !== 'user' && scope !== 'library') {
    throw new CliError(`--scope must be common or user, got "${values.scope}"`, 2);
  }
  if (scope === 'user' && !values.user) throw new CliError('--scope user needs --user U', 2);
  // A whole store keeps its owners: one target for all would publish private Users/<u> skills.
  const tree = await isStoreTree(dir);
  if (tree && (values.scope !== undefined || values.user !== undefined || values.library !== undefined)) {
    throw new CliError(
      `${dir} is a whole store (it has Users/ or Common/), imported with the owners its layout gives; --scope, --user and --library do not apply. To import part of it into one target, name that folder (e.g. ${path.join(dir, 'Common')})`,
      2,
    );
  }

  const sdk = await openSdk(values.store);
  try {
    const bar = progressBar();
    const report = await sdk.importSkills(
      path.resolve(dir),
      tree
        ? { layout: 'store' }
        : scope === 'user'
          ? { scope: 'user', userId: values.user! }
          : { scope: 'common', ...(values.library ? { library: values.library } : {}) },
      {
        onProgress: (done, total, file) => bar.update(done, total, path.basename(path.dirname(file))),
        hiddenFolders: values['skip-hidden'] ? 'report' : 'include',
      },
    );
    bar.done();
    const counts = { imported: 0, skipped: 0, error: 0 };
    for (const r of report) counts[r.status]++;
    if (values.json) out(JSON.stringify({ counts, report }, null, 2));
    else {
      // Imported skills with notes (an id replaced, files left out) are listed too: nothing is silent.
      for (const r of report.filter((x) => x.status !== 'imported' || x.reason)) out(`${r.status}: ${r.path}: ${r.reason ?? ''}`);
      if (tree) out(`whole store: owners kept (Users/<u> private to <u>, Common/<library> and ConvSkill-style sets as libraries)`);
      out(`imported ${counts.imported}, skipped ${counts.skipped}, errors ${counts.error}`);
    }
    // Any failed item fails the command (after the summary), so scripts notice a partial import.
    return counts.error > 0 ? 1 : 0;
  } finally {
    await sdk.close();
  }
}
