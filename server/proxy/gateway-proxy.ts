// GatewayProxy: lets a browser page talk to the gateway without ever holding its token. Mount it
// on any node:http server (`server.on('upgrade', …)` → `proxy.handleUpgrade`); the gateway itself
// offers it at /api/gateway/ws. The browser user is authorized before the upgrade is accepted.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { defaultAuthorize } from './proxy-authorize.js';
import { ProxySession, type ProxyLogger } from './proxy-session.js';
import { defaultScopeCap, withProxyDefaults, type AuthorizeHook, type ProxySettings, type ProxySettingsInput } from './proxy-settings.js';

export interface GatewayProxyOptions {
  /** Read on every upgrade, so token rotation and config reloads apply to the next connection. */
  readonly settings: () => ProxySettingsInput | Promise<ProxySettingsInput>;
  /** Decides whether this browser user may connect (default: allow-listed Origin on loopback). */
  readonly authorize?: AuthorizeHook;
  /** Largest frame either leg accepts (default 25 MiB, the gateway's policy.maxPayload). */
  readonly maxPayload?: number;
  /** Ping period on both legs (default 25 000 ms). */
  readonly pingIntervalMs?: number;
  readonly logger?: ProxyLogger;
}

function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}

export class GatewayProxy {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<ProxySession>();
  private readonly pingTimer: NodeJS.Timeout;
  private readonly maxPayload: number;
  private closed = false;

  constructor(private readonly options: GatewayProxyOptions) {
    this.maxPayload = options.maxPayload ?? 25 * 1024 * 1024;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.maxPayload, perMessageDeflate: false, clientTracking: false });
    this.pingTimer = setInterval(() => {
      for (const session of this.sessions) session.ping();
    }, options.pingIntervalMs ?? 25_000);
    this.pingTimer.unref?.();
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Handles one HTTP upgrade; answers 401/403/503 itself when the browser may not connect. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    void this.admit(request, socket, head).catch((error: unknown) => {
      this.options.logger?.warn('proxy upgrade failed', { error: error instanceof Error ? error.message : String(error) });
      refuse(socket, 503, 'gateway proxy unavailable');
    });
  }

  private async admit(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (this.closed) return refuse(socket, 503, 'gateway proxy is shutting down');
    const settings: ProxySettings = withProxyDefaults(await this.options.settings());
    if (this.sessions.size >= settings.maxConnections) return refuse(socket, 503, 'too many proxied connections; try again later');
    const decision = await (this.options.authorize ?? defaultAuthorize)(request, settings);
    if (!decision.ok) {
      this.options.logger?.info('proxy refused a browser', { status: decision.status, origin: request.headers.origin, remote: request.socket.remoteAddress });
      return refuse(socket, decision.status, decision.message);
    }
    if (socket.destroyed) return;
    const cap = decision.scopes ? [...decision.scopes] : defaultScopeCap(settings);
    const scopeCap = settings.allowAdminScope ? cap : cap.filter((s) => s !== 'operator.admin');
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const session = new ProxySession(ws, settings, scopeCap, this.maxPayload, this.options.logger);
      this.sessions.add(session);
      session.onClose(() => this.sessions.delete(session));
      session.start();
    });
  }

  /** Closes every proxied connection (1001) and refuses new ones. */
  close(): void {
    this.closed = true;
    clearInterval(this.pingTimer);
    for (const session of [...this.sessions]) session.shutdown(1001, 'gateway proxy shutting down');
    this.wss.close();
  }
}
