import { afterAll } from 'vitest';
import { PgDatabase } from '../../src/engine/store/postgres/db.js';
import { PostgresJobJournal } from '../../src/engine/store/postgres/jobs.js';
import { FsJobJournal } from '../../src/engine/jobs/fs-journal.js';
import { MemoryJobJournal } from '../../src/engine/jobs/memory-journal.js';
import { tempDir } from '../fixtures/store-helpers.js';
import { createTestDatabase } from '../helpers/pg.js';
import { jobJournalContract } from './suites/job-journal.js';

/** The same JobJournal cases against each implementation: filesystem, PostgreSQL, memory. */

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

jobJournalContract('filesystem', async () => {
  const { dir, cleanup } = await tempDir('journal-contract-');
  cleanups.push(cleanup);
  return { journal: new FsJobJournal({ root: dir }), peer: async () => new FsJobJournal({ root: dir }) };
});

jobJournalContract('postgres', async () => {
  const tdb = await createTestDatabase('journalcase');
  cleanups.push(() => tdb.drop());
  const make = async () => {
    const db = new PgDatabase({ url: tdb.url, max: 3 });
    cleanups.push(() => db.end());
    return new PostgresJobJournal({ db });
  };
  return { journal: await make(), peer: make };
});

jobJournalContract('memory', async () => ({ journal: new MemoryJobJournal() }));
