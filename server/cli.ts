// `openclaw <command>`: the gateway itself, and commands that talk to it. Each command's module is
// imported when it runs, so a client command never evaluates the gateway's server code.
import { CliError } from './cli/cli-error.js';
import { lazy as command, type Subcommand } from './cli/client/subcommands.js';
import { GATEWAY_VERSION } from './version.js';

const COMMANDS: Record<string, Subcommand> = {
  gateway: command('run the gateway, or query one: gateway call|health|status|probe', () => import('./cli/gateway-command.js'), (m) => m.runGatewayCommand),
  dashboard: command('print the control UI link for the local gateway', () => import('./cli/dashboard-command.js'), (m) => (args) => m.runDashboardCommand(args)),
  status: command('sessions, agents and channels of the gateway at a glance', () => import('./cli/commands/status-command.js'), (m) => m.runStatusCommand),
  health: command("the gateway's health (same as gateway health)", () => import('./cli/commands/gateway-health-command.js'), (m) => m.runGatewayHealthCommand),
  sessions: command('list, show, reset and delete sessions', () => import('./cli/commands/sessions-command.js'), (m) => m.runSessionsCommand),
  chat: command('an interactive chat with an agent in this terminal', () => import('./cli/commands/chat-command.js'), (m) => m.runChatCommand),
  agent: command('run one agent turn and print the reply: agent --message <text>', () => import('./cli/commands/agent-command.js'), (m) => m.runAgentCommand),
  logs: command("the gateway's log (--follow to keep reading)", () => import('./cli/commands/logs-command.js'), (m) => m.runLogsCommand),
  config: command("read and change the gateway's config: get, set, unset, patch", () => import('./cli/commands/config-command.js'), (m) => m.runConfigCommand),
  cron: command('scheduled jobs: list, add, run, rm, runs', () => import('./cli/commands/cron-command.js'), (m) => m.runCronCommand),
  approvals: command('exec approval requests: list, allow, deny, watch', () => import('./cli/commands/approvals-command.js'), (m) => m.runApprovalsCommand),
  nodes: command('connected node hosts: list', () => import('./cli/commands/nodes-command.js'), (m) => m.runNodesCommand),
  node: command('run a node host on this machine: serve system.run/which/notify to a gateway', () => import('./cli/node-command.js'), (m) => (args) => m.runNodeCommand(args)),
  channels: command('messaging channels: status', () => import('./cli/commands/channels-command.js'), (m) => m.runChannelsCommand),
  skills: command('agent skills: list, info, install', () => import('./cli/commands/skills-command.js'), (m) => m.runSkillsCommand),
  memory: command("the agents' memory: status, search", () => import('./cli/commands/memory-command.js'), (m) => m.runMemoryCommand),
  browser: command("the agents' browsers: status, tabs", () => import('./cli/commands/browser-command.js'), (m) => m.runBrowserCommand),
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return `Usage: openclaw <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join('\n')}

Run "openclaw <command> --help" for a command's options. "openclaw --version" prints the version.
Client commands find this machine's gateway by themselves; --url and --token point them elsewhere.
`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '-v' || name === '-V' || name === '--version') {
    process.stdout.write(`${GATEWAY_VERSION}\n`);
    return 0;
  }
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const run = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!run) {
    process.stderr.write(`openclaw: unknown command "${name}"; run "openclaw --help" for the commands\n`);
    return 2;
  }
  try {
    return await run.run(rest);
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
