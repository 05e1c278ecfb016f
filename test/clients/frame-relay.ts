// A WebSocket middlebox for client tests: sits between an SDK and a real gateway (or proxy),
// records every frame in order, and can drop chosen frames, go silent, or cut a connection
// without a close frame. The gateway on the other side is always the real one.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer, type RawData } from 'ws';

export interface RelayedFrame {
  readonly dir: 'up' | 'down';
  readonly frame: { type?: string; id?: string; method?: string; event?: string; ok?: boolean; seq?: number; [k: string]: unknown };
}

type Predicate = (frame: RelayedFrame['frame'], connection: RelayedConnection) => boolean;

export class RelayedConnection {
  readonly log: RelayedFrame[] = [];
  frozen = false;
  readonly closed: Promise<void>;
  private markClosed!: () => void;

  constructor(
    readonly index: number,
    readonly client: WebSocket,
    readonly upstream: WebSocket,
  ) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
  }

  /** Frames in one direction. */
  sent(dir: 'up' | 'down'): RelayedFrame['frame'][] {
    return this.log.filter((f) => f.dir === dir).map((f) => f.frame);
  }

  /** Stops forwarding in both directions without closing anything: a silent, half-dead link. */
  freeze(): void {
    this.frozen = true;
  }

  /** Cuts both TCP connections without a close frame. */
  kill(): void {
    this.client.terminate();
    this.upstream.terminate();
  }

  /** @internal */
  ended(): void {
    this.markClosed();
  }
}

export interface FrameRelay {
  readonly url: string;
  readonly connections: RelayedConnection[];
  /** Drop frames matching `predicate` (going up to the gateway, or down to the client). */
  drop(dir: 'up' | 'down', predicate: Predicate): void;
  /** Resolves when a frame matching `predicate` has passed (or been dropped); checks the past first. */
  waitForFrame(dir: 'up' | 'down', predicate: Predicate, timeoutMs?: number): Promise<{ frame: RelayedFrame['frame']; connection: RelayedConnection }>;
  /** Resolves with the n-th connection (1-based) once it exists. */
  connection(n: number, timeoutMs?: number): Promise<RelayedConnection>;
  close(): Promise<void>;
}

const asText = (data: RawData): string => (Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));

/** `target()` is the upstream origin (ws://host:port); the client's path is kept. */
export async function startFrameRelay(target: () => string, upstreamOptions: WebSocket.ClientOptions = {}): Promise<FrameRelay> {
  const server: Server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  const connections: RelayedConnection[] = [];
  const drops: { dir: 'up' | 'down'; predicate: Predicate }[] = [];
  const watchers = new Set<() => void>();
  const notify = (): void => {
    for (const w of [...watchers]) w();
  };

  wss.on('connection', (client, request) => {
    const path = request.url ?? '/';
    const upstream = new WebSocket(target() + path, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024, ...upstreamOptions });
    const c = new RelayedConnection(connections.length + 1, client, upstream);
    connections.push(c);
    notify();
    const pendingUp: string[] = [];
    const relay = (dir: 'up' | 'down', data: RawData): void => {
      if (c.frozen) return;
      const text = asText(data);
      let frame: RelayedFrame['frame'];
      try {
        frame = JSON.parse(text) as RelayedFrame['frame'];
      } catch {
        frame = { type: 'unparsable' };
      }
      c.log.push({ dir, frame });
      notify();
      if (drops.some((d) => d.dir === dir && d.predicate(frame, c))) return;
      const to = dir === 'up' ? upstream : client;
      if (dir === 'up' && upstream.readyState === WebSocket.CONNECTING) pendingUp.push(text);
      else if (to.readyState === WebSocket.OPEN) to.send(text);
    };
    client.on('message', (data) => relay('up', data));
    upstream.on('message', (data) => relay('down', data));
    upstream.on('open', () => {
      for (const text of pendingUp.splice(0)) upstream.send(text);
    });
    const closeOther = (other: WebSocket, code: number, reason: Buffer): void => {
      c.ended();
      if (other.readyState === WebSocket.OPEN) {
        const valid = (code >= 1000 && code <= 1014 && code !== 1005 && code !== 1006 && code !== 1004) || (code >= 3000 && code <= 4999);
        other.close(valid ? code : 1014, reason.toString().slice(0, 100));
      } else if (other.readyState === WebSocket.CONNECTING) other.terminate();
    };
    client.on('close', (code, reason) => closeOther(upstream, code, reason));
    upstream.on('close', (code, reason) => closeOther(client, code, reason));
    client.on('error', () => {});
    upstream.on('error', () => client.terminate());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const waitUntil = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const hit = check();
      if (hit !== undefined) return resolve(hit);
      const timer = setTimeout(() => {
        watchers.delete(watcher);
        reject(new Error(`relay: ${what} did not happen within ${timeoutMs} ms`));
      }, timeoutMs);
      const watcher = (): void => {
        const found = check();
        if (found === undefined) return;
        clearTimeout(timer);
        watchers.delete(watcher);
        resolve(found);
      };
      watchers.add(watcher);
    });

  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    drop: (dir, predicate) => drops.push({ dir, predicate }),
    waitForFrame: (dir, predicate, timeoutMs = 10_000) =>
      waitUntil(
        () => {
          for (const connection of connections) {
            const hit = connection.log.find((f) => f.dir === dir && predicate(f.frame, connection));
            if (hit) return { frame: hit.frame, connection };
          }
          return undefined;
        },
        timeoutMs,
        `a ${dir} frame`,
      ),
    connection: (n, timeoutMs = 15_000) => waitUntil(() => connections[n - 1], timeoutMs, `connection #${n}`),
    close: async () => {
      for (const c of connections) c.kill();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
