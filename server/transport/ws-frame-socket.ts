import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { BrowserOrigin } from '../auth/browser-origin.js';
import type { FrameSocket } from '../core/frame-socket.js';

export function isLoopbackAddress(address: string): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || address.startsWith('127.');
}

interface ReceiverWithLimit {
  _maxPayload?: number;
}

interface CorkableSocket {
  cork(): void;
  uncork(): void;
}

/** Adapts a `ws` socket to the connection's transport interface. */
export class WsFrameSocket implements FrameSocket {
  readonly remoteAddress: string;
  readonly isLoopback: boolean;

  constructor(
    private readonly ws: WebSocket,
    request: IncomingMessage,
    private readonly onAuthenticated: () => void,
    readonly browserOrigin: BrowserOrigin | undefined,
  ) {
    this.remoteAddress = request.socket.remoteAddress ?? 'unknown';
    this.isLoopback = isLoopbackAddress(this.remoteAddress);
  }

  private corked = false;

  send(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.corkUntilNextTick();
    this.ws.send(text);
  }

  /**
   * Frames sent in the same tick (answers to one TCP read of pipelined requests, an event burst)
   * leave in one writev instead of one syscall each; the socket is uncorked before any I/O wait.
   */
  private corkUntilNextTick(): void {
    if (this.corked) return;
    const socket = (this.ws as unknown as { _socket?: CorkableSocket })._socket;
    if (!socket) return;
    this.corked = true;
    socket.cork();
    process.nextTick(() => {
      this.corked = false;
      socket.uncork();
    });
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  markAuthenticated(): void {
    this.onAuthenticated();
  }

  setMaxPayload(bytes: number): void {
    // ws fixes maxPayload per server; the receiver keeps it in a field we raise after the handshake.
    const receiver = (this.ws as unknown as { _receiver?: ReceiverWithLimit })._receiver;
    if (receiver && typeof receiver._maxPayload === 'number') receiver._maxPayload = bytes;
  }
}
