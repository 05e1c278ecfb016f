// The flow community clients (e.g. openclaw-node's chat()) use, over raw frames: a v3 backend
// connection sends `agent` with idempotencyKey = request id, collects `agent` assistant events whose
// runId equals that id (cumulative data.text), skips the `accepted` res and stops at the final one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { openRaw, type Frame, type RawSocket } from '../helpers/raw-socket.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
});
afterAll(async () => {
  await gw?.stop();
  await upstream?.close();
});

async function connectLikeCommunityClient(): Promise<RawSocket> {
  const socket = await openRaw(gw.url);
  await socket.waitFor((f) => f.event === 'connect.challenge');
  socket.send({
    type: 'req',
    id: `${Date.now()}-conn`,
    method: 'connect',
    params: {
      minProtocol: 3,
      maxProtocol: 3,
      client: { id: 'gateway-client', version: '0.1.0', platform: process.platform, mode: 'backend' },
      role: 'operator',
      scopes: ['operator.read', 'operator.write'],
      caps: [],
      commands: [],
      permissions: {},
      auth: { token: gw.token },
      locale: 'en-US',
      userAgent: 'openclaw-node/0.1.0',
    },
  });
  const hello = await socket.waitFor((f) => f.type === 'res');
  expect(hello.ok).toBe(true);
  return socket;
}

/** What such a client's chatSync() returns: the text grown from cumulative assistant events. */
async function chatSync(socket: RawSocket, message: string, sessionKey?: string): Promise<{ text: string; final: Frame }> {
  const id = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  socket.send({ type: 'req', id, method: 'agent', params: { message, ...(sessionKey ? { sessionKey } : {}), idempotencyKey: id } });
  let text = '';
  for (;;) {
    const frame = await socket.waitFor((f) => (f.type === 'res' && f.id === id) || (f.event === 'agent' && f.payload?.runId === id), 15_000);
    if (frame.type === 'res') {
      if (frame.payload?.status === 'accepted') continue;
      return { text, final: frame };
    }
    if (frame.payload.stream === 'assistant' && frame.payload.data.text.length > text.length) text = frame.payload.data.text;
  }
}

describe('community client flow', () => {
  it('chats through `agent` on protocol 3 and gets the whole reply before the final res', async () => {
    const socket = await connectLikeCommunityClient();
    upstream.enqueue({ text: 'Hello from the gateway, streamed in several chunks.' });
    const first = await chatSync(socket, 'hi');
    expect(first.text).toBe('Hello from the gateway, streamed in several chunks.');
    expect(first.final.ok).toBe(true);
    expect(first.final.payload.result.payloads[0].text).toBe(first.text);
    upstream.enqueue({ text: 'Second answer.' });
    const second = await chatSync(socket, 'and again', 'agent:main:community');
    expect(second.text).toBe('Second answer.');
    socket.close();
  });
});
