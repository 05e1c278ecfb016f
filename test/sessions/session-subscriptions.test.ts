// sessions.subscribe / unsubscribe, sessions.messages.subscribe / unsubscribe and the session.message
// event: only subscribers get it, unsubscribing stops it, a closed connection's state is dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_SUBSCRIPTIONS } from '../../server/sessions/session-subscriptions.js';
import { chatTurn, textOf, uniqueKey } from '../chat/chat-kit.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, callOk, openReady, type Frame, type RawSocket } from '../helpers/raw-socket.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let admin: RawSocket;
const opened: RawSocket[] = [];

const open = async (scopes: string[] = ['operator.read']): Promise<RawSocket> => {
  const { socket } = await openReady(gw.url, gw.token, { scopes });
  opened.push(socket);
  return socket;
};
const ok = callOk;
/** A session with an (empty) transcript, so chat.inject can write to it. */
const newSession = async (prefix: string): Promise<string> => {
  const key = `agent:main:${uniqueKey(prefix)}`;
  await ok(admin, 'sessions.patch', { key });
  return key;
};
const inject = async (key: string, message: string): Promise<string> => (await ok(admin, 'chat.inject', { sessionKey: key, message })).messageId as string;
const messageEvent = (key: string, messageId?: string) => (f: Frame) =>
  f.event === 'session.message' && f.payload.sessionKey === key && (messageId === undefined || f.payload.messageId === messageId);
/**
 * Events written to a socket before a response to it are read before that response, so once a call
 * made after the publish has answered, anything published to this socket is already in `frames`.
 */
const settled = async (socket: RawSocket): Promise<Frame[]> => {
  await ok(socket, 'health', {});
  return socket.frames.filter((f) => f.event === 'session.message');
};

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
  admin = await open(['operator.admin']);
});
afterAll(async () => {
  for (const s of opened) s.close();
  await gw?.stop();
  await upstream?.close();
});

