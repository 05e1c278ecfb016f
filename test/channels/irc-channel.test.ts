// The IRC channel end to end against a real IRC server (ngircd on a loopback port): the test's own
// IRC client talks to the agent in a DM and in a channel (with and without a mention), an unknown
// sender is paired by an operator over WS, replies come from the fake OpenAI server, and `send`
// and the `message` tool deliver through the same account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { IrcTestClient } from '../helpers/irc-test-client.js';
import { startNgircd, type NgircdServer } from '../helpers/ngircd-server.js';
import { call, callOk, openReady, type RawSocket } from '../helpers/raw-socket.js';

let irc: NgircdServer;
let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let ws: RawSocket;
let alice: IrcTestClient;

const ALICE = 'alice!~alice@127.0.0.1';
const lastUser = (n: number): string => {
  const messages = upstream.requests[n - 1]?.body.messages ?? [];
  const user = [...messages].reverse().find((m) => m.role === 'user');
  return typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content);
};
/** Polls (outside a test too, for beforeAll) until the check holds. */
async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
const account = async (): Promise<Record<string, any>> => (await callOk(ws, 'channels.status', {})).channelAccounts.irc[0];

beforeAll(async () => {
  irc = await startNgircd();
  upstream = await startFakeOpenAi();
  upstream.setDefault((req) => {
    const messages = req.body.messages ?? [];
    const user = [...messages].reverse().find((m) => m.role === 'user');
    return { text: `reply to: ${typeof user?.content === 'string' ? user.content : ''}` };
  });
  alice = await IrcTestClient.connect(irc.port, 'alice');
  await alice.join('#test');
  gw = await startInProcess({
    ...TEST_CONFIG,
    ...fakeProviderConfig(upstream.baseUrl),
    channels: {
      irc: {
        host: '127.0.0.1',
        port: irc.port,
        tls: false,
        nick: 'clawbot',
        channels: ['#test'],
        dmPolicy: 'pairing',
        allowFrom: [ALICE],
        groupPolicy: 'allowlist',
        groups: { '#test': { requireMention: true } },
        groupAllowFrom: [ALICE],
      },
    },
  });
  ws = (await openReady(gw.url, gw.token, { scopes: ['operator.admin', 'operator.read', 'operator.write', 'operator.pairing'] })).socket;
  await until(async () => (await account()).connected === true);
  // The bot has joined #test once alice sees its JOIN.
  await alice.waitFor((l) => l.command === 'JOIN' && l.prefix.startsWith('clawbot!'));
}, 60_000);

afterAll(async () => {
  ws?.close();
  alice?.close();
  await gw?.stop();
  await upstream?.close();
  await irc?.close();
});

