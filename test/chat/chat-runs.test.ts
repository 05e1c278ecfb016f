// Run bookkeeping: idempotent retries, one run at a time per session, runs that outlive their
// caller, the upstream `agent` method (two res frames) and agent.wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatSend, collectRun, textOf, uniqueKey } from './chat-kit.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;
let ws: RawSocket;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
  ws = (await openReady(gw.url, gw.token)).socket;
});
afterAll(async () => {
  ws?.close();
  await gw?.stop();
  await upstream?.close();
});

describe('idempotency', () => {
  it('the same idempotencyKey returns the same runId and starts nothing, in flight and after', async () => {
    const session = `agent:main:${uniqueKey('idem')}`;
    const key = uniqueKey('same');
    upstream.enqueue({ chunks: ['one ', 'two ', 'three'], chunkDelayMs: 60 });
    const before = upstream.requests.length;
    const first = await chatSend(ws, session, 'hello', key);
    const second = await chatSend(ws, session, 'hello', key);
    expect(first.payload).toEqual({ runId: key, status: 'started' });
    expect(second.payload).toEqual({ runId: key, status: 'in_flight' });
    const run = await collectRun(ws, key);
    expect(textOf(run.terminal)).toBe('one two three');
    const third = await chatSend(ws, session, 'hello', key);
    expect(third.payload).toEqual({ runId: key, status: 'ok' });
    expect(upstream.requests.length - before).toBe(1);
    const history = await call(ws, 'chat.history', { sessionKey: session });
    expect(history.payload.messages.filter((m: { role: string }) => m.role === 'user')).toHaveLength(1);
  });

  it('a failed run is cached as error with its summary', async () => {
    const key = uniqueKey('failed');
    upstream.enqueue({ status: 500 });
    const session = `agent:main:${uniqueKey('idemf')}`;
    await chatSend(ws, session, 'x', key);
    await collectRun(ws, key);
    const retry = await chatSend(ws, session, 'x', key);
    expect(retry.payload).toMatchObject({ runId: key, status: 'error', summary: expect.stringMatching(/HTTP 500/) });
  });
});

describe('idempotency is per session', () => {
  it('the same key on another session starts its own run there and keeps its message (the key was global)', async () => {
    const key = uniqueKey('shared');
    const first = `agent:main:${uniqueKey('ka')}`;
    const second = `agent:main:${uniqueKey('kb')}`;
    const a = await chatSend(ws, first, 'for session A', key);
    expect(a.payload).toEqual({ runId: key, status: 'started' });
    await collectRun(ws, key);
    const b = await chatSend(ws, second, 'for session B', key);
    expect(b.payload.status).toBe('started');
    expect(b.payload.runId).not.toBe(key);
    const runB = await collectRun(ws, b.payload.runId);
    expect(textOf(runB.terminal)).toBe('echo: for session B');
    const history = await call(ws, 'chat.history', { sessionKey: second });
    expect(history.payload.messages.map((m: { role: string; content: { text?: string }[] }) => `${m.role}:${m.content[0]?.text}`)).toEqual([
      'user:for session B',
      'assistant:echo: for session B',
    ]);
    // Each session still dedupes its own retry.
    expect((await chatSend(ws, first, 'for session A', key)).payload).toEqual({ runId: key, status: 'ok' });
    expect((await chatSend(ws, second, 'for session B', key)).payload).toEqual({ runId: b.payload.runId, status: 'ok' });
  });
});

