// Where jobs live: the store seam, and its default, upstream's `cron/jobs.json` ({ version: 1,
// jobs: [...] }) written atomically with mode 0600 through the state dir's document store. Entries
// this version cannot read are kept verbatim (and written back), fields it does not know on a job
// are kept too, so a file shared with another version loses nothing.
import { z } from 'zod';
import { CronJob } from '../../contract/schemas/cron-job.js';
import { validateUntrusted } from '../core/untrusted-input.js';
import { describeIssues } from '../core/zod-issues.js';
import { fileDocumentStore } from '../state/document-store.js';

export interface CronJobStoreLoad {
  readonly jobs: CronJob[];
  /** Entries that are not valid jobs: `index` in the file and why. */
  readonly skipped: readonly { readonly index: number; readonly reason: string }[];
  /** Set when the document itself could not be read; nothing may be saved over it then. */
  readonly error?: string;
}

export interface CronJobStore {
  readonly location: string;
  load(): CronJobStoreLoad;
  /** Replaces every job; when it returns the new list survives a crash. Throws when the write fails. */
  save(jobs: readonly CronJob[]): void;
}

const StoreFile = z.looseObject({ version: z.literal(1), jobs: z.array(z.unknown()) });

export function fileCronJobStore(path: string): CronJobStore {
  const document = fileDocumentStore(path, StoreFile);
  /** Per job id, the fields of the stored entry this version does not model. */
  let extras = new Map<string, Record<string, unknown>>();
  let foreign: unknown[] = [];
  let top: Record<string, unknown> = {};

  return {
    location: path,
    load() {
      const loaded = document.load();
      if (loaded.state === 'missing') return { jobs: [], skipped: [] };
      if (loaded.state === 'invalid') return { jobs: [], skipped: [], error: `${path} cannot be read: ${loaded.reason}` };
      const { jobs: entries, ...rest } = loaded.value;
      top = rest;
      extras = new Map();
      foreign = [];
      const jobs: CronJob[] = [];
      const skipped: { index: number; reason: string }[] = [];
      entries.forEach((entry, index) => {
        const parsed = validateUntrusted(CronJob, entry);
        if (!parsed.success) {
          foreign.push(entry);
          skipped.push({ index, reason: describeIssues(parsed.error) });
          return;
        }
        const known = new Set(Object.keys(parsed.data));
        const unknown = Object.fromEntries(Object.entries(entry as Record<string, unknown>).filter(([key]) => !known.has(key)));
        if (Object.keys(unknown).length > 0) extras.set(parsed.data.id, unknown);
        jobs.push(parsed.data);
      });
      return { jobs, skipped };
    },
    save(jobs) {
      const entries: unknown[] = jobs.map((job) => {
        const kept = extras.get(job.id);
        return kept ? { ...kept, ...job } : job;
      });
      document.save({ ...top, version: 1, jobs: entries.concat(foreign) });
    },
  };
}
