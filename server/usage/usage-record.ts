// One model run's usage as the ledger stores it (one JSONL line), and the check every record passes
// before it is counted: a bad line in a hand-edited or damaged file never poisons the totals.

export interface UsageCost {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  total: number;
}

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
  readonly cost?: UsageCost;
}

const MAX_TS = 8.64e15;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isMoney = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 1024;

/** The record if every field it needs is sound (copied field by field), else undefined. */
export function validUsageRecord(value: unknown): UsageRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.ts !== 'number' || !Number.isFinite(r.ts) || Math.abs(r.ts) > MAX_TS) return undefined;
  if (!isName(r.agentId) || !isName(r.sessionKey) || !isName(r.provider) || !isName(r.model)) return undefined;
  if (!isCount(r.input) || !isCount(r.output) || !isCount(r.cacheRead) || !isCount(r.cacheWrite)) return undefined;
  let cost: UsageCost | undefined;
  if (r.cost !== undefined) {
    const c = r.cost as Record<string, unknown> | null;
    if (!c || typeof c !== 'object' || !isMoney(c.input) || !isMoney(c.output) || !isMoney(c.cacheRead) || !isMoney(c.cacheWrite) || !isMoney(c.total)) return undefined;
    cost = { input: c.input, output: c.output, cacheRead: c.cacheRead, cacheWrite: c.cacheWrite, total: c.total };
  }
  return {
    ts: r.ts,
    runId: typeof r.runId === 'string' ? r.runId : '',
    agentId: r.agentId,
    sessionKey: r.sessionKey,
    provider: r.provider,
    model: r.model,
    input: r.input,
    output: r.output,
    cacheRead: r.cacheRead,
    cacheWrite: r.cacheWrite,
    ...(cost ? { cost } : {}),
  };
}
