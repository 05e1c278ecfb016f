// Which gateway a client command talks to, and with what credentials:
//   URL:   --url, --port (loopback), OPENCLAW_GATEWAY_URL, gateway.remote.url when gateway.mode is
//          "remote", the running gateway's gateway.lock in the state dir, the config's
//          gateway.port / OPENCLAW_GATEWAY_PORT, ws://127.0.0.1:18789.
//   auth:  --token / --password, then OPENCLAW_GATEWAY_TOKEN / OPENCLAW_AUTH_TOKEN /
//          OPENCLAW_GATEWAY_PASSWORD, then gateway.auth.token / password of the local config
//          (gateway.remote.token / password for the remote URL).
// An explicit --url gets only explicit credentials (as upstream): this machine's token is never
// sent to a gateway named on the command line. The config's credentials go only to a URL derived
// from this machine's state (lock, config, default port), never to OPENCLAW_GATEWAY_URL.
import { existsSync, readFileSync } from 'node:fs';
import JSON5 from 'json5';
import { DEFAULT_PORT } from '../../config/gateway-defaults.js';
import { substituteEnv } from '../../config/env-substitution.js';
import { resolveSecret } from '../../config/secret-resolution.js';
import { resolveStatePaths, type StatePaths } from '../../config/state-paths.js';
import { runningInstance, type LockOwner } from '../../state/instance-lock.js';
import { CliError } from '../cli-error.js';

export interface TargetFlags {
  readonly url?: string | undefined;
  readonly port?: string | undefined;
  readonly token?: string | undefined;
  readonly password?: string | undefined;
  readonly 'state-dir'?: string | undefined;
}

export type UrlSource = 'flag' | 'port-flag' | 'env' | 'remote' | 'lock' | 'config' | 'default';

export interface GatewayTarget {
  readonly url: string;
  readonly urlSource: UrlSource;
  readonly token: string | undefined;
  readonly password: string | undefined;
  /** Where the credentials came from, for messages ("the token from OPENCLAW_GATEWAY_TOKEN"). */
  readonly authSource: string | undefined;
  readonly paths: StatePaths;
  /** The gateway running on this state dir, per its lock. */
  readonly running: LockOwner | undefined;
  /** Why the local config could not be read for credentials, when it could not. */
  readonly configProblem: string | undefined;
}

interface Credentials {
  readonly token?: string;
  readonly password?: string;
}

interface LocalGatewayConfig extends Credentials {
  readonly port?: number;
  /** gateway.remote, when gateway.mode is "remote". */
  readonly remote?: Credentials & { readonly url: string };
  readonly problem?: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/** The few keys a client needs, read without validating the whole file (that is the gateway's job). */
function readLocalConfig(path: string, env: NodeJS.ProcessEnv): LocalGatewayConfig {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON5.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { problem: `${path} could not be read (${(error as Error).message.split('\n')[0]})` };
  }
  const gateway = obj(obj(substituteEnv(parsed, env, []))?.gateway);
  const out: { -readonly [K in keyof LocalGatewayConfig]: LocalGatewayConfig[K] } = {};
  if (typeof gateway?.port === 'number') out.port = gateway.port;
  try {
    Object.assign(out, credentialsOf(obj(gateway?.auth), env, 'gateway.auth'));
    const remote = obj(gateway?.remote);
    if (gateway?.mode === 'remote' && typeof remote?.url === 'string' && remote.url) {
      out.remote = Object.assign({ url: remote.url }, credentialsOf(remote, env, 'gateway.remote'));
    }
  } catch (error) {
    out.problem = (error as Error).message;
  }
  return out;
}

function credentialsOf(section: Json | undefined, env: NodeJS.ProcessEnv, key: string): Credentials {
  const token = resolveSecret(section?.token as never, env, `${key}.token`);
  const password = resolveSecret(section?.password as never, env, `${key}.password`);
  return Object.assign({}, token ? { token } : {}, password ? { password } : {});
}

function normalizeUrl(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `ws://${raw}`);
  } catch {
    throw new CliError(`${what} is not a URL: "${raw}" (for example ws://127.0.0.1:18789)`, 2);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new CliError(`${what} must be a ws:// or wss:// URL (got "${raw}")`, 2);
  return url.toString();
}

