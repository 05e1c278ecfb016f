// `openclaw <command>`: the gateway itself, and commands that talk to it.
import { CliError } from './cli/cli-error.js';
import { DASHBOARD_USAGE, runDashboardCommand } from './cli/dashboard-command.js';
import { GATEWAY_USAGE, runGatewayCommand } from './cli/gateway-command.js';
import { NODE_USAGE, runNodeCommand } from './cli/node-command.js';
import { GATEWAY_VERSION } from './version.js';

const USAGE = `Usage: openclaw <command> [options]

Commands:
  gateway     run the gateway (WebSocket RPC + HTTP on one port)
  dashboard   print the control UI link for the local gateway
  node        run a node host: serve system.run/which/notify to a gateway

Run "openclaw <command> --help" for a command's options. "openclaw --version" prints the version.

${GATEWAY_USAGE}
${DASHBOARD_USAGE}
${NODE_USAGE}`;

const COMMANDS: Record<string, (args: string[]) => number | Promise<number>> = {
  gateway: runGatewayCommand,
  dashboard: (args) => runDashboardCommand(args),
  node: (args) => runNodeCommand(args),
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${GATEWAY_VERSION}\n`);
    return 0;
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`openclaw: unknown command "${command}"; run "openclaw --help" for the commands\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`openclaw: ${error.message}\n`);
      return error.exitCode;
    }
    // A bug, not a user error: one line here, the details in the gateway log when there is one.
    process.stderr.write(`openclaw: failed: ${error instanceof Error ? error.message : 'unknown error'}\n`);
    if (process.env.OPENCLAW_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`openclaw: ${error instanceof Error ? error.message : 'unknown error'}\n`);
    process.exit(1);
  },
);
