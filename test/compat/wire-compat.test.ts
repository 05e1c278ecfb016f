// The same client scenarios against our gateway and a real upstream OpenClaw gateway (the `openclaw`
// npm package under Node 24, installed into a cache outside the repo). Upstream is started once for
// this file; without it the upstream half is skipped with the reason printed. Differences that
// remain are asserted per target and listed in README.md "Compatibility with upstream OpenClaw".
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BrowserGatewayClient } from '../../clients/browser-gateway-client.js';
import type { OpenClawClient } from '../../clients/openclaw-client.js';
import type { GatewayError } from '../../clients/runtime/gateway-error.js';
import { GatewayProxy } from '../../server/proxy/gateway-proxy.js';
import type { ProxySettingsInput } from '../../server/proxy/proxy-settings.js';
import { BROWSER_ORIGIN, clientFor, startOurs, startUpstreamTarget, upstreamAvailability, wireTap, type CompatTarget, type TargetName } from './compat-targets.js';

// Upstream answers in seconds, not milliseconds, on a busy machine (it loads plugins per run).
vi.setConfig({ testTimeout: 120_000 });

const availability = await upstreamAvailability();
const TARGETS: readonly TargetName[] = availability.ok ? ['ours', 'upstream'] : ['ours'];
const targets = new Map<TargetName, CompatTarget>();
const clients: { close(): void }[] = [];

beforeAll(async () => {
  const [ours, upstream] = await Promise.all([startOurs(), availability.ok ? startUpstreamTarget(availability) : undefined]);
  targets.set('ours', ours);
  if (upstream) targets.set('upstream', upstream);
}, 300_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all([...targets.values()].map((t) => t.stop()));
}, 60_000);

const track = <C extends { close(): void }>(client: C): C => {
  clients.push(client);
  return client;
};
const target = (name: TargetName): CompatTarget => targets.get(name)!;
const failureOf = async (promise: Promise<unknown>): Promise<GatewayError> => {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected the call to fail');
};
const waitPaused = (client: { on(event: 'paused', l: (e: { reason: string; error: GatewayError | undefined }) => void): () => void }) =>
  new Promise<{ reason: string; error: GatewayError | undefined }>((resolve) => client.on('paused', resolve));

