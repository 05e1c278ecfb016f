// GatewayProxy mounted on its own node:http server in front of a real gateway, driven by a raw
// WebSocket standing in for the browser (so the test sees every byte the browser would).
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayProxy, type GatewayProxyOptions } from '../../server/proxy/gateway-proxy.js';
import type { ProxySettingsInput } from '../../server/proxy/proxy-settings.js';
import { startInProcess, type RunningGateway } from '../helpers/gateway-targets.js';
import { connectParams, openRaw, type RawSocket } from '../helpers/raw-socket.js';
import { startFrameRelay, type FrameRelay } from '../clients/frame-relay.js';

const ORIGIN = 'http://127.0.0.1:5173';

interface Host {
  readonly server: Server;
  readonly url: string;
  readonly httpUrl: string;
  readonly proxy: GatewayProxy;
  close(): Promise<void>;
}

async function startHost(settings: () => ProxySettingsInput, extra: Partial<GatewayProxyOptions> = {}): Promise<Host> {
  const proxy = new GatewayProxy({ settings, ...extra });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('host alive'));
  server.on('upgrade', (req, socket, head) => proxy.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    proxy,
    url: `ws://127.0.0.1:${port}/api/gateway/ws`,
    httpUrl: `http://127.0.0.1:${port}/`,
    async close() {
      proxy.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The HTTP answer to an upgrade request, for refused upgrades. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url.replace(/^ws/, 'http'), {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('upgrade was accepted')));
    req.on('error', reject);
    req.end();
  });
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

async function browserConnect(url: string, overrides: Record<string, unknown> = {}): Promise<{ socket: RawSocket; hello: { auth: { scopes: string[] } } & Record<string, unknown> }> {
  const socket = await openRaw(url, { origin: ORIGIN });
  socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ scopes: ['operator.read', 'operator.write'], ...overrides }) });
  const res = await socket.waitFor((f) => f.type === 'res' && f.id === 'c1', 10_000);
  if (!res.ok) throw new Error(`connect failed: ${JSON.stringify(res.error)}`);
  return { socket, hello: res.payload };
}

