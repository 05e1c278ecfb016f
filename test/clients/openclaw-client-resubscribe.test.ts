// OpenClawClient keeps its session subscriptions across a gateway restart: what the gateway accepted
// is re-issued on the new socket (before calls queued meanwhile), what was unsubscribed is not, and a
// failed re-subscribe reaches the `error` listeners. Real gateway process, restarted on its port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenClawClient } from '../../clients/openclaw-client.js';
import type { GatewayError } from '../../clients/runtime/gateway-error.js';
import type { GatewayEvents } from '../../generated/clients/method-map.js';
import { call, openReady } from '../helpers/raw-socket.js';
import { nextEvent } from './conformance.case.js';
import type { RelayedConnection, RelayedFrame } from './frame-relay.js';
import { openClawSdk, type ConformanceEnv } from './sdk-targets.js';

type SessionMessage = GatewayEvents['session.message'];

let env: ConformanceEnv;
const clients: OpenClawClient[] = [];
const newClient = (options: { timeoutMs?: number } = {}): OpenClawClient => {
  const client = openClawSdk.createClient(env, options);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  env = await openClawSdk.startEnv();
}, 30_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await env?.close();
});

/** Appends an assistant message to a session through an admin socket of the current gateway. */
async function inject(key: string, message: string): Promise<string> {
  const { socket } = await openReady(env.gateway.url, env.gateway.token);
  try {
    const patched = await call(socket, 'sessions.patch', { key });
    if (!patched.ok) throw new Error(`sessions.patch failed: ${JSON.stringify(patched.error)}`);
    const res = await call(socket, 'chat.inject', { sessionKey: key, message });
    if (!res.ok) throw new Error(`chat.inject failed: ${JSON.stringify(res.error)}`);
    return res.payload.messageId as string;
  } finally {
    socket.close();
  }
}

/** Every session.message the client gets, from now on; `waitFor` looks at the past first. */
function messageLog(client: OpenClawClient): { waitFor(messageId: string, timeoutMs?: number): Promise<SessionMessage> } {
  const seen: SessionMessage[] = [];
  const waiters = new Set<(m: SessionMessage) => void>();
  client.on('session.message', (payload) => {
    seen.push(payload);
    for (const w of [...waiters]) w(payload);
  });
  return {
    waitFor: (messageId, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const hit = seen.find((m) => m.messageId === messageId);
        if (hit) return resolve(hit);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no session.message ${messageId} within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (m: SessionMessage): void => {
          if (m.messageId !== messageId) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(m);
        };
        waiters.add(waiter);
      }),
  };
}

/** Restarts the gateway; resolves with the relay connection the client is ready on afterwards. */
async function restart(client: OpenClawClient, whileDown: () => void = () => {}): Promise<RelayedConnection> {
  const before = env.relay.connections.length;
  const closed = nextEvent(client, 'closed');
  const ready = nextEvent(client, 'ready', 30_000);
  const restarted = env.restartGateway();
  await closed;
  // The old gateway is stopping and the new one not started: the client cannot be ready yet.
  whileDown();
  await restarted;
  expect((await ready).reconnected).toBe(true);
  const isHelloOk = (f: RelayedFrame['frame']): boolean => f.type === 'res' && f.ok === true && (f.payload as { type?: string } | undefined)?.type === 'hello-ok';
  return (await env.relay.waitForFrame('down', (f, c) => c.index > before && isHelloOk(f))).connection;
}

const requests = (conn: RelayedConnection): { method: string | undefined; params: unknown }[] =>
  conn.sent('up').filter((f) => f.type === 'req').map((f) => ({ method: f.method, params: f.params }));

describe('OpenClawClient subscriptions across a gateway restart', () => {
  it('session.message flows again after a restart without the app subscribing again', async () => {
    const client = newClient();
    const messages = messageLog(client);
    await client.connect();
    expect(await client.sessions.messages.subscribe({ key: 'main' })).toEqual({ subscribed: true, key: 'agent:main:main' });
    const firstId = await inject('main', 'before restart');
    expect((await messages.waitFor(firstId)).message.content).toEqual([{ type: 'text', text: 'before restart' }]);

    let queued: Promise<unknown> | undefined;
    const conn = await restart(client, () => (queued = client.health({})));
    await queued;
    // On the new socket: the handshake, the re-subscribe, then the call queued while the gateway was down.
    expect(requests(conn).map((r) => r.method)).toEqual(['connect', 'sessions.messages.subscribe', 'health']);
    expect(requests(conn)[1]!.params).toEqual({ key: 'agent:main:main' });

    const afterId = await inject('agent:main:main', 'after restart');
    const after = await messages.waitFor(afterId);
    expect(after).toMatchObject({ sessionKey: 'agent:main:main', messageSeq: 1, message: { role: 'assistant', content: [{ type: 'text', text: 'after restart' }] } });
    expect(client.subscriptions).toEqual([{ method: 'sessions.messages.subscribe', params: { key: 'agent:main:main' } }]);
    client.close();
  }, 60_000);

  it('re-issues sessions.subscribe too, and forgets what was unsubscribed under either key form', async () => {
    const client = newClient();
    const messages = messageLog(client);
    await client.connect();
    await client.sessions.messages.subscribe({ key: 'main' });
    await client.sessions.messages.subscribe({ key: 'agent:main:other' });
    await client.sessions.subscribe();
    expect(await client.sessions.messages.unsubscribe({ key: 'agent:main:main' })).toEqual({ subscribed: false, key: 'agent:main:main' });
    expect(client.subscriptions.map((s) => s.method)).toEqual(['sessions.messages.subscribe', 'sessions.subscribe']);

    const conn = await restart(client);
    await client.health({});
    expect(requests(conn).filter((r) => r.method !== 'connect' && r.method !== 'health')).toEqual([
      { method: 'sessions.messages.subscribe', params: { key: 'agent:main:other' } },
      { method: 'sessions.subscribe', params: {} },
    ]);
    // The all-sessions subscription is live again: a session it never named reaches the client.
    const id = await inject('agent:main:elsewhere', 'to everyone');
    expect((await messages.waitFor(id)).sessionKey).toBe('agent:main:elsewhere');

    await client.sessions.unsubscribe();
    await client.sessions.messages.unsubscribe({ key: 'agent:main:other' });
    expect(client.subscriptions).toEqual([]);
    client.close();
  }, 60_000);

  it('a re-subscribe that fails is reported to the error listeners and kept for the next reconnect', async () => {
    const client = newClient({ timeoutMs: 1_500 });
    await client.connect();
    await client.sessions.messages.subscribe({ key: 'agent:main:lost' });
    const errors: { error: unknown; source: string }[] = [];
    client.on('error', (e) => errors.push(e));
    const reported = nextEvent(client, 'error', 20_000);
    const before = env.relay.connections.length;
    // On the sockets after the restart, the gateway's answers to the re-subscribe never arrive.
    env.relay.drop('down', (f, c) => c.index > before && f.type === 'res' && c.log.some((x) => x.dir === 'up' && x.frame.id === f.id && x.frame.method === 'sessions.messages.subscribe'));
    await restart(client);
    const { error, source } = await reported;
    expect(source).toBe('resubscribe:sessions.messages.subscribe');
    expect((error as GatewayError).kind).toBe('timeout');
    expect(errors).toHaveLength(1);
    expect(client.subscriptions).toEqual([{ method: 'sessions.messages.subscribe', params: { key: 'agent:main:lost' } }]);
  }, 60_000);
});
