// The WebSocket side of the one HTTP server: upgrade routing, the per-address pre-auth budget,
// and protocol-level pings that find dead peers.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { checkBrowserOrigin, type BrowserOriginPolicy } from '../auth/browser-origin.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { PreauthBudget } from './preauth-budget.js';
import { isLoopbackAddress, WsFrameSocket } from './ws-frame-socket.js';

/** Paths that are never the RPC socket. */
const RESERVED_PATHS = new Set(['/__openclaw__/ws']);

export interface UpgradeRoute {
  readonly path: string;
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface WsTransportOptions {
  readonly server: Server;
  readonly logger: GatewayLogger;
  readonly budget: PreauthBudget;
  readonly preauthMaxPayload: number;
  readonly pingIntervalMs: number;
  /** Which browser origins may open the RPC socket (read per upgrade: config changes apply at once). */
  readonly originPolicy: () => BrowserOriginPolicy;
  /** Other upgrade endpoints on the same port (e.g. the browser proxy). */
  readonly routes?: readonly UpgradeRoute[];
  onSocket(socket: WsFrameSocket, events: SocketEvents): void;
}

export interface SocketEvents {
  onMessage(listener: (data: string, isBinary: boolean) => void): void;
  onClose(listener: () => void): void;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export function refuseUpgrade(socket: Duplex, status: number, statusText: string, body: string): void {
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export class WsTransport {
  private readonly wss: WebSocketServer;
  private readonly alive = new Map<WebSocket, boolean>();
  private readonly pingTimer: NodeJS.Timeout;

  constructor(private readonly options: WsTransportOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.preauthMaxPayload,
      perMessageDeflate: false,
      clientTracking: false,
    });
    options.server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    this.pingTimer = setInterval(() => this.ping(), options.pingIntervalMs);
    this.pingTimer.unref?.();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const route = this.options.routes?.find((r) => r.path === path);
    if (route) {
      route.handleUpgrade(request, socket, head);
      return;
    }
    if (RESERVED_PATHS.has(path)) {
      refuseUpgrade(socket, 404, 'Not Found', 'Not Found');
      return;
    }
    const address = request.socket.remoteAddress ?? 'unknown';
    if (!this.options.budget.tryAcquire(address)) {
      this.options.logger.warn('too many unauthenticated sockets from one address', { address });
      refuseUpgrade(socket, 503, 'Service Unavailable', 'Too many unauthenticated sockets');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request, address));
  }

  private accept(ws: WebSocket, request: IncomingMessage, address: string): void {
    const origin = request.headers.origin;
    const browserOrigin = checkBrowserOrigin(
      { origin: typeof origin === 'string' ? origin : undefined, host: request.headers.host, localPort: request.socket.localPort, remoteIsLoopback: isLoopbackAddress(address) },
      this.options.originPolicy(),
    );
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.options.budget.release(address);
    };
    const frameSocket = new WsFrameSocket(ws, request, release, browserOrigin);
    this.alive.set(ws, true);
    const closeListeners: (() => void)[] = [];
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('error', (error) => this.options.logger.debug('socket error', { address, error: error.message }));
    ws.on('close', () => {
      this.alive.delete(ws);
      release();
      for (const l of closeListeners) l();
    });
    this.options.onSocket(frameSocket, {
      onMessage: (listener) => ws.on('message', (data, isBinary) => listener(rawText(data), isBinary)),
      onClose: (listener) => closeListeners.push(listener),
    });
  }

  private ping(): void {
    for (const [ws, alive] of this.alive) {
      if (!alive) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }

  close(): void {
    clearInterval(this.pingTimer);
    this.wss.close();
  }
}
