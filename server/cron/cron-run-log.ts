// Run logs: one append-only JSONL file per job (`cron/runs/<jobId>.jsonl`, upstream's layout) on the
// state dir's record log, pruned by size. Only the logs appended to recently keep a file open, so
// ten thousand jobs do not hold ten thousand descriptors.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CronRunLogEntry } from '../../contract/schemas/cron.js';
import { validateUntrusted } from '../core/untrusted-input.js';
import { fileRecordLog, retireRecordLog, type RecordLog } from '../state/record-log.js';

export interface CronRunLogStore {
  readonly location: string;
  append(entry: CronRunLogEntry): void;
  /** The newest `limit` entries of a job, oldest first. */
  read(jobId: string, limit: number): CronRunLogEntry[];
  /** Jobs that have a run log. */
  jobIds(): string[];
  /** Moves a removed job's log aside (kept for inspection, no longer listed). */
  retire(jobId: string): Promise<void>;
  /** Resolves when every append so far is on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const MAX_OPEN_LOGS = 64;
const parseEntry = (value: unknown): CronRunLogEntry | undefined => {
  const checked = validateUntrusted(CronRunLogEntry, value);
  return checked.success ? checked.data : undefined;
};

export function fileCronRunLogs(dir: string, options: { maxBytes: number; onError: (error: Error) => void }): CronRunLogStore {
  /** Open logs in least-recently-appended order. */
  const open = new Map<string, RecordLog<CronRunLogEntry>>();
  const pathOf = (jobId: string): string => join(dir, `${jobId}.jsonl`);
  const logFor = (jobId: string): RecordLog<CronRunLogEntry> =>
    fileRecordLog<CronRunLogEntry>(pathOf(jobId), { maxBytes: options.maxBytes, onError: options.onError, parse: parseEntry });

  return {
    location: dir,
    append(entry) {
      let log = open.get(entry.jobId);
      if (log) open.delete(entry.jobId);
      else log = logFor(entry.jobId);
      open.set(entry.jobId, log);
      log.append(entry);
      if (open.size > MAX_OPEN_LOGS) {
        const [oldestId, oldest] = open.entries().next().value!;
        open.delete(oldestId);
        void oldest.close().catch(options.onError);
      }
    },
    read(jobId, limit) {
      return (open.get(jobId) ?? logFor(jobId)).tail(limit);
    },
    jobIds() {
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((name) => name.endsWith('.jsonl'))
        .map((name) => name.slice(0, -'.jsonl'.length));
    },
    async retire(jobId) {
      const log = open.get(jobId);
      open.delete(jobId);
      await log?.close();
      retireRecordLog(pathOf(jobId));
    },
    async flush() {
      await Promise.all([...open.values()].map((log) => log.flush()));
    },
    async close() {
      const logs = [...open.values()];
      open.clear();
      await Promise.all(logs.map((log) => log.close()));
    },
  };
}