describe('GatewayProxy', () => {
  let gw: RunningGateway;
  let host: Host;
  const sockets: RawSocket[] = [];
  let settings: ProxySettingsInput;
  beforeAll(async () => {
    gw = await startInProcess();
    settings = { upstreamUrl: gw.url, token: gw.token, allowedOrigins: [ORIGIN] };
    host = await startHost(() => settings);
  }, 30_000);
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
    settings = { upstreamUrl: gw.url, token: gw.token, allowedOrigins: [ORIGIN] };
  });
  afterAll(async () => {
    await host?.close();
    await gw?.stop();
  });

  it('refuses an upgrade without an Origin (401) and from another origin (403)', async () => {
    expect(await upgradeStatus(host.url, {})).toMatchObject({ status: 401 });
    const cross = await upgradeStatus(host.url, { Origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    expect(cross.body).toContain('origin not allowed');
  });

  it('refuses an unauthenticated user through a custom authorize hook', async () => {
    const guarded = await startHost(() => settings, {
      authorize: (req) => (req.headers.cookie === 'session=valid' ? { ok: true } : { ok: false, status: 401, message: 'log in first' }),
    });
    try {
      expect(await upgradeStatus(guarded.url, { Origin: ORIGIN })).toEqual({ status: 401, body: 'log in first' });
      const socket = await openRaw(guarded.url, { origin: ORIGIN, headers: { cookie: 'session=valid' } });
      sockets.push(socket);
      socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams() });
      expect(await socket.waitFor((f) => f.id === 'c1')).toMatchObject({ ok: true });
    } finally {
      await guarded.close();
    }
  });

  it('injects the token, caps scopes (no admin by default), and never shows the token to the browser', async () => {
    const { socket, hello } = await browserConnect(host.url, { scopes: ['operator.admin', 'operator.read', 'operator.write'], auth: { token: 'browser-guess' } });
    sockets.push(socket);
    expect(hello.auth.scopes.sort()).toEqual(['operator.read', 'operator.write']);
    socket.send({ type: 'req', id: 'h1', method: 'health', params: {} });
    expect(await socket.waitFor((f) => f.id === 'h1')).toMatchObject({ ok: true });
    const everything = JSON.stringify(socket.frames) + JSON.stringify(hello);
    expect(everything).not.toContain(gw.token);
  });

  it('grants operator.admin only when allowAdminScope is set', async () => {
    settings = { ...settings, allowAdminScope: true };
    const { socket, hello } = await browserConnect(host.url, { scopes: ['operator.admin'] });
    sockets.push(socket);
    expect(hello.auth.scopes).toEqual(['operator.admin']);
  });

  it('a token the gateway puts into a frame is masked by the gateway before the proxy relays it', async () => {
    settings = { ...settings, allowAdminScope: true };
    const { socket } = await browserConnect(host.url, { scopes: ['operator.admin'] });
    sockets.push(socket);
    // meta.note is not a secret field, but its value is the gateway token: masked by value.
    socket.send({ type: 'req', id: 'g0', method: 'config.get', params: {} });
    const before = await socket.waitFor((f) => f.id === 'g0');
    const raw = JSON.stringify({ ...JSON.parse(before.payload.raw), meta: { note: gw.token } });
    socket.send({ type: 'req', id: 'p1', method: 'config.set', params: { raw, baseHash: before.payload.hash } });
    expect(await socket.waitFor((f) => f.id === 'p1')).toMatchObject({ ok: true });
    socket.send({ type: 'req', id: 'g1', method: 'config.get', params: {} });
    const after = await socket.waitFor((f) => f.id === 'g1');
    expect(after.ok).toBe(true);
    expect(JSON.stringify(after.payload.config.meta)).toContain('[redacted]');
    expect(JSON.stringify(socket.frames) + JSON.stringify(after)).not.toContain(gw.token);
  });

  it('withholds a gateway frame that contains the proxy\'s secret (a gateway that does not mask it)', async () => {
    // With auth mode none the gateway knows no secret, so only the proxy can keep its own from the browser.
    const open = await startInProcess({ gateway: { auth: { mode: 'none' } } });
    const secret = 'proxy-held-secret-0123456789';
    const openHost = await startHost(() => ({ upstreamUrl: open.url, token: secret, allowedOrigins: [ORIGIN], allowAdminScope: true }));
    try {
      const { socket } = await browserConnect(openHost.url, { scopes: ['operator.admin'] });
      sockets.push(socket);
      socket.send({ type: 'req', id: 'g0', method: 'config.get', params: {} });
      const before = await socket.waitFor((f) => f.id === 'g0');
      socket.send({ type: 'req', id: 'p1', method: 'config.set', params: { raw: JSON.stringify({ gateway: { auth: { mode: 'none' } }, meta: { note: secret } }), baseHash: before.payload.hash } });
      const set = await socket.waitFor((f) => f.id === 'p1');
      socket.send({ type: 'req', id: 'g1', method: 'config.get', params: {} });
      const after = await socket.waitFor((f) => f.id === 'g1');
      expect(JSON.stringify(set)).not.toContain(secret);
      expect(after).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('withheld') } });
      expect(JSON.stringify(socket.frames)).not.toContain(secret);
    } finally {
      await openHost.close();
      await open.stop();
    }
  });

  // Regression: the proxy relayed no challenge, so a client that waits for one (the protocol's first
  // step) never sent connect and was cut by the first-frame timeout.
  it('greets the browser with a connect.challenge, so a client that waits for it connects', async () => {
    const socket = await openRaw(host.url, { origin: ORIGIN });
    sockets.push(socket);
    const first = await socket.waitFor(() => true, 3_000);
    expect(first).toMatchObject({ type: 'event', event: 'connect.challenge', payload: { nonce: expect.any(String), ts: expect.any(Number) } });
    socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ scopes: ['operator.read'] }) });
    expect(await socket.waitFor((f) => f.id === 'c1')).toMatchObject({ ok: true, payload: { type: 'hello-ok' } });
    // No second challenge: the gateway's own stays with the proxy.
    expect(socket.frames.filter((f) => f.event === 'connect.challenge')).toEqual([]);
  });

  it('closes 4000 with a clear reason when the first frame is not connect', async () => {
    const socket = await openRaw(host.url, { origin: ORIGIN });
    socket.send({ type: 'req', id: 'x', method: 'health', params: {} });
    expect(await socket.closed).toEqual({ code: 4000, reason: 'first frame must be a connect request' });
  });

  it('queues frames sent before the gateway accepted connect and delivers them after', async () => {
    const socket = await openRaw(host.url, { origin: ORIGIN });
    sockets.push(socket);
    socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ scopes: ['operator.read'] }) });
    for (let i = 0; i < 5; i++) socket.send({ type: 'req', id: `q${i}`, method: 'health', params: {} });
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await socket.waitFor((f) => f.type === 'res')).id);
    expect(ids).toEqual(['c1', 'q0', 'q1', 'q2', 'q3', 'q4']);
  });

  it('closes 1008 when a browser floods frames before the gateway answered', async () => {
    settings = { ...settings, maxQueuedFrames: 3 };
    const socket = await openRaw(host.url, { origin: ORIGIN });
    socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams() });
    for (let i = 0; i < 10; i++) socket.send({ type: 'req', id: `q${i}`, method: 'health', params: {} });
    expect((await socket.closed).code).toBe(1008);
  });

  it('closes 1008 when frames queued before the gateway answered pass 1 MiB, however few', async () => {
    const socket = await openRaw(host.url, { origin: ORIGIN });
    socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams() });
    const big = 'x'.repeat(400 * 1024);
    for (let i = 0; i < 3; i++) socket.send({ type: 'req', id: `q${i}`, method: 'health', params: { pad: big } });
    expect((await socket.closed).code).toBe(1008);
  });

  it('passes the gateway refusal through when its own token is wrong', async () => {
    settings = { ...settings, token: 'not-the-token' };
    const socket = await openRaw(host.url, { origin: ORIGIN });
    socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams() });
    const res = await socket.waitFor((f) => f.id === 'c1');
    expect(res).toMatchObject({ ok: false, error: { details: { code: 'AUTH_TOKEN_MISMATCH' } } });
    expect((await socket.closed).code).toBe(1008);
  });
});

