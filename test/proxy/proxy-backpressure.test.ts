// GatewayProxy backpressure, both ways, over real loopback sockets: a fake gateway (just enough
// protocol: challenge, hello-ok) and a `ws` client standing in for the browser. One side stops
// reading; the other floods. The proxy must stop reading the flooding leg (so the flooder's own
// buffer fills and its writes stop completing) instead of holding the flood in memory, and after
// the slow side reads again every frame must arrive, in order.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { GatewayProxy } from '../../server/proxy/gateway-proxy.js';
import { connectParams } from '../helpers/raw-socket.js';

const ORIGIN = 'http://127.0.0.1:5173';
const TOKEN = 'backpressure-test-token-7f3a9c';
const FRAME_BYTES = 64 * 1024;
const FRAME_COUNT = 1024; // 64 MiB in all: far more than loopback sockets buffer
const FLOOD_BYTES = FRAME_BYTES * FRAME_COUNT;
/** A well-behaved sender stops handing frames to `send` above this much buffered. */
const SENDER_HIGH_WATER = 1024 * 1024;
/** The flood is "stalled" once the sender's writes made no progress for this many polls in a row. */
const STALL_POLLS = 20;
const POLL_MS = 50;
const PAD = 'x'.repeat(FRAME_BYTES - 100);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const text = (data: RawData): string => (Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[])).toString('utf8');

/** What a receiver keeps of each flood frame: its sequence number (event `seq` or `params.seq`) and size. */
interface Arrival {
  readonly seq: unknown;
  readonly bytes: number;
}
function arrival(data: RawData): Arrival {
  const raw = text(data);
  const frame = JSON.parse(raw) as { seq?: unknown; params?: { seq?: unknown } };
  return { seq: frame.seq ?? frame.params?.seq, bytes: Buffer.byteLength(raw) };
}

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

// Frames that already went through leave garbage behind; collect it so only what is still held counts.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Memory this process still holds in JS objects and ArrayBuffers (Buffers live in the latter). */
const heldBytes = (): number => {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

/** Sends `count` frames as fast as the socket's own buffer allows (never more than SENDER_HIGH_WATER queued). */
class Pump {
  sent = 0;
  written = 0;
  failed: Error | undefined;
  private finished = false;
  private wake: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    count: number,
    frame: (seq: number) => string,
  ) {
    this.done = this.run(count, frame);
  }

  private async run(count: number, frame: (seq: number) => string): Promise<void> {
    for (let seq = 0; seq < count; seq++) {
      while (this.ws.bufferedAmount > SENDER_HIGH_WATER) await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
      if (this.ws.readyState !== WebSocket.OPEN) throw new Error(`sender socket closed after ${seq} frames`);
      this.sent++;
      this.ws.send(frame(seq), (error) => {
        if (error) this.failed = error;
        this.written++;
        const wake = this.wake;
        this.wake = undefined;
        wake?.();
      });
    }
    await waitUntil(() => this.written === this.sent, 60_000, 'the last frames to be written');
    this.finished = true;
  }

  /** Resolves once the pump has frames in flight and none of them completed for STALL_POLLS polls, or once it finished. */
  async stalled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = -1;
    let quiet = 0;
    while (!this.finished) {
      if (Date.now() > deadline) throw new Error(`the flood neither stalled nor finished within ${timeoutMs} ms`);
      if (this.written === last && this.sent > this.written) quiet++;
      else quiet = 0;
      if (quiet >= STALL_POLLS) return;
      last = this.written;
      await sleep(POLL_MS);
    }
  }
}

interface FakeGateway {
  readonly url: string;
  /** The gateway side of the proxy's upstream leg, once hello-ok was sent. */
  readonly upstream: Promise<WebSocket>;
  readonly connectAuth: Promise<unknown>;
  /** Frames received after hello-ok. */
  readonly received: Arrival[];
  close(): Promise<void>;
}

