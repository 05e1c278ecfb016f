// A small reconnect loop over a standard WebSocket (the browser client's driver). The session
// decides when to connect; this only opens sockets and reports what happens to them.
import type { DriverHost, SocketDriver, WebSocketFactory, WebSocketLike } from './socket-driver.js';

export class NativeSocketDriver implements SocketDriver {
  #socket: WebSocketLike | undefined;
  #done: (() => void) | undefined;
  #stopped = false;

  readonly #host: DriverHost;
  readonly #url: () => string;
  readonly #create: WebSocketFactory;
  readonly #connectTimeoutMs: number;

  constructor(host: DriverHost, url: () => string, create: WebSocketFactory, connectTimeoutMs: number) {
    this.#host = host;
    this.#url = url;
    this.#create = create;
    this.#connectTimeoutMs = connectTimeoutMs;
  }

  start(): void {
    void this.#loop();
  }

  async #loop(): Promise<void> {
    while (!this.#stopped && (await this.#host.waitTurn())) {
      await new Promise<void>((resolve) => {
        this.#done = resolve;
        let ws: WebSocketLike;
        try {
          ws = this.#create(this.#url());
        } catch (error) {
          this.#finish(undefined, 1006, String(error));
          return;
        }
        this.#socket = ws;
        const timer = setTimeout(() => this.drop(4000, 'connect timeout'), this.#connectTimeoutMs);
        ws.onopen = () => {
          clearTimeout(timer);
          if (this.#socket === ws) this.#host.onOpen();
        };
        ws.onmessage = (event) => {
          if (this.#socket === ws && typeof event.data === 'string') this.#host.onText(event.data);
        };
        ws.onerror = () => {};
        ws.onclose = (event) => {
          clearTimeout(timer);
          this.#finish(ws, event.code, event.reason);
        };
      });
    }
  }

  /** Reports the close of `ws` once; later events of a dropped socket are ignored. */
  #finish(ws: WebSocketLike | undefined, code: number, reason: string): void {
    if (ws !== this.#socket) return;
    this.#socket = undefined;
    if (ws) ws.onopen = ws.onmessage = ws.onclose = null;
    this.#host.onClose(code, reason);
    this.#done?.();
  }

  send(text: string): boolean {
    if (this.#socket?.readyState !== 1) return false;
    this.#socket.send(text);
    return true;
  }

  drop(code: number, reason: string): void {
    const ws = this.#socket;
    if (!ws) return;
    try {
      ws.close(code, reason);
    } catch {
      ws.close();
    }
    this.#finish(ws, code, reason);
  }

  stop(): void {
    this.#stopped = true;
    const ws = this.#socket;
    this.#socket = undefined;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.close(1000, 'client closed');
    }
    this.#done?.();
  }
}
