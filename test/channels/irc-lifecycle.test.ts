// IRC account lifecycle against real ngircd servers: a refused login stops for good and says
// why, nick collisions fall back and NickServ is identified, config reloads start, reconnect and
// stop accounts without ever opening a second connection, and logout forgets the credentials.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { IrcTestClient } from '../helpers/irc-test-client.js';
import { startNgircd, type NgircdServer } from '../helpers/ngircd-server.js';
import { call, callOk, openReady, type RawSocket } from '../helpers/raw-socket.js';

let open: NgircdServer;
let locked: NgircdServer;
const running: RunningGateway[] = [];
const sockets: RawSocket[] = [];

beforeAll(async () => {
  [open, locked] = await Promise.all([startNgircd(), startNgircd({ password: 'letmein' })]);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const g of running) await g.stop();
  await Promise.all([open?.close(), locked?.close()]);
});

async function gateway(irc: Record<string, unknown>): Promise<{ gw: RunningGateway; ws: RawSocket }> {
  const gw = await startInProcess({ ...TEST_CONFIG, channels: { irc } });
  running.push(gw);
  const ws = (await openReady(gw.url, gw.token)).socket;
  sockets.push(ws);
  return { gw, ws };
}

const accounts = async (ws: RawSocket): Promise<Record<string, any>[]> => (await callOk(ws, 'channels.status', { channel: 'irc' })).channelAccounts.irc;

/** Users on the server whose nick starts with `prefix` (LUSERS would count everyone). */
async function usersLike(client: IrcTestClient, prefix: string): Promise<string[]> {
  client.raw(`WHO ${prefix}*`);
  const nicks: string[] = [];
  for (;;) {
    const line = await client.waitFor((l) => l.command === '352' || l.command === '315');
    if (line.command === '315') return nicks.sort();
    nicks.push(line.params[5]!);
  }
}

