// The optional parts of `openclaw status` (upstream's flags): --usage (provider usage windows and
// recorded token totals) and --deep (a live probe of every channel account).
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import type { CliOutput } from '../client/cli-output.js';
import { relativeTime } from '../client/relative-time.js';
import { formatTable } from '../client/text-table.js';

export type UsageStatus = GatewayMethods['usage.status']['result'];
export type ChannelsStatus = GatewayMethods['channels.status']['result'];

const tokens = (n: number): string => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));

export function renderUsage(out: CliOutput, usage: UsageStatus): void {
  const c = out.color;
  out.line();
  out.line(c.bold('Usage'));
  const windows = usage.providers.flatMap((p) =>
    p.error
      ? [[p.displayName, c.dim('-'), c.yellow(p.error), '']]
      : p.windows.map((w) => [p.displayName + (p.plan ? c.dim(` (${p.plan})`) : ''), w.label, `${Math.max(0, Math.round(100 - w.usedPercent))}% left`, w.resetAt ? `resets ${relativeTime(w.resetAt)}` : '']),
  );
  if (windows.length) out.line(formatTable([{ header: 'PROVIDER' }, { header: 'WINDOW' }, { header: 'LEFT' }, { header: 'RESET' }], windows, c, out.columns));
  const models = usage.byModel ?? [];
  if (models.length) {
    out.line(
      formatTable(
        [{ header: 'MODEL', flex: true }, { header: 'INPUT', align: 'right' }, { header: 'OUTPUT', align: 'right' }, { header: 'TOTAL', align: 'right' }, { header: 'COST', align: 'right' }],
        models.map((m) => [`${m.provider}/${m.model}`, tokens(m.input), tokens(m.output), tokens(m.totalTokens), m.missingCostEntries && !m.totalCost ? c.dim('no price') : `$${m.totalCost.toFixed(4)}`]),
        c,
        out.columns,
      ),
    );
  }
  if (!windows.length && !models.length) out.line(c.dim('no usage recorded yet'));
}

interface AccountProbe {
  readonly ok?: unknown;
  readonly error?: unknown;
  readonly latencyMs?: unknown;
}

type Account = ChannelsStatus['channelAccounts'][string][number];
type Verdict = { readonly result: 'ok' | 'failed' | 'not connected' | 'not probed'; readonly detail: string };

/** What the live probe says of an account. An account that should hold a connection but has none
 * fails even when an older probe succeeded (the gateway keeps the last result and probes only live connections). */
function verdict(a: Account): Verdict {
  const probe = (a as { probe?: AccountProbe }).probe;
  const holdsConnection = a.enabled !== false && a.configured !== false && a.healthState !== 'idle';
  if (holdsConnection && a.connected === false) return { result: 'not connected', detail: a.lastError ?? '' };
  if (!probe) return { result: 'not probed', detail: '' };
  if (probe.ok === true) return { result: 'ok', detail: typeof probe.latencyMs === 'number' ? `${Math.round(probe.latencyMs)}ms` : '' };
  return { result: 'failed', detail: typeof probe.error === 'string' ? probe.error : '' };
}

const failed = (v: Verdict): boolean => v.result === 'failed' || v.result === 'not connected';

/** Whether every account that should be connected is, and answered its probe. */
export function probesOk(status: ChannelsStatus): boolean {
  return Object.values(status.channelAccounts).every((accounts) => accounts.every((a) => !failed(verdict(a))));
}

/** The live probe of each channel account; false when one failed. */
export function renderChannelProbe(out: CliOutput, status: ChannelsStatus): boolean {
  const c = out.color;
  const rows = status.channelOrder.flatMap((id) =>
    (status.channelAccounts[id] ?? []).map((a) => {
      const v = verdict(a);
      const result = v.result === 'ok' ? c.green(v.result) : failed(v) ? c.red(v.result) : c.dim(v.result);
      return [status.channelLabels[id] ?? id, a.accountId, result, v.detail];
    }),
  );
  out.line();
  out.line(c.bold('Channel probes'));
  if (!rows.length) out.line(c.dim('no channels are configured'));
  else out.line(formatTable([{ header: 'CHANNEL' }, { header: 'ACCOUNT' }, { header: 'PROBE' }, { header: 'DETAIL', flex: true }], rows, c, out.columns));
  return probesOk(status);
}
