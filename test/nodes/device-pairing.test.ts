// Operator devices: the Node SDK connecting with a device identity (a key file, mode 0600) and then
// with its device token alone; a device on another machine waits for approval (NOT_PAIRED) until
// device.pair.approve; upstream pairing files with plaintext tokens are hashed on load.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenClawClient } from '../../clients/openclaw-client.js';
import { fileDeviceTokenStore, loadOrCreateDeviceIdentity } from '../../clients/node-device-identity.js';
import { signDeviceProof, type DeviceIdentity } from '../../clients/runtime/device-auth.js';
import { makeStateDir, startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { operator } from './node-kit.js';

/** A connect from another machine (an in-process connection with a non-loopback address). */
async function connectFrom(gw: RunningGateway, remoteAddress: string, identity: DeviceIdentity, scopes: string[]) {
  const side = gw.gateway!.connectInProcess({ remoteAddress });
  const frames: { type: string; id?: string; event?: string; ok?: boolean; payload?: { nonce?: string }; error?: { code: string; details?: { code?: string; requestId?: string; reason?: string } } }[] = [];
  let wake: (() => void) | undefined;
  side.onMessage((text) => {
    frames.push(JSON.parse(text) as (typeof frames)[number]);
    wake?.();
  });
  const next = async (match: (f: (typeof frames)[number]) => boolean) => {
    for (;;) {
      const found = frames.find(match);
      if (found) return found;
      await new Promise<void>((r) => (wake = r));
    }
  };
  const challenge = await next((f) => f.event === 'connect.challenge');
  const client = { id: 'cli' as const, version: '1.0.0', platform: 'linux', mode: 'cli' as const };
  const device = await signDeviceProof(identity, { clientId: client.id, clientMode: client.mode, role: 'operator', scopes, token: gw.token, nonce: challenge.payload!.nonce!, signedAt: Date.now(), platform: 'linux' });
  side.send(JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: { minProtocol: 3, maxProtocol: 4, client, role: 'operator', scopes, auth: { token: gw.token }, device } }));
  const res = await next((f) => f.id === 'c');
  const closed = res.ok ? undefined : await side.closed;
  return { res, closed, side };
}

