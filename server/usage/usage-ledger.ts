// Every model run's tokens and cost, kept durably (usage-files.ts) and aggregated for usage.status /
// usage.cost. In memory: no raw records, only totals per 15-minute UTC slot × agent × session ×
// provider × model, so memory grows with distinct sessions and active quarter-hours, not with runs.
// Sessions of OpenAI requests that named none (one per request, pruned by the HTTP layer) count under
// one `agent:<id>:openai:*` / `…:openresponses:*` key, or they would grow with runs after all. Days
// are exact for every whole-quarter-hour UTC offset (all real time zones).
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { statelessBucketKey } from '../sessions/stateless-session-key.js';
import { UsageFiles } from './usage-files.js';
import { validUsageRecord, type UsageRecord } from './usage-record.js';
import { addRecord, addTotals, dayOf, emptyTotals, nextDay, SLOT_MS, type UsageEntry, type UsageFilter, type UsageTotals } from './usage-totals.js';

export class UsageLedger {
  private readonly entries = new Map<string, UsageEntry>();
  private readonly files: UsageFiles;

  /**
   * @param path the base ledger file (`<stateDir>/usage/usage.jsonl`): monthly files are written
   *   beside it, and the base file itself, if present, is read as history.
   */
  constructor(
    readonly path: string,
    private readonly logger: Pick<GatewayLogger, 'warn' | 'error'>,
  ) {
    this.files = new UsageFiles(path, logger);
    this.files.load((record) => this.count(record));
  }

  /** Records one model run: counted at once, appended to this month's file (synced in the background). */
  record(record: UsageRecord): void {
    const clean = validUsageRecord(record);
    if (!clean) {
      this.logger.warn('usage record with invalid numbers not recorded', { runId: String(record.runId) });
      return;
    }
    this.count(clean);
    this.files.append(clean);
  }

  /** Resolves when every record so far is on disk; closes the file (the next record reopens it). */
  async flush(): Promise<void> {
    await this.files.flush();
  }

  /** Slot totals (one per slot, session and model), in no particular order. */
  all(filter: UsageFilter = () => true): UsageEntry[] {
    const out: UsageEntry[] = [];
    for (const entry of this.entries.values()) if (filter(entry)) out.push(entry);
    return out;
  }

  /** Providers that have recorded usage. */
  providers(): Set<string> {
    const ids = new Set<string>();
    for (const entry of this.entries.values()) ids.add(entry.provider);
    return ids;
  }

  totals(filter: UsageFilter = () => true): UsageTotals {
    const totals = emptyTotals();
    for (const entry of this.entries.values()) if (filter(entry)) addTotals(totals, entry.totals);
    return totals;
  }

  /** Totals per group (e.g. per model or per session) of the entries that pass the filter. */
  grouped<K extends string>(key: (e: UsageEntry) => K, filter: UsageFilter = () => true): Map<K, { first: UsageEntry; totals: UsageTotals }> {
    const groups = new Map<K, { first: UsageEntry; totals: UsageTotals }>();
    for (const entry of this.entries.values()) {
      if (!filter(entry)) continue;
      const k = key(entry);
      let group = groups.get(k);
      if (!group) {
        group = { first: entry, totals: emptyTotals() };
        groups.set(k, group);
      }
      addTotals(group.totals, entry.totals);
    }
    return groups;
  }

  /** Totals per day between two dates (inclusive, `YYYY-MM-DD`), days shifted by offsetMinutes from UTC. */
  daily(startDate: string, endDate: string, offsetMinutes: number): { date: string; totals: UsageTotals }[] {
    const days = new Map<string, UsageTotals>();
    for (let d = startDate; d <= endDate; d = nextDay(d)) days.set(d, emptyTotals());
    for (const entry of this.entries.values()) {
      const bucket = days.get(dayOf(entry.ts, offsetMinutes));
      if (bucket) addTotals(bucket, entry.totals);
    }
    return [...days].map(([date, totals]) => ({ date, totals }));
  }

  /** How many slot totals are held (memory grows with this, not with runs). */
  get size(): number {
    return this.entries.size;
  }

  private count(r: UsageRecord): void {
    const slot = Math.floor(r.ts / SLOT_MS) * SLOT_MS;
    const sessionKey = statelessBucketKey(r.sessionKey);
    const key = JSON.stringify([slot, r.agentId, sessionKey, r.provider, r.model]);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { ts: slot, agentId: r.agentId, sessionKey, provider: r.provider, model: r.model, totals: emptyTotals() };
      this.entries.set(key, entry);
    }
    addRecord(entry.totals, r);
  }
}