describe('sessions.subscribe and sessions.messages.subscribe', () => {
  it('answer {subscribed} and the canonical key; need operator.read; reject bad params', async () => {
    const reader = await open();
    expect(await ok(reader, 'sessions.subscribe', {})).toEqual({ subscribed: true });
    expect(await ok(reader, 'sessions.unsubscribe', {})).toEqual({ subscribed: false });
    expect(await ok(reader, 'sessions.messages.subscribe', { key: 'main' })).toEqual({ subscribed: true, key: 'agent:main:main' });
    expect(await ok(reader, 'sessions.messages.subscribe', { key: 'agent:MAIN:work' })).toEqual({ subscribed: true, key: 'agent:main:work' });
    expect(await ok(reader, 'sessions.messages.unsubscribe', { key: 'agent:main:main' })).toEqual({ subscribed: false, key: 'agent:main:main' });

    const missingKey = await call(reader, 'sessions.messages.subscribe', {});
    expect(missingKey.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'INVALID_PARAMS' } });
    const extra = await call(reader, 'sessions.subscribe', { key: 'main' });
    expect(extra.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'INVALID_PARAMS' } });

    const approvals = await open(['operator.approvals']);
    const forbidden = await call(approvals, 'sessions.messages.subscribe', { key: 'main' });
    expect(forbidden.error?.details?.code).toBe('MISSING_SCOPE');
  });

  it('session.message reaches the per-session and all-session subscribers only', async () => {
    const key = await newSession('sub');
    const other = await newSession('other');
    const perKey = await open();
    const everything = await open();
    const otherKey = await open();
    const none = await open();
    await ok(perKey, 'sessions.messages.subscribe', { key });
    await ok(everything, 'sessions.subscribe', {});
    await ok(otherKey, 'sessions.messages.subscribe', { key: other });

    const messageId = await inject(key, 'hello subscribers');
    const got = await perKey.waitFor(messageEvent(key, messageId));
    expect(got.payload).toMatchObject({
      sessionKey: key,
      messageId,
      messageSeq: 1,
      message: { role: 'assistant', content: [{ type: 'text', text: 'hello subscribers' }], id: messageId },
      session: { key, kind: 'direct' },
    });
    expect(typeof got.payload.ts).toBe('number');
    const all = await everything.waitFor(messageEvent(key, messageId));
    expect(all.payload.message.content[0].text).toBe('hello subscribers');

    expect((await settled(otherKey)).filter((f) => f.payload.sessionKey === key)).toEqual([]);
    expect(await settled(none)).toEqual([]);
    // sessions.changed is still broadcast to every reader, subscribed or not.
    await none.waitFor((f) => f.event === 'sessions.changed' && f.payload.sessionKey === key && f.payload.reason === 'inject');

    const second = await inject(key, 'again');
    expect((await perKey.waitFor(messageEvent(key, second))).payload.messageSeq).toBe(2);
    const onOther = await inject(other, 'elsewhere');
    await otherKey.waitFor(messageEvent(other, onOther));
    await everything.waitFor(messageEvent(other, onOther));
    expect((await settled(perKey)).filter((f) => f.payload.sessionKey === other)).toEqual([]);
  });

  it('a chat turn announces the user message and the assistant reply, in order', async () => {
    const key = `agent:main:${uniqueKey('turn')}`;
    const watcher = await open();
    await ok(watcher, 'sessions.messages.subscribe', { key });
    upstream.enqueue({ text: 'the answer' });
    await chatTurn(admin, key, 'the question');
    const user = await watcher.waitFor(messageEvent(key));
    const reply = await watcher.waitFor(messageEvent(key));
    expect(user.payload.message.role).toBe('user');
    expect(textOf(user)).toBe('the question');
    expect(reply.payload.message.role).toBe('assistant');
    expect(textOf(reply)).toBe('the answer');
    expect([user.payload.messageSeq, reply.payload.messageSeq]).toEqual([1, 2]);
    expect(user.seq!).toBeLessThan(reply.seq!);
  });

  it('unsubscribing stops the events; sessions.unsubscribe keeps per-session subscriptions', async () => {
    const key = await newSession('unsub');
    const socket = await open();
    await ok(socket, 'sessions.messages.subscribe', { key });
    await ok(socket, 'sessions.subscribe', {});
    const first = await inject(key, 'one');
    await socket.waitFor(messageEvent(key, first));
    expect((await settled(socket)).filter((f) => f.payload.messageId === first)).toEqual([]); // delivered once, not twice

    await ok(socket, 'sessions.unsubscribe', {});
    const second = await inject(key, 'two');
    await socket.waitFor(messageEvent(key, second));

    // The key is canonicalised on unsubscribe too.
    expect(await ok(socket, 'sessions.messages.unsubscribe', { key: key.replace('agent:main:', 'agent:MAIN:') })).toEqual({ subscribed: false, key });
    await inject(key, 'three');
    expect(await settled(socket)).toEqual([]);
  });

  it('forgets a connection when it closes, and when it unsubscribes from everything', async () => {
    const registry = gw.gateway!.services.agents.subscriptions;
    const before = registry.connectionCount;
    const socket = await open();
    await ok(socket, 'sessions.subscribe', {});
    await ok(socket, 'sessions.messages.subscribe', { key: 'main' });
    expect(registry.connectionCount).toBe(before + 1);
    await ok(socket, 'sessions.unsubscribe', {});
    expect(registry.connectionCount).toBe(before + 1);
    await ok(socket, 'sessions.messages.unsubscribe', { key: 'main' });
    expect(registry.connectionCount).toBe(before);

    const key = await newSession('closing');
    const leaving = await open();
    await ok(leaving, 'sessions.messages.subscribe', { key });
    await ok(leaving, 'sessions.subscribe', {});
    expect(registry.connectionCount).toBe(before + 1);
    leaving.close();
    await leaving.closed;
    await expect.poll(() => registry.connectionCount, { timeout: 5000 }).toBe(before);
    // Only all-session subscribers of earlier tests are left for this key.
    expect(registry.recipients(key).size).toBe(registry.recipients('agent:main:followed-by-nobody').size);
    // Publishing to the session afterwards finds nobody and breaks nothing.
    await inject(key, 'after close');
  });

  it(`allows ${MAX_MESSAGE_SUBSCRIPTIONS} session subscriptions per connection, then answers INVALID_REQUEST`, async () => {
    const socket = await open();
    const keys = Array.from({ length: MAX_MESSAGE_SUBSCRIPTIONS }, (_, i) => `agent:main:limit-${i}`);
    const answers = await Promise.all(keys.map((key) => call(socket, 'sessions.messages.subscribe', { key })));
    expect(answers.every((a) => a.ok)).toBe(true);
    const over = await call(socket, 'sessions.messages.subscribe', { key: 'agent:main:limit-over' });
    expect(over.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'SUBSCRIPTION_LIMIT', limit: MAX_MESSAGE_SUBSCRIPTIONS } });
    expect(over.error!.message).toContain(String(MAX_MESSAGE_SUBSCRIPTIONS));
    // Subscribing again to a key it already follows is not a new subscription.
    expect((await call(socket, 'sessions.messages.subscribe', { key: keys[0] })).ok).toBe(true);
    await ok(socket, 'sessions.messages.unsubscribe', { key: keys[0] });
    expect((await call(socket, 'sessions.messages.subscribe', { key: 'agent:main:limit-over' })).ok).toBe(true);
    // Another connection has its own budget.
    const fresh = await open();
    expect((await call(fresh, 'sessions.messages.subscribe', { key: 'agent:main:limit-over' })).ok).toBe(true);
  });
});
