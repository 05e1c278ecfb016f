// The full client's driver: reconnecting-websocket owns the socket; its URL provider waits for the
// session's turn, so backoff, jitter and pausing follow the session's rules, not RWS's defaults.
// RWS's own send queue is disabled (a queued frame would leave before `connect` on the next socket).
import RwsImport from 'reconnecting-websocket';
import type { DriverHost, SocketDriver } from './socket-driver.js';
import type { WebSocketClass } from './websocket-impl.js';

type RwsInstance = InstanceType<typeof RwsImport.default>;
type RwsClass = new (url: () => Promise<string>, protocols: undefined, options: Record<string, unknown>) => RwsInstance;
// The package is CommonJS: under Node the default import is the class, under some bundlers `.default`.
const Rws = ((RwsImport as unknown as { default?: unknown }).default ?? RwsImport) as RwsClass;

export class RwsSocketDriver implements SocketDriver {
  private rws: RwsInstance | undefined;
  /** True from the moment a socket is being created until its close was reported. */
  private live = false;

  constructor(
    private readonly host: DriverHost,
    private readonly url: () => string,
    private readonly WebSocket: WebSocketClass,
    private readonly connectTimeoutMs: number,
  ) {}

  start(): void {
    const rws = new Rws(
      async () => {
        if (await this.host.waitTurn()) this.live = true;
        return this.url();
      },
      undefined,
      {
        WebSocket: this.WebSocket,
        minReconnectionDelay: 0,
        maxReconnectionDelay: 0,
        connectionTimeout: this.connectTimeoutMs,
        maxEnqueuedMessages: 0,
      },
    );
    this.rws = rws;
    rws.addEventListener('open', () => {
      if (this.live) this.host.onOpen();
    });
    rws.addEventListener('message', (event) => {
      if (this.live && typeof event.data === 'string') this.host.onText(event.data);
    });
    rws.addEventListener('close', (event) => {
      if (!this.live) return;
      this.live = false;
      this.host.onClose(event.code, event.reason ?? '');
    });
  }

  send(text: string): boolean {
    if (!this.live || this.rws?.readyState !== 1) return false;
    this.rws.send(text);
    return true;
  }

  drop(code: number, reason: string): void {
    if (!this.live || !this.rws) return;
    this.live = false;
    this.host.onClose(code, reason);
    this.rws.reconnect(code, reason);
  }

  stop(): void {
    this.live = false;
    this.rws?.close(1000, 'client closed');
  }
}
