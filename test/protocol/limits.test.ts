// Limits (docs/protocol.md "Limits"): unauthenticated sockets per address, the frame size raised after
// the handshake, and slow consumers that stop reading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Socket } from 'node:net';
import type { Connection } from '../../server/core/connection.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { call, openRaw, openReady, type Frame, type RawSocket } from '../helpers/raw-socket.js';
import { startWith } from './gateway-fixtures.js';

/** Resolves with the HTTP status when the upgrade is refused, or 101 when it is accepted. */
function upgradeStatus(url: string): Promise<{ status: number; ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, ws });
      res.resume();
    });
    ws.once('error', (error) => reject(error));
  });
}

describe('unauthenticated sockets per address', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith({ gateway: { limits: { maxPreauthPerIp: 3, handshakeTimeoutMs: 10_000 } } });
  });
  afterAll(() => gw?.stop());

  it('the socket over the budget gets HTTP 503; a finished handshake or a close frees a slot', async () => {
    const waiting: RawSocket[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await openRaw(gw.url);
      await s.next();
      waiting.push(s);
    }
    const refused = await upgradeStatus(gw.url);
    expect(refused.status).toBe(503);

    // Finishing a handshake releases that socket's slot.
    const first = waiting[0]!;
    first.send({ type: 'req', id: 'c1', method: 'connect', params: { minProtocol: 3, maxProtocol: 4, client: { id: 'test', version: '1', platform: 'linux', mode: 'test' }, auth: { token: gw.token } } });
    expect((await first.waitFor((f) => f.id === 'c1')).ok).toBe(true);
    const fourth = await openRaw(gw.url);
    expect((await fourth.next()).event).toBe('connect.challenge');
    expect((await upgradeStatus(gw.url)).status).toBe(503);

    // Closing a waiting socket releases its slot too.
    waiting[1]!.close();
    await waiting[1]!.closed;
    const fifth = await upgradeStatus(gw.url);
    expect(fifth.status).toBe(101);
    for (const s of [...waiting, fourth]) s.close();
    fifth.ws.close();
  });
});

describe('frame size before and after the handshake', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith({ gateway: { limits: { maxPayload: 512 * 1024 } } });
  });
  afterAll(() => gw?.stop());

  const bigRequest = (bytes: number) => JSON.stringify({ type: 'req', id: 'big', method: 'logs.tail', params: { pad: 'x'.repeat(bytes) } });

  it('a 100 KiB frame closes the socket 1009 before hello-ok', async () => {
    const s = await openRaw(gw.url);
    await s.next();
    s.sendText(bigRequest(100 * 1024));
    expect((await s.closed).code).toBe(1009);
  });

  it('a 100 KiB frame is answered after hello-ok; one over policy.maxPayload closes 1009', async () => {
    const { socket, hello } = await openReady(gw.url, gw.token);
    expect(hello.policy.maxPayload).toBe(512 * 1024);
    socket.sendText(bigRequest(100 * 1024));
    const res = await socket.waitFor((f) => f.id === 'big');
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(res.error!.message).toMatch(/^invalid logs\.tail params/);
    expect((await call(socket, 'health')).ok).toBe(true);
    socket.sendText(bigRequest(600 * 1024));
    expect((await socket.closed).code).toBe(1009);
  });
});

describe('slow consumer', () => {
  const LIMIT = 256 * 1024;
  let gw: RunningGateway;
  beforeAll(async () => {
    // No tick during the test: only the events it publishes may take a seq.
    gw = await startWith({ gateway: { limits: { maxBufferedBytes: LIMIT, tickIntervalMs: 600_000 } } });
  });
  afterAll(() => gw?.stop());

  const chatDelta = (i: number, text: string) => ({
    runId: 'run-slow',
    sessionKey: 'agent:main:main',
    seq: i,
    state: 'delta' as const,
    message: { role: 'assistant' as const, content: text },
  });

  it('droppable events are skipped (a seq gap), a non-droppable one closes 1008; memory stays bounded', async () => {
    // mode "probe" keeps the connection out of presence, so no presence event interleaves.
    const { socket } = await openReady(gw.url, gw.token, { scopes: ['operator.read'], client: { id: 'test', version: '1.0.0', platform: 'linux', mode: 'probe' } });
    const hub = gw.gateway!.runtime.hub;
    const connection = [...hub.all()].at(-1)! as Connection;
    const tcp = (socket.ws as unknown as { _socket: Socket })._socket;
    const text = 'z'.repeat(64 * 1024);
    let i = 0;
    /** Publishes droppable deltas to a consumer that stopped reading until `count` were skipped. */
    const flood = (count: number): { delivered: number[]; maxBuffered: number } => {
      const delivered: number[] = [];
      let skipped = 0;
      let maxBuffered = 0;
      while (skipped < count && i < 5_000) {
        // Chat deltas are droppable when published so (their text is cumulative).
        if (hub.publish('chat', chatDelta(++i, text), { to: [connection], droppable: true }) === 1) delivered.push(i);
        else skipped++;
        maxBuffered = Math.max(maxBuffered, connection.bufferedAmount);
      }
      expect(skipped).toBe(count);
      return { delivered, maxBuffered };
    };
    const seqs = socket.frames.filter((f) => f.type === 'event').map((f) => f.seq!); // arrived before this listener
    socket.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.type === 'event') seqs.push(frame.seq!);
    });

    tcp.pause(); // the kernel buffers fill, then the gateway's send buffer grows
    const first = flood(5);
    expect(connection.isOpen()).toBe(true);
    // Bounded: never more than the limit plus one frame.
    expect(first.maxBuffered).toBeLessThanOrEqual(LIMIT + 80 * 1024);

    // Once the consumer catches up, the next event arrives with a seq that shows the loss.
    tcp.resume();
    await socket.waitFor((f) => f.event === 'chat' && f.payload.seq === first.delivered.at(-1), 15_000);
    while (connection.bufferedAmount > 0) await new Promise((r) => setTimeout(r, 5));
    expect(hub.publish('chat', chatDelta(++i, 'caught up'), { to: [connection], droppable: true })).toBe(1);
    await socket.waitFor((f) => f.event === 'chat' && f.payload.seq === i);
    // Every event this connection got: 1, 2, … n, then a jump over the five skipped deltas.
    expect(seqs.slice(0, -1)).toEqual(seqs.slice(0, -1).map((_, k) => k + 1));
    expect(seqs.at(-1)! - seqs.at(-2)!).toBe(6);

    // A non-droppable event cannot be skipped: the consumer is cut off.
    tcp.pause();
    flood(1);
    hub.publish('chat', { ...chatDelta(++i, 'final'), state: 'final' as const }, { to: [connection] });
    expect(connection.isOpen()).toBe(false);
    tcp.resume();
    expect(await socket.closed).toEqual({ code: 1008, reason: 'slow consumer' });
  }, 30_000);
});
