// `openclaw nodes list`: node hosts paired with or connected to the gateway (upstream's
// node.list). A gateway without node support says so in one line.
import { GatewayError } from '../../../clients/runtime/gateway-error.js';
import { CliError } from '../cli-error.js';
import { CLIENT_OPTIONS_HELP, runClientCommand } from '../client/client-command.js';
import { withGateway } from '../client/gateway-connection.js';
import { relativeTime } from '../client/relative-time.js';
import { dispatchSubcommand, type SubcommandGroup } from '../client/subcommands.js';
import { formatTable } from '../client/text-table.js';

/** node.list's answer (upstream §5.13); read loosely, as gateways add fields. */
interface NodeList {
  readonly ts?: number;
  readonly nodes: readonly {
    readonly nodeId: string;
    readonly displayName?: string;
    readonly platform?: string;
    readonly version?: string;
    readonly remoteIp?: string;
    readonly paired?: boolean;
    readonly connected?: boolean;
    readonly connectedAtMs?: number;
    readonly commands?: readonly string[];
  }[];
}

const LIST_USAGE = `Usage: openclaw nodes list [--connected] [options]

Node hosts paired with the gateway or connected to it: id, name, platform, state, commands.
(Calls node.list; a gateway without node support says so.)

Options:
  --connected        only the nodes connected now

${CLIENT_OPTIONS_HELP}`;

function isNodeList(value: unknown): value is NodeList {
  return typeof value === 'object' && value !== null && Array.isArray((value as { nodes?: unknown }).nodes);
}

function listNodes(args: string[]): Promise<number> {
  return runClientCommand(args, { name: 'nodes list', options: { connected: { type: 'boolean' } }, usage: LIST_USAGE }, async ({ values, out, target, timeoutMs }) => {
    const result = await withGateway(target, { timeoutMs, scopes: ['operator.read'] }, async (client) => {
      try {
        return await client.requestUntyped('node.list', {}, { timeoutMs });
      } catch (error) {
        if (error instanceof GatewayError && (error.detailCode === 'UNKNOWN_METHOD' || error.detailCode === 'NOT_IMPLEMENTED')) {
          throw new CliError(`the gateway at ${target.url} has no node support yet (node.list: ${error.detailCode})`);
        }
        throw error;
      }
    });
    if (!isNodeList(result)) throw new CliError('node.list answered something this CLI cannot read (no "nodes" list)');
    const nodes = values.connected ? result.nodes.filter((n) => n.connected) : result.nodes;
    if (out.json) return void out.printJson({ ...result, nodes });
    if (!nodes.length) return void out.line(out.color.dim(values.connected ? 'no nodes are connected' : 'no nodes are paired or connected'));
    out.line(
      formatTable(
        [{ header: 'NODE', maxWidth: 40 }, { header: 'NAME' }, { header: 'PLATFORM' }, { header: 'STATE' }, { header: 'SINCE' }, { header: 'COMMANDS', flex: true }],
        nodes.map((n) => [
          n.nodeId,
          n.displayName ?? '',
          [n.platform, n.version].filter(Boolean).join(' '),
          n.connected ? out.color.green('connected') : n.paired ? 'paired' : out.color.yellow('pending'),
          n.connected ? relativeTime(n.connectedAtMs) : '',
          (n.commands ?? []).join(', '),
        ]),
        out.color,
        out.columns,
      ),
    );
  });
}

const NODES: SubcommandGroup = {
  name: 'nodes',
  summary: 'Node hosts: machines that run commands for the gateway.',
  subcommands: { list: { summary: 'paired and connected nodes', run: listNodes } },
  aliases: { ls: 'list', status: 'list' },
};

export function runNodesCommand(args: string[]): Promise<number> {
  return dispatchSubcommand(NODES, args);
}
