// hello-ok content (docs/protocol.md "Handshake" step 4): negotiated protocol, exactly the callable
// methods, scope-filtered events, policy, auth and the snapshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelloOk } from '../../contract/schemas/connect.js';
import { EVENT_TABLE, METHOD_TABLE } from '../../generated/server/method-table.js';
import { GATEWAY_VERSION } from '../../server/version.js';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { startWith } from './gateway-fixtures.js';

/** Every name the wire accepts (canonical names and aliases), minus the handshake itself. */
const WIRE_NAMES = Object.values(METHOD_TABLE)
  .flatMap((entry) => [entry.name, ...entry.aliases])
  .filter((name) => name !== 'connect')
  .sort();

/**
 * The methods this connection can actually call, found by calling each with params no schema
 * accepts: a callable method answers "invalid params"; others answer FORBIDDEN or NOT_IMPLEMENTED.
 */
async function probeCallable(socket: RawSocket): Promise<string[]> {
  const callable: string[] = [];
  for (const name of WIRE_NAMES) {
    const res = await call(socket, name, 'not-an-object');
    const code = res.error?.code;
    if (code === 'FORBIDDEN' || (code === 'UNAVAILABLE' && res.error?.details?.code === 'NOT_IMPLEMENTED')) continue;
    expect(res.error?.details?.code, `${name}: ${JSON.stringify(res.error)}`).not.toBe('UNKNOWN_METHOD');
    callable.push(name);
  }
  return callable.sort();
}

