// 429 / 503 with Retry-After: a short wait is retried automatically (bounded, abortable), a long
// one fails the run at once as errorKind rate_limit with a message that says when to retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelStreamEvent } from '../../server/providers/model-types.js';
import { DEFAULT_RETRY_POLICY, OpenAiCompatibleProvider, type ProviderRetryPolicy, type ProviderRetryWait } from '../../server/providers/openai-compatible-provider.js';
import { ProviderError } from '../../server/providers/provider-error.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, TEST_CONFIG, type RunningGateway } from '../helpers/gateway-targets.js';
import { call, openReady, type RawSocket } from '../helpers/raw-socket.js';
import { chatSend, chatTurn, collectRun, textOf, uniqueKey } from './chat-kit.js';

let upstream: FakeOpenAiServer;
beforeAll(async () => {
  upstream = await startFakeOpenAi();
});
afterAll(() => upstream?.close());

const rateLimited = (retryAfter?: string) => ({ status: 429, ...(retryAfter === undefined ? {} : { headers: { 'retry-after': retryAfter } }) });

describe('through the gateway', () => {
  let gw: RunningGateway;
  let ws: RawSocket;
  beforeAll(async () => {
    gw = await startInProcess({ ...TEST_CONFIG, ...fakeProviderConfig(upstream.baseUrl) });
    ws = (await openReady(gw.url, gw.token)).socket;
  });
  afterAll(async () => {
    ws?.close();
    await gw?.stop();
  });

  const session = () => `agent:main:${uniqueKey('retry')}`;

  it('429 with Retry-After: 0, then success → the run succeeds without an error event', async () => {
    const before = upstream.requests.length;
    upstream.enqueue(rateLimited('0'), { text: 'second time lucky' });
    const turn = await chatTurn(ws, session(), 'hello');
    expect(turn.terminal.payload.state).toBe('final');
    expect(textOf(turn.terminal)).toBe('second time lucky');
    expect(upstream.requests.length - before).toBe(2);
    expect(turn.chat.some((f) => f.payload.state === 'error')).toBe(false);
    const lifecycle = turn.agent.filter((f) => f.payload.stream === 'lifecycle').map((f) => f.payload.data.phase);
    expect(lifecycle).toEqual(['start', 'end']);
    // The wait is not silent: the gateway log says which provider asked for it.
    await expect
      .poll(async () => ((await call(ws, 'logs.tail', { limit: 200 })).payload as { lines: string[] }).lines.some((l) => l.includes('provider asked to wait') && l.includes('"provider":"fake"')))
      .toBe(true);
  });

  it('503 with Retry-After: 1, then 429 with Retry-After: 0, then success → two retries, run succeeds', async () => {
    const before = upstream.requests.length;
    upstream.enqueue({ status: 503, headers: { 'retry-after': '1' } }, rateLimited('0'), { text: 'ok now' });
    const turn = await chatTurn(ws, session(), 'hello');
    expect(turn.terminal.payload.state).toBe('final');
    expect(textOf(turn.terminal)).toBe('ok now');
    expect(upstream.requests.length - before).toBe(3);
  });

  it('a Retry-After HTTP date already past is retried at once', async () => {
    const before = upstream.requests.length;
    upstream.enqueue(rateLimited(new Date(Date.now() - 60_000).toUTCString()), { text: 'dated' });
    const turn = await chatTurn(ws, session(), 'hello');
    expect(textOf(turn.terminal)).toBe('dated');
    expect(upstream.requests.length - before).toBe(2);
  });

  it('retries are bounded: still rate limited after them → rate_limit error saying so', async () => {
    const before = upstream.requests.length;
    const attempts = DEFAULT_RETRY_POLICY.maxRetries + 1;
    upstream.enqueue(...Array.from({ length: attempts }, () => rateLimited('0')));
    const turn = await chatTurn(ws, session(), 'hello');
    expect(turn.terminal.payload).toMatchObject({ state: 'error', errorKind: 'rate_limit' });
    expect(turn.terminal.payload.errorMessage).toMatch(new RegExp(`HTTP 429.*after ${DEFAULT_RETRY_POLICY.maxRetries} automatic retries.*retry in 1 s`));
    expect(upstream.requests.length - before).toBe(attempts);
  });

  it('a long Retry-After (seconds) fails at once as rate_limit, naming the wait', async () => {
    const before = upstream.requests.length;
    upstream.enqueue(rateLimited('30'));
    const turn = await chatTurn(ws, session(), 'hello');
    expect(turn.terminal.payload).toMatchObject({ state: 'error', errorKind: 'rate_limit', errorMessage: expect.stringMatching(/rate limiting.*retry in 30 s/) });
    expect(turn.terminal.payload.errorMessage).not.toMatch(/automatic retr/);
    expect(upstream.requests.length - before).toBe(1);
  });

  it('a long Retry-After (HTTP date) fails at once as rate_limit, naming when', async () => {
    const before = upstream.requests.length;
    upstream.enqueue(rateLimited(new Date(Date.now() + 3_600_000).toUTCString()));
    const turn = await chatTurn(ws, session(), 'hello');
    expect(turn.terminal.payload).toMatchObject({ state: 'error', errorKind: 'rate_limit' });
    expect(turn.terminal.payload.errorMessage).toMatch(/retry in 60 min \(at \d\d:\d\d:\d\d UTC\)/);
    expect(upstream.requests.length - before).toBe(1);
  });

  it('429 without Retry-After and 503 without Retry-After are not retried', async () => {
    const before = upstream.requests.length;
    upstream.enqueue(rateLimited());
    const limited = await chatTurn(ws, session(), 'hello');
    expect(limited.terminal.payload).toMatchObject({ state: 'error', errorKind: 'rate_limit', errorMessage: expect.stringMatching(/wait a moment/) });
    upstream.enqueue({ status: 503 });
    const unavailable = await chatTurn(ws, session(), 'hello');
    expect(unavailable.terminal.payload).toMatchObject({ state: 'error', errorKind: 'unknown', errorMessage: expect.stringMatching(/HTTP 503.*try again later/) });
    expect(upstream.requests.length - before).toBe(2);
  });

  it('chat.abort during the Retry-After wait ends the run as aborted, and the session works afterwards', async () => {
    const retryWaitsLogged = async (): Promise<number> =>
      ((await call(ws, 'logs.tail', { limit: 1000 })).payload as { lines: string[] }).lines.filter((l) => l.includes('provider asked to wait')).length;
    const waitsBefore = await retryWaitsLogged();
    const key = session();
    const before = upstream.requests.length;
    upstream.enqueue(rateLimited(String(DEFAULT_RETRY_POLICY.maxWaitMs / 1000)));
    const res = await chatSend(ws, key, 'hello');
    const runId = res.payload.runId as string;
    await upstream.waitForRequest(before + 1);
    // The gateway logs the wait as it enters it: abort only then, so the wait itself is what ends.
    await expect.poll(retryWaitsLogged).toBeGreaterThan(waitsBefore);
    const abort = await call(ws, 'chat.abort', { sessionKey: key, runId });
    expect(abort.payload).toMatchObject({ ok: true, aborted: true, runIds: [runId] });
    const run = await collectRun(ws, runId);
    expect(run.terminal.payload).toMatchObject({ state: 'aborted' });
    expect(upstream.requests.length - before).toBe(1);
    upstream.enqueue({ text: 'after abort' });
    expect(textOf((await chatTurn(ws, key, 'again')).terminal)).toBe('after abort');
  });
});

