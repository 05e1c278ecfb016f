// cron.list and cron.runs: filter, sort and page, as upstream does (list: enabled jobs by next run,
// at most 200 a page; runs: newest first). Pure functions over what the service holds.
import type { z } from 'zod';
import type { CronListParams, CronRunLogEntry, CronRunsParams } from '../../contract/schemas/cron.js';
import type { CronJob } from '../../contract/schemas/cron-job.js';
import type { CronRunLogStore } from './cron-run-log.js';

const MAX_PAGE = 200;
const DEFAULT_RUNS_PAGE = 50;

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly hasMore: boolean;
  readonly nextOffset: number | null;
}

function page<T>(sorted: T[], offset: number | undefined, limit: number): Page<T> {
  const total = sorted.length;
  const from = Math.min(total, offset ?? 0);
  const items = sorted.slice(from, from + limit);
  const next = from + items.length;
  return { items, total, offset: from, limit, hasMore: next < total, nextOffset: next < total ? next : null };
}

const byName = new Intl.Collator(undefined, { sensitivity: 'base' });

/** The filter and order of a cron.list call, as a key for the service's cache of sorted lists. */
export function listOrderKey(params: z.output<typeof CronListParams>): string | undefined {
  if (params.query?.trim()) return undefined;
  return `${params.enabled ?? (params.includeDisabled ? 'all' : 'enabled')}|${params.sortBy ?? 'nextRunAtMs'}|${params.sortDir ?? 'asc'}`;
}

/** The jobs cron.list shows, filtered and sorted (upstream: enabled ones by next run). */
export function selectJobs(jobs: Iterable<CronJob>, params: z.output<typeof CronListParams>): CronJob[] {
  const enabled = params.enabled ?? (params.includeDisabled ? 'all' : 'enabled');
  const query = params.query?.trim().toLowerCase();
  const matches: CronJob[] = [];
  for (const job of jobs) {
    if (enabled === 'enabled' && !job.enabled) continue;
    if (enabled === 'disabled' && job.enabled) continue;
    if (query && !`${job.name} ${job.description ?? ''} ${job.agentId ?? ''}`.toLowerCase().includes(query)) continue;
    matches.push(job);
  }
  const dir = params.sortDir === 'desc' ? -1 : 1;
  const sortBy = params.sortBy ?? 'nextRunAtMs';
  matches.sort((a, b) => {
    let cmp: number;
    if (sortBy === 'name') cmp = byName.compare(a.name, b.name);
    else if (sortBy === 'updatedAtMs') cmp = a.updatedAtMs - b.updatedAtMs;
    else {
      const an = a.state.nextRunAtMs;
      const bn = b.state.nextRunAtMs;
      // Jobs without a next run sort last whatever the direction.
      if (an === undefined || bn === undefined) return an === bn ? (a.id < b.id ? -1 : 1) : an === undefined ? 1 : -1;
      cmp = an - bn;
    }
    return cmp !== 0 ? cmp * dir : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return matches;
}

/** A page of the selected jobs; without `limit`, all of them up to 200 (upstream's default). */
export function listPage(selected: CronJob[], params: z.output<typeof CronListParams>): Page<CronJob> {
  return page(selected, params.offset, Math.min(MAX_PAGE, params.limit ?? Math.max(1, selected.length)));
}

export function filterRuns(entries: CronRunLogEntry[], params: z.output<typeof CronRunsParams>): Page<CronRunLogEntry> {
  const statuses = new Set(params.statuses ?? (params.status && params.status !== 'all' ? [params.status] : []));
  const deliveries = new Set(params.deliveryStatuses ?? (params.deliveryStatus && params.deliveryStatus !== 'all' ? [params.deliveryStatus] : []));
  const query = params.query?.trim().toLowerCase();
  const kept = entries.filter((e) => {
    if (statuses.size > 0 && (!e.status || !statuses.has(e.status))) return false;
    if (deliveries.size > 0 && (!e.deliveryStatus || !deliveries.has(e.deliveryStatus))) return false;
    if (query && !`${e.jobName ?? ''} ${e.summary ?? ''} ${e.error ?? ''}`.toLowerCase().includes(query)) return false;
    return true;
  });
  const dir = params.sortDir === 'asc' ? 1 : -1;
  kept.sort((a, b) => (a.ts - b.ts) * dir);
  return page(kept, params.offset, params.limit ?? DEFAULT_RUNS_PAGE);
}

/** The newest `keep` entries of each job's log, with the job's current name where the entry has none. */
export function readRuns(logs: CronRunLogStore, jobIds: readonly string[], keep: number, nameOf: (jobId: string) => string | undefined): CronRunLogEntry[] {
  const entries = jobIds.flatMap((id) => logs.read(id, keep));
  for (const entry of entries) {
    if (entry.jobName !== undefined) continue;
    const name = nameOf(entry.jobId);
    if (name) entry.jobName = name;
  }
  return entries;
}
