// Abort and provider failures: every failure ends the run with chat state error (with errorKind
// and a message saying what to do), never a crash or a hung run.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatSend, chatTurn, collectRun, textOf, uniqueKey } from './chat-kit.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let ws: RawSocket;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  const dead = await closedPort();
  gw = await startInProcess({
    ...TEST_CONFIG,
    models: {
      providers: {
        fake: { baseUrl: upstream.baseUrl, models: [{ id: 'fake-model' }] },
        quick: { baseUrl: upstream.baseUrl, timeoutMs: 300, models: [{ id: 'fake-model' }] },
        dead: { baseUrl: `http://127.0.0.1:${dead}/v1`, models: [{ id: 'm' }] },
        envkey: { baseUrl: upstream.baseUrl, apiKey: { source: 'env', id: 'OPENCLAW_TEST_UNSET_KEY_VAR' }, models: [{ id: 'm' }] },
      },
    },
    agents: { defaults: { model: 'fake/fake-model' } },
  });
  ws = (await openReady(gw.url, gw.token)).socket;
});
afterAll(async () => {
  ws?.close();
  await gw?.stop();
  await upstream?.close();
});

async function sessionOn(model?: string): Promise<string> {
  const key = `agent:main:${uniqueKey('f')}`;
  if (model) {
    const patched = await call(ws, 'sessions.patch', { key, model });
    expect(patched.ok, JSON.stringify(patched.error)).toBe(true);
  }
  return key;
}

describe('chat.abort', () => {
  it('stops the model stream promptly and records the partial reply', async () => {
    const session = await sessionOn();
    upstream.enqueue({ chunks: Array.from({ length: 40 }, (_, i) => `w${i} `), chunkDelayMs: 50 });
    const res = await chatSend(ws, session, 'long one');
    const runId = res.payload.runId;
    await ws.waitFor((f) => f.event === 'chat' && f.payload.runId === runId && f.payload.state === 'delta');
    const abort = await call(ws, 'chat.abort', { sessionKey: session, runId });
    expect(abort.payload).toEqual({ ok: true, aborted: true, runIds: [runId] });
    const run = await collectRun(ws, runId);
    expect(run.terminal.payload).toMatchObject({ state: 'aborted', stopReason: 'aborted' });
    const partial = textOf(run.terminal);
    expect(partial.startsWith('w0')).toBe(true);
    expect(partial.length).toBeLessThan(40 * 4);
    // The upstream connection was closed by the gateway.
    await expect.poll(() => upstream.requests.at(-1)!.clientClosed, { timeout: 5000 }).toBe(true);
    const history = await call(ws, 'chat.history', { sessionKey: session });
    const last = history.payload.messages.at(-1);
    expect(last).toMatchObject({ role: 'assistant', stopReason: 'aborted' });
    expect(last.content[0].text).toBe(partial);
    const again = await call(ws, 'chat.abort', { sessionKey: session, runId });
    expect(again.payload.aborted).toBe(false);
    const wrong = await call(ws, 'chat.abort', { sessionKey: 'agent:main:other', runId });
    expect(wrong.error?.details?.code).toBe('RUN_SESSION_MISMATCH');
  });

  it('stops a running tool as well', async () => {
    const session = await sessionOn();
    const { z } = await import('zod');
    let toolSawAbort = false;
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const unregister = gw.gateway!.services.agents.tools.register({
      name: 'wait_forever',
      description: 'Waits until aborted',
      parameters: z.object({}),
      run: (_args, ctx) =>
        new Promise((_resolve, reject) => {
          markStarted();
          ctx.signal.addEventListener('abort', () => {
            toolSawAbort = true;
            reject(new Error('stopped'));
          });
        }),
    });
    upstream.enqueue({ toolCalls: [{ name: 'wait_forever', arguments: {} }] });
    const res = await chatSend(ws, session, 'wait');
    const runId = res.payload.runId;
    await started;
    await call(ws, 'chat.abort', { sessionKey: session });
    const run = await collectRun(ws, runId);
    unregister();
    expect(run.terminal.payload.state).toBe('aborted');
    expect(toolSawAbort).toBe(true);
  });
});