describe('IRC account lifecycle (real ngircd)', () => {
  it('a refused server password stops the account without retrying, and status says why', { timeout: 60_000 }, async () => {
    const { ws } = await gateway({ host: '127.0.0.1', port: locked.port, tls: false, nick: 'lockedbot', password: 'wrong' });
    await expect.poll(async () => (await accounts(ws))[0]!.healthState, { timeout: 20_000 }).toBe('failed');
    const [account] = await accounts(ws);
    expect(account).toMatchObject({ running: false, connected: false, restarts: 0, reconnectAttempts: 0 });
    expect(account!.lastError).toMatch(/password/i);
    expect(account!.lastError).toMatch(/not retrying/);
    const health = await callOk(ws, 'health', { probe: true });
    expect(health.channels.irc.lastError).toMatch(/password/i);
    // The right password (a config reload) brings it up.
    const snapshot = await callOk(ws, 'config.get', {});
    await callOk(ws, 'config.patch', { raw: JSON.stringify({ channels: { irc: { password: 'letmein' } } }), baseHash: snapshot.hash });
    await expect.poll(async () => (await accounts(ws))[0]!.healthState, { timeout: 20_000 }).toBe('connected');
  });

  it('falls back on a taken nick, identifies to NickServ, and joins its channels', { timeout: 60_000 }, async () => {
    const nickserv = await IrcTestClient.connect(open.port, 'NickServ');
    const squatter = await IrcTestClient.connect(open.port, 'nickbot');
    try {
      const { ws } = await gateway({ host: '127.0.0.1', port: open.port, tls: false, nick: 'nickbot', channels: ['#lobby'], nickserv: { password: 'ns-secret' } });
      const identify = await nickserv.waitFor((l) => l.command === 'PRIVMSG' && l.params[0] === 'NickServ');
      expect(identify.params[1]).toBe('IDENTIFY ns-secret');
      expect(identify.prefix.startsWith('nickbot_!')).toBe(true);
      await expect.poll(async () => (await accounts(ws))[0]!.currentNick, { timeout: 20_000 }).toBe('nickbot_');
      await squatter.join('#lobby');
      squatter.raw('NAMES #lobby');
      const names = await squatter.waitFor((l) => l.command === '353');
      expect(names.params[3]).toContain('nickbot_');
    } finally {
      nickserv.close();
      squatter.close();
    }
  });

  it('follows config reloads: a new account starts, a changed one reconnects once, a removed one stops; never two connections', { timeout: 90_000 }, async () => {
    const watcher = await IrcTestClient.connect(open.port, 'watcher');
    try {
      const { gw, ws } = await gateway({ host: '127.0.0.1', port: open.port, tls: false, nick: 'relbot' });
      await expect.poll(() => usersLike(watcher, 'relbot'), { timeout: 20_000 }).toEqual(['relbot']);
      const patch = async (value: unknown): Promise<void> => {
        const { hash } = await callOk(ws, 'config.get', {});
        await callOk(ws, 'config.patch', { raw: JSON.stringify(value), baseHash: hash });
      };
      await patch({ channels: { irc: { accounts: { second: { nick: 'relbot2' } } } } });
      await expect.poll(async () => (await accounts(ws)).map((a) => `${a.accountId}:${a.healthState}`), { timeout: 20_000 }).toEqual(['default:connected', 'second:connected']);
      // Access settings apply without a reconnect; a nick change reconnects that account only.
      await patch({ channels: { irc: { dmPolicy: 'allowlist' } } });
      await patch({ channels: { irc: { accounts: { second: { nick: 'relbot3' } } } } });
      await expect.poll(() => usersLike(watcher, 'relbot'), { timeout: 20_000 }).toEqual(['relbot', 'relbot3']);
      const [first] = await accounts(ws);
      expect(first).toMatchObject({ dmPolicy: 'allowlist', restarts: 0 });
      // channels.start on a running account opens no second connection.
      await callOk(ws, 'channels.start', { channel: 'irc', accountId: 'default' });
      await callOk(ws, 'channels.start', { channel: 'irc' });
      expect(await usersLike(watcher, 'relbot')).toEqual(['relbot', 'relbot3']);
      await patch({ channels: { irc: { accounts: null } } });
      await expect.poll(() => usersLike(watcher, 'relbot'), { timeout: 20_000 }).toEqual(['relbot']);
      expect((await accounts(ws)).map((a) => a.accountId)).toEqual(['default']);
      void gw;
    } finally {
      watcher.close();
    }
  });

  it('channels.stop holds an account, channels.start resumes it; logout forgets the credentials and stays stopped', { timeout: 60_000 }, async () => {
    const { gw, ws } = await gateway({ host: '127.0.0.1', port: locked.port, tls: false, nick: 'outbot', password: 'letmein', nickserv: { password: 'ns' } });
    await expect.poll(async () => (await accounts(ws))[0]!.healthState, { timeout: 20_000 }).toBe('connected');
    const event = ws.waitFor((f) => f.event === 'channel.status' && f.payload.channel === 'irc' && f.payload.account.healthState === 'stopped');
    const stopped = await callOk(ws, 'channels.stop', { channel: 'irc' });
    expect((await event).payload).toMatchObject({ accountId: 'default', account: { running: false, connected: false } });
    expect(stopped.account).toMatchObject({ running: false, connected: false, healthState: 'stopped' });
    expect(stopped.account.lastError).toMatch(/channels\.start/);
    await callOk(ws, 'channels.start', { channel: 'irc' });
    await expect.poll(async () => (await accounts(ws))[0]!.healthState, { timeout: 20_000 }).toBe('connected');

    const denied = await call(ws, 'channels.logout', { channel: 'irc', accountId: 'nope' });
    expect(denied.error?.details?.code).toBe('CHANNEL_ACCOUNT_NOT_FOUND');
    const out = await callOk(ws, 'channels.logout', { channel: 'irc' });
    expect(out).toMatchObject({ channel: 'irc', accountId: 'default', cleared: true, loggedOut: true });
    const file = JSON.parse(readFileSync(join(gw.stateDir, 'openclaw.json'), 'utf8'));
    expect(file.channels.irc.password).toBeUndefined();
    expect(file.channels.irc.nickserv?.password).toBeUndefined();
    expect(file.channels.irc.nick).toBe('outbot');
    const [account] = await accounts(ws);
    expect(account).toMatchObject({ running: false, connected: false, healthState: 'stopped' });
    expect(account!.lastError).toMatch(/logged out/);
    const webchat = await call(ws, 'channels.logout', { channel: 'webchat' });
    expect(webchat.error?.details?.code).toBe('CHANNEL_LOGOUT_UNSUPPORTED');
  });
});
