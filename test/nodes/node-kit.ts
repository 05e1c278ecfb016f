// Test parts for nodes: a real node host process (`openclaw node run` through bin/openclaw.js), an
// operator client that can approve (an interactive CLI client), and polling helpers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, vi } from 'vitest';
import { serveNodeCommands, type NodeCommandHandler } from '../../clients/node-command-server.js';
import { loadOrCreateDeviceIdentity } from '../../clients/node-device-identity.js';
import { OpenClawClient, type OpenClawClientOptions } from '../../clients/openclaw-client.js';

const BIN = resolve(import.meta.dirname, '../../bin/openclaw.js');

export interface NodeHostProcess {
  readonly child: ChildProcess;
  readonly stateDir: string;
  output(): string;
  /** Waits until the output matches (generous timeout: the machine may be busy). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function nodeStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'openclaw-node-'));
}

export function spawnNodeHost(url: string, options: { token?: string; stateDir?: string; workdir?: string } = {}): NodeHostProcess {
  const stateDir = options.stateDir ?? nodeStateDir();
  const env: NodeJS.ProcessEnv = { ...process.env, OPENCLAW_NODE_RECONNECT_MAX_MS: '400' };
  delete env.OPENCLAW_GATEWAY_TOKEN;
  delete env.OPENCLAW_GATEWAY_URL;
  const args = [BIN, 'node', 'run', '--url', url, '--state-dir', stateDir, '--display-name', 'test-node'];
  if (options.token) args.push('--token', options.token);
  if (options.workdir) args.push('--cwd', options.workdir);
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    stateDir,
    output: () => out,
    async waitFor(pattern, timeoutMs = 30_000) {
      let match: RegExpMatchArray | null = null;
      await expect.poll(() => (match = pattern.exec(out)), { timeout: timeoutMs, interval: 50 }).toBeTruthy();
      return match!;
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** An operator that counts as an approver (interactive client mode), with every scope. */
export function operator(url: string, token: string, extra: Partial<OpenClawClientOptions> = {}): OpenClawClient {
  return new OpenClawClient({ url, token, client: { id: 'cli', mode: 'cli' }, scopes: ['operator.admin'], reconnectMinMs: 100, reconnectMaxMs: 500, ...extra });
}

/** An SDK node (role node, its own device identity) serving `handlers`, paired by `op` and connected. */
export async function pairedSdkNode(
  url: string,
  token: string,
  op: OpenClawClient,
  handlers: Readonly<Record<string, NodeCommandHandler>>,
): Promise<{ nodeId: string; client: OpenClawClient; stop(): void }> {
  const stateDir = nodeStateDir();
  const client = new OpenClawClient({
    url,
    token,
    role: 'node',
    client: { id: 'node-host', mode: 'node', displayName: 'sdk-node' },
    commands: Object.keys(handlers),
    deviceIdentity: loadOrCreateDeviceIdentity(join(stateDir, 'device.json')),
    reconnectMinMs: 50,
    reconnectMaxMs: 300,
  });
  const stopServing = serveNodeCommands(client, handlers);
  void client.connect().catch(() => {});
  // vi.waitFor, not expect.poll: this runs in beforeAll hooks too.
  const nodeId = await vi.waitFor(
    async () => {
      const pending = (await op.request('node.pair.list', {})).pending[0];
      if (!pending) throw new Error('the node has not asked to pair yet');
      await op.request('node.pair.approve', { requestId: pending.requestId });
      return pending.nodeId;
    },
    { timeout: 30_000, interval: 50 },
  );
  await client.connect();
  await vi.waitFor(
    async () => {
      if (!(await op.request('node.describe', { nodeId })).connected) throw new Error('the node is not connected yet');
    },
    { timeout: 30_000, interval: 50 },
  );
  return {
    nodeId,
    client,
    stop() {
      stopServing();
      client.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
