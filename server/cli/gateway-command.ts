// `openclaw gateway`: runs the gateway (`openclaw gateway [run] [options]`), or queries one with a
// subcommand. Each subcommand's code is loaded only when it runs.
import { dispatchSubcommand, groupHelp, lazy, type SubcommandGroup } from './client/subcommands.js';
import { GATEWAY_RUN_USAGE } from './gateway-run-usage.js';

export const GATEWAY_GROUP: SubcommandGroup = {
  name: 'gateway',
  summary: 'Runs the gateway in the foreground (no subcommand, or "run"), or queries a running one over WebSocket RPC.',
  subcommands: {
    run: lazy('run the gateway in the foreground (the default)', () => import('./gateway-run-command.js'), (m) => m.runGatewayRunCommand),
    call: lazy('call any gateway method: gateway call <method> --params JSON', () => import('./commands/gateway-call-command.js'), (m) => m.runGatewayCallCommand),
    health: lazy("the gateway's health snapshot", () => import('./commands/gateway-health-command.js'), (m) => m.runGatewayHealthCommand),
    status: lazy('where the gateway is, whether it runs, and a connectivity probe', () => import('./commands/gateway-status-command.js'), (m) => m.runGatewayStatusCommand),
    probe: lazy('reachability, protocol, auth and round-trip time of the local and configured gateways', () => import('./commands/gateway-probe-command.js'), (m) => m.runGatewayProbeCommand),
    discover: lazy('list the gateways advertised on the LAN over mDNS (_openclaw-gw._tcp)', () => import('./discover-command.js'), (m) => m.runDiscoverCommand),
  },
  epilog: 'Options of "openclaw gateway run": run "openclaw gateway run --help".',
};

export async function runGatewayCommand(args: string[]): Promise<number> {
  const [first] = args;
  // `openclaw gateway --port 1234` runs it, as before subcommands existed.
  if (first === undefined || (first.startsWith('-') && first !== '-h' && first !== '--help')) return GATEWAY_GROUP.subcommands.run!.run(args);
  if (first === '-h' || first === '--help') {
    process.stdout.write(`${GATEWAY_RUN_USAGE}\n${groupHelp(GATEWAY_GROUP)}`);
    return 0;
  }
  return dispatchSubcommand(GATEWAY_GROUP, args);
}