/** A gateway that speaks only the handshake; `afterHello` runs right after it sent hello-ok. */
async function startFakeGateway(afterHello: (ws: WebSocket) => void = () => {}): Promise<FakeGateway> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const received: Arrival[] = [];
  let gotUpstream!: (ws: WebSocket) => void;
  let gotAuth!: (auth: unknown) => void;
  const upstream = new Promise<WebSocket>((resolve) => (gotUpstream = resolve));
  const connectAuth = new Promise<unknown>((resolve) => (gotAuth = resolve));
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    let open = false;
    ws.send(JSON.stringify({ type: 'event', event: 'connect.challenge', payload: { nonce: 'n-1', ts: Date.now() } }));
    ws.on('message', (data) => {
      if (open) {
        received.push(arrival(data));
        return;
      }
      const frame = JSON.parse(text(data)) as { type?: string; id?: string; method?: string; params?: { auth?: unknown; scopes?: string[] } };
      if (frame.type !== 'req' || frame.method !== 'connect') return;
      gotAuth(frame.params?.auth);
      open = true;
      ws.send(
        JSON.stringify({
          type: 'res',
          id: frame.id,
          ok: true,
          payload: {
            type: 'hello-ok',
            protocol: 3,
            server: { version: 'fake', connId: 'conn-1' },
            features: { methods: ['flood'], events: ['flood'] },
            snapshot: {
              presence: [],
              health: {},
              stateVersion: { presence: 0, health: 0 },
              uptimeMs: 0,
              sessionDefaults: { defaultAgentId: 'main', mainKey: 'main', mainSessionKey: 'agent:main:main' },
            },
            policy: { maxPayload: 64 * 1024 * 1024, maxBufferedBytes: 64 * 1024 * 1024, tickIntervalMs: 30_000 },
            auth: { role: 'operator', scopes: frame.params?.scopes ?? [] },
          },
        }),
      );
      afterHello(ws);
      gotUpstream(ws);
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`,
    upstream,
    connectAuth,
    received,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

interface ProxyHost {
  readonly url: string;
  close(): Promise<void>;
}

async function startProxyHost(upstreamUrl: string): Promise<ProxyHost> {
  // Keepalive is out of the way: a socket paused on purpose answers no pings.
  const proxy = new GatewayProxy({ settings: () => ({ upstreamUrl, token: TOKEN, allowedOrigins: [ORIGIN] }), pingIntervalMs: 600_000 });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => proxy.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/gateway/ws`,
    async close() {
      proxy.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Browser {
  readonly ws: WebSocket;
  /** Frames received after hello-ok. */
  readonly received: Arrival[];
}

/** Connects through the proxy; `afterHello` runs in the same tick the hello-ok arrives. */
async function connectBrowser(url: string, afterHello: (ws: WebSocket) => void = () => {}): Promise<Browser> {
  const ws = new WebSocket(url, { origin: ORIGIN, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  ws.on('error', () => {});
  const received: Arrival[] = [];
  let open = false;
  const hello = new Promise<{ ok?: boolean; payload?: { type?: string } }>((resolve) => {
    ws.on('message', (data) => {
      if (open) {
        received.push(arrival(data));
        return;
      }
      const frame = JSON.parse(text(data)) as { type?: string; id?: string; ok?: boolean; payload?: { type?: string } };
      if (frame.type !== 'res' || frame.id !== 'c1') return;
      open = true;
      afterHello(ws);
      resolve(frame);
    });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'req', id: 'c1', method: 'connect', params: connectParams({ scopes: ['operator.read', 'operator.write'] }) }));
  const res = await hello;
  expect(res).toMatchObject({ ok: true, payload: { type: 'hello-ok' } });
  return { ws, received };
}

const eventFrame = (seq: number): string => `{"type":"event","event":"flood","seq":${seq},"payload":{"seq":${seq},"pad":"${PAD}"}}`;
const reqFrame = (seq: number): string => `{"type":"req","id":"f${seq}","method":"flood","params":{"seq":${seq},"pad":"${PAD}"}}`;

/** Every frame arrived whole, once, in order. */
function expectAllInOrder(arrivals: readonly Arrival[], frame: (seq: number) => string): void {
  expect(arrivals.length).toBe(FRAME_COUNT);
  expect(arrivals.map((a) => a.seq)).toEqual(Array.from({ length: FRAME_COUNT }, (_, i) => i));
  const cut = arrivals.filter((a) => a.bytes !== Buffer.byteLength(frame(a.seq as number)));
  expect(cut).toEqual([]);
}

describe('GatewayProxy backpressure', () => {
  // Run last-pushed first: the browser and the fake gateway go before the proxy host, whose
  // server only closes once both legs of every pair are gone.
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('gateway → browser: a browser that stops reading stalls the gateway, not the proxy memory', async () => {
    const gateway = await startFakeGateway();
    const host = await startProxyHost(gateway.url);
    cleanups.push(() => host.close(), () => gateway.close());
    const browser = await connectBrowser(host.url, (ws) => ws.pause());
    cleanups.push(() => browser.ws.terminate());
    expect(browser.ws.isPaused).toBe(true);
    expect(await gateway.connectAuth).toEqual({ token: TOKEN });
    const upstream = await gateway.upstream;

    const before = heldBytes();
    const pump = new Pump(upstream, FRAME_COUNT, eventFrame);
    pump.done.catch(() => {});
    await pump.stalled(30_000);
    const growth = heldBytes() - before;

    // The gateway's own writes stopped completing with most of the flood still unsent...
    expect(pump.written).toBeLessThan(FRAME_COUNT);
    expect(upstream.bufferedAmount).toBeGreaterThan(SENDER_HIGH_WATER / 2);
    // ...and the proxy did not take the flood into memory instead.
    expect(growth).toBeLessThan(FLOOD_BYTES / 4);
    expect(browser.received.length).toBe(0);

    browser.ws.resume();
    await pump.done;
    expect(pump.failed).toBeUndefined();
    await waitUntil(() => browser.received.length >= FRAME_COUNT, 60_000, 'the whole flood at the browser');
    expectAllInOrder(browser.received, eventFrame);
  }, 120_000);

  it('browser → gateway: a gateway that stops reading stalls the browser, not the proxy memory', async () => {
    const gateway = await startFakeGateway((ws) => ws.pause());
    const host = await startProxyHost(gateway.url);
    cleanups.push(() => host.close(), () => gateway.close());
    const browser = await connectBrowser(host.url);
    cleanups.push(() => browser.ws.terminate());
    const upstream = await gateway.upstream;
    expect(upstream.isPaused).toBe(true);

    const before = heldBytes();
    const pump = new Pump(browser.ws, FRAME_COUNT, reqFrame);
    pump.done.catch(() => {});
    await pump.stalled(30_000);
    const growth = heldBytes() - before;

    expect(pump.written).toBeLessThan(FRAME_COUNT);
    expect(browser.ws.bufferedAmount).toBeGreaterThan(SENDER_HIGH_WATER / 2);
    expect(growth).toBeLessThan(FLOOD_BYTES / 4);
    expect(gateway.received.length).toBe(0);

    upstream.resume();
    await pump.done;
    expect(pump.failed).toBeUndefined();
    await waitUntil(() => gateway.received.length >= FRAME_COUNT, 60_000, 'the whole flood at the gateway');
    expectAllInOrder(gateway.received, reqFrame);
  }, 120_000);
});