async function startProxy(settings: Omit<ProxySettingsInput, 'allowedOrigins'>): Promise<{ url: string; close(): Promise<void> }> {
  const proxy = new GatewayProxy({ settings: () => ({ ...settings, allowedOrigins: [BROWSER_ORIGIN] }) });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => proxy.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/gateway/ws`,
    async close() {
      proxy.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a page's WebSocket is to the proxy: a socket with the page's Origin. */
class PageSocket extends WebSocket {
  constructor(url: string) {
    super(url, { origin: BROWSER_ORIGIN, perMessageDeflate: false });
    this.on('error', () => {});
  }
}

describe.each(TARGETS)('client scenarios against %s', (name) => {
  const connect = async (options: Parameters<typeof clientFor>[1] = {}): Promise<OpenClawClient> => {
    const client = track(clientFor(target(name), options));
    await client.connect();
    return client;
  };

  it('handshake: protocol 4, the granted scopes, how it authenticated, boot id and attachment limits', async () => {
    const client = await connect();
    const hello = client.hello!;
    expect(hello.protocol).toBe(4);
    expect(hello.auth.scopes).toContain('operator.admin');
    expect(hello.auth.method).toBe('token');
    expect(typeof hello.server.version).toBe('string');
    expect(hello.server.bootId).toEqual(expect.any(String));
    expect(hello.policy.attachments?.maxBytes).toBeGreaterThan(0);
    expect(hello.features.methods).toEqual(expect.arrayContaining(['health', 'chat.send', 'chat.history', 'sessions.list']));
  });

  it('health: agents[].sessions is {path, count, recent}', async () => {
    const client = await connect();
    const health = await client.health();
    expect(health.ok).toBe(true);
    const main = health.agents.find((a) => a.agentId === health.defaultAgentId);
    expect(main?.sessions).toMatchObject({ path: expect.any(String), count: expect.any(Number), recent: expect.any(Array) });
  });

  it('sessions: spawn (sessions.create where only that is advertised), then list shows the session', async () => {
    const tap = wireTap();
    const client = await connect({ WebSocket: tap.WebSocket });
    const key = `agent:main:compat-${name}-spawn`;
    const created = await client.sessions.spawn({ key, label: `compat ${name}` });
    expect(created).toMatchObject({ ok: true, key, sessionId: expect.any(String) });
    const methods = tap.sent.filter((f) => f.type === 'req').map((f) => f.method);
    expect(methods).toContain(client.hasMethod('sessions.spawn') ? 'sessions.spawn' : 'sessions.create');
    if (name === 'upstream') expect(methods).not.toContain('sessions.spawn');
    const list = await client.sessions.list({});
    expect(list.sessions.map((s) => s.key)).toContain(key);
  });

  it('agents.files.get of an allowed file not created yet answers missing: true', async () => {
    const client = await connect();
    const got = await client.agents.files.get({ agentId: 'main', name: 'MEMORY.md' });
    expect(got.file).toMatchObject({ name: 'MEMORY.md', missing: true });
    expect(got.file.content).toBeUndefined();
    await client.agents.files.set({ agentId: 'main', name: 'USER.md', content: `compat ${name}\n` });
    const written = await client.agents.files.get({ agentId: 'main', name: 'USER.md' });
    expect(written.file).toMatchObject({ missing: false, content: `compat ${name}\n`, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('agents.list: the default agent with its effective model', async () => {
    const client = await connect();
    const list = await client.agents.list({});
    expect(list.defaultId).toBe('main');
    expect(list.agents.find((a) => a.id === 'main')).toMatchObject({ workspace: expect.any(String), model: { primary: 'fake/fake-model' } });
  });

  it('models.list: the configured model with reasoning and thinking levels', async () => {
    const client = await connect();
    const { models } = await client.models.list({});
    const model = models.find((m) => m.provider === 'fake' && m.id === 'fake-model');
    expect(model).toMatchObject({ name: expect.any(String), reasoning: false, thinkingLevels: [{ id: 'off', label: 'off' }] });
  });

  it('exec approvals: list and resolve (exec.approval.* upstream), the rules read and changed (exec.approvals.get/set upstream)', async () => {
    const tap = wireTap();
    const client = await connect({ WebSocket: tap.WebSocket });
    expect(await client.exec.approvals.list({})).toEqual([]);
    const unknown = await failureOf(client.exec.approvals.resolve({ id: 'no-such-approval', decision: 'deny' }));
    expect(unknown.code).toBe('INVALID_REQUEST');
    const details = unknown.details as { code?: string; reason?: string };
    expect(details.reason ?? details.code).toBe('APPROVAL_NOT_FOUND');

    const before = await client.exec.approvals.overrides({});
    expect(before).toMatchObject({ path: expect.any(String), hash: expect.any(String), file: { version: 1 }, overrides: expect.any(Array) });
    const pattern = `/usr/bin/compat-${name}`;
    const added = await client.exec.approvals.overrides.set({ pattern, decision: 'allow', agentId: 'main' });
    expect(added.overrides).toContainEqual({ pattern, decision: 'allow', agentId: 'main' });
    expect(added.hash).not.toBe(before.hash);
    const removed = await client.exec.approvals.overrides.set({ pattern, decision: null, agentId: 'main', baseHash: added.hash });
    expect(removed.overrides.some((o) => o.pattern === pattern)).toBe(false);

    const methods = new Set(tap.sent.filter((f) => f.type === 'req').map((f) => f.method));
    if (name === 'upstream') {
      for (const m of ['exec.approval.list', 'exec.approval.resolve', 'exec.approvals.get', 'exec.approvals.set']) expect(methods).toContain(m);
      for (const m of ['exec.approvals.list', 'exec.approvals.resolve', 'exec.approvals.overrides', 'exec.approvals.overrides.set']) expect(methods).not.toContain(m);
    } else {
      for (const m of ['exec.approvals.list', 'exec.approvals.resolve', 'exec.approvals.overrides', 'exec.approvals.overrides.set']) expect(methods).toContain(m);
    }
  });

  it('cancel: an aborted call sends a cancel frame only to a gateway that advertises it; the connection stays usable', async () => {
    const tap = wireTap();
    const client = await connect({ WebSocket: tap.WebSocket });
    expect(client.supportsCancel()).toBe(name === 'ours');
    const controller = new AbortController();
    const call = client.health({}, { signal: controller.signal });
    controller.abort();
    expect(await failureOf(call)).toMatchObject({ kind: 'aborted', sent: true });
    const cancels = tap.sent.filter((f) => f.type === 'cancel');
    expect(cancels.length).toBe(name === 'ours' ? 1 : 0);
    expect((await client.health()).ok).toBe(true);
    expect(client.state).toBe('ready');
    expect(tap.sockets()).toBe(1);
  });

  it('a wrong token pauses the client with the reason after one attempt', async () => {
    const tap = wireTap();
    const client = track(clientFor(target(name), { token: 'wrong-token-0000000000000000', WebSocket: tap.WebSocket }));
    const paused = waitPaused(client);
    await expect(client.connect()).rejects.toMatchObject({ detailCode: 'AUTH_TOKEN_MISMATCH' });
    expect((await paused).reason).toMatch(/^AUTH_TOKEN_MISMATCH: /);
    expect(client.state).toBe('paused');
    expect(await failureOf(client.health())).toMatchObject({ code: 'CONNECTION_PAUSED' });
    expect(tap.sockets()).toBe(1);
  });

  it('no token: the refusal pauses the client after one attempt', async () => {
    const tap = wireTap();
    const client = track(clientFor(target(name), { token: undefined, WebSocket: tap.WebSocket }));
    const paused = waitPaused(client);
    const refusal = await failureOf(client.connect());
    expect(refusal.detailCode ?? refusal.code).toBe(name === 'ours' ? 'AUTH_TOKEN_MISSING' : 'DEVICE_IDENTITY_REQUIRED');
    if (name === 'upstream') expect(refusal.code).toBe('NOT_PAIRED');
    expect((await paused).reason).toContain(refusal.detailCode ?? refusal.code);
    expect(tap.sockets()).toBe(1);
  });

  it('a browser client id without an Origin: upstream refuses it for good (the client pauses), ours admits it', async () => {
    const tap = wireTap();
    const client = track(clientFor(target(name), { client: { id: 'webchat-ui', mode: 'webchat' }, scopes: ['operator.read'], WebSocket: tap.WebSocket }));
    if (name === 'upstream') {
      const paused = waitPaused(client);
      await expect(client.connect()).rejects.toMatchObject({ detailCode: 'CONTROL_UI_ORIGIN_NOT_ALLOWED' });
      expect((await paused).reason).toMatch(/^CONTROL_UI_ORIGIN_NOT_ALLOWED: /);
      expect(tap.sockets()).toBe(1);
    } else {
      await client.connect();
      expect(client.state).toBe('ready');
    }
  });

  it('chat: a streamed reply, then the transcript with message ids', async () => {
    const client = await connect({ timeoutMs: 240_000 });
    const sessionKey = `agent:main:compat-${name}-chat`;
    const word = `ping-${name}-${Date.now()}`;
    // Upstream wraps the turn in context blocks of its own: answer with the word wherever it is.
    target(name).fake.setDefault((request) => ({ text: `pong ${JSON.stringify(request.body.messages ?? []).match(/ping-[a-z]+-\d+/)?.[0] ?? 'nothing'}` }));
    let final: string | undefined;
    let agentIds = new Set<string | undefined>();
    for await (const item of client.chat.stream({ sessionKey, message: `say ${word}` }, { idleTimeoutMs: 240_000 })) {
      agentIds.add(item.agentId);
      if (item.state === 'final') final = JSON.stringify(item.message?.content ?? '');
    }
    expect(final).toContain(word);
    expect(agentIds.has('main')).toBe(true);
    const history = await client.chat.history({ sessionKey, limit: 20 });
    const roles = history.messages.map((m) => m.role);
    expect(roles).toEqual(expect.arrayContaining(['user', 'assistant']));
    for (const message of history.messages) {
      expect((message as { __openclaw?: { id?: unknown; seq?: unknown } }).__openclaw).toMatchObject({ id: expect.any(String), seq: expect.any(Number) });
    }
    agentIds = new Set();
  }, 300_000);

  it('GatewayProxy: a browser client through the proxy (backend identity upstream) reads the transcript and sends', async () => {
    const t = target(name);
    const proxy = await startProxy({ upstreamUrl: t.url, token: t.token });
    try {
      const browser = track(new BrowserGatewayClient({ url: proxy.url, WebSocket: PageSocket, reconnectMinMs: 40, reconnectMaxMs: 400, timeoutMs: 60_000 }));
      const hello = await browser.connect();
      expect(hello.auth.scopes).toEqual(expect.arrayContaining(['operator.read', 'operator.write']));
      expect(hello.auth.scopes).not.toContain('operator.admin');
      const history = await browser.chat.history({ sessionKey: 'agent:main:main', limit: 5 });
      expect(Array.isArray(history.messages)).toBe(true);
      const ack = await browser.chat.send({ sessionKey: `agent:main:compat-${name}-proxy`, message: 'hello through the proxy' });
      expect(ack).toMatchObject({ runId: expect.any(String), status: 'started' });
      browser.close();
    } finally {
      await proxy.close();
    }
  });

  it('GatewayProxy marks a refusal a retry cannot fix, and the browser client pauses on it', async () => {
    const t = target(name);
    const proxy = await startProxy({ upstreamUrl: t.url, token: 'wrong-token-0000000000000000' });
    try {
      const browser = track(new BrowserGatewayClient({ url: proxy.url, WebSocket: PageSocket, reconnectMinMs: 40, reconnectMaxMs: 400 }));
      const paused = waitPaused(browser);
      await expect(browser.connect()).rejects.toMatchObject({ detailCode: 'AUTH_TOKEN_MISMATCH', retryable: false });
      expect((await paused).reason).toMatch(/^AUTH_TOKEN_MISMATCH: /);
      expect(browser.state).toBe('paused');
    } finally {
      await proxy.close();
    }
  });

  it('GatewayProxy with upstreamScopes requests those scopes, whatever the page asks for', async () => {
    const t = target(name);
    const proxy = await startProxy({ upstreamUrl: t.url, token: t.token, upstreamScopes: ['operator.read'] });
    try {
      const browser = track(new BrowserGatewayClient({ url: proxy.url, WebSocket: PageSocket, scopes: ['operator.read', 'operator.write'], reconnectMinMs: 40, reconnectMaxMs: 400 }));
      const hello = await browser.connect();
      expect(hello.auth.scopes).toEqual(['operator.read']);
      expect(await failureOf(browser.chat.send({ sessionKey: 'agent:main:main', message: 'no write scope' }))).toMatchObject({ code: 'FORBIDDEN' });
      browser.close();
    } finally {
      await proxy.close();
    }
  });

  it('GatewayProxy relaying the page identity: upstream grants a device-less browser id no scopes, ours grants them', async () => {
    const t = target(name);
    const proxy = await startProxy({ upstreamUrl: t.url, token: t.token, upstreamClient: 'browser', upstreamOrigin: BROWSER_ORIGIN });
    try {
      const browser = track(new BrowserGatewayClient({ url: proxy.url, WebSocket: PageSocket, reconnectMinMs: 40, reconnectMaxMs: 400 }));
      const hello = await browser.connect();
      if (name === 'upstream') expect(hello.auth.scopes).toEqual([]);
      else expect(hello.auth.scopes).toEqual(expect.arrayContaining(['operator.read', 'operator.write']));
      browser.close();
    } finally {
      await proxy.close();
    }
  });
});
