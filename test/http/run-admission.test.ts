// Regression: 1,000 concurrent /v1/chat/completions (plain and streaming) against a fast model got
// 736 refusals, 503 "the gateway already has 256 runs going" typed invalid_request_error, with no
// Retry-After. Runs beyond the active-run limit now wait in a bounded line with a deadline; only a
// full line (or a wait past the deadline) is refused, as 503 overloaded_error with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady } from '../helpers/raw-socket.js';
import { startHttpGateway } from './http-gateway.js';

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
}

async function complete(gw: RunningGateway, stream: boolean, signal?: AbortSignal): Promise<Answer> {
  const res = await fetch(`${gw.httpUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.token}` },
    body: JSON.stringify({ model: 'openclaw', stream, messages: [{ role: 'user', content: 'hi' }] }),
    ...(signal ? { signal } : {}),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
}

// A burst five times the active-run limit (the default limit is 256; bench/http-burst.ts sends
// 1,000 against it): every request is served, the ones beyond the limit after a wait.
describe('a burst past the active-run limit', () => {
  let gw: RunningGateway;
  let upstream: FakeOpenAiServer;
  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    upstream.setDefault({ chunks: ['one ', 'two ', 'three'], chunkDelayMs: 50 });
    gw = await startHttpGateway({ ...fakeProviderConfig(upstream.baseUrl), gateway: { limits: { maxActiveRuns: 8, maxQueuedRuns: 64 } } });
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
  });

  it('is served in full, plain and streaming alike', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => complete(gw, i % 2 === 1)));
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({ 200: 40 });
    expect(answers.filter((_, i) => i % 2 === 1).every((a) => a.body.trimEnd().endsWith('data: [DONE]'))).toBe(true);
    expect(answers.filter((_, i) => i % 2 === 0).every((a) => JSON.parse(a.body).choices[0].message.content === 'one two three')).toBe(true);
  }, 60_000);
});

describe('a full line of waiting runs', () => {
  let gw: RunningGateway;
  let upstream: FakeOpenAiServer;
  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    upstream.setDefault({ hangAfterChunks: 0 }); // every run holds its slot until its caller leaves
    gw = await startHttpGateway({ ...fakeProviderConfig(upstream.baseUrl), gateway: { limits: { maxActiveRuns: 2, maxQueuedRuns: 2, runQueueTimeoutMs: 60_000 } } });
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
  });

  it('refuses the next run with 503 overloaded_error and Retry-After, over HTTP and WebSocket', async () => {
    const callers = new AbortController();
    const held = Array.from({ length: 4 }, (_, i) => complete(gw, i % 2 === 0, callers.signal).catch(() => undefined));
    await upstream.waitForRequest(2);
    // Two execute, two wait: the line is full.
    for (const stream of [false, true]) {
      const refused = await complete(gw, stream);
      expect(refused.status).toBe(503);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { type: 'overloaded_error', message: expect.stringContaining('overloaded') } });
    }
    const { socket } = await openReady(gw.url, gw.token);
    const sent = await call(socket, 'chat.send', { sessionKey: 'agent:main:overload', message: 'hi', idempotencyKey: 'overload-1' });
    expect(sent).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', retryable: true, details: { code: 'QUEUE_FULL' } } });
    expect(sent.error!.retryAfterMs).toBeGreaterThan(0);
    socket.close();
    callers.abort();
    await Promise.all(held);
  });
});

describe('a run that waits past runQueueTimeoutMs', () => {
  let gw: RunningGateway;
  let upstream: FakeOpenAiServer;
  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    upstream.setDefault({ hangAfterChunks: 0 });
    gw = await startHttpGateway({ ...fakeProviderConfig(upstream.baseUrl), gateway: { limits: { maxActiveRuns: 1, maxQueuedRuns: 10, runQueueTimeoutMs: 300 } } });
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
  });

  it('is answered 503 overloaded_error with Retry-After, streaming or not, and never reached the model', async () => {
    const holder = new AbortController();
    const held = complete(gw, false, holder.signal).catch(() => undefined);
    await upstream.waitForRequest(1);
    for (const stream of [false, true]) {
      const late = await complete(gw, stream);
      expect(late.status).toBe(503);
      expect(late.retryAfter).not.toBeNull();
      expect(JSON.parse(late.body).error.type).toBe('overloaded_error');
    }
    expect(upstream.requests).toHaveLength(1);
    holder.abort();
    await held;
  });
});
