// The node host (`openclaw node run`): connects to a gateway with role `node` and an Ed25519
// device identity kept in its state dir, waits for pairing approval when the gateway asks for it,
// serves system.run (under its own exec policy), system.which and system.notify, and reconnects
// on its own with backoff whenever the connection drops.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OpenClawClient } from '../../clients/openclaw-client.js';
import { fileDeviceTokenStore, loadOrCreateDeviceIdentity } from '../../clients/node-device-identity.js';
import { serveNodeCommands } from '../../clients/node-command-server.js';
import { fileExecPolicyStore } from '../exec/exec-policy-file.js';
import { GATEWAY_VERSION } from '../version.js';
import { systemNotify } from './system-notify.js';
import { systemRun } from './system-run.js';
import { systemWhich } from './system-which.js';

/** How often a node waiting for pairing approval asks again. */
const PAIRING_POLL_MS = 2_000;

export const NODE_HOST_COMMANDS = ['system.run', 'system.which', 'system.notify'] as const;

export interface NodeHostOptions {
  readonly url: string;
  readonly token?: string | undefined;
  readonly password?: string | undefined;
  /** identity/device.json, identity/device-auth.json and exec-approvals.json live here. */
  readonly stateDir: string;
  readonly displayName?: string | undefined;
  /** Where commands start (default: the current directory). */
  readonly workdir?: string | undefined;
  readonly reconnectMaxMs?: number | undefined;
  readonly print?: (line: string) => void;
}

export interface NodeHost {
  readonly client: OpenClawClient;
  readonly deviceId: string;
  stop(): void;
}

export function startNodeHost(options: NodeHostOptions): NodeHost {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const identity = loadOrCreateDeviceIdentity(join(options.stateDir, 'identity', 'device.json'));
  const client = new OpenClawClient({
    url: options.url,
    ...(options.token ? { token: options.token } : {}),
    ...(options.password ? { password: options.password } : {}),
    role: 'node',
    caps: ['system'],
    commands: [...NODE_HOST_COMMANDS],
    pathEnv: process.env.PATH ?? '',
    client: { id: 'node-host', mode: 'node', displayName: options.displayName ?? hostname(), version: GATEWAY_VERSION, platform: process.platform },
    deviceIdentity: identity,
    deviceTokens: fileDeviceTokenStore(join(options.stateDir, 'identity', 'device-auth.json')),
    reconnectMinMs: 250,
    reconnectMaxMs: options.reconnectMaxMs ?? 10_000,
    // Node commands can take long; each carries its own timeout.
    timeoutMs: 60_000,
  });
  const policy = fileExecPolicyStore(join(options.stateDir, 'exec-approvals.json'));
  const secrets = new Set([options.token, options.password].filter((s): s is string => typeof s === 'string' && s.length >= 8));
  const event = (name: string, payload: Record<string, unknown>): void => {
    client.requestUntyped('node.event', { event: name, payloadJSON: JSON.stringify(payload) }, { whileDisconnected: 'fail' }).catch(() => {});
  };
  const stopServing = serveNodeCommands(client, {
    'system.run': (params, { signal }) =>
      systemRun(params as Record<string, unknown>, signal, { policy, workdir: options.workdir ?? process.cwd(), secrets, maxOutputChars: 200_000, defaultTimeoutMs: 300_000, event }),
    'system.which': (params) => systemWhich(params as Record<string, unknown>, process.env.PATH ?? ''),
    'system.notify': (params) => systemNotify(params as Record<string, unknown>, print),
  });

  let announcedRequest: string | undefined;
  client.on('ready', ({ hello, reconnected }) => {
    announcedRequest = undefined;
    print(`node ${identity.deviceId.slice(0, 12)} ${reconnected ? 'reconnected' : 'connected'} to ${options.url} (protocol ${hello.protocol})${hello.auth.deviceToken ? '; device token saved' : ''}`);
  });
  client.onRefused((error) => {
    const details = error.details as { requestId?: string } | undefined;
    if (error.detailCode === 'PAIRING_REQUIRED') {
      if (details?.requestId !== announcedRequest) {
        announcedRequest = details?.requestId;
        print(`waiting for approval of node ${identity.deviceId} (request ${details?.requestId ?? '?'}): approve it with node.pair.approve or device.pair.approve on the gateway`);
      }
      return;
    }
    print(`connect refused: ${error.message}`);
  });
  client.on('closed', ({ code, reason, final }) => {
    if (!final) print(`disconnected (${code}${reason ? ` ${reason}` : ''}); reconnecting`);
  });
  // A pending pairing is the one refusal that time fixes: ask again until an operator decides.
  let pairingPoll: NodeJS.Timeout | undefined;
  client.on('paused', ({ reason, error }) => {
    if (error?.detailCode === 'PAIRING_REQUIRED') {
      clearTimeout(pairingPoll);
      pairingPoll = setTimeout(() => client.reconnectNow(), PAIRING_POLL_MS);
      return;
    }
    print(`not reconnecting: ${reason} (fix the token and restart the node host)`);
  });
  client.on('error', ({ error, source }) => print(`error (${source}): ${error instanceof Error ? error.message : String(error)}`));
  client.connect().catch(() => {});
  return {
    client,
    deviceId: identity.deviceId,
    stop() {
      clearTimeout(pairingPoll);
      stopServing();
      client.close();
    },
  };
}
