// Every model call's tokens and cost, one JSONL line each (usage/usage.jsonl in the state dir),
// aggregated on demand per day, provider, model and session for usage.status / usage.cost.
import { existsSync, readFileSync } from 'node:fs';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { JsonlAppender } from '../sessions/jsonl-appender.js';

export interface UsageRecord {
  readonly ts: number;
  readonly runId: string;
  readonly agentId: string;
  readonly sessionKey: string;
  readonly provider: string;
  readonly model: string;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  /** USD; absent when the model has no price. */
  readonly cost?: { input: number; output: number; cacheRead: number; cacheWrite: number; total: number };
}

export interface UsageTotals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  totalTokens: number;
  totalCost: number;
  inputCost: number;
  outputCost: number;
  cacheReadCost: number;
  cacheWriteCost: number;
  missingCostEntries: number;
}

export const emptyTotals = (): UsageTotals => ({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  totalTokens: 0,
  totalCost: 0,
  inputCost: 0,
  outputCost: 0,
  cacheReadCost: 0,
  cacheWriteCost: 0,
  missingCostEntries: 0,
});

export function addRecord(totals: UsageTotals, r: UsageRecord): void {
  totals.input += r.input;
  totals.output += r.output;
  totals.cacheRead += r.cacheRead;
  totals.cacheWrite += r.cacheWrite;
  totals.totalTokens += r.input + r.output + r.cacheRead + r.cacheWrite;
  if (r.cost) {
    totals.totalCost += r.cost.total;
    totals.inputCost += r.cost.input;
    totals.outputCost += r.cost.output;
    totals.cacheReadCost += r.cost.cacheRead;
    totals.cacheWriteCost += r.cost.cacheWrite;
  } else if (r.input + r.output + r.cacheRead + r.cacheWrite > 0) {
    totals.missingCostEntries++;
  }
}

export class UsageLedger {
  private records: UsageRecord[] | undefined;
  private readonly appender: JsonlAppender;

  constructor(
    readonly path: string,
    logger: GatewayLogger,
  ) {
    // Not fsynced: usage is bookkeeping, and the transcripts hold the same numbers durably.
    this.appender = new JsonlAppender(path, (error) => logger.error('usage ledger write failed', { error: error.message }), false);
  }

  /** Records one model run; kept in memory at once, written in the background. */
  record(record: UsageRecord): void {
    this.all().push(record);
    this.appender.append(`${JSON.stringify(record)}\n`);
  }

  flush(): Promise<void> {
    return this.appender.flush();
  }

  /** All records, oldest first (read once, then kept in memory). */
  all(): UsageRecord[] {
    if (this.records) return this.records;
    const records: UsageRecord[] = [];
    if (existsSync(this.path)) {
      for (const line of readFileSync(this.path, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const value = JSON.parse(line) as UsageRecord;
          if (typeof value.ts === 'number' && typeof value.input === 'number') records.push(value);
        } catch {
          // a torn last line after a crash
        }
      }
    }
    this.records = records;
    return records;
  }

  totals(filter: (r: UsageRecord) => boolean = () => true): UsageTotals {
    const totals = emptyTotals();
    for (const r of this.all()) if (filter(r)) addRecord(totals, r);
    return totals;
  }

  /** Totals per group (e.g. per model or per session) of the records that pass the filter. */
  grouped<K extends string>(key: (r: UsageRecord) => K, filter: (r: UsageRecord) => boolean = () => true): Map<K, { first: UsageRecord; totals: UsageTotals }> {
    const groups = new Map<K, { first: UsageRecord; totals: UsageTotals }>();
    for (const r of this.all()) {
      if (!filter(r)) continue;
      const k = key(r);
      let group = groups.get(k);
      if (!group) {
        group = { first: r, totals: emptyTotals() };
        groups.set(k, group);
      }
      addRecord(group.totals, r);
    }
    return groups;
  }

  /** Totals per day between two dates (inclusive, `YYYY-MM-DD`), days shifted by offsetMinutes from UTC. */
  daily(startDate: string, endDate: string, offsetMinutes: number): { date: string; totals: UsageTotals }[] {
    const days = new Map<string, UsageTotals>();
    for (let d = startDate; d <= endDate; d = nextDay(d)) days.set(d, emptyTotals());
    for (const r of this.all()) {
      const date = dayOf(r.ts, offsetMinutes);
      const bucket = days.get(date);
      if (bucket) addRecord(bucket, r);
    }
    return [...days].map(([date, totals]) => ({ date, totals }));
  }
}

export function dayOf(ts: number, offsetMinutes: number): string {
  return new Date(ts + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

export function nextDay(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