function parsePort(raw: string, what: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new CliError(`${what} must be a port number from 1 to 65535 (got "${raw}")`, 2);
  return port;
}

const loopbackUrl = (host: string | undefined, port: number): string => {
  const shown = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `ws://${shown.includes(':') ? `[${shown}]` : shown}:${port}/ws`;
};

/**
 * `scope: 'local'` looks only at this machine (lock, config port, default) — `gateway probe` uses
 * it to check the local gateway beside an explicit or remote one.
 */
export function resolveGatewayTarget(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env, scope: 'any' | 'local' = 'any'): GatewayTarget {
  for (const key of ['url', 'token', 'password'] as const) {
    const value = flags[key];
    if (value !== undefined && value.trim() === '') throw new CliError(`--${key} is empty (an unset variable?); pass a value or leave --${key} out`, 2);
  }
  if (flags.url !== undefined && flags.port !== undefined) throw new CliError('use either --url or --port, not both', 2);
  const paths = resolveStatePaths(env, flags['state-dir']);
  const running = runningInstance(paths.stateDir);
  const local = readLocalConfig(paths.configPath, env);

  let url: string;
  let urlSource: UrlSource;
  if (flags.url !== undefined) {
    url = normalizeUrl(flags.url, '--url');
    urlSource = 'flag';
  } else if (flags.port !== undefined) {
    url = loopbackUrl(undefined, parsePort(flags.port, '--port'));
    urlSource = 'port-flag';
  } else if (scope === 'any' && env.OPENCLAW_GATEWAY_URL) {
    url = normalizeUrl(env.OPENCLAW_GATEWAY_URL, 'OPENCLAW_GATEWAY_URL');
    urlSource = 'env';
  } else if (scope === 'any' && local.remote) {
    url = normalizeUrl(local.remote.url, 'gateway.remote.url');
    urlSource = 'remote';
  } else if (running?.port) {
    url = loopbackUrl(running.host, running.port);
    urlSource = 'lock';
  } else if (env.OPENCLAW_GATEWAY_PORT || local.port !== undefined) {
    url = loopbackUrl(undefined, env.OPENCLAW_GATEWAY_PORT ? parsePort(env.OPENCLAW_GATEWAY_PORT, 'OPENCLAW_GATEWAY_PORT') : local.port!);
    urlSource = 'config';
  } else {
    url = loopbackUrl(undefined, DEFAULT_PORT);
    urlSource = 'default';
  }

  let token: string | undefined;
  let password: string | undefined;
  let authSource: string | undefined;
  if (flags.token !== undefined || flags.password !== undefined) {
    token = flags.token;
    password = flags.password;
    authSource = flags.token !== undefined ? '--token' : '--password';
  } else if (urlSource !== 'flag') {
    const fromEnv: [string, 'token' | 'password'][] = [
      ['OPENCLAW_GATEWAY_TOKEN', 'token'],
      ['OPENCLAW_AUTH_TOKEN', 'token'],
      ['OPENCLAW_GATEWAY_PASSWORD', 'password'],
    ];
    const found = fromEnv.find(([name]) => env[name]);
    if (found) {
      if (found[1] === 'token') token = env[found[0]];
      else password = env[found[0]];
      authSource = found[0];
    } else if (urlSource !== 'env') {
      const section = urlSource === 'remote' ? 'gateway.remote' : 'gateway.auth';
      const creds = urlSource === 'remote' ? local.remote! : local;
      if (creds.token || creds.password) {
        token = creds.token;
        password = creds.token ? undefined : creds.password;
        authSource = `${section}.${creds.token ? 'token' : 'password'} in ${paths.configPath}`;
      }
    }
  }
  return { url, urlSource, token, password, authSource, paths, running, configProblem: local.problem };
}

/** One line on where the URL came from, for status output and connection errors. */
export function describeUrlSource(target: GatewayTarget): string {
  switch (target.urlSource) {
    case 'flag':
      return '--url';
    case 'port-flag':
      return '--port';
    case 'env':
      return 'OPENCLAW_GATEWAY_URL';
    case 'remote':
      return `gateway.remote.url in ${target.paths.configPath}`;
    case 'lock':
      return `the running gateway (pid ${target.running?.pid}, ${target.paths.stateDir}/gateway.lock)`;
    case 'config':
      return `the configured port (${target.paths.configPath})`;
    default:
      return 'the default port';
  }
}
