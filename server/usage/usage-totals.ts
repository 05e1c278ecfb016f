// Usage totals: what the ledger keeps in memory (one total per 15-minute UTC slot, agent, session,
// provider and model) and the day arithmetic usage.cost groups them by.
import type { UsageRecord } from './usage-record.js';

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

/** The totals of the runs of one session and model within one 15-minute slot. */
export interface UsageEntry {
  /** Start of the slot (ms since the epoch, UTC). */
  readonly ts: number;
  readonly agentId: string;
  readonly sessionKey: string;
  readonly provider: string;
  readonly model: string;
  readonly totals: UsageTotals;
}

export type UsageFilter = (entry: UsageEntry) => boolean;

export const SLOT_MS = 15 * 60_000;

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

export function addTotals(target: UsageTotals, source: UsageTotals): void {
  for (const key of Object.keys(target) as (keyof UsageTotals)[]) target[key] += source[key];
}

export function dayOf(ts: number, offsetMinutes: number): string {
  return new Date(ts + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

export function nextDay(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
