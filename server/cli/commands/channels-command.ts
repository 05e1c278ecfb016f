// `openclaw channels status`: each channel account's state (connected, stopped, failing and why).
import type { GatewayMethods } from '../../../generated/clients/method-map.js';
import { CLIENT_OPTIONS_HELP, runClientCommand } from '../client/client-command.js';
import type { CliOutput } from '../client/cli-output.js';
import { withGateway } from '../client/gateway-connection.js';
import { usageWithMethods } from '../client/method-docs.js';
import { withProgress } from '../client/progress-spinner.js';
import { relativeTime } from '../client/relative-time.js';
import { dispatchSubcommand, type SubcommandGroup } from '../client/subcommands.js';
import { formatTable } from '../client/text-table.js';

type ChannelsStatus = GatewayMethods['channels.status']['result'];
type Account = ChannelsStatus['channelAccounts'][string][number];

const STATUS_USAGE = `Usage: openclaw channels status [--probe] [--channel <id>] [options]

Every channel account: whether it is configured, running and connected, its last error, and
when it last received and sent a message.

Options:
  --probe            check each account live instead of reporting the cached state
  --channel <id>     only this channel (irc, webchat, …)

${CLIENT_OPTIONS_HELP}`;

function state(a: Account, out: CliOutput): string {
  if (a.lastError && !a.connected) return out.color.red('error');
  if (a.connected) return out.color.green('connected');
  // A channel that waits for clients to come to it (WebChat) is idle, not connecting.
  if (a.running && a.healthState === 'idle') return out.color.dim('idle');
  if (a.running) return out.color.yellow('connecting');
  if (a.enabled === false) return out.color.dim('disabled');
  if (a.configured === false) return out.color.dim('not configured');
  return out.color.dim('stopped');
}

function render(out: CliOutput, s: ChannelsStatus): void {
  const rows = s.channelOrder.flatMap((id) =>
    (s.channelAccounts[id] ?? []).map((a) => [
      s.channelLabels[id] ?? id,
      a.accountId + (s.channelDefaultAccountId[id] === a.accountId ? out.color.dim(' (default)') : ''),
      state(a, out),
      relativeTime(a.lastInboundAt),
      relativeTime(a.lastOutboundAt),
      a.lastError ?? '',
    ]),
  );
  if (!rows.length) return void out.line(out.color.dim('no channels are configured'));
  out.line(formatTable([{ header: 'CHANNEL' }, { header: 'ACCOUNT' }, { header: 'STATE' }, { header: 'LAST IN' }, { header: 'LAST OUT' }, { header: 'LAST ERROR', flex: true }], rows, out.color, out.columns));
  for (const w of s.warnings ?? []) out.note(out.errColor.yellow(`warning: ${w}`));
}

function channelsStatus(args: string[]): Promise<number> {
  return runClientCommand(
    args,
    { name: 'channels status', options: { probe: { type: 'boolean' }, channel: { type: 'string' } }, usage: usageWithMethods(STATUS_USAGE, ['channels.status']) },
    async ({ values, out, target, timeoutMs }) => {
      const params: GatewayMethods['channels.status']['params'] = {};
      if (values.probe) params.probe = true;
      if (values.channel) params.channel = values.channel;
      const status = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, (client) =>
        withProgress(out, values.probe ? 'probing the channels…' : 'asking the gateway…', () => client.channels.status(params, { timeoutMs })),
      );
      if (out.json) out.printJson(status);
      else render(out, status);
    },
  );
}

const CHANNELS: SubcommandGroup = {
  name: 'channels',
  summary: 'Messaging channels (IRC, WebChat…) and their accounts.',
  subcommands: { status: { summary: "each account's connection state", run: channelsStatus } },
  aliases: { list: 'status' },
};

export function runChannelsCommand(args: string[]): Promise<number> {
  return dispatchSubcommand(CHANNELS, args);
}
