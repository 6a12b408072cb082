/** Durable background jobs: the journal port, its filesystem and in-memory journals, the runner. */
export type { JobJournal, JobRecord, JobState, ClaimOptions } from './journal.js';
export { FsJobJournal, type FsJobJournalOptions } from './fs-journal.js';
export { MemoryJobJournal } from './memory-journal.js';
export { JobRunner, jobInfo, type JobEvent, type JobInfo, type JobHandler, type JobRunnerOptions } from './runner.js';
export { Channel } from './channel.js';
