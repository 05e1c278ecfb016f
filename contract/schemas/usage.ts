// Token and cost accounting (docs/methods.md), computed from the runs this gateway recorded.
import { z } from 'zod';
import { Count, EpochMs } from './common.js';

const Usd = z.number().min(0);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const UsageTotals = z.object({
  input: Count,
  output: Count,
  cacheRead: Count,
  cacheWrite: Count,
  totalTokens: Count,
  totalCost: Usd,
  inputCost: Usd,
  outputCost: Usd,
  cacheReadCost: Usd,
  cacheWriteCost: Usd,
  /** Usage entries whose model had no price, so they add tokens but no cost. */
  missingCostEntries: Count,
});
export type UsageTotals = z.infer<typeof UsageTotals>;

/** Not upstream: totals per model. */
export const UsageByModel = UsageTotals.extend({ provider: z.string(), model: z.string() });

/** Not upstream: totals per session (the sessions that used the most tokens first). */
export const UsageBySession = UsageTotals.extend({ sessionKey: z.string(), agentId: z.string() });

export const UsageStatusParams = z.strictObject({});

export const UsageWindow = z.object({
  label: z.string(),
  usedPercent: z.number().min(0),
  resetAt: EpochMs.optional(),
});

export const ProviderUsage = z.object({
  provider: z.string(),
  displayName: z.string(),
  windows: z.array(UsageWindow),
  plan: z.string().optional(),
  error: z.string().optional(),
});

export const UsageStatusResult = z.object({
  updatedAt: EpochMs,
  providers: z.array(ProviderUsage),
  /** Not upstream: all-time totals of the runs this gateway recorded. */
  totals: UsageTotals.optional(),
  /** Not upstream: all-time totals per model. */
  byModel: z.array(UsageByModel).optional(),
});

export const UsageCostParams = z.strictObject({
  startDate: IsoDate.optional(),
  endDate: IsoDate.optional(),
  /** Default 30. */
  days: z.number().int().min(1).max(3660).optional(),
  mode: z.enum(['utc', 'gateway', 'specific']).optional(),
  /** e.g. `UTC+5:30`; with mode `specific`. */
  utcOffset: z.string().regex(/^UTC[+-]\d{1,2}(:\d{2})?$/).optional(),
});

export const UsageCostResult = z.object({
  updatedAt: EpochMs,
  days: Count,
  daily: z.array(UsageTotals.extend({ date: IsoDate })),
  totals: UsageTotals,
  /** Not upstream: the range's totals per model. */
  byModel: z.array(UsageByModel).optional(),
  /** Not upstream: the range's totals per session, most tokens first, at most 100. */
  bySession: z.array(UsageBySession).optional(),
});
