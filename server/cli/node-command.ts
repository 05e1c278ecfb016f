// `openclaw node run`: a node host on this machine, connected to a gateway (see node-host.ts).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { startNodeHost } from '../node-host/node-host.js';
import { CliError } from './cli-error.js';
import { parseOptions } from './parse-options.js';

export const NODE_USAGE = `Usage: openclaw node run --url <ws://host:port/ws> [--token <token>] [--password <pw>]
                        [--state-dir <dir>] [--display-name <name>] [--cwd <dir>]

Connects this machine to a gateway as a node (role "node", with a device identity kept in
<state-dir>/identity/device.json) and serves system.run, system.which and system.notify.
system.run follows this node's own exec policy (<state-dir>/exec-approvals.json); commands that
need approval are asked of the gateway's approvers. A new node waits until it is approved on the
gateway (node.pair.approve); it reconnects by itself whenever the connection drops.
Environment: OPENCLAW_GATEWAY_URL, OPENCLAW_GATEWAY_TOKEN, OPENCLAW_STATE_DIR.
`;

export function runNodeCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> | number {
  const [sub, ...rest] = args;
  if (sub === '-h' || sub === '--help' || sub === undefined) {
    process.stdout.write(NODE_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'run') throw new CliError(`unknown subcommand "node ${sub}"; run "openclaw node --help"`, 2);
  const { values } = parseOptions('node run', rest, {
    url: { type: 'string' },
    token: { type: 'string' },
    password: { type: 'string' },
    'state-dir': { type: 'string' },
    'display-name': { type: 'string' },
    cwd: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(NODE_USAGE);
    return 0;
  }
  const url = values.url ?? env.OPENCLAW_GATEWAY_URL;
  if (!url) throw new CliError('no gateway URL: pass --url ws://<host>:<port>/ws (or set OPENCLAW_GATEWAY_URL)', 2);
  if (!/^wss?:\/\//.test(url)) throw new CliError(`--url must be a ws:// or wss:// URL, got ${url}`, 2);
  if (values.token === '') throw new CliError('--token is empty; pass the gateway token or leave the option out', 2);
  const stateDir = resolve(values['state-dir'] ?? env.OPENCLAW_STATE_DIR ?? join(homedir(), '.openclaw'));
  const reconnectMaxMs = Number(env.OPENCLAW_NODE_RECONNECT_MAX_MS) || undefined;
  const host = startNodeHost({
    url,
    token: values.token ?? env.OPENCLAW_GATEWAY_TOKEN,
    password: values.password ?? env.OPENCLAW_GATEWAY_PASSWORD,
    stateDir,
    displayName: values['display-name'],
    workdir: values.cwd ? resolve(values.cwd) : undefined,
    reconnectMaxMs,
  });
  process.stdout.write(`node host starting: device ${host.deviceId} (identity in ${join(stateDir, 'identity')})\n`);
  return new Promise<number>((done) => {
    const stop = (signal: string): void => {
      process.stdout.write(`${signal} received, stopping the node host\n`);
      host.stop();
      done(0);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
