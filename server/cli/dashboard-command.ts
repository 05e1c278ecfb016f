// `openclaw dashboard`: prints the control UI link again (with the token in the fragment), for the
// gateway running on this state dir — or, when none runs, for where it would listen.
import { loadConfigFile } from '../config/config-file.js';
import { resolveSettings } from '../config/gateway-settings.js';
import { resolveStatePaths } from '../config/state-paths.js';
import { runningInstance } from '../state/instance-lock.js';
import { CliError } from './cli-error.js';
import { dashboardLink } from './dashboard-link.js';
import { parseOptions } from './parse-options.js';

export const DASHBOARD_USAGE = `Usage: openclaw dashboard [--state-dir <dir>]

Prints the link that opens the control UI logged in (the token travels in the URL fragment).
`;

export function runDashboardCommand(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const { values } = parseOptions('dashboard', args, { 'state-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(DASHBOARD_USAGE);
    return 0;
  }
  const paths = resolveStatePaths(env, values['state-dir']);
  const file = loadConfigFile(paths.configPath, env);
  if (!file.valid) throw new CliError(`cannot read ${paths.configPath}: ${file.issues.map((i) => i.message).join('; ')}`);
  let settings;
  try {
    settings = resolveSettings(file.config, env);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const running = runningInstance(paths.stateDir);
  const port = running?.port ?? settings.port;
  const host = running?.host ?? settings.host;
  const token = settings.auth.mode === 'token' ? settings.auth.token : undefined;
  if (settings.auth.mode === 'token' && !token) throw new CliError(`no gateway token is configured in ${paths.configPath}; start the gateway once to generate one`);
  process.stdout.write(`${dashboardLink(host, port, token)}\n`);
  if (!running?.port) process.stderr.write(`(no gateway is running on ${paths.stateDir}; start it with "openclaw gateway")\n`);
  return 0;
}
