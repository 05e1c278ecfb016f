// Request dispatch at the Connection level, through the in-process transport and real codec:
// v4 cancel, the in-flight limit, duplicate ids, and handler failures that must not leak.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../server/core/gateway-error.js';
import { createTestHost, handshakeInProcess, type TestHost } from './in-process-peer.js';

/** A handler that waits until the test releases it, or its signal aborts. */
class Gate {
  readonly signals: AbortSignal[] = [];
  private releases: (() => void)[] = [];
  handler = (_params: unknown, ctx: { signal: AbortSignal }): Promise<unknown> => {
    this.signals.push(ctx.signal);
    return new Promise((resolve, reject) => {
      this.releases.push(() => resolve({ ok: true, released: true }));
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
    });
  };
  releaseAll(): void {
    for (const r of this.releases.splice(0)) r();
  }
}

const SECRET_MARKER = 'db-password=hunter2 at /srv/secret/path';

describe('dispatch through the in-process transport', () => {
  let dir: string;
  let t: TestHost;
  const gate = new Gate();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'openclaw-dispatch-'));
    t = createTestHost({
      logFile: join(dir, 'gateway.log'),
      config: { gateway: { limits: { maxInFlightPerConnection: 3 } } },
      methods: {
        slow: ['health', gate.handler],
        boom: [
          'health',
          () => {
            throw new TypeError(SECRET_MARKER);
          },
        ],
        rejects: ['health', async () => Promise.reject(new Error(SECRET_MARKER))],
        typed: ['health', () => Promise.reject(new GatewayError('NOT_FOUND', 'no such thing', { details: { code: 'SESSION_NOT_FOUND' } }))],
        cyclic: [
          'health',
          () => {
            const value: Record<string, unknown> = {};
            value.self = value;
            return value;
          },
        ],
        fast: ['health', (params) => ({ echo: params })],
      },
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a v4 cancel frame aborts the pending handler and answers CANCELLED; the late result is dropped', async () => {
    const { peer, hello } = await handshakeInProcess(t.connect().client, 'unit-token');
    expect(hello.protocol).toBe(4);
    peer.send({ type: 'req', id: 'slow-1', method: 'slow', params: {} });
    await waitUntil(() => gate.signals.length === 1);
    const signal = gate.signals[0]!;
    expect(signal.aborted).toBe(false);
    peer.send({ type: 'cancel', id: 'slow-1' });
    const res = await peer.waitFor((f) => f.id === 'slow-1');
    expect(res).toMatchObject({ type: 'res', ok: false, error: { code: 'CANCELLED', details: { code: 'REQUEST_CANCELLED' } } });
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(GatewayError);
    gate.releaseAll();
    // Exactly one answer for slow-1: the connection goes on with the next request.
    expect((await peer.call('fast', {})).ok).toBe(true);
    expect(peer.frames.filter((f) => f.id === 'slow-1')).toEqual([]);
    gate.signals.length = 0;
  });

  it('cancel for an unknown or finished id is ignored', async () => {
    const { peer } = await handshakeInProcess(t.connect().client, 'unit-token');
    peer.send({ type: 'cancel', id: 'never-sent' });
    const done = await peer.call('fast', {}, 'done-1');
    expect(done.ok).toBe(true);
    peer.send({ type: 'cancel', id: 'done-1' });
    expect((await peer.call('fast', {})).ok).toBe(true);
    expect(peer.frames.filter((f) => f.type === 'res')).toEqual([]);
  });

  it('closing the connection aborts every pending handler', async () => {
    const { connection, client } = t.connect();
    const { peer } = await handshakeInProcess(client, 'unit-token');
    peer.send({ type: 'req', id: 'a', method: 'slow', params: {} });
    peer.send({ type: 'req', id: 'b', method: 'slow', params: {} });
    await waitUntil(() => gate.signals.length === 2);
    expect(connection.inflightCount).toBe(2);
    client.close(1000, 'bye');
    await waitUntil(() => gate.signals.every((s) => s.aborted));
    expect(connection.inflightCount).toBe(0);
    gate.signals.length = 0;
  });

  it('a duplicate id while the first is in flight is rejected; the first still answers', async () => {
    const { peer } = await handshakeInProcess(t.connect().client, 'unit-token');
    peer.send({ type: 'req', id: 'dup', method: 'slow', params: {} });
    await waitUntil(() => gate.signals.length === 1);
    peer.send({ type: 'req', id: 'dup', method: 'fast', params: {} });
    const rejected = await peer.waitFor((f) => f.id === 'dup');
    expect(rejected).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: 'duplicate request id: dup is still in flight' } });
    gate.releaseAll();
    expect(await peer.waitFor((f) => f.id === 'dup')).toMatchObject({ ok: true, payload: { released: true } });
    // Once answered, the id may be used again.
    expect((await peer.call('fast', {}, 'dup')).ok).toBe(true);
    gate.signals.length = 0;
  });

  it('more than maxInFlightPerConnection pending requests answer UNAVAILABLE TOO_MANY_IN_FLIGHT', async () => {
    const { peer } = await handshakeInProcess(t.connect().client, 'unit-token');
    for (const id of ['q1', 'q2', 'q3']) peer.send({ type: 'req', id, method: 'slow', params: {} });
    await waitUntil(() => gate.signals.length === 3);
    const over = await peer.call('fast', {}, 'q4');
    expect(over).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', retryable: true, details: { code: 'TOO_MANY_IN_FLIGHT', limit: 3 } },
    });
    expect(over.error!.retryAfterMs).toBeGreaterThan(0);
    gate.releaseAll();
    for (const id of ['q1', 'q2', 'q3']) expect((await peer.waitFor((f) => f.id === id)).ok).toBe(true);
    expect((await peer.call('fast', {})).ok).toBe(true);
    gate.signals.length = 0;
  });

  it.each(['boom', 'rejects'])('a handler that %s with a plain Error yields a generic INTERNAL; details only in the log', async (method) => {
    const { peer } = await handshakeInProcess(t.connect().client, 'unit-token');
    const res = await peer.call(method, {});
    expect(res).toEqual({ type: 'res', id: res.id, ok: false, error: { code: 'INTERNAL', message: 'internal error; the gateway log has the details' } });
    expect(JSON.stringify(res)).not.toContain('hunter2');
    await t.logger.flush();
    const log = readFileSync(t.logger.file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const entry = log.find((l) => l.msg === 'handler failed' && l.method === 'health' && String(l.error).includes('hunter2'));
    expect(entry).toBeDefined();
    expect(String(entry!.stack)).toContain('dispatch.test.ts');
    expect((await peer.call('fast', {})).ok).toBe(true);
  });

  it('a GatewayError becomes its typed error frame', async () => {
    const { peer } = await handshakeInProcess(t.connect().client, 'unit-token');
    expect(await peer.call('typed', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'no such thing', details: { code: 'SESSION_NOT_FOUND' } } });
  });

  it('a result that cannot be serialised yields INTERNAL, not a crash', async () => {
    const { peer } = await handshakeInProcess(t.connect().client, 'unit-token');
    expect(await peer.call('cyclic', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect((await peer.call('fast', { probe: true })).payload).toEqual({ echo: { probe: true } });
  });

  it('frames sent right behind connect are processed after hello-ok, in order', async () => {
    const { client } = t.connect();
    const frames: { id?: string; ok?: boolean }[] = [];
    client.onMessage((text) => frames.push(JSON.parse(text)));
    client.send(JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: { minProtocol: 3, maxProtocol: 4, client: { id: 'test', version: '1', platform: 'x', mode: 'test' }, auth: { token: 'unit-token' } } }));
    client.send(JSON.stringify({ type: 'req', id: 'after-1', method: 'fast', params: {} }));
    client.send(JSON.stringify({ type: 'req', id: 'after-2', method: 'fast', params: {} }));
    await waitUntil(() => frames.filter((f) => f.id !== undefined).length === 3);
    expect(frames.filter((f) => f.id !== undefined).map((f) => [f.id, f.ok])).toEqual([
      ['c', true],
      ['after-1', true],
      ['after-2', true],
    ]);
  });

  it('frames sent behind a connect that fails auth are never processed', async () => {
    const { client } = t.connect();
    const frames: { id?: string }[] = [];
    client.onMessage((text) => frames.push(JSON.parse(text)));
    client.send(JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: { minProtocol: 3, maxProtocol: 4, client: { id: 'test', version: '1', platform: 'x', mode: 'test' }, auth: { token: 'wrong' } } }));
    for (let i = 0; i < 5; i++) client.send(JSON.stringify({ type: 'req', id: `x${i}`, method: 'fast', params: {} }));
    expect((await client.closed).code).toBe(1008);
    expect(frames.map((f) => f.id).filter(Boolean)).toEqual(['c']);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}
