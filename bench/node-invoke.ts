// node.invoke round-trip overhead: an operator's node.invoke of a no-op command (gateway → node
// `node.invoke.request` → the node's `node.invoke.result` → answer) minus the same operator's
// plain RPC (`health`, answered from cache) measured interleaved in the same run, p50 over 2,000
// pairs. Gateway, operator and node are real WebSocket clients of one gateway on loopback.
// Run: node --import tsx bench/run-all.ts node-invoke
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenClawClient } from '../clients/openclaw-client.js';
import { serveNodeCommands } from '../clients/node-command-server.js';
import { loadOrCreateDeviceIdentity } from '../clients/node-device-identity.js';
import { createGateway } from '../server/gateway.js';
import type { BenchResult } from './bench-result.js';
import { now, percentile, round } from './latency-stats.js';

const PAIRS = 2_000;
const WARMUP = 200;
const TARGET_MS = 1;

export async function run(): Promise<BenchResult[]> {
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-node-invoke-'));
  const token = 'bench-token-0123456789abcdef';
  writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { token }, nodes: { allowCommands: ['bench.noop'] } }, logging: { level: 'warn' } }));
  const gateway = await createGateway({ stateDir, port: 0, env: { ...process.env, OPENCLAW_GATEWAY_TOKEN: '', OPENCLAW_STATE_DIR: '', OPENCLAW_CONFIG_PATH: '' }, logLevel: 'warn' });
  const { url } = await gateway.listen();
  const op = new OpenClawClient({ url, token, client: { id: 'cli', mode: 'cli' } });
  const node = new OpenClawClient({
    url,
    token,
    role: 'node',
    client: { id: 'node-host', mode: 'node' },
    commands: ['bench.noop'],
    deviceIdentity: loadOrCreateDeviceIdentity(join(stateDir, 'node', 'device.json')),
    reconnectMinMs: 50,
    reconnectMaxMs: 200,
  });
  const stop = serveNodeCommands(node, { 'bench.noop': () => ({}) });
  const invoke: number[] = [];
  const rpc: number[] = [];
  try {
    await op.connect();
    void node.connect().catch(() => {});
    let nodeId: string | undefined;
    for (let i = 0; i < 200 && !nodeId; i++) {
      const pending = (await op.request('node.pair.list', {})).pending[0];
      if (pending) {
        await op.request('node.pair.approve', { requestId: pending.requestId });
        nodeId = pending.nodeId;
      } else await new Promise((r) => setTimeout(r, 50));
    }
    if (!nodeId) throw new Error('the bench node never asked to pair');
    await node.connect();
    for (let i = 0; i < 200; i++) {
      if ((await op.request('node.describe', { nodeId })).connected) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    let key = 0;
    const once = async (): Promise<[number, number]> => {
      let t = now();
      await op.request('node.invoke', { nodeId, command: 'bench.noop', params: {}, idempotencyKey: `b${++key}` });
      const a = now() - t;
      t = now();
      await op.request('health', {});
      return [a, now() - t];
    };
    for (let i = 0; i < WARMUP; i++) await once();
    for (let i = 0; i < PAIRS; i++) {
      const [a, b] = await once();
      invoke.push(a);
      rpc.push(b);
    }
  } finally {
    stop();
    node.close();
    op.close();
    await gateway.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  const invokeP50 = percentile(invoke, 0.5);
  const rpcP50 = percentile(rpc, 0.5);
  const overhead = invokeP50 - rpcP50;
  return [
    { name: 'node.invoke round trip, no-op command (p50)', value: round(invokeP50, 3), unit: 'ms', baseline: round(rpcP50, 3) },
    { name: 'node.invoke overhead over a plain RPC (gateway → node → gateway, p50)', value: round(overhead, 3), unit: 'ms', target: `≤ ${TARGET_MS} ms`, pass: overhead <= TARGET_MS },
    { name: 'node.invoke round trip (p99)', value: round(percentile(invoke, 0.99), 3), unit: 'ms', baseline: round(percentile(rpc, 0.99), 3) },
  ];
}
