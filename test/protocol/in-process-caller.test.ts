// createCaller(principal): in-process callers go through the same dispatcher as sockets — scopes,
// params validation, typed errors, interim answers, cancellation, events by scope — with no socket.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../server/core/gateway-error.js';
import { chatTurn, uniqueKey } from '../chat/chat-kit.js';
import { fakeProviderConfig, startFakeOpenAi, type FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { openRaw, openReady } from '../helpers/raw-socket.js';
import { startWith } from './gateway-fixtures.js';

let upstream: FakeOpenAiServer;
let gw: RunningGateway;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  gw = await startWith({ ...fakeProviderConfig(upstream.baseUrl), logging: { level: 'debug' } });
});
afterAll(async () => {
  await gw?.stop();
  await upstream?.close();
});

const rejection = async (promise: Promise<unknown>): Promise<GatewayError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected the call to fail');
};

describe('createCaller', () => {
  it('answers like a client would: a copy of the result, typed', async () => {
    const caller = gw.gateway!.createCaller({ id: 'test:reader', scopes: ['operator.read'] });
    const health = await caller.call('health', {});
    expect(health.ok).toBe(true);
    const models = await caller.call('models.list', {});
    expect(Array.isArray(models.models)).toBe(true);
    caller.close();
  });

  it('refuses what its scopes do not grant, with the wire error code and details', async () => {
    const caller = gw.gateway!.createCaller({ id: 'test:reader', scopes: ['operator.read'] });
    const error = await rejection(caller.call('config.set', { raw: '{}', baseHash: 'x' }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.details).toMatchObject({ code: 'MISSING_SCOPE', missingScope: 'operator.admin' });
    caller.close();
  });

  it('validates params exactly as for a socket', async () => {
    const caller = gw.gateway!.createCaller({ id: 'test:writer', scopes: ['operator.write'] });
    const error = await rejection(caller.call('chat.send', { sessionKey: 42 } as never));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.details).toMatchObject({ code: 'INVALID_PARAMS' });
    expect(error.message).toMatch(/^invalid chat\.send params: /);
    const unknown = await rejection(caller.call('no.such.method' as 'health', {}));
    expect(unknown.details).toMatchObject({ code: 'UNKNOWN_METHOD' });
    caller.close();
  });

  it('gets the interim answer of a two-answer method, then the final one', async () => {
    const caller = gw.gateway!.createCaller({ id: 'test:agent', scopes: ['operator.write'] });
    upstream.enqueue({ text: 'from the in-process caller' });
    const interims: unknown[] = [];
    const final = await caller.call(
      'agent',
      { message: 'hi', idempotencyKey: uniqueKey('ip'), sessionKey: `agent:main:${uniqueKey('ip')}` },
      { onInterim: (accepted) => interims.push(accepted) },
    );
    expect(interims).toEqual([expect.objectContaining({ status: 'accepted' })]);
    expect(final).toMatchObject({ status: 'ok' });
    expect(JSON.stringify(final)).toContain('from the in-process caller');
    caller.close();
  });

  it('an aborted signal cancels the call (CANCELLED) and the handler sees its own signal abort', async () => {
    const caller = gw.gateway!.createCaller({ id: 'test:waiter', scopes: ['operator.write'] });
    const sessionKey = `agent:main:${uniqueKey('ab')}`;
    upstream.enqueue({ chunks: Array.from({ length: 50 }, (_, i) => `w${i} `), chunkDelayMs: 40 });
    const accepted = new Promise<{ runId: string }>((resolve) => {
      void caller
        .call('agent', { message: 'long', idempotencyKey: uniqueKey('ab'), sessionKey }, { onInterim: (a) => resolve(a as { runId: string }) })
        .catch(() => {});
    });
    const { runId } = await accepted;
    const controller = new AbortController();
    const waiting = caller.call('agent.wait', { runId, timeoutMs: 30_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(waiting);
    expect(error.code).toBe('CANCELLED');
    expect(error.details).toMatchObject({ code: 'REQUEST_CANCELLED' });
    await caller.call('chat.abort', { sessionKey });
    caller.close();
  });

  it('receives events its scopes admit, and none once closed', async () => {
    const reader = gw.gateway!.createCaller({ id: 'test:events', scopes: ['operator.read'] });
    const approver = gw.gateway!.createCaller({ id: 'test:approver-only', scopes: ['operator.approvals'] });
    const seen: string[] = [];
    const approverSeen: string[] = [];
    reader.onEvent((event) => seen.push(event));
    approver.onEvent((event) => approverSeen.push(event));
    const { socket } = await openReady(gw.url, gw.token);
    upstream.enqueue({ text: 'event check' });
    await chatTurn(socket, `agent:main:${uniqueKey('ev')}`, 'hello');
    await expect.poll(() => seen.includes('sessions.changed')).toBe(true);
    expect(seen).toContain('chat');
    expect(approverSeen.filter((e) => e === 'chat' || e === 'sessions.changed')).toEqual([]);
    reader.close();
    const before = seen.length;
    upstream.enqueue({ text: 'after close' });
    await chatTurn(socket, `agent:main:${uniqueKey('ev')}`, 'again');
    expect(seen.length).toBe(before);
    await expect(reader.call('health', {})).rejects.toThrow(/closed/);
    approver.close();
    socket.close();
  });
});

describe('traceparent', () => {
  it('reaches the dispatcher trace log line of the request that carried it', async () => {
    const { socket } = await openReady(gw.url, gw.token);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    socket.send({ type: 'req', id: 'tp1', method: 'health', params: {}, traceparent });
    await socket.waitFor((f) => f.type === 'res' && f.id === 'tp1');
    socket.close();
    await gw.gateway!.runtime.logger.flush();
    await expect
      .poll(() => readFileSync(gw.gateway!.runtime.logger.file, 'utf8').split('\n').some((l) => l.includes('"msg":"rpc"') && l.includes(traceparent) && l.includes('"method":"health"')))
      .toBe(true);
  });

  it('a frame with a traceparent that is not a string is refused before dispatch', async () => {
    const { socket } = await openReady(gw.url, gw.token);
    socket.send({ type: 'req', id: 'tp2', method: 'health', params: {}, traceparent: 7 });
    const res = await socket.waitFor((f) => f.type === 'res' && f.id === 'tp2');
    expect(res.error?.message).toMatch(/traceparent/);
    socket.close();
    const raw = await openRaw(gw.url);
    raw.close();
  });
});