describe('IRC channel (real ngircd)', () => {
  it('answers a DM from an allowed sender with the model reply, on a per-peer session', async () => {
    const before = upstream.requests.length;
    alice.privmsg('clawbot', 'hello bot');
    const reply = await alice.message('clawbot');
    expect(reply.params[1]).toBe('reply to: hello bot');
    expect(upstream.requests.length).toBe(before + 1);
    const sessions = await callOk(ws, 'sessions.list', {});
    expect(sessions.sessions.map((s: { key: string }) => s.key)).toContain('agent:main:irc:direct:alice');
    const status = await account();
    expect(status.lastInboundAt).toBeGreaterThan(0);
    expect(status.lastOutboundAt).toBeGreaterThan(0);
  });

  it('in a channel, answers only when mentioned, and to the channel', async () => {
    const before = upstream.requests.length;
    alice.privmsg('#test', 'just chatting among humans');
    alice.privmsg('#test', 'clawbot: what is up?');
    const reply = await alice.message('clawbot', '#test');
    expect(reply.params[1]).toBe('reply to: [alice] what is up?');
    // The unmentioned line never reached the model: exactly one request, and it was the mention.
    expect(upstream.requests.length).toBe(before + 1);
    expect(lastUser(before + 1)).toBe('[alice] what is up?');
  });

  it('splits a long reply into lines that fit IRC', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    upstream.enqueue({ text: `${long}\nsecond line` });
    alice.privmsg('clawbot', 'give me a long answer');
    const parts: string[] = [];
    for (;;) {
      const line = await alice.message('clawbot');
      parts.push(line.params[1]!);
      expect(Buffer.byteLength(line.raw) + 2).toBeLessThanOrEqual(512);
      if (line.params[1] === 'second line') break;
    }
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.slice(0, -1).join(' ')).toBe(long);
  });

  it('pairs an unknown sender: a code, nothing to the model, then an operator approves it over WS', async () => {
    const bob = await IrcTestClient.connect(irc.port, 'bob');
    try {
      const before = upstream.requests.length;
      bob.privmsg('clawbot', 'let me in');
      const notice = await bob.message('clawbot');
      const code = /pairing code is ([A-Z2-9]{8})/.exec(notice.params[1] ?? '')?.[1];
      expect(code).toBeDefined();
      const requested = await ws.waitFor((f) => f.event === 'channel.pairing.requested');
      expect(requested.payload).toMatchObject({ channel: 'irc', accountId: 'default', request: { id: 'bob!~bob@127.0.0.1', code } });
      bob.privmsg('clawbot', 'still waiting');
      const listed = await callOk(ws, 'channel.pairing.list', { channel: 'irc' });
      expect(listed.channels[0].requests).toHaveLength(1);
      expect(upstream.requests.length).toBe(before);

      const wrong = await call(ws, 'channel.pairing.approve', { channel: 'irc', code: 'AAAAAAAA' });
      expect(wrong.error).toMatchObject({ code: 'NOT_FOUND', details: { code: 'PAIRING_CODE_NOT_FOUND' } });
      const approved = await callOk(ws, 'channel.pairing.approve', { channel: 'irc', code });
      expect(approved).toMatchObject({ ok: true, channel: 'irc', accountId: 'default', id: 'bob!~bob@127.0.0.1', notified: true });
      expect((await bob.message('clawbot')).params[1]).toMatch(/approved/);
      expect((await account()).allowFrom).toContain('bob!~bob@127.0.0.1');

      bob.privmsg('clawbot', 'now?');
      expect((await bob.message('clawbot')).params[1]).toBe('reply to: now?');
      expect(upstream.requests.length).toBe(before + 1);
    } finally {
      bob.close();
    }
  });

  it('send delivers through the account; same idempotencyKey, one message; webchat is internal-only', async () => {
    const params = { channel: 'irc', to: 'alice', message: 'announcement', idempotencyKey: 'send-1' };
    const first = await callOk(ws, 'send', params);
    expect(first).toMatchObject({ runId: 'send-1', channel: 'irc', accountId: 'default', to: 'alice' });
    expect((await alice.message('clawbot')).params[1]).toBe('announcement');
    const again = await callOk(ws, 'send', params);
    expect(again.messageId).toBe(first.messageId);
    const webchat = await call(ws, 'send', { channel: 'webchat', to: 'x', message: 'y', idempotencyKey: 'send-2' });
    expect(webchat.error?.details?.code).toBe('CHANNEL_INTERNAL_ONLY');
    const empty = await call(ws, 'send', { to: 'alice', message: '  ', idempotencyKey: 'send-3' });
    expect(empty.error?.details?.code).toBe('MESSAGE_REQUIRED');
    const bad = await call(ws, 'send', { to: 'two words', message: 'x', idempotencyKey: 'send-4' });
    expect(bad.error?.details?.code).toBe('CHANNEL_TARGET_INVALID');
    // Several at once (cron announces in parallel): each arrives once.
    await Promise.all(['p1', 'p2', 'p3'].map((k) => callOk(ws, 'send', { to: '#test', message: `parallel ${k}`, idempotencyKey: k })));
    const got = new Set<string>();
    for (let i = 0; i < 3; i++) got.add((await alice.message('clawbot', '#test')).params[1]!);
    expect(got).toEqual(new Set(['parallel p1', 'parallel p2', 'parallel p3']));
  });

  it('the agent message tool sends on the same path', async () => {
    upstream.enqueue({ toolCalls: [{ name: 'message', arguments: { to: '#test', message: 'tool says hi' } }] }, { text: 'done' });
    alice.privmsg('clawbot', 'post something in the channel');
    expect((await alice.message('clawbot', '#test')).params[1]).toBe('tool says hi');
    expect((await alice.message('clawbot')).params[1]).toBe('done');
  });

  it('reports the account in channels.status, health and status; webchat counts its clients', async () => {
    const status = await callOk(ws, 'channels.status', {});
    expect(status.channelOrder).toEqual(['webchat', 'irc']);
    expect(status.channelDefaultAccountId.irc).toBe('default');
    expect(status.channelAccounts.irc[0]).toMatchObject({ accountId: 'default', configured: true, running: true, connected: true, healthState: 'connected', dmPolicy: 'pairing', nick: 'clawbot' });
    expect(status.channelAccounts.webchat[0]).toMatchObject({ accountId: 'default', running: true, connections: 0 });
    const probed = await callOk(ws, 'channels.status', { probe: true, channel: 'irc' });
    expect(probed.channelAccounts.irc[0].probe).toMatchObject({ ok: true });
    const health = await callOk(ws, 'health', { probe: true });
    expect(health.channels.irc).toMatchObject({ configured: true, connected: true });
    const summary = await callOk(ws, 'status', {});
    const ircLine = summary.channels.find((c: { id: string }) => c.id === 'irc');
    expect(ircLine.accounts[0]).toMatchObject({ accountId: 'default', connected: true });
    expect(JSON.stringify(status)).not.toMatch(/password/i);
    const browser = (await openReady(gw.url, gw.token, { client: { id: 'test', version: '1.0.0', platform: 'web', mode: 'webchat' }, scopes: ['operator.read', 'operator.write'] })).socket;
    try {
      const webchat = (await callOk(ws, 'channels.status', { channel: 'webchat' })).channelAccounts.webchat[0];
      expect(webchat).toMatchObject({ connected: true, healthState: 'connected', connections: 1 });
    } finally {
      browser.close();
    }
  });

  it('reconnects when the server restarts mid-session and says so in status', async () => {
    alice.close();
    await irc.stop();
    await expect.poll(async () => (await account()).connected, { timeout: 20_000 }).toBe(false);
    const down = await account();
    expect(down.lastError).toBeTruthy();
    expect(down.running).toBe(true);
    await irc.start();
    await expect.poll(async () => (await account()).healthState, { timeout: 30_000 }).toBe('connected');
    const up = await account();
    expect(up.restarts).toBeGreaterThanOrEqual(1);
    expect(up.reconnectAttempts).toBe(0);
    expect(up.lastDisconnect.reason).toBeTruthy();
    alice = await IrcTestClient.connect(irc.port, 'alice');
    alice.privmsg('clawbot', 'are you back?');
    expect((await alice.message('clawbot')).params[1]).toBe('reply to: are you back?');
  }, 60_000);
});