describe('GatewayProxy upstream failures', () => {
  let gw: RunningGateway;
  let relay: FrameRelay;
  let silent: TcpServer;
  let silentPort: number;
  beforeAll(async () => {
    gw = await startInProcess();
    relay = await startFrameRelay(() => gw.url.replace(/\/ws$/, ''));
    silent = createTcpServer(() => {}); // accepts TCP, never speaks
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as AddressInfo).port;
  }, 30_000);
  afterAll(async () => {
    await relay?.close();
    silent?.close();
    await gw?.stop();
  });

  it('ends the browser socket with 1013 when the upstream does not answer in time', async () => {
    const host = await startHost(() => ({ upstreamUrl: `ws://127.0.0.1:${silentPort}/ws`, token: 't', allowedOrigins: [ORIGIN], upstreamTimeoutMs: 300 }));
    try {
      const socket = await openRaw(host.url, { origin: ORIGIN });
      socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams() });
      expect((await socket.closed).code).toBe(1013);
    } finally {
      await host.close();
    }
  });

  it('ends the browser socket with 1013 when the gateway refuses the TCP connection', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createTcpServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    const host = await startHost(() => ({ upstreamUrl: `ws://127.0.0.1:${closedPort}/ws`, token: 't', allowedOrigins: [ORIGIN] }));
    try {
      const socket = await openRaw(host.url, { origin: ORIGIN });
      socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams() });
      expect(await socket.closed).toEqual({ code: 1013, reason: 'gateway unavailable' });
      expect(await httpGet(host.httpUrl)).toBe('host alive');
    } finally {
      await host.close();
    }
  });

  it('enforces frame size limits on the browser leg (64 KiB first frame, maxPayload after)', async () => {
    const host = await startHost(() => ({ upstreamUrl: gw.url, token: gw.token, allowedOrigins: [ORIGIN] }), { maxPayload: 128 * 1024 });
    try {
      const first = await openRaw(host.url, { origin: ORIGIN });
      first.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ pad: 'x'.repeat(70 * 1024) }) });
      expect((await first.closed).code).toBe(1009);
      const { socket } = await browserConnect(host.url);
      socket.send({ type: 'req', id: 'big', method: 'health', params: { pad: 'x'.repeat(200 * 1024) } });
      expect((await socket.closed).code).toBe(1009);
    } finally {
      await host.close();
    }
  });

  it('pings both legs: a browser that stops answering is cut and its upstream closed', async () => {
    const host = await startHost(() => ({ upstreamUrl: `${relay.url}/ws`, token: gw.token, allowedOrigins: [ORIGIN] }), { pingIntervalMs: 100 });
    try {
      const index = relay.connections.length + 1;
      const { socket } = await browserConnect(host.url);
      const upstream = await relay.connection(index);
      socket.ws.pause(); // stops reading, so no pong goes back
      await upstream.closed;
      expect(host.proxy.connectionCount).toBe(0);
    } finally {
      await host.close();
    }
  });

  it('an upstream dropped without a close frame ends the browser with 1014 and the host keeps serving', async () => {
    const host = await startHost(() => ({ upstreamUrl: `${relay.url}/ws`, token: gw.token, allowedOrigins: [ORIGIN] }));
    try {
      const index = relay.connections.length + 1;
      const { socket } = await browserConnect(host.url);
      (await relay.connection(index)).kill();
      const closed = await socket.closed;
      expect(closed.code).toBe(1014);
      expect(closed.reason).toBe('gateway connection lost');
      expect(await httpGet(host.httpUrl)).toBe('host alive');
      const again = await browserConnect(host.url);
      again.socket.close();
    } finally {
      await host.close();
    }
  });
});
