// A real node host process (`openclaw node run`) against a real gateway: pairing approval, the
// command policy, system.run under the node's own exec policy with an approval asked of the
// gateway's approvers, a node killed mid-invoke, reconnection with the stored device token, and a
// device token rotated and revoked. Tokens are stored hashed on the gateway.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenClawClient } from '../../clients/openclaw-client.js';
import { loadOrCreateDeviceIdentity } from '../../clients/node-device-identity.js';
import { memoryDeviceTokenStore } from '../../clients/runtime/device-auth.js';
import type { GatewayError } from '../../clients/runtime/gateway-error.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { nodeStateDir, operator, spawnNodeHost, type NodeHostProcess } from './node-kit.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const nodeToken = (stateDir: string): string => {
  const file = JSON.parse(readFileSync(join(stateDir, 'identity', 'device-auth.json'), 'utf8')) as { tokens: Record<string, { role: string; token: string }> };
  return Object.values(file.tokens).find((t) => t.role === 'node')!.token;
};
const caught = async (promise: Promise<unknown>): Promise<GatewayError> => {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected the call to fail');
};

describe('a node host process against a real gateway', () => {
  let gw: RunningGateway;
  let op: OpenClawClient;
  let host: NodeHostProcess | undefined;
  let nodeId: string;
  const nodeDir = nodeStateDir();
  const workdir = mkdtempSync(join(tmpdir(), 'openclaw-node-work-'));
  const events: { event: string; payload: unknown }[] = [];
  const invoke = (command: string, params: unknown, extra: { timeoutMs?: number } = {}) =>
    op.request('node.invoke', { nodeId, command, params, idempotencyKey: `k-${Math.random()}`, ...extra });

  beforeAll(async () => {
    gw = await startInProcess({ ...TEST_CONFIG, gateway: { ...TEST_CONFIG.gateway, nodes: { denyCommands: ['system.notify'] } } });
    // The node's own exec policy: sleep allowed, rm denied, everything else asks (the default).
    writeFileSync(join(nodeDir, 'exec-approvals.json'), JSON.stringify({ version: 1, agents: { '*': { allowlist: [{ pattern: '**/sleep' }], denylist: [{ pattern: '**/rm' }] } } }));
    op = operator(gw.url, gw.token);
    op.on('*', (payload, event) => events.push({ event, payload }));
    await op.connect();
  });

  afterAll(async () => {
    op?.close();
    await host?.kill();
    await gw?.stop();
    rmSync(nodeDir, { recursive: true, force: true });
    rmSync(workdir, { recursive: true, force: true });
  });

  it('waits for pairing approval, then connects with its approved commands; tokens are stored hashed', async () => {
    host = spawnNodeHost(gw.url, { token: gw.token, stateDir: nodeDir, workdir });
    const [, id, requestId] = await host.waitFor(/approval of node ([0-9a-f]{64}) \(request ([0-9a-f-]{36})\)/);
    nodeId = id!;
    const pending = await op.request('node.pair.list', {});
    expect(pending.pending).toContainEqual(expect.objectContaining({ requestId, nodeId, commands: ['system.run', 'system.which', 'system.notify'] }));
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['device.pair.requested', 'node.pair.requested']));
    // Not connected and not paired yet: nothing to invoke.
    expect((await caught(invoke('system.which', { name: 'ls' }))).detailCode).toBe('NODE_NOT_FOUND');

    const approved = await op.request('node.pair.approve', { requestId: requestId! });
    expect(approved.node).toMatchObject({ nodeId, deviceBacked: true });
    await host.waitFor(/connected to .*device token saved/);
    await expect
      .poll(async () => (await op.request('node.list', {})).nodes.find((n) => n.nodeId === nodeId), { timeout: 15_000 })
      .toMatchObject({ connected: true, paired: true, platform: 'linux', clientId: 'node-host', commands: ['system.run', 'system.which', 'system.notify'] });
    expect(events).toContainEqual({ event: 'node.pair.resolved', payload: expect.objectContaining({ requestId, nodeId, decision: 'approved' }) });

    // Presence, health and status show the node.
    await expect.poll(() => events.some((e) => e.event === 'presence' && JSON.stringify(e.payload).includes(nodeId)), { timeout: 10_000 }).toBe(true);
    expect((await op.request('health', {})).nodes?.connected).toContainEqual(expect.objectContaining({ nodeId, paired: true }));
    expect((await op.request('status', {})).nodes?.connected).toContainEqual(expect.objectContaining({ nodeId }));

    // The gateway keeps only a hash of the node's token; the node keeps the token itself.
    const pairedFile = readFileSync(join(gw.stateDir, 'devices', 'paired.json'), 'utf8');
    const token = nodeToken(nodeDir);
    expect(pairedFile).not.toContain(token);
    const stored = (JSON.parse(pairedFile) as Record<string, { tokens: Record<string, { hash: string; token?: string }> }>)[nodeId]!.tokens.node!;
    expect(stored.token).toBeUndefined();
    expect(stored.hash).toBe(sha256(token));
    const listed = JSON.stringify(await op.request('device.pair.list', {}));
    expect(listed).not.toContain(token);
    expect(listed).not.toContain(stored.hash);
  });

  it('system.which answers the resolved path', async () => {
    const result = await invoke('system.which', { name: 'sh' });
    expect(result.payload).toEqual({ name: 'sh', path: expect.stringMatching(/\/sh$/) });
    expect(JSON.parse(result.payloadJSON!)).toEqual(result.payload);
  });

  it('refuses a denied command before it reaches the node, and follows config changes live', async () => {
    const denied = await caught(invoke('system.notify', { title: 'hi', body: 'there' }));
    expect(denied).toMatchObject({ code: 'INVALID_REQUEST', detailCode: 'NODE_COMMAND_NOT_ALLOWED' });
    expect(denied.message).toContain('gateway.nodes.denyCommands');
    expect((await caught(invoke('camera.snap', {}))).detailCode).toBe('NODE_COMMAND_NOT_ALLOWED');
    expect(host!.output()).not.toContain('[notify]');

    const { hash } = await op.request('config.get', {});
    await op.request('config.patch', { raw: JSON.stringify({ gateway: { nodes: { denyCommands: [] } } }), baseHash: hash });
    const shown = await invoke('system.notify', { title: 'hi', body: 'there' });
    expect(shown.payload).toEqual({ ok: true, delivered: 'log' });
    await host!.waitFor(/\[notify\] hi: there/);
  });

  it("the node's own exec policy denies a command on the node", async () => {
    const error = await caught(invoke('system.run', { command: ['rm', '-rf', join(workdir, 'nothing')] }));
    expect(error).toMatchObject({ code: 'FORBIDDEN', detailCode: 'SYSTEM_RUN_DENIED' });
    expect(error.message).toContain('denied by rule');
  });

  it('system.run that needs approval waits for an approver, then runs on the node; a denial stops it', async () => {
    const decisions: ('allow-once' | 'deny')[] = ['allow-once', 'deny'];
    const off = op.on('exec.approval.requested', (e) => {
      const decision = decisions.shift() ?? 'deny';
      void op.exec.approvals.resolve({ id: e.id, decision });
    });
    try {
      const ran = await invoke('system.run', { command: ['touch', 'approved.txt'] }, { timeoutMs: 60_000 });
      expect(ran.payload).toMatchObject({ exitCode: 0, success: true, timedOut: false });
      expect(existsSync(join(workdir, 'approved.txt'))).toBe(true);
      const asked = events.find((e) => e.event === 'exec.approval.requested')!.payload as { request: Record<string, unknown> };
      expect(asked.request).toMatchObject({ host: 'node', nodeId, commandArgv: ['touch', 'approved.txt'], cwd: expect.stringContaining('openclaw-node-work-') });

      const refused = await caught(invoke('system.run', { command: ['touch', 'refused.txt'] }, { timeoutMs: 60_000 }));
      expect(refused).toMatchObject({ code: 'FORBIDDEN', detailCode: 'SYSTEM_RUN_DENIED' });
      expect(existsSync(join(workdir, 'refused.txt'))).toBe(false);
      // A caller cannot claim an approval itself: the gateway strips it and the node asks again.
      const forged = await caught(invoke('system.run', { command: ['touch', 'forged.txt'], approved: true, approvalDecision: 'allow-once' }, { timeoutMs: 60_000 }));
      expect(forged.detailCode).toBe('SYSTEM_RUN_DENIED');
      expect(existsSync(join(workdir, 'forged.txt'))).toBe(false);
    } finally {
      off();
    }
  });

  it('a node killed mid-invoke fails the caller at once', async () => {
    const started = Date.now();
    const pending = caught(invoke('system.run', { command: ['sleep', '15'] }, { timeoutMs: 120_000 }));
    await expect.poll(() => readFileSync(gw.gateway!.paths.logFile, 'utf8').includes('"event":"exec.started"'), { timeout: 15_000 }).toBe(true);
    await host!.kill('SIGKILL');
    const error = await pending;
    expect(error).toMatchObject({ code: 'UNAVAILABLE', detailCode: 'CLIENT_DISCONNECTED' });
    expect(Date.now() - started).toBeLessThan(60_000); // far below the call's own 120 s
    await expect.poll(async () => (await op.request('node.describe', { nodeId })).connected, { timeout: 10_000 }).toBe(false);
    expect((await caught(invoke('system.which', { name: 'sh' }))).detailCode).toBe('NOT_CONNECTED');
  });

  it('a restarted node host reconnects with its stored device token, with no new approval', async () => {
    host = spawnNodeHost(gw.url, { stateDir: nodeDir, workdir }); // no gateway token this time
    await host.waitFor(/connected to/);
    expect(host.output()).not.toContain('waiting for approval');
    await expect.poll(async () => (await op.request('node.describe', { nodeId })).connected, { timeout: 15_000 }).toBe(true);
    expect((await invoke('system.which', { name: 'sh' })).payload).toMatchObject({ name: 'sh' });
  });

  it('a rotated token replaces the old one; a revoked one stops working', async () => {
    const identity = loadOrCreateDeviceIdentity(join(nodeDir, 'identity', 'device.json'));
    const asNode = (token: string) => {
      const tokens = memoryDeviceTokenStore();
      void tokens.save(identity.deviceId, 'node', token, []);
      return new OpenClawClient({ url: gw.url, role: 'node', client: { id: 'node-host', mode: 'node' }, commands: ['system.which'], deviceIdentity: identity, deviceTokens: tokens, reconnectMaxMs: 500 });
    };
    const old = nodeToken(nodeDir);
    const rotated = await op.request('device.token.rotate', { deviceId: nodeId, role: 'node' });
    expect(rotated.token).not.toBe(old);
    // The node's connection closes; with only the old token it cannot come back.
    await host!.waitFor(/not reconnecting: AUTH_DEVICE_TOKEN_MISMATCH/);
    const withOld = asNode(old);
    expect((await caught(withOld.connect())).detailCode).toBe('AUTH_DEVICE_TOKEN_MISMATCH');
    withOld.close();
    const withNew = asNode(rotated.token);
    expect((await withNew.connect()).auth.role).toBe('node');
    withNew.close();

    const revoked = await op.request('device.token.revoke', { deviceId: nodeId, role: 'node' });
    expect(revoked).toMatchObject({ deviceId: nodeId, role: 'node' });
    const afterRevoke = asNode(rotated.token);
    expect((await caught(afterRevoke.connect())).detailCode).toBe('AUTH_DEVICE_TOKEN_MISMATCH');
    afterRevoke.close();

    // With the gateway token the paired node gets a fresh device token (no new approval).
    await host!.kill();
    host = spawnNodeHost(gw.url, { token: gw.token, stateDir: nodeDir, workdir });
    await host.waitFor(/connected to .*device token saved/);
    const fresh = nodeToken(nodeDir);
    expect([old, rotated.token]).not.toContain(fresh);
    const stored = JSON.parse(readFileSync(join(gw.stateDir, 'devices', 'paired.json'), 'utf8')) as Record<string, { tokens: Record<string, { hash: string; revokedAtMs?: number }> }>;
    expect(stored[nodeId]!.tokens.node).toMatchObject({ hash: sha256(fresh) });
    expect(stored[nodeId]!.tokens.node!.revokedAtMs).toBeUndefined();
  });
});
