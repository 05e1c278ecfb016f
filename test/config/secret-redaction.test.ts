// Regression: config.get showed provider header secrets (`x-api-key`, `api-key`: the key-name
// pattern missed `api-key`) and webhook URLs in clear, to operator.read clients and through the
// GatewayProxy; an upstream 401 quoting `Bearer <apiKey>` put the key into chat/agent events and
// chat.history. Every configured secret value is now masked wherever the gateway emits text.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, connectParams, openRaw, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatTurn, uniqueKey } from '../chat/chat-kit.js';

const API_KEY = 'sk-live-PROVIDERKEY-0001';
const SECRETS = {
  apiKey: API_KEY,
  xApiKey: 'hdr-XAPIKEY-0002',
  apiKeyHeader: 'hdr-APIKEY-0003',
  cronWebhook: 'https://hooks.example.test/services/T0/B0/WEBHOOKSECRET0004',
  slackWebhook: 'https://hooks.slack.test/services/WEBHOOKSECRET0005',
};
const ALL = [...Object.values(SECRETS), TEST_CONFIG.gateway.auth.token];

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let reader: RawSocket;

const leaks = (text: string): string[] => ALL.filter((secret) => text.includes(secret));

beforeAll(async () => {
  upstream = await startFakeOpenAi({ apiKey: API_KEY });
  gw = await startInProcess({
    ...TEST_CONFIG,
    models: {
      providers: {
        fake: {
          baseUrl: upstream.baseUrl,
          apiKey: API_KEY,
          headers: { 'x-api-key': SECRETS.xApiKey, 'api-key': SECRETS.apiKeyHeader, 'X-Title': 'Reliability Suite' },
          models: [{ id: 'fake-model' }],
        },
      },
    },
    agents: { defaults: { model: 'fake/fake-model' } },
    cron: { webhook: SECRETS.cronWebhook },
    channels: { slack: { webhookUrl: SECRETS.slackWebhook } },
  });
  reader = (await openReady(gw.url, gw.token, { scopes: ['operator.read', 'operator.write'] })).socket;
});
afterAll(async () => {
  reader?.close();
  await gw?.stop();
  await upstream?.close();
});

describe('config.get', () => {
  it('shows no header secret, webhook URL or key to an operator.read client, and keeps other values', async () => {
    const res = await call(reader, 'config.get', {});
    expect(res.ok).toBe(true);
    const text = JSON.stringify(res);
    expect(leaks(text)).toEqual([]);
    expect(text).toContain('Reliability Suite');
    expect(res.payload.config.models.providers.fake.headers['x-api-key']).toBe('__OPENCLAW_REDACTED__');
  });

  it('shows none of them through the GatewayProxy either', async () => {
    const socket = await openRaw(gw.url.replace(/\/ws$/, '/api/gateway/ws'), { origin: gw.httpUrl });
    socket.send({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ scopes: ['operator.read'] }) });
    expect((await socket.waitFor((f) => f.id === 'c1')).ok).toBe(true);
    const res = await call(socket, 'config.get', {});
    expect(res.ok).toBe(true);
    expect(leaks(JSON.stringify(res))).toEqual([]);
    socket.close();
  });
});

describe('secrets quoted back by the upstream or the model', () => {
  it('a 401 that quotes `Bearer <apiKey>` reaches no event, no chat.history and no log line', async () => {
    upstream.enqueue({ status: 401, errorBody: { error: { message: `Incorrect API key provided: Bearer ${API_KEY}; also saw ${gw.token}` } } });
    const sessionKey = `agent:main:${uniqueKey('leak')}`;
    const run = await chatTurn(reader, sessionKey, 'hello');
    expect(run.terminal.payload.state).toBe('error');
    expect(run.terminal.payload.errorMessage).toContain('Incorrect API key provided');
    expect(leaks(JSON.stringify([...run.chat, ...run.agent]))).toEqual([]);
    const history = await call(reader, 'chat.history', { sessionKey });
    expect(history.ok).toBe(true);
    expect(leaks(JSON.stringify(history))).toEqual([]);

    // Over HTTP the failure is also logged: the log line and the answer carry no secret.
    upstream.enqueue({ status: 401, errorBody: { error: { message: `Incorrect API key provided: Bearer ${API_KEY}; also saw ${gw.token}` } } });
    const res = await fetch(`${gw.httpUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.token}` },
      body: JSON.stringify({ model: 'openclaw', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(500);
    expect(leaks(await res.text())).toEqual([]);
    await gw.gateway!.runtime.logger.flush();
    const log = readFileSync(gw.gateway!.paths.logFile, 'utf8');
    expect(log).toContain('Incorrect API key provided');
    expect(leaks(log)).toEqual([]);
  });

  it('a reply that repeats a configured secret is masked in events, chat.history and HTTP bodies', async () => {
    const reply = `the header is ${SECRETS.xApiKey} and the hook ${SECRETS.slackWebhook}`;
    upstream.enqueue({ text: reply });
    const sessionKey = `agent:main:${uniqueKey('echo')}`;
    const run = await chatTurn(reader, sessionKey, 'repeat it');
    expect(run.terminal.payload.state).toBe('final');
    expect(leaks(JSON.stringify([...run.chat, ...run.agent]))).toEqual([]);
    expect(JSON.stringify(run.terminal)).toContain('the header is [redacted]');
    expect(leaks(JSON.stringify(await call(reader, 'chat.history', { sessionKey })))).toEqual([]);

    for (const stream of [false, true]) {
      upstream.enqueue({ text: reply });
      const res = await fetch(`${gw.httpUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.token}` },
        body: JSON.stringify({ model: 'openclaw', stream, messages: [{ role: 'user', content: 'repeat it' }] }),
      });
      const body = await res.text();
      expect(res.status).toBe(200);
      expect(body).toContain('header');
      expect(leaks(body), `stream: ${stream}`).toEqual([]);
      if (!stream) expect(JSON.parse(body).choices[0].message.content).toContain('[redacted]');
    }
  });
});
