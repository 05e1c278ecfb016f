// Per-connection event seq, tick events and WebSocket pings (docs/protocol.md "Events").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import { openRaw, openReady, type Frame } from '../helpers/raw-socket.js';
import { startWith } from './gateway-fixtures.js';

const TICK_MS = 80;
const PING_MS = 100;

describe('events and keepalive', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith({ gateway: { limits: { tickIntervalMs: TICK_MS, pingIntervalMs: PING_MS } } });
  });
  afterAll(() => gw?.stop());

  const events = (frames: Frame[]) => frames.filter((f) => f.type === 'event');

  it('tick {ts} arrives every tickIntervalMs with seq starting at 1 and no gaps', async () => {
    const { socket, hello } = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    expect(hello.policy.tickIntervalMs).toBe(TICK_MS);
    const ticks: Frame[] = [];
    while (ticks.length < 4) ticks.push(await socket.waitFor((f) => f.event === 'tick', 5_000));
    for (const t of ticks) {
      expect(t.payload.ts).toBeTypeOf('number');
      expect(Math.abs(t.payload.ts - Date.now())).toBeLessThan(60_000);
    }
    // Everything this connection received after hello-ok, in order: seq 1, 2, 3 …
    const all = [...ticks, ...events(socket.frames)].sort((a, b) => a.seq! - b.seq!);
    expect(all[0]!.seq).toBe(1);
    all.forEach((f, i) => expect(f.seq).toBe(i + 1));
    socket.close();
  });

  it('seq is per connection and counts every event the connection receives', async () => {
    const a = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    await a.socket.waitFor((f) => f.event === 'tick' && f.seq! >= 2, 5_000);
    // b joins later; its numbering starts at 1 regardless of how many events a has seen.
    const b = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    gw.gateway!.runtime.hub.publish('tick', { ts: 1 });
    const fromA = await a.socket.waitFor((f) => f.event === 'tick' && f.payload.ts === 1);
    const fromB = await b.socket.waitFor((f) => f.event === 'tick' && f.payload.ts === 1);
    expect(fromA.seq!).toBeGreaterThan(2);
    const bSeen = [fromB, ...events(b.socket.frames)].map((f) => f.seq!).sort((x, y) => x - y);
    expect(bSeen).toEqual(bSeen.map((_, i) => i + 1));
    a.socket.close();
    b.socket.close();
  });

  it('the challenge carries no seq, and a connection only gets events its scopes allow', async () => {
    const raw = await openRaw(gw.url);
    const challenge = await raw.next();
    expect(challenge.event).toBe('connect.challenge');
    expect(challenge).not.toHaveProperty('seq');
    raw.close();

    const approvals = await openReady(gw.url, gw.token, { scopes: ['operator.approvals'] });
    const reader = await openReady(gw.url, gw.token, { scopes: ['operator.read'] });
    const hub = gw.gateway!.runtime.hub;
    hub.publish('sessions.changed', { sessionKey: 'agent:main:main', reason: 'patch', ts: Date.now() });
    hub.publish('tick', { ts: 2 });
    const got = await reader.socket.waitFor((f) => f.event === 'sessions.changed');
    await approvals.socket.waitFor((f) => f.event === 'tick' && f.payload.ts === 2);
    expect(events(approvals.socket.frames).some((f) => f.event === 'sessions.changed')).toBe(false);
    expect(got.seq).toBeGreaterThanOrEqual(1);
    approvals.socket.close();
    reader.socket.close();
  });

  it('answers WebSocket pings keep the socket open across many ping intervals', async () => {
    const { socket } = await openReady(gw.url, gw.token);
    let pings = 0;
    socket.ws.on('ping', () => pings++);
    while (pings < 4) await new Promise((r) => socket.ws.once('ping', r));
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });

  it('a peer that stops answering pings is terminated', async () => {
    const { socket } = await openReady(gw.url, gw.token);
    // Re-open without auto pong: the ws client then never answers the gateway's pings.
    const silent = await openRaw(gw.url, { autoPong: false });
    // Counted from the start: on a busy machine the first ping can come before hello-ok is read.
    let pinged = 0;
    silent.ws.on('ping', () => pinged++);
    await silent.next();
    silent.send({
      type: 'req',
      id: 'c1',
      method: 'connect',
      params: { minProtocol: 3, maxProtocol: 4, client: { id: 'test', version: '1', platform: 'linux', mode: 'test' }, auth: { token: gw.token } },
    });
    expect((await silent.waitFor((f) => f.id === 'c1')).ok).toBe(true);
    const closed = await silent.closed;
    // terminate() sends no close frame: the client sees an abnormal closure.
    expect(closed.code).toBe(1006);
    expect(pinged).toBeGreaterThanOrEqual(1);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });
});
