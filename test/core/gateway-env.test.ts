// createGateway({ env }) is the environment the gateway reads: a provider key and an embedding key
// that exist only in that env (not in process.env) reach the upstream.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../server/gateway.js';
import { startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { makeStateDir, TEST_CONFIG } from '../helpers/gateway-targets.js';
import { bearer, httpTestConfig, postJson } from '../http/http-gateway.js';
import { openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatSend, collectRun, textOf } from '../chat/chat-kit.js';

const KEY_VAR = `OCTEST_PROVIDER_KEY_${process.pid}`;
const EMBED_VAR = `OCTEST_EMBED_KEY_${process.pid}`;

let upstream: FakeOpenAiServer;
let gateway: Gateway;
let stateDir: string;
let url: string;
let httpUrl: string;
let ws: RawSocket;

beforeAll(async () => {
  upstream = await startFakeOpenAi({ apiKey: 'sk-only-in-given-env' });
  expect(process.env[KEY_VAR]).toBeUndefined();
  const config = httpTestConfig({
    models: {
      providers: {
        fake: { baseUrl: upstream.baseUrl, apiKey: { source: 'env', id: KEY_VAR }, models: [{ id: 'fake-model' }] },
      },
    },
    agents: {
      defaults: { model: { primary: 'fake/fake-model' }, memorySearch: { model: 'embed', remote: { baseUrl: upstream.baseUrl, apiKey: { source: 'env', id: EMBED_VAR } } } },
    },
  });
  stateDir = makeStateDir(config);
  const env: NodeJS.ProcessEnv = { ...process.env, OPENCLAW_GATEWAY_TOKEN: '', OPENCLAW_CONFIG_PATH: '', OPENCLAW_STATE_DIR: '' };
  env[KEY_VAR] = 'sk-only-in-given-env';
  env[EMBED_VAR] = 'sk-only-in-given-env';
  gateway = await createGateway({ stateDir, port: 0, env, validateContract: true });
  const info = await gateway.listen();
  url = info.url;
  httpUrl = `http://127.0.0.1:${info.port}`;
  ws = (await openReady(url, TEST_CONFIG.gateway.auth.token)).socket;
});
afterAll(async () => {
  ws?.close();
  await gateway?.stop();
  await upstream?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('createGateway({ env })', () => {
  it('a provider apiKey from the given env reaches the model', async () => {
    upstream.enqueue({ text: 'authorised' });
    const res = await chatSend(ws, 'agent:main:env', 'hello');
    const run = await collectRun(ws, res.payload.runId);
    expect(run.terminal.payload.state).toBe('final');
    expect(textOf(run.terminal)).toBe('authorised');
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-only-in-given-env');
  });

  it('an embedding apiKey from the given env reaches the embeddings server', async () => {
    const res = await postJson(`${httpUrl}/v1/embeddings`, { model: 'openclaw', input: 'x' }, bearer(TEST_CONFIG.gateway.auth.token));
    expect(res.status).toBe(200);
    expect(upstream.embeddingRequests.at(-1)!.headers.authorization).toBe('Bearer sk-only-in-given-env');
  });
});