describe('one run at a time per session', () => {
  it('a second send to a busy session queues behind the first instead of interleaving', async () => {
    const session = `agent:main:${uniqueKey('queue')}`;
    upstream.enqueue({ chunks: ['first ', 'reply'], chunkDelayMs: 80 }, { text: 'second reply' });
    const a = await chatSend(ws, session, 'question A');
    const b = await chatSend(ws, session, 'question B');
    expect(a.payload.status).toBe('started');
    expect(b.payload.status).toBe('started');
    const runA = await collectRun(ws, a.payload.runId);
    const runB = await collectRun(ws, b.payload.runId);
    expect(textOf(runA.terminal)).toBe('first reply');
    expect(textOf(runB.terminal)).toBe('second reply');
    // B reached the upstream only after A ended: its prompt holds A's whole exchange.
    const sent = upstream.requests.at(-1)!.body.messages!.slice(1).map((m) => `${m.role}:${m.content as string}`);
    expect(sent).toEqual(['user:question A', 'assistant:first reply', 'user:question B']);
  });

  it('the queue is bounded', async () => {
    const session = `agent:main:${uniqueKey('bounded')}`;
    upstream.setDefault({ text: 'slow', hangAfterChunks: 0 });
    try {
      const answers = [];
      for (let i = 0; i < 12; i++) answers.push(await chatSend(ws, session, `m${i}`));
      const full = answers.filter((a) => !a.ok);
      expect(full.length).toBeGreaterThan(0);
      expect(full[0]!.error).toMatchObject({ code: 'UNAVAILABLE', details: { code: 'QUEUE_FULL' }, retryable: true });
      const abort = await call(ws, 'chat.abort', { sessionKey: session });
      expect(abort.payload.runIds.length).toBe(answers.filter((a) => a.ok).length);
      for (const a of answers.filter((x) => x.ok)) expect((await collectRun(ws, a.payload.runId)).terminal.payload.state).toBe('aborted');
    } finally {
      upstream.setDefault((req) => ({ text: `echo: ${String(req.body.messages?.at(-1)?.content)}` }));
    }
  });

  it('different sessions run at the same time', async () => {
    // Each upstream request is held until both have arrived: run serially, the first would wait
    // for a second request that never comes, and both runs would fail.
    const before = upstream.requests.length;
    const bothArrived = upstream.waitForRequest(before + 2, 10_000);
    bothArrived.catch(() => {});
    upstream.enqueue({ text: 'x y', holdUntil: bothArrived }, { text: 'p q', holdUntil: bothArrived });
    const a = await chatSend(ws, `agent:main:${uniqueKey('par')}`, 'a');
    const b = await chatSend(ws, `agent:main:${uniqueKey('par')}`, 'b');
    const [runA, runB] = [await collectRun(ws, a.payload.runId), await collectRun(ws, b.payload.runId)];
    expect([runA.terminal.payload.state, runB.terminal.payload.state]).toEqual(['final', 'final']);
    expect([textOf(runA.terminal), textOf(runB.terminal)].sort()).toEqual(['p q', 'x y']);
  });
});

describe('runs belong to sessions, not connections', () => {
  it('a run continues when the client that sent it disconnects', async () => {
    const session = `agent:main:${uniqueKey('orphan')}`;
    const sender = (await openReady(gw.url, gw.token)).socket;
    upstream.enqueue({ chunks: ['still ', 'here'], chunkDelayMs: 80 });
    const res = await chatSend(sender, session, 'go');
    sender.close();
    await sender.closed;
    const run = await collectRun(ws, res.payload.runId);
    expect(run.terminal.payload.state).toBe('final');
    expect(textOf(run.terminal)).toBe('still here');
  });
});

describe('agent and agent.wait', () => {
  it('agent answers accepted, streams agent events with runId = idempotencyKey, then the final result', async () => {
    const key = uniqueKey('agent');
    upstream.enqueue({ text: 'Agent reply text' });
    ws.send({ type: 'req', id: key, method: 'agent', params: { message: 'hello agent', idempotencyKey: key } });
    const accepted = await ws.waitFor((f) => f.type === 'res' && f.id === key);
    expect(accepted.payload).toEqual({ runId: key, status: 'accepted', acceptedAt: expect.any(Number) });
    const final = await ws.waitFor((f) => f.type === 'res' && f.id === key, 10_000);
    expect(final.ok).toBe(true);
    expect(final.payload).toMatchObject({ runId: key, status: 'ok', summary: 'completed', result: { payloads: [{ text: 'Agent reply text' }] } });
    const run = await collectRun(ws, key);
    const assistant = run.agent.filter((f) => f.payload.stream === 'assistant');
    expect(assistant.at(-1)!.payload.data.text).toBe('Agent reply text');
    expect(run.agent.every((f) => f.payload.runId === key)).toBe(true);
    const waited = await call(ws, 'agent.wait', { runId: key, timeoutMs: 1000 });
    expect(waited.payload).toMatchObject({ runId: key, status: 'ok', startedAt: expect.any(Number), endedAt: expect.any(Number) });
  });

  it('agent.wait waits for a running run, times out as ok:true, and knows no unknown run', async () => {
    const session = `agent:main:${uniqueKey('wait')}`;
    upstream.enqueue({ chunks: ['a ', 'b ', 'c'], chunkDelayMs: 150 });
    const res = await chatSend(ws, session, 'wait for me');
    const short = await call(ws, 'agent.wait', { runId: res.payload.runId, timeoutMs: 10 });
    expect(short.ok).toBe(true);
    expect(short.payload).toEqual({ runId: res.payload.runId, status: 'timeout' });
    const long = await call(ws, 'agent.wait', { runId: res.payload.runId, timeoutMs: 10_000 }, 12_000);
    expect(long.payload.status).toBe('ok');
    const unknown = await call(ws, 'agent.wait', { runId: 'no-such-run' });
    expect(unknown.error).toMatchObject({ code: 'NOT_FOUND', details: { code: 'RUN_NOT_FOUND' } });
  });
});