describe('hello-ok', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startInProcess();
  });
  afterAll(() => gw?.stop());

  it.each([
    [3, 3, 3],
    [3, 4, 4],
    [1, 3, 3],
    [4, 9, 4],
    [2, 4, 4],
  ])('minProtocol %i, maxProtocol %i negotiates protocol %i', async (min, max, expected) => {
    const { socket, hello } = await openReady(gw.url, gw.token, { minProtocol: min, maxProtocol: max });
    expect(hello.protocol).toBe(expected);
    socket.close();
  });

  it('matches the contract and carries server, policy, auth and snapshot', async () => {
    const { socket, hello } = await openReady(gw.url, gw.token, { client: { id: 'test', version: '2.0.0', platform: 'linux', mode: 'ui' } });
    expect(HelloOk.safeParse(hello).success).toBe(true);
    expect(hello.type).toBe('hello-ok');
    expect(hello.server.version).toBe(GATEWAY_VERSION);
    expect(hello.server.connId).toMatch(/^[0-9a-f-]{36}$/);
    expect(hello.policy).toEqual({ maxPayload: 25 * 1024 * 1024, maxBufferedBytes: 50 * 1024 * 1024, tickIntervalMs: 30_000, attachments: { maxBytes: 5 * 1024 * 1024, maxImageBytes: 5 * 1024 * 1024 } });
    expect(hello.server.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(hello.features.capabilities).toEqual(['request-cancel']);
    expect(hello.auth).toEqual({ role: 'operator', scopes: ['operator.admin'], method: 'token' });
    const snap = hello.snapshot;
    expect(snap.sessionDefaults).toEqual({ defaultAgentId: 'main', mainKey: 'main', mainSessionKey: 'agent:main:main', scope: 'per-sender' });
    expect(snap.health.ok).toBeTypeOf('boolean');
    expect(snap.stateVersion).toEqual({ presence: expect.any(Number), health: expect.any(Number) });
    expect(snap.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(snap.authMode).toBe('token');
    expect(snap.configPath).toBe(`${gw.stateDir}/openclaw.json`);
    expect(snap.stateDir).toBe(gw.stateDir);
    // This connection is in the presence list it is shown.
    expect(snap.presence).toContainEqual(expect.objectContaining({ mode: 'ui', version: '2.0.0', roles: ['operator'] }));
    socket.close();
  });

  it('every connection gets its own connId', async () => {
    const a = await openReady(gw.url, gw.token);
    const b = await openReady(gw.url, gw.token);
    expect(a.hello.server.connId).not.toBe(b.hello.server.connId);
    a.socket.close();
    b.socket.close();
  });

  it('configPath and stateDir are shown to admins only', async () => {
    const { socket, hello } = await openReady(gw.url, gw.token, { scopes: ['operator.read', 'operator.write'] });
    expect(hello.snapshot).not.toHaveProperty('configPath');
    expect(hello.snapshot).not.toHaveProperty('stateDir');
    expect(hello.snapshot.sessionDefaults.mainSessionKey).toBe('agent:main:main');
    socket.close();
  });

  it('auth.scopes are the granted scopes: unknown ones dropped, canonical order', async () => {
    const { socket, hello } = await openReady(gw.url, gw.token, { scopes: ['operator.write', 'bogus.scope', 'operator.read', 'operator.read'] });
    expect(hello.auth).toEqual({ role: 'operator', scopes: ['operator.read', 'operator.write'], method: 'token' });
    socket.close();
  });

  it.each([
    ['operator.admin', { scopes: ['operator.admin'] }],
    ['operator.read', { scopes: ['operator.read'] }],
    ['operator.write', { scopes: ['operator.write'] }],
    ['operator.approvals', { scopes: ['operator.approvals'] }],
    ['no scopes', { scopes: [] }],
    ['role node', { role: 'node', scopes: [] }],
  ])('features.methods is exactly what a %s connection can call (aliases included)', async (_label, overrides) => {
    const { socket, hello } = await openReady(gw.url, gw.token, overrides);
    expect(hello.features.methods).toEqual([...hello.features.methods].sort());
    expect(hello.features.methods).toEqual(await probeCallable(socket));
    socket.close();
  });

  it('features.methods follows scopes: read sees config.get but not config.set; admin sees both', async () => {
    const read = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    expect(read.hello.features.methods).toContain('config.get');
    expect(read.hello.features.methods).toContain('health');
    expect(read.hello.features.methods).not.toContain('config.set');
    const admin = await openReady(gw.url, gw.token);
    expect(admin.hello.features.methods).toEqual(expect.arrayContaining(['config.get', 'config.set', 'config.patch', 'health', 'logs.tail']));
    read.socket.close();
    admin.socket.close();
  });

  it('features.events are filtered by scope', async () => {
    const all = Object.keys(EVENT_TABLE).filter((e) => EVENT_TABLE[e as keyof typeof EVENT_TABLE].scope !== 'targeted').sort();
    const admin = await openReady(gw.url, gw.token);
    expect(admin.hello.features.events).toEqual(all);

    const read = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    expect(read.hello.features.events).toEqual(expect.arrayContaining(['tick', 'shutdown', 'health', 'presence', 'chat', 'agent']));
    expect(read.hello.features.events).not.toContain('exec.approval.requested');

    const approvals = await openReady(gw.url, gw.token, { scopes: ['operator.approvals'] });
    expect(approvals.hello.features.events).toEqual(expect.arrayContaining(['exec.approval.requested', 'exec.approval.resolved', 'tick']));
    expect(approvals.hello.features.events).not.toContain('chat');

    const node = await openReady(gw.url, gw.token, { role: 'node', scopes: [] });
    const anyScoped = all.filter((e) => EVENT_TABLE[e as keyof typeof EVENT_TABLE].scope === 'any');
    // Plus the gateway → node call it serves.
    expect(node.hello.features.events).toEqual([...anyScoped, 'node.invoke.request'].sort());
    expect(node.hello.auth).toEqual({ role: 'node', scopes: [], method: 'token' });
    for (const s of [admin, read, approvals, node]) s.socket.close();
  });
});

describe('hello-ok policy follows the config', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith({ gateway: { limits: { maxPayload: 1_000_000, maxBufferedBytes: 2_000_000, tickIntervalMs: 45_000 } } });
  });
  afterAll(() => gw?.stop());

  it('reports the configured limits', async () => {
    const { socket, hello } = await openReady(gw.url, gw.token);
    expect(hello.policy).toMatchObject({ maxPayload: 1_000_000, maxBufferedBytes: 2_000_000, tickIntervalMs: 45_000 });
    socket.close();
  });
});
