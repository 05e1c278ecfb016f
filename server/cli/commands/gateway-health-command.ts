// `openclaw gateway health` (and `openclaw health`): the gateway's health snapshot.
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CLIENT_OPTIONS_HELP, runClientCommand } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { withProgress } from '../client/progress-spinner.js';
import { relativeTime, shortDuration } from '../client/relative-time.js';
import { formatFields, formatTable } from '../client/text-table.js';

type Health = GatewayMethods['health']['result'];

const USAGE = `Usage: openclaw gateway health [--probe] [options]

The gateway's health: version, uptime, agents, sessions, channels, memory and skills.
Exits 1 when the gateway reports it is not healthy.

Options:
  --probe            probe the channels live instead of using the cached state

${CLIENT_OPTIONS_HELP}`;

const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

export function renderHealth(out: CliOutput, h: Health): void {
  const c = out.color;
  const state = h.ok ? c.green('ok') : c.red('not ok');
  out.line(`${c.bold('Gateway')} ${state}${h.gateway ? ` · version ${h.gateway.version} · up ${shortDuration(h.gateway.uptimeMs)} · ${h.gateway.connections} connection${h.gateway.connections === 1 ? '' : 's'} · ${mb(h.gateway.rssBytes)}` : ''}`);
  out.line(
    formatFields(
      [
        ['default agent', h.defaultAgentId],
        ['sessions', `${h.sessions.count} (${h.sessions.path})`],
        h.sessions.recent.length ? ['recent', h.sessions.recent.slice(0, 5).map((s) => `${s.key} (${relativeTime(s.updatedAt)})`).join(', ')] : undefined,
        h.skills ? ['skills', `${h.skills.total}, eligible: ${h.skills.eligible.length ? h.skills.eligible.join(', ') : 'none'}`] : undefined,
        ['checked', `${relativeTime(h.ts)} in ${shortDuration(h.durationMs)}`],
      ],
      c,
      '  ',
    ),
  );
  out.line();
  out.line(formatTable([{ header: 'AGENT' }, { header: 'NAME' }, { header: 'DEFAULT' }, { header: 'SESSIONS', align: 'right' }], h.agents.map((a) => [a.agentId, a.name ?? '', a.isDefault ? 'yes' : '', String(a.sessions.count)]), c, out.columns));
  const channels = h.channelOrder.flatMap((id) => {
    const ch = h.channels[id];
    return ch ? [[h.channelLabels[id] ?? id, ch.accountId, ch.configured === false ? 'no' : 'yes', ch.linked === false ? 'no' : ch.linked ? 'yes' : '-', relativeTime(ch.lastProbeAt)]] : [];
  });
  if (channels.length) {
    out.line();
    out.line(formatTable([{ header: 'CHANNEL' }, { header: 'ACCOUNT' }, { header: 'CONFIGURED' }, { header: 'LINKED' }, { header: 'PROBED' }], channels, c, out.columns));
  }
  if (h.memory?.agents.length) {
    out.line();
    out.line(
      formatTable(
        [{ header: 'MEMORY' }, { header: 'MODE' }, { header: 'FILES', align: 'right' }, { header: 'CHUNKS', align: 'right' }, { header: 'INDEXED' }, { header: 'STATE', flex: true }],
        h.memory.agents.map((m) => [m.agentId, m.mode, String(m.files), String(m.chunks), relativeTime(m.lastIndexedAt), m.lastError ? c.red(m.lastError) : m.indexing ? 'indexing' : m.dirty ? 'stale' : 'fresh']),
        c,
        out.columns,
      ),
    );
  }
}

export function runGatewayHealthCommand(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'gateway health', options: { probe: { type: 'boolean' } }, usage: usageWithMethods(USAGE, ['health']) },
    async ({ values, out, target, timeoutMs }) => {
      const health = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) =>
        withProgress(out, 'asking the gateway for its health…', () => client.health(values.probe ? { probe: true } : {}, { timeoutMs })),
      );
      if (out.json) out.printJson(health);
      else renderHealth(out, health);
      if (!health.ok) {
        if (!out.json) out.note(out.errColor.red('openclaw: the gateway reports it is not healthy'));
        return 1;
      }
      return 0;
    },
  );
}
