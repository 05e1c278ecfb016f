// Regression: every presence change sent the whole list to every connection, so presence traffic
// grew with the square of the connection count (1,000 webchat clients pushed 485 MB; 10,000 could
// not connect). Clients with the `presence-delta` cap now get deltas on their hello-ok snapshot,
// upstream clients keep upstream's whole-list `presence`, bursts are coalesced, and a flush writes
// a bounded number of bytes (bench/presence-scale.ts measures 10,000 clients).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceEntry } from '../../contract/schemas/connect.js';
import type { Connection } from '../../server/core/connection.js';
import { PRESENCE_DELTA_CAP, PresenceTracker, type PresenceSink } from '../../server/core/presence.js';
import { MAX_PRESENCE_ENTRIES } from '../../server/core/presence-list.js';
import type { RunningGateway } from '../helpers/gateway-targets.js';
import type { Frame } from '../helpers/raw-socket.js';
import { handshakeInProcess, type InProcessPeer } from './in-process-peer.js';
import { startWith } from './gateway-fixtures.js';

const webchat = (n: number, caps: string[] = []): Record<string, unknown> => ({
  client: { id: 'webchat', version: '1.0.0', platform: 'linux', mode: 'webchat', instanceId: `i${n}` },
  scopes: ['operator.read', 'operator.write'],
  caps,
});

/** A delta client's view: its hello-ok snapshot with every presence.delta applied. */
class DeltaView {
  readonly entries = new Map<string, PresenceEntry>();
  events = 0;
  constructor(snapshot: PresenceEntry[]) {
    for (const e of snapshot) this.entries.set(e.key!, e);
  }
  apply(payload: { upsert: PresenceEntry[]; remove: string[]; reset?: boolean }): void {
    this.events++;
    if (payload.reset) this.entries.clear();
    for (const key of payload.remove) this.entries.delete(key);
    for (const e of payload.upsert) this.entries.set(e.key!, e);
  }
  instances(): string[] {
    return [...this.entries.values()].map((e) => e.instanceId ?? '').sort();
  }
}

describe('presence over the wire', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startWith({});
  });
  afterAll(() => gw?.stop());

  const connect = async (n: number, caps: string[] = []): Promise<{ peer: InProcessPeer; hello: any }> =>
    handshakeInProcess(gw.gateway!.connectInProcess(), gw.token, webchat(n, caps));

  const currentInstances = async (): Promise<string[]> => {
    const { peer, hello } = await connect(9_999);
    peer.client.close();
    return (hello.snapshot.presence as PresenceEntry[]).map((e) => e.instanceId ?? '').filter((i) => i !== 'i9999').sort();
  };

  it('a delta client keeps an exact list from its snapshot and deltas; a burst arrives coalesced', async () => {
    const watcher = await connect(0, [PRESENCE_DELTA_CAP]);
    const view = new DeltaView(watcher.hello.snapshot.presence);
    watcher.peer.client.onMessage((text) => {
      const frame = JSON.parse(text) as Frame;
      if (frame.event === 'presence.delta') view.apply(frame.payload);
      if (frame.event === 'presence') throw new Error('a delta client got a whole-list presence event');
    });
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => connect(i + 1)));
    await expect.poll(() => view.instances().length, { timeout: 5_000 }).toBe(31);
    // 30 connects, far fewer events: changes are coalesced.
    expect(view.events).toBeLessThan(30);
    for (const { peer } of burst.slice(0, 10)) peer.client.close();
    await expect.poll(() => view.instances().length, { timeout: 5_000 }).toBe(21);
    expect(view.instances()).toEqual(await currentInstances());
    for (const { peer } of burst.slice(10)) peer.client.close();
    watcher.peer.client.close();
  });

  it('an upstream client (no cap) gets upstream\'s whole-list presence event, each entry with its key', async () => {
    const legacy = await connect(100);
    const presence = legacy.peer.waitFor((f) => f.event === 'presence');
    const other = await connect(101);
    const frame = await presence;
    expect(frame.payload.presence.map((e: PresenceEntry) => e.instanceId)).toEqual(expect.arrayContaining(['i100', 'i101']));
    expect(frame.payload.presence.every((e: PresenceEntry) => typeof e.key === 'string')).toBe(true);
    expect(frame.stateVersion).toEqual({ presence: expect.any(Number), health: expect.any(Number) });
    expect(legacy.peer.frames.some((f) => f.event === 'presence.delta')).toBe(false);
    other.peer.client.close();
    legacy.peer.client.close();
  });

  it(`the list is bounded at ${MAX_PRESENCE_ENTRIES} entries, like upstream's`, async () => {
    const many = await Promise.all(Array.from({ length: MAX_PRESENCE_ENTRIES + 20 }, (_, i) => connect(1_000 + i)));
    const { peer, hello } = await connect(5_000);
    expect(hello.snapshot.presence.length).toBe(MAX_PRESENCE_ENTRIES);
    expect(hello.snapshot.presence.at(-1).instanceId).toBe('i5000');
    peer.client.close();
    for (const m of many) m.peer.client.close();
  });
});

/** Stand-ins for connections: what the tracker reads of one. */
function fakeConnection(n: number, delta: boolean): Connection {
  return {
    connId: `c${n}`,
    client: { id: 'webchat', version: '1', platform: 'linux', mode: 'webchat', instanceId: `i${n}` },
    role: 'operator',
    scopes: new Set(['operator.read']),
    caps: new Set(delta ? [PRESENCE_DELTA_CAP] : []),
    remoteAddress: '127.0.0.1',
    bufferedAmount: 0,
  } as unknown as Connection;
}

describe('presence flushes are bounded in bytes', () => {
  it('400 listeners joining at once: each flush writes at most its budget, and every listener converges', async () => {
    const budget = 64 * 1024;
    const flushes: number[] = [];
    let current = 0;
    const seenVersion = new Map<Connection, number>();
    // One flush makes all its sends in one go: total them per turn of the event loop.
    const record = (to: readonly Connection[], payload: unknown, version: number): void => {
      if (current === 0) queueMicrotask(() => (flushes.push(current), (current = 0)));
      current += JSON.stringify(payload).length * to.length;
      for (const c of to) seenVersion.set(c, version);
    };
    const sink: PresenceSink = { full: record, delta: record, maxBufferedBytes: () => 1 << 30 };
    const tracker = new PresenceTracker(sink, 1, budget);
    const connections = Array.from({ length: 400 }, (_, i) => fakeConnection(i, i % 2 === 0));
    for (const c of connections) {
      tracker.add(c);
      tracker.listen(c); // its hello-ok snapshot is at this version
      seenVersion.set(c, tracker.stateVersion);
    }
    const behind = (): number => connections.filter((c) => (seenVersion.get(c) ?? -1) < tracker.stateVersion).length;
    await expect.poll(behind, { timeout: 20_000, interval: 20 }).toBe(0);
    tracker.stop();
    expect(connections.every((c) => seenVersion.get(c) === tracker.stateVersion)).toBe(true);
    // A flush may exceed the budget only by its first send (one whole list).
    for (const bytes of flushes) expect(bytes).toBeLessThanOrEqual(budget + 64 * 1024);
    expect(flushes.length).toBeGreaterThan(1);
  });
});
