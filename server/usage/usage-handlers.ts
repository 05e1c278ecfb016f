// usage.status / usage.cost (docs/methods.md) over the usage ledger of recorded runs.
import type { UsageHandlers } from '../../generated/server/handlers.js';
import type { AgentRuntime } from '../chat/agent-runtime.js';
import { invalidParams } from '../core/gateway-error.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { OFFLINE_PROVIDER_ID } from '../providers/offline-provider.js';
import type { UsageLedger } from './usage-ledger.js';
import { dayOf, type UsageFilter } from './usage-totals.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 3660;
const MAX_SESSIONS = 100;

const byModel = (ledger: UsageLedger, filter?: UsageFilter) =>
  [...ledger.grouped((r) => `${r.provider}/${r.model}`, filter).values()]
    .map(({ first, totals }) => ({ provider: first.provider, model: first.model, ...totals }))
    .sort((a, b) => b.totalTokens - a.totalTokens);

const bySession = (ledger: UsageLedger, filter?: UsageFilter) =>
  [...ledger.grouped((r) => r.sessionKey, filter).values()]
    .map(({ first, totals }) => ({ sessionKey: first.sessionKey, agentId: first.agentId, ...totals }))
    .sort((a, b) => b.totalTokens - a.totalTokens)
    .slice(0, MAX_SESSIONS);

/** Minutes east of UTC for usage.cost's mode/utcOffset. */
export function offsetMinutes(mode: 'utc' | 'gateway' | 'specific' | undefined, utcOffset: string | undefined): number {
  if (mode === 'utc') return 0;
  if (mode === 'specific' || (mode === undefined && utcOffset)) {
    const match = /^UTC([+-])(\d{1,2})(?::(\d{2}))?$/.exec(utcOffset ?? '');
    if (!match) throw invalidParams('mode "specific" needs utcOffset like "UTC+5:30"');
    const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
    if (minutes > 14 * 60) throw invalidParams('utcOffset must be within UTC-14:00 … UTC+14:00');
    return match[1] === '-' ? -minutes : minutes;
  }
  return -new Date().getTimezoneOffset();
}

export function createUsageHandlers(rt: GatewayRuntime, agents: AgentRuntime): UsageHandlers {
  return {
    'usage.status': () => {
      const configured = Object.keys(rt.config.config.models?.providers ?? {});
      const seen = agents.usage.providers();
      const ids = [...new Set([...configured, ...seen])].sort();
      return {
        updatedAt: Date.now(),
        providers: ids.map((provider) => ({
          provider,
          displayName: provider === OFFLINE_PROVIDER_ID ? 'Offline echo (built in)' : provider,
          // This gateway knows tokens and cost, not provider plan quotas.
          windows: [],
        })),
        totals: agents.usage.totals(),
        byModel: byModel(agents.usage),
      };
    },

    'usage.cost': (params) => {
      const offset = offsetMinutes(params.mode, params.utcOffset);
      const today = dayOf(Date.now(), offset);
      const endDate = params.endDate ?? (params.startDate && params.days ? dayOf(Date.parse(`${params.startDate}T00:00:00Z`) + (params.days - 1) * DAY_MS, 0) : today);
      const startDate = params.startDate ?? dayOf(Date.parse(`${endDate}T00:00:00Z`) - ((params.days ?? 30) - 1) * DAY_MS, 0);
      if (Number.isNaN(Date.parse(`${startDate}T00:00:00Z`)) || Number.isNaN(Date.parse(`${endDate}T00:00:00Z`))) {
        throw invalidParams('startDate and endDate must be real dates (YYYY-MM-DD)');
      }
      if (startDate > endDate) throw invalidParams(`startDate ${startDate} is after endDate ${endDate}`);
      const span = Math.round((Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / DAY_MS) + 1;
      if (span > MAX_DAYS) throw invalidParams(`the range spans ${span} days; ask for at most ${MAX_DAYS}`);
      const daily = agents.usage.daily(startDate, endDate, offset);
      const inRange: UsageFilter = (e) => {
        const day = dayOf(e.ts, offset);
        return day >= startDate && day <= endDate;
      };
      return {
        updatedAt: Date.now(),
        days: daily.length,
        daily: daily.map(({ date, totals: t }) => ({ date, ...t })),
        totals: agents.usage.totals(inRange),
        byModel: byModel(agents.usage, inRange),
        bySession: bySession(agents.usage, inRange),
      };
    },
  };
}
