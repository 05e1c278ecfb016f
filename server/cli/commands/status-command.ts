// `openclaw status`: the gateway at a glance — version, agents, sessions, channels, running turns.
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CLIENT_OPTIONS_HELP, runClientCommand } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { withProgress } from '../client/progress-spinner.js';
import { relativeTime } from '../client/relative-time.js';
import { formatFields, formatTable } from '../client/text-table.js';
import { probesOk, renderChannelProbe, renderUsage, type ChannelsStatus, type UsageStatus } from './status-sections.js';

type Status = GatewayMethods['status']['result'];

const USAGE = `Usage: openclaw status [--deep] [--usage] [--all] [options]

The gateway at a glance: version, agents, sessions (the most recent first), channels and the
turns running now.

Options:
  --deep             also probe every channel account live (exit 1 when a probe fails)
  --usage            also the providers' usage windows and the recorded tokens per model
  --all              everything: --deep and --usage

${CLIENT_OPTIONS_HELP}`;

interface RecentRow {
  readonly key?: unknown;
  readonly updatedAt?: unknown;
  readonly model?: unknown;
}

interface ActiveTask {
  readonly runId?: unknown;
  readonly sessionKey?: unknown;
  readonly status?: unknown;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function render(out: CliOutput, url: string, s: Status): void {
  const c = out.color;
  const agents = (s.agents ?? []).map((a) => `${a.id}${a.isDefault ? c.dim(' (default)') : ''}`).join(', ');
  const active = ((s.tasks as { active?: ActiveTask[] } | null)?.active ?? []).filter((t) => t && typeof t === 'object');
  out.line(`${c.bold('OpenClaw gateway')} ${s.runtimeVersion ?? ''}  ${c.dim(url)}`);
  out.line(
    formatFields(
      [
        ['agents', agents || c.dim('none')],
        ['sessions', `${s.sessions.count}${s.sessions.defaults.model ? ` · default model ${s.sessions.defaults.model}` : ''}${s.sessions.defaults.contextTokens ? ` · context ${s.sessions.defaults.contextTokens} tokens` : ''}`],
        ['channels', s.channelSummary.length ? s.channelSummary.join('; ') : c.dim('none configured')],
        ['running', active.length ? active.map((t) => `${text(t.sessionKey)} (${text(t.status)})`).join(', ') : c.dim('no turns running')],
      ],
      c,
      '  ',
    ),
  );
  const recent = (s.sessions.recent as RecentRow[]).filter((r) => r && typeof r === 'object');
  if (recent.length) {
    out.line();
    out.line(
      formatTable(
        [{ header: 'RECENT SESSION', flex: true }, { header: 'UPDATED' }, { header: 'MODEL' }],
        recent.map((r) => [text(r.key), relativeTime(typeof r.updatedAt === 'number' ? r.updatedAt : null), text(r.model) || c.dim('default')]),
        c,
        out.columns,
      ),
    );
  }
}

export function runStatusCommand(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'status', options: { deep: { type: 'boolean' }, usage: { type: 'boolean' }, all: { type: 'boolean' } }, usage: usageWithMethods(USAGE, ['status', 'usage.status', 'channels.status']) },
    async ({ values, out, target, timeoutMs }) => {
      const deep = values.deep === true || values.all === true;
      const withUsage = values.usage === true || values.all === true;
      const { status, usage, channels } = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) =>
        withProgress(out, deep ? 'asking the gateway and probing the channels…' : 'asking the gateway…', async () => {
          const [status, usage, channels] = await Promise.all([
            client.status({}, { timeoutMs }),
            withUsage ? client.usage.status({}, { timeoutMs }) : undefined,
            deep ? client.channels.status({ probe: true }, { timeoutMs }) : undefined,
          ]);
          return { status, usage, channels };
        }),
      );
      if (out.json) {
        const extra: { usage?: UsageStatus; channelProbe?: ChannelsStatus } = {};
        if (usage) extra.usage = usage;
        if (channels) extra.channelProbe = channels;
        out.printJson({ ...status, ...extra });
        return channels && !probesOk(channels) ? 1 : 0;
      }
      render(out, target.url, status);
      if (usage) renderUsage(out, usage);
      if (channels && !renderChannelProbe(out, channels)) {
        out.note(out.errColor.red('openclaw: a channel probe failed (see above)'));
        return 1;
      }
      return 0;
    },
  );
}
