// One conformance suite for both SDKs (Hono's common.case.test.ts style): every case runs against a
// real gateway process; the frame relay shows what went over the wire and in which order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../clients/runtime/gateway-error.js';
import type { ConnectionEvents } from '../../clients/runtime/rpc-session.js';
import type { RelayedConnection } from './frame-relay.js';
import { testConfig, type ConformanceEnv, type SdkUnderTest, type TestClient } from './sdk-targets.js';

export function nextEvent<K extends keyof ConnectionEvents>(client: TestClient, name: K, timeoutMs = 15_000): Promise<ConnectionEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} event within ${timeoutMs} ms`)), timeoutMs);
    client.once(name, (payload) => {
      clearTimeout(timer);
      resolve(payload as ConnectionEvents[K]);
    });
  });
}

export const rejection = (promise: Promise<unknown>): Promise<GatewayError> =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(GatewayError);
      return error as GatewayError;
    },
  );

const isReq = (method: string) => (f: { type?: string; method?: string }) => f.type === 'req' && f.method === method;

/** Connects a fresh client and returns it with its relay connection. */
async function connected<C extends TestClient>(sdk: SdkUnderTest<C>, env: ConformanceEnv, options = {}): Promise<{ client: C; conn: RelayedConnection }> {
  const index = env.relay.connections.length + 1;
  const client = sdk.createClient(env, options);
  await client.connect();
  return { client, conn: await env.relay.connection(index) };
}

/** Answers to `method` on `conn` never reach the client. */
function swallowAnswers(env: ConformanceEnv, conn: RelayedConnection, method: string): void {
  env.relay.drop('down', (f, c) => c === conn && f.type === 'res' && c.log.some((x) => x.dir === 'up' && x.frame.id === f.id && x.frame.method === method));
}

export function defineConformanceSuite<C extends TestClient>(sdk: SdkUnderTest<C>): void {
  describe(`${sdk.name} conformance`, () => {
    let env: ConformanceEnv;
    const clients: C[] = [];
    const track = <T extends { client: C }>(x: T): T => (clients.push(x.client), x);
    beforeAll(async () => {
      env = await sdk.startEnv();
    }, 30_000);
    afterAll(async () => {
      for (const c of clients) c.close();
      await env?.close();
    });

    it('handshake: negotiates protocol 4, reports granted scopes and advertised methods', async () => {
      const index = env.relay.connections.length + 1;
      const client = sdk.createClient(env);
      clients.push(client);
      const states: string[] = [];
      for (const s of ['connecting', 'authenticating', 'ready'] as const) client.on(s, () => states.push(s));
      const hello = await client.connect();
      expect(hello.protocol).toBe(4);
      expect([...hello.auth.scopes].sort()).toEqual([...sdk.grantedScopes].sort());
      expect(client.hasMethod('health')).toBe(true);
      expect(client.hasMethod('no.such.method')).toBe(false);
      expect(states).toEqual(['connecting', 'authenticating', 'ready']);
      const log = (await env.relay.connection(index)).log;
      const connectAt = log.findIndex((f) => f.dir === 'up' && f.frame.method === 'connect');
      expect(log.filter((f) => f.dir === 'up')[0]?.frame.method).toBe('connect');
      const challengeAt = log.findIndex((f) => f.frame.event === 'connect.challenge');
      if (sdk.waitsForChallenge) expect(challengeAt).toBeGreaterThanOrEqual(0);
      if (sdk.waitsForChallenge) expect(challengeAt).toBeLessThan(connectAt);
    });

    it('connect() called twice and a call made before the socket opens share one socket', async () => {
      const index = env.relay.connections.length + 1;
      const client = sdk.createClient(env);
      clients.push(client);
      let reconnects = 0;
      client.on('reconnecting', () => reconnects++);
      const call = sdk.readCall(client).catch((e: GatewayError) => e.kind);
      const [a, b] = await Promise.all([client.connect(), client.connect()]);
      expect(a).toBe(b);
      await call;
      expect(env.relay.connections.length).toBe(index);
      expect(reconnects).toBe(0);
    });

    if (sdk.waitsForChallenge) {
      it('handshake: sends connect after the fallback delay when the gateway never challenges', async () => {
        const index = env.relay.connections.length + 1;
        env.relay.drop('down', (f, c) => c.index === index && f.event === 'connect.challenge');
        const client = sdk.createClient(env, { challengeTimeoutMs: 150 });
        clients.push(client);
        const hello = await client.connect();
        expect(hello.type).toBe('hello-ok');
      });
    }

    it('gating: a call made while reconnecting leaves only after hello-ok on the new socket', async () => {
      const { client, conn } = track(await connected(sdk, env));
      const closed = nextEvent(client, 'closed');
      conn.kill();
      await closed;
      expect(client.state).not.toBe('ready');
      const outcome = sdk.readCall(client).then(
        () => 'answered',
        (e: GatewayError) => e.kind,
      );
      const next = await env.relay.connection(conn.index + 1);
      expect(['answered', 'gateway']).toContain(await outcome);
      expect(conn.sent('up').some(isReq(sdk.readMethod))).toBe(false);
      const log = next.log;
      const helloAt = log.findIndex((f) => f.dir === 'down' && f.frame.type === 'res' && f.frame.ok === true);
      const callAt = log.findIndex((f) => f.dir === 'up' && isReq(sdk.readMethod)(f.frame));
      expect(log.find((f) => f.dir === 'up')?.frame.method).toBe('connect');
      expect(helloAt).toBeGreaterThan(0);
      expect(callAt).toBeGreaterThan(helloAt);
    });

    it('gating: with whileDisconnected "fail" a call fails at once and nothing is sent', async () => {
      const { client, conn } = track(await connected(sdk, env));
      const closed = nextEvent(client, 'closed');
      conn.kill();
      await closed;
      const error = await rejection(sdk.readCall(client, { whileDisconnected: 'fail' }));
      expect(error).toMatchObject({ kind: 'not-connected', code: 'NOT_CONNECTED', sent: false, retryable: true });
      await nextEvent(client, 'ready');
    });

    it('timeouts: a call without an answer fails locally as timeout and is cancelled on the wire', async () => {
      const { client, conn } = track(await connected(sdk, env));
      swallowAnswers(env, conn, sdk.readMethod);
      const error = await rejection(sdk.readCall(client, { timeoutMs: 300 }));
      expect(error).toMatchObject({ kind: 'timeout', code: 'TIMEOUT', sent: true, method: sdk.readMethod });
      const req = conn.sent('up').find(isReq(sdk.readMethod))!;
      await env.relay.waitForFrame('up', (f, c) => c === conn && f.type === 'cancel' && f.id === req.id);
    });

    it('cancellation: aborting sends a cancel frame and rejects as aborted', async () => {
      const { client, conn } = track(await connected(sdk, env));
      swallowAnswers(env, conn, sdk.readMethod);
      const controller = new AbortController();
      const call = rejection(sdk.readCall(client, { signal: controller.signal }));
      const { frame } = await env.relay.waitForFrame('up', (f, c) => c === conn && isReq(sdk.readMethod)(f));
      controller.abort();
      expect(await call).toMatchObject({ kind: 'aborted', code: 'ABORTED', sent: true });
      await env.relay.waitForFrame('up', (f, c) => c === conn && f.type === 'cancel' && f.id === frame.id);
      const early = await rejection(sdk.readCall(client, { signal: AbortSignal.abort() }));
      expect(early).toMatchObject({ kind: 'aborted', sent: false });
    });

    it('typed errors: gateway errors keep code, details.code and retryable', async () => {
      const { client } = track(await connected(sdk, env));
      const invalid = await rejection(sdk.invalidParamsCall(client));
      // Until the gateway implements the method, the dispatcher answers NOT_IMPLEMENTED before validating.
      const expected = client.hasMethod(sdk.invalidParamsMethod) ? ['INVALID_REQUEST', 'INVALID_PARAMS'] : ['UNAVAILABLE', 'NOT_IMPLEMENTED'];
      expect(invalid).toMatchObject({ kind: 'gateway', code: expected[0], detailCode: expected[1], retryable: false, sent: true });
      const forbidden = await rejection(sdk.forbiddenCall(client));
      expect(forbidden).toMatchObject({ kind: 'gateway', code: 'FORBIDDEN', detailCode: 'MISSING_SCOPE' });
      expect(forbidden.details).toMatchObject({ missingScope: 'operator.admin' });
    });

    it('pending calls fail at once when the socket closes, saying the request had been sent', async () => {
      const { client, conn } = track(await connected(sdk, env));
      swallowAnswers(env, conn, sdk.readMethod);
      const call = rejection(sdk.readCall(client, { timeoutMs: 120_000 }));
      await env.relay.waitForFrame('up', (f, c) => c === conn && isReq(sdk.readMethod)(f));
      conn.kill();
      expect(await call).toMatchObject({ kind: 'closed', code: 'CONNECTION_CLOSED', sent: true, retryable: false });
    });

    it('chat.send keeps one idempotencyKey across its own retry after a dropped connection', async () => {
      const { client, conn } = track(await connected(sdk, env));
      swallowAnswers(env, conn, 'chat.send');
      const call = sdk.keyedCall(client).then(
        () => 'answered',
        (e: GatewayError) => e.kind,
      );
      const first = await env.relay.waitForFrame('up', (f, c) => c === conn && isReq('chat.send')(f));
      conn.kill();
      const retry = await env.relay.waitForFrame('up', (f, c) => c.index > conn.index && isReq('chat.send')(f));
      expect(['answered', 'gateway']).toContain(await call);
      const key = (f: typeof first.frame) => (f.params as { idempotencyKey?: string }).idempotencyKey;
      expect(key(first.frame)).toMatch(/.{8,}/);
      expect(key(retry.frame)).toBe(key(first.frame));
    });

    it('pauses on a bad token, says why, and resumes with reconnectNow()', async () => {
      env.setCredential('wrong-token-for-this-gateway');
      const index = env.relay.connections.length + 1;
      const client = sdk.createClient(env);
      clients.push(client);
      const paused = nextEvent(client, 'paused');
      const refused = await rejection(client.connect());
      expect(refused.detailCode).toBe('AUTH_TOKEN_MISMATCH');
      expect((await paused).reason).toContain('AUTH_TOKEN_MISMATCH');
      expect(client.state).toBe('paused');
      const fast = await rejection(sdk.readCall(client));
      expect(fast).toMatchObject({ kind: 'not-connected', code: 'CONNECTION_PAUSED' });
      // Several backoff periods pass without a new attempt.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(env.relay.connections.length).toBe(index);
      env.setCredential(env.gateway.token);
      sdk.setAuth(client, env.gateway.token);
      const ready = nextEvent(client, 'ready');
      client.reconnectNow();
      expect((await ready).hello.type).toBe('hello-ok');
    });

    it('reconnects after a gateway restart, with backoff reported', async () => {
      const { client } = track(await connected(sdk, env));
      const attempts: ConnectionEvents['reconnecting'][] = [];
      client.on('reconnecting', (e) => attempts.push(e));
      const closed = nextEvent(client, 'closed');
      const ready = nextEvent(client, 'ready', 30_000);
      await env.restartGateway();
      expect((await closed).code).not.toBe(1000);
      expect((await ready).reconnected).toBe(true);
      expect(attempts.length).toBeGreaterThan(0);
      expect(attempts[0]!.attempt).toBe(1);
      expect(attempts[0]!.delayMs).toBeGreaterThan(0);
      await expect(sdk.readCall(client).catch((e: GatewayError) => e.kind)).resolves.toBeDefined();
    }, 40_000);
  });

  describe(`${sdk.name} conformance with a fast tick`, () => {
    let env: ConformanceEnv;
    const clients: C[] = [];
    beforeAll(async () => {
      env = await sdk.startEnv(testConfig({ tickIntervalMs: 400 }));
    }, 30_000);
    afterAll(async () => {
      for (const c of clients) c.close();
      await env?.close();
    });

    it('detects a gap in the event sequence', async () => {
      const index = env.relay.connections.length + 1;
      env.relay.drop('down', (f, c) => c.index === index && f.type === 'event' && f.seq === 2);
      const client = sdk.createClient(env);
      clients.push(client);
      const gap = nextEvent(client, 'gap');
      await client.connect();
      expect(await gap).toMatchObject({ expected: 2, received: 3 });
    });

    it('the tick watchdog closes a silent socket with 4000 and reconnects', async () => {
      const { client, conn } = await connected(sdk, env);
      clients.push(client);
      const closed = nextEvent(client, 'closed');
      const ready = nextEvent(client, 'ready');
      conn.freeze();
      expect(await closed).toMatchObject({ code: 4000, reason: 'tick timeout' });
      expect((await ready).reconnected).toBe(true);
    });
  });

  describe(`${sdk.name} streaming helper`, () => {
    let env: ConformanceEnv;
    let client: C;
    beforeAll(async () => {
      env = await sdk.startEnv();
      client = sdk.createClient(env);
      await client.connect();
    }, 30_000);
    afterAll(async () => {
      client?.close();
      await env?.close();
    });

    it('chat.stream yields deltas and ends with the final message', async (ctx) => {
      // Needs a gateway that runs chat (the offline provider answers without configuration).
      if (!client.hasMethod('chat.send')) ctx.skip();
      const items = [];
      for await (const item of sdk.stream(client, { sessionKey: 'agent:main:stream-test', message: 'Say hello.' })) items.push(item);
      const last = items.at(-1)!;
      expect(last.state).toBe('final');
      expect(items.slice(0, -1).every((i) => i.state === 'delta')).toBe(true);
      expect(last.message?.role).toBe('assistant');
    }, 60_000);

    it('chat.stream still ends with the final message when the connection drops mid-run', async (ctx) => {
      if (!client.hasMethod('chat.send')) ctx.skip();
      const { client: dropped, conn } = await connected(sdk, env);
      try {
        // None of this run's events reach the client on the first socket: they are lost with it.
        env.relay.drop('down', (f, c) => c === conn && f.type === 'event' && f.event === 'chat');
        const stream = sdk.stream(dropped, { sessionKey: 'agent:main:stream-drop', message: 'Say hello.' });
        const items = (async () => {
          const out = [];
          for await (const item of stream) out.push(item);
          return out;
        })();
        const sent = await env.relay.waitForFrame('up', (f, c) => c === conn && isReq('chat.send')(f));
        await env.relay.waitForFrame('down', (f, c) => c === conn && f.type === 'res' && f.id === sent.frame.id);
        conn.kill();
        const last = (await items).at(-1)!;
        expect(last.state).toBe('final');
        expect(last.message?.role).toBe('assistant');
        const again = await env.relay.waitForFrame('up', (f, c) => c.index > conn.index && isReq('chat.send')(f));
        expect((again.frame.params as { idempotencyKey: string }).idempotencyKey).toBe(stream.runId);
      } finally {
        dropped.close();
      }
    }, 60_000);
  });
}