describe('provider failures', () => {
  const cases: { name: string; model?: string; reply?: Parameters<FakeOpenAiServer['enqueue']>[0]; kind: string; message: RegExp }[] = [
    { name: 'refused connection', model: 'dead/m', kind: 'unknown', message: /cannot be reached \(ECONNREFUSED\).*baseUrl/ },
    { name: '401', reply: { status: 401, errorBody: { error: { message: 'Incorrect API key' } } }, kind: 'unknown', message: /rejected the API key.*apiKey/ },
    { name: '429 with retry-after', reply: { status: 429, headers: { 'retry-after': '7' } }, kind: 'rate_limit', message: /rate limiting.*retry in 7 s/ },
    { name: '500', reply: { status: 500 }, kind: 'unknown', message: /HTTP 500/ },
    { name: 'context length 400', reply: { status: 400, errorBody: { error: { message: "This model's maximum context length is 8192 tokens" } } }, kind: 'context_length', message: /too long/ },
    { name: 'malformed chunk', reply: { text: 'partial answer', malformed: 'bad-json' }, kind: 'unknown', message: /not JSON/ },
    { name: 'truncated stream', reply: { text: 'partial answer', malformed: 'truncated' }, kind: 'unknown', message: /closed the stream/ },
    { name: 'error mid-stream', reply: { text: 'partial', malformed: 'error-event' }, kind: 'unknown', message: /injected mid-stream failure/ },
    { name: 'dropped connection', reply: { text: 'a b c d', dropAfterChunks: 2 }, kind: 'unknown', message: /dropped the connection|closed the stream/ },
    { name: 'silence (idle timeout)', model: 'quick/fake-model', reply: { text: 'a b c', hangAfterChunks: 1 }, kind: 'timeout', message: /sent nothing for/ },
    { name: 'missing env secret', model: 'envkey/m', kind: 'unknown', message: /OPENCLAW_TEST_UNSET_KEY_VAR.*apiKey/ },
  ];
  for (const c of cases) {
    it(`${c.name} → chat error with errorKind ${c.kind}`, async () => {
      const session = await sessionOn(c.model);
      if (c.reply) upstream.enqueue(c.reply);
      const turn = await chatTurn(ws, session, 'hello');
      expect(turn.terminal.payload.state).toBe('error');
      expect(turn.terminal.payload.errorKind).toBe(c.kind);
      expect(turn.terminal.payload.errorMessage).toMatch(c.message);
      const lifecycle = turn.agent.filter((f) => f.payload.stream === 'lifecycle').map((f) => f.payload.data.phase);
      expect(lifecycle).toEqual(['start', 'error']);
      // The session works again afterwards.
      if (!c.model) {
        upstream.enqueue({ text: 'recovered' });
        expect(textOf((await chatTurn(ws, session, 'again')).terminal)).toBe('recovered');
      }
    });
  }

  it('a run longer than chat.send timeoutMs ends as a timeout error, and agent.wait says timeout', async () => {
    const session = await sessionOn();
    upstream.enqueue({ chunks: ['slow ', 'reply ', 'never ', 'ends'], chunkDelayMs: 400 });
    const res = await chatSend(ws, session, 'take your time', uniqueKey('timeout'), { timeoutMs: 250 });
    const run = await collectRun(ws, res.payload.runId);
    expect(run.terminal.payload).toMatchObject({ state: 'error', errorKind: 'timeout', errorMessage: expect.stringMatching(/timed out/) });
    const waited = await call(ws, 'agent.wait', { runId: res.payload.runId });
    expect(waited.payload).toMatchObject({ status: 'timeout', error: expect.stringMatching(/timed out/), endedAt: expect.any(Number) });
  });

  it('the agent method reports a failed run as ok:false UNAVAILABLE with a payload', async () => {
    upstream.enqueue({ status: 503 });
    const key = uniqueKey('agentfail');
    ws.send({ type: 'req', id: key, method: 'agent', params: { message: 'hi', idempotencyKey: key, sessionKey: await sessionOn() } });
    const accepted = await ws.waitFor((f) => f.type === 'res' && f.id === key);
    expect(accepted.payload).toMatchObject({ runId: key, status: 'accepted' });
    const final = await ws.waitFor((f) => f.type === 'res' && f.id === key, 10_000);
    expect(final.ok).toBe(false);
    expect(final.error).toMatchObject({ code: 'UNAVAILABLE', details: { code: 'PROVIDER_ERROR' } });
    expect(final.payload).toMatchObject({ runId: key, status: 'error' });
  });
});