describe('retry policy from models.providers.<id>.retry', () => {
  it('maxRetries: 0 in the config file turns automatic retries off', async () => {
    const base = fakeProviderConfig(upstream.baseUrl) as { models: { providers: { fake: Record<string, unknown> } } };
    base.models.providers.fake.retry = { maxRetries: 0 };
    const gw = await startInProcess({ ...TEST_CONFIG, ...base });
    const { socket } = await openReady(gw.url, gw.token);
    try {
      const before = upstream.requests.length;
      upstream.enqueue(rateLimited('0'));
      const turn = await chatTurn(socket, `agent:main:${uniqueKey('retry-off')}`, 'hello');
      expect(turn.terminal.payload).toMatchObject({ state: 'error', errorKind: 'rate_limit' });
      expect(upstream.requests.length - before).toBe(1);
    } finally {
      socket.close();
      await gw.stop();
    }
  });
});

describe('OpenAiCompatibleProvider retry policy', () => {
  const provider = (retry?: Partial<ProviderRetryPolicy>, onRetryWait?: (wait: ProviderRetryWait) => void) =>
    new OpenAiCompatibleProvider({ id: 'fake', baseUrl: upstream.baseUrl, ...(retry ? { retry } : {}), ...(onRetryWait ? { onRetryWait } : {}) });

  async function collect(p: OpenAiCompatibleProvider, signal = new AbortController().signal): Promise<ModelStreamEvent[]> {
    const events: ModelStreamEvent[] = [];
    for await (const e of p.stream({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], tools: [], signal })) events.push(e);
    return events;
  }

  it('aborting during a long wait rejects at once as aborted (not after the wait)', async () => {
    // A 60 s cap and a 30 s Retry-After: if the wait ignored the signal, this test would time out.
    const controller = new AbortController();
    const waits: ProviderRetryWait[] = [];
    const p = provider({ maxWaitMs: 60_000 }, (wait) => {
      waits.push(wait);
      // Abort once the wait has begun.
      setImmediate(() => controller.abort());
    });
    const before = upstream.requests.length;
    upstream.enqueue(rateLimited('30'));
    const error = await collect(p, controller.signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(waits).toEqual([{ attempt: 1, status: 429, waitMs: 30_000 }]);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('aborted');
    expect(upstream.requests.length - before).toBe(1);
    p.close();
  });

  it('the wait does not count as upstream silence (idle timeout shorter than Retry-After)', async () => {
    const p = new OpenAiCompatibleProvider({ id: 'fake', baseUrl: upstream.baseUrl, idleTimeoutMs: 100 });
    upstream.enqueue(rateLimited('1'), { text: 'patience pays' });
    const events = await collect(p);
    expect(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('')).toBe('patience pays');
    p.close();
  });

  it('maxRetries 0 turns automatic retries off', async () => {
    const p = provider({ maxRetries: 0 });
    const before = upstream.requests.length;
    upstream.enqueue(rateLimited('0'));
    const error = await collect(p).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'rate_limit', status: 429, retryAfterMs: 0 });
    expect(upstream.requests.length - before).toBe(1);
    p.close();
  });

  it('a Retry-After above maxWaitMs is not waited for', async () => {
    const p = provider({ maxWaitMs: 500 });
    upstream.enqueue(rateLimited('1'));
    const error = await collect(p).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 1000, message: expect.stringMatching(/retry in 1 s/) });
    p.close();
  });
});
