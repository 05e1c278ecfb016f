// Announce delivery end to end: a cron run's summary goes through `send` to a real IRC server
// (ngircd) and a listening IRC client reads it in the channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { IrcTestClient } from '../helpers/irc-test-client.js';
import { startNgircd, type NgircdServer } from '../helpers/ngircd-server.js';
import { callOk, openReady, type RawSocket } from '../helpers/raw-socket.js';

let irc: NgircdServer;
let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let ws: RawSocket;
let listener: IrcTestClient;

beforeAll(async () => {
  irc = await startNgircd();
  upstream = await startFakeOpenAi();
  listener = await IrcTestClient.connect(irc.port, 'reader');
  await listener.join('#news');
  gw = await startInProcess({
    ...TEST_CONFIG,
    ...fakeProviderConfig(upstream.baseUrl),
    channels: { irc: { host: '127.0.0.1', port: irc.port, tls: false, nick: 'cronbot', channels: ['#news'], groupPolicy: 'disabled', dmPolicy: 'disabled' } },
  });
  ws = (await openReady(gw.url, gw.token)).socket;
  await listener.waitFor((l) => l.command === 'JOIN' && l.prefix.startsWith('cronbot!'), 30_000);
}, 60_000);

afterAll(async () => {
  ws?.close();
  listener?.close();
  await gw?.stop();
  await upstream?.close();
  await irc?.close();
});

describe('cron announce over IRC', () => {
  it('sends the run summary to the channel target and records it delivered', async () => {
    upstream.enqueue({ text: 'Morning digest: all systems nominal.' });
    const job = await callOk(ws, 'cron.add', {
      name: 'digest',
      deleteAfterRun: false,
      schedule: { kind: 'at', at: new Date(Date.now() + 300).toISOString() },
      payload: { kind: 'agentTurn', message: 'write the digest' },
      delivery: { mode: 'announce', channel: 'irc', to: '#news' },
    });
    const line = await listener.waitFor((l) => l.command === 'PRIVMSG' && l.params[0] === '#news' && l.prefix.startsWith('cronbot!'), 30_000);
    expect(line.params[1]).toBe('Morning digest: all systems nominal.');
    await expect.poll(async () => (await callOk(ws, 'cron.runs', { id: job.id })).entries[0], { timeout: 15_000 }).toMatchObject({
      status: 'ok',
      delivered: true,
      deliveryStatus: 'delivered',
    });
  });
});
