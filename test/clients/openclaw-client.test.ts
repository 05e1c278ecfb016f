// OpenClawClient specifics beyond the shared conformance suite: the env-driven singleton, the
// typed nested surface, and event delivery (wildcard, once, unsubscribe, listener errors).
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { GatewayError } from '../../clients/runtime/gateway-error.js';
import { getOpenClawClient, OpenClawClient, resetOpenClawClient } from '../../clients/openclaw-client.js';
import type { GatewayMethods } from '../../generated/clients/method-map.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { startFrameRelay, type FrameRelay } from './frame-relay.js';
import { nextEvent } from './conformance.case.js';

describe('OpenClawClient', () => {
  let gw: RunningGateway;
  let relay: FrameRelay;
  const clients: OpenClawClient[] = [];
  const client = (options: Partial<ConstructorParameters<typeof OpenClawClient>[0]> = {}): OpenClawClient => {
    const c = new OpenClawClient({ url: `${relay.url}/ws`, token: gw.token, ...options });
    clients.push(c);
    return c;
  };
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    gw = await startInProcess({ gateway: { ...TEST_CONFIG.gateway, limits: { ...TEST_CONFIG.gateway.limits, tickIntervalMs: 200 } } });
    relay = await startFrameRelay(() => gw.url.replace(/\/ws$/, ''));
  }, 30_000);
  afterEach(() => {
    resetOpenClawClient();
    process.env = { ...savedEnv };
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await relay?.close();
    await gw?.stop();
  });

  it('getOpenClawClient reads OPENCLAW_GATEWAY_URL and OPENCLAW_AUTH_TOKEN and connects by itself', async () => {
    process.env.OPENCLAW_GATEWAY_URL = gw.url;
    process.env.OPENCLAW_AUTH_TOKEN = gw.token;
    const singleton = getOpenClawClient();
    expect(getOpenClawClient()).toBe(singleton);
    const { hello } = await nextEvent(singleton, 'ready');
    expect(hello.auth.scopes).toEqual(['operator.admin']);
    resetOpenClawClient();
    expect(singleton.state).toBe('closed');
    expect(getOpenClawClient()).not.toBe(singleton);
  });

  it('getOpenClawClient falls back to OPENCLAW_GATEWAY_TOKEN and explains a missing URL', async () => {
    delete process.env.OPENCLAW_GATEWAY_URL;
    delete process.env.OPENCLAW_AUTH_TOKEN;
    expect(() => getOpenClawClient()).toThrow(GatewayError);
    expect(() => getOpenClawClient()).toThrow(/OPENCLAW_GATEWAY_URL/);
    process.env.OPENCLAW_GATEWAY_URL = gw.url;
    process.env.OPENCLAW_GATEWAY_TOKEN = gw.token;
    const hello = await getOpenClawClient().connect();
    expect(hello.type).toBe('hello-ok');
  });

  it('getOpenClawClient refuses options that differ from the ones the live singleton was built with', async () => {
    resetOpenClawClient();
    delete process.env.OPENCLAW_GATEWAY_URL;
    const singleton = getOpenClawClient({ url: gw.url, token: gw.token, timeoutMs: 5000 });
    // The same options, or none, give the same client.
    expect(getOpenClawClient({ url: gw.url })).toBe(singleton);
    expect(getOpenClawClient({ timeoutMs: 5000, scopes: undefined })).toBe(singleton);
    expect(getOpenClawClient()).toBe(singleton);
    let refusal: unknown;
    try {
      getOpenClawClient({ url: 'ws://127.0.0.1:1/ws', timeoutMs: 10 });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(GatewayError);
    expect(refusal).toMatchObject({ code: 'CLIENT_OPTIONS_CONFLICT', details: { options: ['url', 'timeoutMs'] } });
    expect((refusal as Error).message).toMatch(/resetOpenClawClient/);
    resetOpenClawClient();
    const fresh = getOpenClawClient({ url: gw.url, token: gw.token, timeoutMs: 10 });
    expect(fresh).not.toBe(singleton);
    resetOpenClawClient();
  });

  it('every namespace is a typed nested method that calls the right wire method', async () => {
    const c = client();
    await c.connect();
    const index = relay.connections.length;
    const settle = (p: Promise<unknown>): Promise<unknown> => p.catch((e: unknown) => e);
    await settle(c.agents.files.get({ agentId: 'main', name: 'AGENTS.md' }));
    await settle(c.exec.approvals.overrides());
    await settle(c.exec.approvals.overrides.set({ pattern: 'ls *', decision: 'allow' }));
    const health = await c.request('health', {});
    expect(health.ok).toBe(true);
    const methods = (await relay.connection(index)).sent('up').map((f) => f.method);
    expect(methods).toEqual(expect.arrayContaining(['agents.files.get', 'exec.approvals.overrides', 'exec.approvals.overrides.set', 'health']));
    // Types: idempotencyKey may be left out (the SDK fills it in); unknown methods do not compile.
    expectTypeOf(c.chat.send).parameter(0).toMatchTypeOf<{ sessionKey: string; message: string; idempotencyKey?: string }>();
    expectTypeOf(c.health).returns.resolves.toEqualTypeOf<GatewayMethods['health']['result']>();
    // @ts-expect-error not a gateway method
    void settle(c.request('no.such.method', {}));
  });

  it('delivers gateway events to named, once and wildcard listeners; unsubscribe stops delivery', async () => {
    const c = client();
    const names = new Set<string>();
    const offAny = c.on('*', (_payload, event) => names.add(event));
    let ticks = 0;
    const offTick = c.on('tick', (payload) => {
      expect(typeof payload.ts).toBe('number');
      ticks++;
    });
    let onceCount = 0;
    c.once('tick', () => onceCount++);
    await c.connect();
    await new Promise<void>((resolve) => {
      const off = c.on('tick', () => ticks >= 3 && (off(), resolve()));
    });
    expect(names.has('tick')).toBe(true);
    expect(onceCount).toBe(1);
    offTick();
    offAny();
    const seen = ticks;
    await new Promise<void>((resolve) => c.once('tick', () => resolve()));
    expect(ticks).toBe(seen);
    expect(names.size).toBeGreaterThan(0);
  }, 20_000);

  it('agent answers twice: onInterim gets the acceptance, the promise the final outcome', async () => {
    const c = client();
    await c.connect();
    const interim: { status?: string; runId?: string }[] = [];
    const final = await c.agent({ message: 'Say hello.', sessionKey: 'agent:main:interim' }, { onInterim: (p) => interim.push(p as (typeof interim)[number]) });
    expect(interim).toHaveLength(1);
    expect(interim[0]!.status).toBe('accepted');
    expect(final.status).toBe('ok');
    expect(final.runId).toBe(interim[0]!.runId);
  });

  it('a throwing listener is reported as an error event and does not stop other listeners', async () => {
    const c = client();
    c.on('tick', () => {
      throw new Error('listener boom');
    });
    const delivered = new Promise<void>((resolve) => c.once('tick', () => resolve()));
    const reported = nextEvent(c, 'error');
    await c.connect();
    await delivered;
    const { error, source } = await reported;
    expect(source).toBe('listener:tick');
    expect((error as Error).message).toBe('listener boom');
  });
});