describe('operator devices', () => {
  let gw: RunningGateway;
  let admin: OpenClawClient;
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-device-'));

  beforeAll(async () => {
    gw = await startInProcess();
    admin = operator(gw.url, gw.token);
    await admin.connect();
  });
  afterAll(async () => {
    admin?.close();
    await gw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the Node SDK connects with a device identity, then with its device token alone', async () => {
    const keyFile = join(dir, 'identity', 'device.json');
    const identity = loadOrCreateDeviceIdentity(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(loadOrCreateDeviceIdentity(keyFile).deviceId).toBe(identity.deviceId);
    const tokens = fileDeviceTokenStore(join(dir, 'identity', 'device-auth.json'));
    const first = new OpenClawClient({ url: gw.url, token: gw.token, scopes: ['operator.read', 'operator.write'], deviceIdentity: identity, deviceTokens: tokens });
    const hello = await first.connect();
    expect(hello.auth).toMatchObject({ role: 'operator', scopes: ['operator.read', 'operator.write'], deviceToken: expect.any(String) });
    await expect.poll(() => tokens.load(identity.deviceId, 'operator')).toBe(hello.auth.deviceToken);
    expect(statSync(join(dir, 'identity', 'device-auth.json')).mode & 0o777).toBe(0o600);
    first.close();

    // No gateway token now: the device token authenticates, with at most its scopes.
    const second = new OpenClawClient({ url: gw.url, scopes: ['operator.read', 'operator.admin'], deviceIdentity: identity, deviceTokens: tokens });
    const again = await second.connect();
    expect(again.auth.scopes).toEqual(['operator.read']);
    expect(again.auth.deviceToken).toBeUndefined();
    expect((await second.request('sessions.list', {})).sessions).toBeDefined();
    second.close();

    const listed = await admin.request('device.pair.list', {});
    const row = listed.paired.find((d) => d.deviceId === identity.deviceId)!;
    expect(row.tokens).toEqual([expect.objectContaining({ role: 'operator', scopes: ['operator.read', 'operator.write'], lastUsedAtMs: expect.any(Number) })]);
    expect(JSON.stringify(listed)).not.toContain(hello.auth.deviceToken!);
  });

  it('a device on another machine waits for approval: NOT_PAIRED, then device.pair.approve', async () => {
    const identity = loadOrCreateDeviceIdentity(join(dir, 'remote', 'device.json'));
    const refused = await connectFrom(gw, '192.0.2.10', identity, ['operator.read']);
    expect(refused.res.error).toMatchObject({ code: 'NOT_PAIRED', details: { code: 'PAIRING_REQUIRED', reason: 'not-paired', requestId: expect.any(String) } });
    expect(refused.closed).toEqual({ code: 1008, reason: 'pairing required' });
    const requestId = refused.res.error!.details!.requestId!;
    // Asking again keeps the same request.
    expect((await connectFrom(gw, '192.0.2.10', identity, ['operator.read'])).res.error?.details?.requestId).toBe(requestId);
    const pending = await admin.request('device.pair.list', {});
    expect(pending.pending).toContainEqual(expect.objectContaining({ requestId, deviceId: identity.deviceId, role: 'operator', scopes: ['operator.read'], remoteIp: '192.0.2.10' }));

    await admin.request('device.pair.approve', { requestId });
    const admitted = await connectFrom(gw, '192.0.2.10', identity, ['operator.read']);
    expect(admitted.res.ok).toBe(true);
    // More scopes than approved: a new request (scope-upgrade).
    const upgrade = await connectFrom(gw, '192.0.2.10', identity, ['operator.read', 'operator.admin']);
    expect(upgrade.res.error).toMatchObject({ code: 'NOT_PAIRED', details: { reason: 'scope-upgrade' } });
    await admin.request('device.pair.reject', { requestId: upgrade.res.error!.details!.requestId! });
    await admin.request('device.pair.remove', { deviceId: identity.deviceId });
    expect((await connectFrom(gw, '192.0.2.10', identity, ['operator.read'])).res.error?.details?.reason).toBe('not-paired');
    admitted.side.close();
  });

  it('an unknown requestId is a typed error', async () => {
    await expect(admin.request('device.pair.approve', { requestId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', detailCode: 'DEVICE_PAIRING_NOT_FOUND' });
    await expect(admin.request('device.token.rotate', { deviceId: 'f'.repeat(64), role: 'operator' })).rejects.toMatchObject({ detailCode: 'DEVICE_NOT_FOUND' });
  });
});

describe('pairing files from upstream', () => {
  it('plaintext tokens are replaced by their hashes on load and keep working', async () => {
    const stateDir = makeStateDir(TEST_CONFIG);
    const identity = loadOrCreateDeviceIdentity(join(stateDir, 'client-identity.json'));
    mkdirSync(join(stateDir, 'devices'), { recursive: true });
    const now = Date.now();
    writeFileSync(
      join(stateDir, 'devices', 'paired.json'),
      JSON.stringify({
        [identity.deviceId]: { deviceId: identity.deviceId, publicKey: identity.publicKey, role: 'operator', roles: ['operator'], scopes: ['operator.read'], approvedScopes: ['operator.read'], tokens: { operator: { token: 'upstream-plaintext-token', role: 'operator', scopes: ['operator.read'], createdAtMs: now } }, createdAtMs: now, approvedAtMs: now },
      }),
    );
    const gw = await startInProcess(TEST_CONFIG, stateDir);
    try {
      const file = readFileSync(join(stateDir, 'devices', 'paired.json'), 'utf8');
      expect(file).not.toContain('upstream-plaintext-token');
      expect(file).toContain(createHash('sha256').update('upstream-plaintext-token').digest('hex'));
      expect(file).toContain('approvedScopes'); // upstream fields are kept
      const tokens = { load: () => 'upstream-plaintext-token', save: () => {}, clear: () => {} };
      const client = new OpenClawClient({ url: gw.url, scopes: ['operator.read'], deviceIdentity: identity, deviceTokens: tokens });
      expect((await client.connect()).auth.scopes).toEqual(['operator.read']);
      client.close();
    } finally {
      await gw.stop();
    }
  });
});
